"""A history file another program changed so that reading or writing it never ends,
or one that is not a file at all.

The file is calm's own, but anything can change it: ``sessions`` made a view over a
recursive query, one of calm's tables dropped, or a trigger that runs for ever each
time calm writes a row. None of them may hang calm, and none may cost a session its
record: the file is damaged, kept aside, and a new one started. Each test uses a real
SQLite file, changed with ``sqlite3`` as a person would.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from calm.core.loader import parse_script_bytes
from calm.core.session import SessionOutcome, Status
from calm.core.timeline import compile_timeline
from calm.practice.bounded_work import BoundedConnection
from calm.practice.damaged_history import KEPT_AS, open_to_read
from calm.practice.history import HistoryStore
from calm.practice.history_errors import HistoryDamaged, HistoryError
from calm.practice.history_schema import TABLES
from calm.practice.recording import SessionRecorder
from tests.support.scripts import tiny_script

ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
"""A query that never ends."""


class SmallBound(BoundedConnection):
    """A bound small enough to reach in a test in a moment."""

    most_steps = 1_000_000


def made_history(path: Path) -> None:
    """A history calm made, with one session in it."""
    store = HistoryStore.open(path)
    row = store.begin(script="box", title="Box", planned_seconds=60.0, started_at=datetime.now(UTC))
    store.finish(row, status=Status.COMPLETED, practised_seconds=60.0, breaths=6)
    store.close()


def changed(path: Path, sql: str) -> None:
    """``path`` changed by another program: ``sql`` run on it with ``sqlite3``."""
    with closing(sqlite3.connect(path)) as connection:
        connection.executescript(sql)
        connection.commit()


def kept_aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.{KEPT_AS}-*"))


def test_one_statement_past_its_bound_ends_and_each_statement_has_its_own() -> None:
    connection = sqlite3.connect(":memory:", factory=SmallBound)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        connection.execute(f"{ENDLESS} SELECT count(*) FROM r").fetchone()
    # Each of these takes well over half the bound: two together would pass it.
    counted = f"{ENDLESS} SELECT count(*) FROM (SELECT n FROM r LIMIT 40000)"
    for _ in range(3):
        assert connection.execute(counted).fetchone() == (40000,)
    connection.close()


def test_a_trigger_that_fires_for_every_row_cannot_start_the_count_afresh() -> None:
    connection = sqlite3.connect(":memory:", factory=SmallBound)
    connection.executescript(
        f"""
        CREATE TABLE rows (n);
        CREATE TABLE copies (n);
        CREATE TABLE start (n);
        CREATE TRIGGER copy AFTER INSERT ON rows BEGIN INSERT INTO copies VALUES (new.n); END;
        CREATE TRIGGER run AFTER INSERT ON start BEGIN
            INSERT INTO rows SELECT n FROM ({ENDLESS} SELECT n FROM r);
        END;
        """
    )
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        connection.execute("INSERT INTO start VALUES (1)")
    connection.close()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_a_table_made_an_endless_view_is_damage_kept_aside(table: str, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    made_history(path)
    with closing(sqlite3.connect(path)) as connection:
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    changed(
        path,
        f"ALTER TABLE {table} RENAME TO old_{table};"
        f"CREATE VIEW {table} AS {ENDLESS} SELECT {', '.join(columns)} FROM old_{table}, r;",
    )
    with pytest.raises(HistoryDamaged, match=f"its {table} table is missing, or is not a table"):
        HistoryStore.open(path, read_only=True)
    store, notices = open_to_read(path)
    assert store is None
    assert len(notices) == 1 and "damaged; it is kept as" in notices[0]
    assert len(kept_aside(path)) == 1 and not path.exists()


def test_a_dropped_table_is_damage_too(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    made_history(path)
    changed(path, "DROP TABLE pace_results;")
    with pytest.raises(HistoryDamaged, match="pace_results"):
        HistoryStore.open(path)


def test_a_trigger_that_never_ends_costs_no_session(tmp_path: Path) -> None:
    """Writing the session's first row runs the trigger, which ends at the bound: the file
    is kept aside, and the session is recorded in a new one."""
    path = tmp_path / "history.sqlite3"
    made_history(path)
    changed(
        path,
        f"""
        CREATE TABLE rows (n);
        CREATE TRIGGER endless AFTER INSERT ON sessions BEGIN
            INSERT INTO rows SELECT n FROM ({ENDLESS} SELECT n FROM r);
        END;
        """,
    )
    notices: list[str] = []
    recorder = SessionRecorder.open(path, notify=notices.append)
    assert recorder is not None
    script = tiny_script(title="Two breaths", cycles=2).encode()
    timeline = compile_timeline(parse_script_bytes(script, name="two", source="two.toml"))
    recorder.started(timeline)
    recorder.ended(SessionOutcome(Status.COMPLETED, 8.0, 8.0, 2))
    recorder.close()
    assert any("damaged" in notice for notice in notices), notices
    assert len(kept_aside(path)) == 1
    store = HistoryStore.open(path, read_only=True)
    try:
        assert [(row.script, row.status) for row in store.sessions()] == [("two", "completed")]
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["a named pipe", "a device"])
def test_a_history_that_is_not_a_file_is_said_in_one_line(kind: str, tmp_path: Path) -> None:
    """SQLite would open a named pipe and say only "disk I/O error"."""
    path = tmp_path / "history.sqlite3"
    if kind == "a named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/null")
    for read_only in (True, False):
        with pytest.raises(HistoryError) as raised:
            HistoryStore.open(path, read_only=read_only)
        assert str(raised.value) == f"{path} is {kind}, not a regular file"
