"""``calm nudge --notify``: the line goes to the desktop through ``notify-send`` (or
``osascript``) when one is on PATH, and is printed when neither is. The sender here
is a real program on a PATH of the test's own, which notes what it was given."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from calm.care.nudge_command import send_notification

SENDER = """#!/bin/sh
for word in "$@"; do printf '%s\\n' "$word" >> "{log}"; done
exit {code}
"""


def sender(folder: Path, name: str, code: int = 0) -> Path:
    folder.mkdir(exist_ok=True)
    log = folder / f"{name}.log"
    program = folder / name
    program.write_text(SENDER.format(log=log, code=code), encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return log


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for the sender")
def test_notify_send_is_given_the_line_without_the_leaf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = sender(tmp_path / "bin", "notify-send")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert send_notification("🌿 Box breathing is in your plan today: calm start box")
    assert log.read_text(encoding="utf-8").splitlines() == [
        "--app-name=calm",
        "calm",
        "Box breathing is in your plan today: calm start box",
    ]


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for the sender")
def test_osascript_gets_the_line_quoted_when_notify_send_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = sender(tmp_path / "bin", "osascript")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert send_notification('🌿 From your plan: say "no" to \\ lifting')
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "-e",
        'display notification "From your plan: say \\"no\\" to \\\\ lifting" with title "calm"',
    ]


def test_no_sender_or_a_failing_one_leaves_the_line_to_be_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not send_notification("🌿 From your plan: rest.")
    sender(tmp_path / "bin", "notify-send", code=1)  # no desktop session to show it
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert not send_notification("🌿 From your plan: rest.")
