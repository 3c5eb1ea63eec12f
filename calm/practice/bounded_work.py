"""A history connection on which no one statement calm runs can take for ever.

The history file is calm's own, but another program, or a hand with ``sqlite3``, can
change anything in it: ``sessions`` made a view over a recursive query that never
ends, or a trigger that does the same whenever calm writes a row. Read or written,
such a file must not hang calm. So each statement calm runs on a history connection
may do a bounded amount of SQLite's work (counted in SQLite's own steps, not in time,
so a busy machine is never mistaken for a runaway query). Past the bound the
statement ends with ``sqlite3.OperationalError`` ("interrupted"), which calm meets as
it meets any other file it cannot read.

The count starts afresh only when calm itself runs a statement (``execute``), never
from inside SQLite, so a trigger that fires for every row of a query that never ends
cannot start it afresh either. Nothing here imports ``typing``, so ``calm nudge``,
which opens the history too, stays quick.
"""

from __future__ import annotations

import sqlite3

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is left unimported at run time (see calm.care.value)
    from typing import Any

MOST_STEPS = 50_000_000
"""The most SQLite steps one statement may take. Listing or adding up 100,000 sessions,
more than anyone practises in a lifetime, takes under 5 million; a runaway query
reaches the bound in a few seconds."""
STEPS_BETWEEN_LOOKS = 100_000
"""How often SQLite asks whether a statement has used up its steps."""


class BoundedConnection(sqlite3.Connection):
    """A connection whose every statement may take at most ``most_steps`` steps; give
    it to ``sqlite3.connect`` as its ``factory``."""

    most_steps = MOST_STEPS
    """The bound on each statement; a subclass may set a smaller one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Open as ``sqlite3.Connection`` does, with the bound in place."""
        super().__init__(*args, **kwargs)
        self._looks = max(self.most_steps // STEPS_BETWEEN_LOOKS, 1)
        self._looks_left = self._looks
        self.set_progress_handler(self._used_up, STEPS_BETWEEN_LOOKS)

    def _used_up(self) -> bool:
        """SQLite asks every ``STEPS_BETWEEN_LOOKS`` steps; true ends the statement."""
        self._looks_left -= 1
        return self._looks_left < 0

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """Run one statement of calm's, with its own ``most_steps``."""
        self._looks_left = self._looks
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        """Run a statement for each set of ``parameters``, all of them within one bound."""
        self._looks_left = self._looks
        return super().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        """Run a script of statements, all of them within one bound."""
        self._looks_left = self._looks
        return super().executescript(sql_script)

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: a cursor's own ``execute`` would not start the count afresh, and so
        could end a later statement early. calm runs statements on the connection."""
        raise NotImplementedError("run statements with execute on a BoundedConnection")


class QuickConnection(BoundedConnection):
    """A history connection for a figure or two on the way to something else, such as
    ``calm nudge`` at a shell prompt: a smaller bound."""

    most_steps = 20_000_000
    """Today's figures take a few thousand steps; a query past this ends with an error,
    as for an unreadable file, in well under a second."""
