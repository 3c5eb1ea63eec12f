"""The history file's schema: each version's changes, and bringing a file up to date.

The version is kept in ``PRAGMA user_version``. Every older version is migrated
forward in order, all in one transaction, so a newer calm always opens an older
file and a file is never left half migrated. A file from a newer calm is left
exactly as it is; read only, a file older than ``READABLE_FROM`` cannot be read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from calm.core.session import Status
from calm.practice.history_errors import HistoryDamaged, HistoryError
from calm.practice.history_rows import CANONICAL

MIGRATIONS = (
    # Version 1: the first release.
    f"""
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        script TEXT NOT NULL,
        title TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        planned_seconds REAL NOT NULL,
        practised_seconds REAL NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT '{Status.INTERRUPTED.value}',
        breaths INTEGER NOT NULL DEFAULT 0
    );
    """,
    # Version 2: mood check-ins and notes, and an index for the stats.
    """
    ALTER TABLE sessions ADD COLUMN mood_before INTEGER;
    ALTER TABLE sessions ADD COLUMN mood_after INTEGER;
    ALTER TABLE sessions ADD COLUMN note TEXT;
    CREATE INDEX sessions_started_at ON sessions (started_at);
    """,
    # Version 3: indexes that hold what the stats add up, so that calm stats reads
    # a hundred thousand sessions without touching the table itself.
    """
    CREATE INDEX sessions_day ON sessions (substr(started_at, 1, 10), practised_seconds);
    CREATE INDEX sessions_script ON sessions (script, title, practised_seconds);
    CREATE INDEX sessions_moods ON sessions (mood_before, mood_after)
        WHERE mood_before IS NOT NULL AND mood_after IS NOT NULL;
    """,
    # Version 4: order sessions by the moment they started, not by the text of their
    # local time, which sorts wrongly when the clocks go back or the user travels west.
    """
    DROP INDEX sessions_started_at;
    CREATE INDEX sessions_moment ON sessions (julianday(started_at));
    """,
    # Version 5: the stats add up in SQLite only the rows that hold values as calm writes
    # them, and read any other row one by one, so the indexes they read lead with that
    # test. CANONICAL must read as it did here for the indexes to be used.
    f"""
    DROP INDEX sessions_day;
    DROP INDEX sessions_script;
    DROP INDEX sessions_moods;
    CREATE INDEX sessions_sound_day
        ON sessions ({CANONICAL}, substr(started_at, 1, 10), practised_seconds);
    CREATE INDEX sessions_sound_script
        ON sessions ({CANONICAL}, script, title, practised_seconds);
    CREATE INDEX sessions_sound_moods ON sessions ({CANONICAL}, mood_before, mood_after)
        WHERE mood_before IS NOT NULL AND mood_after IS NOT NULL;
    """,
    # Version 6: a care plan's reminders ticked off, each on its day (``calm today done``).
    """
    CREATE TABLE reminders_done (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        plan TEXT NOT NULL,
        reminder TEXT NOT NULL,
        done_at TEXT NOT NULL,
        UNIQUE (day, plan, reminder)
    );
    """,
    # Version 7: what ``calm pace`` found: the pace kept, whether a rung earned it, and
    # every rung's answers as JSON, beside the session that asked them.
    """
    CREATE TABLE pace_results (
        id INTEGER PRIMARY KEY,
        found_at TEXT NOT NULL,
        pace REAL NOT NULL,
        found INTEGER NOT NULL,
        answers TEXT NOT NULL,
        session INTEGER
    );
    """,
)
"""Each schema version's changes, in order: version N is ``MIGRATIONS[N - 1]``.

Statements are separated by semicolons, which must not appear anywhere else.
"""
SCHEMA_VERSION = len(MIGRATIONS)
READABLE_FROM = 2
"""The oldest schema that has every column calm reads: the versions since add indexes."""
TABLES = {"sessions": 1, "reminders_done": 6, "pace_results": 7}
"""calm's tables, each with the schema version that made it."""


def refuse_newer(connection: sqlite3.Connection, path: Path) -> None:
    """A file from a newer calm is left exactly as it is."""
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"{path} was written by a newer calm (schema {version}); this calm reads up to "
            f"{SCHEMA_VERSION}"
        )


def refuse_older(connection: sqlite3.Connection, path: Path) -> None:
    """Reading only, a file older than every column calm reads cannot be brought up to
    date first; a later one lacks only indexes, and reads as it is, if more slowly."""
    version = schema_version(connection)
    if version < READABLE_FROM:
        raise HistoryError(
            f"{path} needs updating to this calm's format, and calm cannot write to it"
        )


def refuse_replaced(connection: sqlite3.Connection, path: Path) -> None:
    """A file whose tables are not calm's is damaged: one of them dropped by another
    program, or made a view (which may never end) or something else of that name."""
    version = schema_version(connection)
    found = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
            f"({', '.join('?' * len(TABLES))})",
            tuple(TABLES),
        )
    }
    for table, since in TABLES.items():
        if since <= version and table not in found:
            raise HistoryDamaged(f"{path}: its {table} table is missing, or is not a table")


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the file up to ``SCHEMA_VERSION``, if another calm has not already."""
    if schema_version(connection) >= SCHEMA_VERSION:
        return
    # Under the write lock, look again: another calm may have migrated the file meanwhile.
    # All the versions land in one transaction, so a file is never left half migrated.
    connection.execute("BEGIN IMMEDIATE")
    try:
        for number in range(schema_version(connection) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[number - 1].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version the file is at; 0 for a file just created."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])
