"""The history store on real SQLite files: migrations, interrupted rows, concurrency, bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from calm.practice.history import HistoryStore, open_existing
from calm.practice.history_errors import HistoryBusy, HistoryError, HistoryUnwritable
from calm.practice.history_schema import MIGRATIONS, SCHEMA_VERSION

START = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_a_new_file_has_the_latest_schema(tmp_path: Path) -> None:
    """Opening a new history creates it at the latest schema version, in WAL mode."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_version_one_file_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    """A file written by the first schema opens, gains the new columns, and keeps every row."""
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.executescript(MIGRATIONS[0])
        connection.execute("PRAGMA user_version = 1")
        connection.execute(
            "INSERT INTO sessions (script, title, started_at, planned_seconds, practised_seconds,"
            " status, breaths) VALUES ('box', 'Box breathing', ?, 240, 238, 'completed', 14)",
            (START.isoformat(),),
        )
    store = HistoryStore.open(path)
    (record,) = store.sessions()
    assert (record.script, record.status, record.breaths) == ("box", "completed", 14)
    assert record.mood_before is None and record.note is None
    store.begin(script="coherent", title="Coherent", planned_seconds=300, started_at=START,
                mood_before=3)  # fmt: skip
    assert store.sessions()[0].mood_before == 3
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_file_from_before_the_latest_indexes_is_read_as_it_is(tmp_path: Path) -> None:
    """Where the file cannot be brought up to date (reading only), one from schema 2 or
    later, which has every column, is read as it is; one older than that is refused."""
    path = tmp_path / "history.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        for number, migration in enumerate(MIGRATIONS[:4], start=1):
            connection.executescript(migration)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.execute(
            "INSERT INTO sessions (script, title, started_at, planned_seconds, practised_seconds,"
            " status, breaths) VALUES ('box', 'Box', ?, 60, 60, 'completed', 6)",
            (START.isoformat(),),
        )
        connection.commit()
    store = HistoryStore.open(path, read_only=True)
    try:
        assert [record.title for record in store.sessions()] == ["Box"]
        assert [total.sessions for total in store.day_totals()] == [1]
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version = 1")
    with pytest.raises(HistoryError, match="needs updating"):
        HistoryStore.open(path, read_only=True)


def test_a_file_from_a_newer_calm_is_refused_not_damaged(tmp_path: Path) -> None:
    """A schema newer than this calm knows gives one clear error, and the file is untouched."""
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer calm"):
        HistoryStore.open(path)
    assert path.read_bytes() == before


def test_a_started_session_reads_as_interrupted_until_finished(tmp_path: Path) -> None:
    """A row written at the start is interrupted; finishing records status, time and breaths."""
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    row = store.begin(script="box", title="Box", planned_seconds=240, started_at=START)
    (record,) = store.sessions()
    assert record.status == "interrupted" and record.ended_at is None
    store.finish(row, status="completed", practised_seconds=240.5, breaths=14)
    (record,) = store.sessions()
    assert (record.status, record.practised_seconds, record.breaths) == ("completed", 240.5, 14)
    assert record.ended_at == START + timedelta(seconds=240.5)


def test_a_clock_that_jumps_back_never_gives_a_negative_duration(tmp_path: Path) -> None:
    """An end time before the start (the wall clock jumped) still gives end >= start."""
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    row = store.begin(script="box", title="Box", planned_seconds=240, started_at=START)
    store.finish(row, status="ended_early", practised_seconds=-3, breaths=2,
                 ended_at=START - timedelta(hours=1))  # fmt: skip
    (record,) = store.sessions()
    assert record.practised_seconds == 0
    assert record.ended_at is not None and record.ended_at >= record.started_at


def test_naive_times_are_refused(tmp_path: Path) -> None:
    """Times must carry a timezone."""
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    with pytest.raises(ValueError, match="timezone"):
        store.begin(script="box", title="Box", planned_seconds=1, started_at=datetime(2026, 1, 1))


def test_a_killed_writer_leaves_an_interrupted_row(tmp_path: Path) -> None:
    """A process killed with SIGKILL after starting a session leaves its row, as interrupted."""
    path = tmp_path / "history.sqlite3"
    code = textwrap.dedent(
        f"""
        import os, signal, sys
        from datetime import datetime, timezone
        from calm.practice.history import HistoryStore
        store = HistoryStore.open(__import__("pathlib").Path({str(path)!r}))
        store.begin(script="box", title="Box", planned_seconds=240,
                    started_at=datetime.now(timezone.utc))
        print("started", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == -9 and "started" in result.stdout
    (record,) = HistoryStore.open(path).sessions()
    assert record.status == "interrupted"


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two processes recording sessions at the same time: every row of both is there."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    code = textwrap.dedent(
        f"""
        import sys
        from datetime import datetime, timezone
        from pathlib import Path
        from calm.practice.history import HistoryStore
        store = HistoryStore.open(Path({str(path)!r}), busy_seconds=10)
        for number in range(100):
            row = store.begin(script=sys.argv[1], title="T", planned_seconds=60,
                              started_at=datetime.now(timezone.utc))
            store.finish(row, status="completed", practised_seconds=60, breaths=number)
        """
    )
    writers = [subprocess.Popen([sys.executable, "-c", code, name]) for name in ("first", "second")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    records = HistoryStore.open(path).sessions()
    for name in ("first", "second"):
        mine = [r for r in records if r.script == name]
        assert sorted(r.breaths for r in mine) == list(range(100))
        assert all(r.status == "completed" for r in mine)


def test_a_locked_file_gives_up_after_the_timeout(tmp_path: Path) -> None:
    """Another writer holding the lock past the timeout means one notice, not a hang."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = HistoryStore.open(path, busy_seconds=0.2)
        with pytest.raises(HistoryBusy, match="another program is using it"):
            store.begin(script="box", title="Box", planned_seconds=1, started_at=START)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_that_can_grow_no_more_is_called_a_full_disk(tmp_path: Path) -> None:
    """SQLite's "database or disk is full" reads "the disk is full", and the file opened
    to read afterwards still lists every session."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    store.begin(script="box", title="Box", planned_seconds=1, started_at=START)
    # The store's own connection may grow the file no further, as on a full disk.
    connection = store._connection
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(HistoryUnwritable) as caught:
        store.begin(script="box", title="Box " * 50_000, planned_seconds=1, started_at=START)
    assert str(caught.value) == "cannot write the history: the disk is full"
    assert caught.value.reason == "the disk is full"
    store.close()
    assert [record.title for record in HistoryStore.open(path, read_only=True).sessions()] == [
        "Box"
    ]


def test_clear_forgets_every_session(tmp_path: Path) -> None:
    """clear removes every row and says how many there were."""
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    for _ in range(3):
        store.begin(script="box", title="Box", planned_seconds=1, started_at=START)
    assert store.clear() == 3
    assert store.sessions() == []


def test_bytes_that_are_not_utf8_read_as_replacement_characters(tmp_path: Path) -> None:
    """One stray byte in a note must not make the whole history unreadable."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    row = store.begin(script="box", title="Box", planned_seconds=1, started_at=START)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE sessions SET note = CAST(? AS TEXT) WHERE id = ?",
                           (b"f\xffo", row))  # fmt: skip
    assert store.sessions()[0].note == "f\ufffdo"


def test_an_unreadable_time_is_one_clear_error(tmp_path: Path) -> None:
    """A start time damaged by hand names the session; the stats leave its day out."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    row = store.begin(script="box", title="Box", planned_seconds=1, started_at=START)
    store.finish(row, status="completed", practised_seconds=60, breaths=4)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE sessions SET started_at = 'garbage' WHERE id = ?", (row,))
    with pytest.raises(HistoryError, match=f"session {row} in the history has an unreadable time"):
        store.sessions()
    assert store.day_totals() == []
    assert store.count() == 1


def test_a_folder_where_the_history_file_should_be_is_named_as_such(tmp_path: Path) -> None:
    """SQLite's "unable to open database file" becomes a line that says what is wrong."""
    path = tmp_path / "history.sqlite3"
    path.mkdir()
    with pytest.raises(HistoryError, match="is a folder"):
        HistoryStore.open(path)


def test_reading_never_creates_the_file(tmp_path: Path) -> None:
    """calm history on a machine with no history leaves no file behind."""
    path = tmp_path / "data" / "history.sqlite3"
    assert open_existing(path) is None
    assert not (tmp_path / "data").exists()


def test_sessions_are_ordered_by_their_moment_across_a_change_of_offset(tmp_path: Path) -> None:
    """01:10 UTC comes after 01:30 at UTC+1 (00:30 UTC), though its text sorts first."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    summer = timezone(timedelta(hours=1))
    store.begin(script="earlier", title="Earlier", planned_seconds=1,
                started_at=datetime(2026, 10, 25, 1, 30, tzinfo=summer))  # fmt: skip
    store.begin(script="later", title="Later", planned_seconds=1,
                started_at=datetime(2026, 10, 25, 1, 10, tzinfo=UTC))  # fmt: skip
    assert [record.script for record in store.sessions()] == ["later", "earlier"]
