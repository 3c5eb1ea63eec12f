"""Running marks: a lock held while a session runs, and swept once nobody holds it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from calm.practice.running_marks import RunningMark, marks_folder, running_rows, sweep

pytestmark = pytest.mark.skipif(os.name != "posix", reason="marks need flock")

HOLD_IN_ANOTHER_PROCESS = """\
import sys
from pathlib import Path
from calm.practice.running_marks import RunningMark
mark = RunningMark.hold(Path(sys.argv[1]), int(sys.argv[2]))
print("held" if mark else "none", flush=True)
sys.stdin.read()
"""


def test_a_mark_nobody_holds_is_swept_and_a_held_one_kept(tmp_path: Path) -> None:
    """A mark left by a calm that was killed goes; one another process holds stays."""
    history = tmp_path / "history.sqlite3"
    folder = marks_folder(history)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_IN_ANOTHER_PROCESS, str(history), "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        (folder / "1.lock").touch()  # as a calm killed with kill -9 leaves it
        assert sweep(history) == 1
        assert [mark.name for mark in folder.iterdir()] == ["2.lock"]
        assert running_rows(history, [1, 2]) == {2}
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert sweep(history) == 1  # the holder went without releasing: its mark is stale now
    assert list(folder.iterdir()) == []


def test_a_stale_mark_with_the_new_sessions_number_is_made_afresh(tmp_path: Path) -> None:
    """A stale mark with the new session's number (ids start again after --clear): the
    new session's mark is its own, held while it runs and gone once it ends."""
    history = tmp_path / "history.sqlite3"
    folder = marks_folder(history)
    folder.mkdir()
    stale = folder / "7.lock"
    stale.touch()
    mark = RunningMark.hold(history, 7)
    assert mark is not None
    assert running_rows(history, [7]) == {7}
    assert sweep(history) == 0  # held: kept
    assert stale.exists()
    mark.release()
    assert running_rows(history, [7]) == set()
    assert list(folder.iterdir()) == []


def test_each_new_session_sweeps_the_marks_before_it(tmp_path: Path) -> None:
    """Marks do not pile up: holding a new one removes every stale one first."""
    history = tmp_path / "history.sqlite3"
    folder = marks_folder(history)
    folder.mkdir()
    for row in range(1, 50):
        (folder / f"{row}.lock").touch()
    mark = RunningMark.hold(history, 50)
    assert mark is not None
    assert [path.name for path in folder.iterdir()] == ["50.lock"]
    mark.release()
