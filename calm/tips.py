"""Small self-care suggestions for the end of a session, offered in turn.

The summary shows the script's own reminder when it has one; otherwise the
next of these. Where calm is in the list is kept in a tiny file in its data
folder, and losing that file only means starting again from the first tip.
"""

from __future__ import annotations

from pathlib import Path

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


def next_tip(state_file: Path) -> str:
    """The next tip in turn, moving the turn on for next time."""
    try:
        index = int(state_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        index = 0
    tip = TIPS[index % len(TIPS)]
    try:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        state_file.write_text(str((index + 1) % len(TIPS)), encoding="ascii")
    except OSError:
        pass  # A read-only home only means the same tip next time.
    return tip
