"""A tiny, zero, negative, unreadable or huge ``COLUMNS`` never shrinks ``calm history``,
``calm stats``, ``calm list`` or ``calm show`` to "…" or a letter a line: in a pipe
it is no width at all, and on a terminal a width below 40 columns is taken as 40."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from calm import locations
from calm.core.session import Status
from calm.practice.history import HistoryStore
from calm.present.table import LEAST_COLUMNS
from tests.support.pseudo_terminal import written_to_terminal

TIMEOUT = 60

SESSIONS = (
    ("box", "Box breathing", "felt lighter afterwards, shoulders down and jaw loose"),
    ("pmr", "Progressive muscle relaxation", None),
    ("calf-stretch", "Calf and foot stretch", "good"),
)
"""The seeded history: a long title, and a note longer than a narrow line."""

COMMANDS = (("history",), ("stats",), ("list",), ("show", "pmr"))

SETTINGS = ("1", "0", "-5", "abc", "99999999", "²", str(LEAST_COLUMNS - 1))
"""``COLUMNS`` values no terminal has, or none a table could be laid out for."""

WHOLE = {
    ("history",): [title for _, title, _ in SESSIONS] + [SESSIONS[0][2]],
    ("stats",): ["Progressive muscle relaxation", "Calf and foot stretch"],
    ("list",): ["Progressive muscle relaxation", "Box breathing"],
    ("show", "pmr"): ["Progressive muscle relaxation"],
}
"""Text each command shows whole in a pipe, however small ``COLUMNS`` is."""

CUT_TO_NOTHING = re.compile(r"(?<!\S)\S?…")
"""A cell cut to "…" or to one letter and "…"."""


@pytest.fixture(autouse=True)
def seeded() -> None:
    """Three finished sessions in the test's own history."""
    path = locations.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = HistoryStore.open(path)
    try:
        for day, (script, title, note) in enumerate(SESSIONS):
            started = datetime(2026, 3, 1 + day, 9, tzinfo=UTC)
            row = store.begin(script=script, title=title, planned_seconds=300.0, started_at=started)
            ended = started + timedelta(seconds=300)
            store.finish(
                row, status=Status.COMPLETED, practised_seconds=300.0, breaths=30, ended_at=ended
            )
            if note:
                store.set_note(row, note)
    finally:
        store.close()


def environment(columns: str | None) -> dict[str, str]:
    """The test's environment with ``COLUMNS`` (and ``LINES``) set to ``columns``, or unset."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    return env if columns is None else dict(env, COLUMNS=columns, LINES=columns)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("columns", SETTINGS)
def test_into_a_pipe_no_columns_setting_cuts_the_table_short(
    args: tuple[str, ...], columns: str
) -> None:
    """Into a pipe, such a COLUMNS is no width: titles and notes come whole."""
    shown = subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env=environment(columns),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert (shown.returncode, shown.stderr) == (0, ""), shown.stderr
    assert not CUT_TO_NOTHING.search(shown.stdout), shown.stdout
    for text in WHOLE[args]:
        assert text in shown.stdout, (text, shown.stdout)
    if args in (("history",), ("list",)):  # calm's own tables: no limit at all
        assert "…" not in shown.stdout, shown.stdout


ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def on_terminal(args: tuple[str, ...], size: int, columns: str | None) -> str:
    """What ``calm ARGS`` writes to a pseudo-terminal ``size`` columns wide, with
    ``COLUMNS`` set to ``columns`` (or unset), colour and all escapes taken out."""
    status, written, errors = written_to_terminal(
        [sys.executable, "-m", "calm", *args], size, environment(columns), TIMEOUT
    )
    assert (status, errors) == (0, b""), errors
    return ESCAPES.sub("", written.decode())


TERMINALS = [(80, "1", LEAST_COLUMNS), (10, None, LEAST_COLUMNS), (10, "0", LEAST_COLUMNS)]
TERMINALS += [(10, "²", LEAST_COLUMNS), (80, "²", 80), (80, "-5", 80), (80, "abc", 80)]
"""A window's width, ``COLUMNS``, and the width calm lays out: a COLUMNS that is not a
number above 0 is not read, and the window's own width counts."""


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("size", "columns", "laid_out"), TERMINALS)
def test_on_a_terminal_a_width_below_the_least_is_taken_as_the_least(
    args: tuple[str, ...], size: int, columns: str | None, laid_out: int
) -> None:
    """On a terminal, COLUMNS=1 or a window 10 wide lays out 40 columns, and an
    unreadable COLUMNS the window's width: no cell cut to nothing, no line wider."""
    shown = on_terminal(args, size, columns)
    lines = shown.splitlines()
    assert not CUT_TO_NOTHING.search(shown), shown
    assert max(len(line.rstrip()) for line in lines) <= laid_out, shown
    assert any(len(line.rstrip()) > laid_out // 2 for line in lines), shown
    assert "Progressive" in shown


def test_on_a_terminal_a_huge_columns_setting_is_obeyed_and_quick() -> None:
    """COLUMNS=99999999 on a terminal lays the history out on one line a session."""
    shown = on_terminal(("history",), 80, "99999999")
    assert SESSIONS[0][2] in shown
    assert "…" not in shown
