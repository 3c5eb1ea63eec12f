"""The history opened to read a few figures on the way to something else: today's
plan for ``calm nudge`` and the list, and the preferred pace for a script.

Read-only, waiting at most a moment for a busy file, and with a bound on SQLite's
work (``calm.practice.bounded_work``): a file another program left with a table
that never ends (a recursive view) is given up on as unreadable, never read for
ever. Nothing here imports ``typing`` or more than ``sqlite3``, so ``calm nudge``
stays quick.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is left unimported at run time (see calm.care.value)
    import sqlite3
    from pathlib import Path

BUSY_WAIT_SECONDS = 0.2
"""How long to wait for a file another calm is writing."""


def open_quickly(history: Path) -> sqlite3.Connection | None:
    """``history`` opened read-only with its work bounded; None when there is no such
    file, or it cannot be opened. Its queries raise ``sqlite3.Error`` when the work
    runs out, as for a damaged file."""
    if not history.is_file():
        return None
    import sqlite3

    from calm.practice.bounded_work import QuickConnection

    try:
        return sqlite3.connect(
            f"{history.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_WAIT_SECONDS,
            factory=QuickConnection,
        )
    except (sqlite3.Error, OSError, ValueError):
        return None
