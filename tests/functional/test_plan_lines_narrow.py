"""``calm today`` and ``calm plan show`` on a narrow terminal wrap between words, with a
hanging indent under a list item and each command to copy whole on one line; into a
pipe their lines are as they were."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calm import locations
from calm.care.plans_folder import import_plan
from calm.care.today_view import fitted
from calm.cli.script_lookup import script_library
from tests.support.homes import point_at
from tests.support.pseudo_terminal import written_to_terminal

PLAN = """\
title = "Between our sessions"
from = "Sam, Harbour Massage"
note = "Go gently. Stop anything that hurts, and tell me at our next session."

[[practice]]
script = "box"
when = "daily"

[[practice]]
script = "between-clients"
when = "3 per week"

[[reminder]]
text = "Stretch your calves gently before bed, holding each stretch for thirty seconds."
when = "daily"
"""
ITEM = "  · Between clients (3 days a week) · calm start between-clients"


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_an_item_hangs_under_its_text_and_its_command_stays_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = fitted(ITEM, Terminal()).splitlines()
    assert lines == [
        "  · Between clients (3 days a week) ·",
        "    calm start between-clients",
    ]
    reminder = fitted("    12. " + "Drink some water after each session. " * 2, Terminal())
    assert [line[:8] for line in reminder.splitlines()[1:]] == ["        "] * 2
    assert fitted("Tick a reminder off with: calm today done N", Terminal()).splitlines() == [
        "Tick a reminder off with:",
        "  calm today done N",
    ]


def test_a_pipe_gets_each_line_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert fitted(ITEM, io.StringIO()) == ITEM
    assert fitted("Go gently.\nStop.", Terminal()) == "Go gently.\nStop."


def on_terminal(args: list[str], columns: int) -> str:
    """What ``calm ARGS`` writes to a pseudo-terminal ``columns`` wide."""
    status, written, errors = written_to_terminal(
        [sys.executable, "-m", "calm", *args], columns, dict(os.environ, COLUMNS=str(columns))
    )
    assert status == 0, errors
    return written.decode()


@pytest.mark.slow
@pytest.mark.parametrize("args", [["today"], ["plan", "show", "between-our-sessions"]])
def test_the_commands_wrap_between_words_at_forty_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    point_at(monkeypatch, tmp_path)
    (tmp_path / "sam.toml").write_text(PLAN, encoding="utf-8")
    import_plan(tmp_path / "sam.toml", locations.plans_dir(), script_library())
    piped = subprocess.run(
        [sys.executable, "-m", "calm", *args], capture_output=True, text=True, check=True
    ).stdout
    shown = on_terminal(args, 40)
    lines = shown.splitlines()
    assert all(len(line) <= 40 for line in lines), shown
    # The same words, none broken: only where the lines break has moved.
    assert shown.split() == piped.split()
    assert any(line.strip() == "calm start box" for line in lines), shown
    assert any(line.strip() == "calm start between-clients" for line in lines), shown
    assert any(len(line) > 40 for line in piped.splitlines())
