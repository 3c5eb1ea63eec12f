"""Small self-care suggestions for the end of a session, offered in turn.

The summary shows the script's own reminder when it has one; otherwise the
next of these. Where calm is in the list is kept in a tiny file in its data
folder, and losing that file only means starting again from the first tip.
The file is read like any file from outside calm: only a small regular file
counts, so a named pipe or a device there never makes calm wait, and it is
written by putting a new file in its place.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from calm.core.safe_read import ReadError, read_bytes, replace_file

_MOST_BYTES = 64
"""The most the turn file is read for; it holds one small number."""

TIPS = (
    "Have a few sips of water before you move on.",
    "Stretch gently: reach your arms overhead, then let them float down.",
    "Roll your shoulders slowly, a few times each way.",
    "When you get up, take it slowly: sit for a moment first, then stand.",
    "Walk a few unhurried steps and notice your feet on the floor.",
    "If you can, rest your eyes on something far away for a few breaths.",
    "A little gentle strengthening, like a few slow sit-to-stands, can feel good later today.",
    "Rest counts too. If you can, give yourself a few quiet minutes after this.",
)


def next_tip(state_file: Path, *, move_on: bool = True) -> str:
    """The next tip in turn, moving the turn on for next time unless not ``move_on``
    (with the history off, calm writes nothing down, not even whose turn it is)."""
    try:
        index = int(read_bytes(state_file, _MOST_BYTES).decode("ascii").strip())
    except (ReadError, ValueError):  # UnicodeDecodeError is a ValueError
        index = 0
    tip = TIPS[index % len(TIPS)]
    if move_on:
        _write_turn(state_file, (index + 1) % len(TIPS))
    return tip


def _write_turn(state_file: Path, turn: int) -> None:
    """Keep ``turn`` for next time, or nothing: a read-only home only means the same tip."""
    with contextlib.suppress(OSError):
        replace_file(state_file, str(turn))
