"""The damaged-history policy on real SQLite files: kept aside, never lost, said in one line."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calm.core.session import Status
from calm.practice.damaged_history import (
    failed_part_way,
    kept_copies,
    open_to_read,
    open_to_record,
    set_aside,
    start_afresh,
)
from calm.practice.history import HistoryStore
from calm.practice.history_errors import HistoryBusy, HistoryDamaged, HistoryError
from calm.practice.history_schema import SCHEMA_VERSION

START = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
GARBAGE = b"this is not a database, just some bytes" * 10
TOO_LONG_TO_RENAME = "h" * 240
"""A history file name that SQLite opens, but with no room left for ".corrupt-…" after it:
the file system refuses to keep it aside, even for root."""


def garbage_file(path: Path) -> bytes:
    """A history that is not a database at all; its bytes."""
    path.write_bytes(GARBAGE)
    return GARBAGE


def header_then_garbage(path: Path) -> bytes:
    """A history whose SQLite header is whole and everything after it broken; its bytes."""
    healthy(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    good = path.read_bytes()
    path.write_bytes(good[:100] + b"\xff" * (len(good) - 100))
    return path.read_bytes()


def damaged_past_the_schema(path: Path) -> bytes:
    """A history whose schema reads fine, so that it opens, but whose sessions' pages are
    broken, so that reading them finds the damage; its bytes."""
    HistoryStore.open(path).close()
    with closing(sqlite3.connect(path)) as connection:
        (schema_pages,) = connection.execute("PRAGMA page_count").fetchone()
        (page,) = connection.execute("PRAGMA page_size").fetchone()
    store = HistoryStore.open(path)
    for number in range(500):
        moment = START + timedelta(minutes=number)
        store.begin(script="box", title="Box " * 12, planned_seconds=240, started_at=moment)
    store.close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[schema_pages * page :] = b"\xff" * (len(data) - schema_pages * page)
    path.write_bytes(bytes(data))
    return bytes(data)


def healthy(path: Path, sessions: int = 1) -> None:
    """A history holding ``sessions`` completed sessions."""
    store = HistoryStore.open(path)
    for number in range(sessions):
        row = store.begin(script="box", title="Box", planned_seconds=60,
                          started_at=START + timedelta(hours=number))  # fmt: skip
        store.finish(row, status=Status.COMPLETED, practised_seconds=60, breaths=6)
    store.close()


def test_a_corrupt_file_is_moved_aside_and_kept(tmp_path: Path) -> None:
    """A file that is not a database is renamed, kept byte for byte, and a fresh store starts."""
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database, just some bytes" * 10)
    original = path.read_bytes()
    store, notice = open_to_record(path)
    assert store is not None
    assert notice is not None and "kept as" in notice and "\n" not in notice
    (aside,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert aside.read_bytes() == original
    assert store.sessions() == []


def test_a_read_only_folder_means_no_store_and_one_notice(tmp_path: Path) -> None:
    """When the data folder cannot be written, there is no store and one line says so."""
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        store, notice = open_to_record(folder / "history.sqlite3")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert store is None
    assert notice is not None and notice.startswith("calm: not recording this session")


def test_a_folder_where_the_file_should_be_means_no_store_and_one_notice(tmp_path: Path) -> None:
    """A history path that cannot be a file (its parent is a file) gives one notice, no crash."""
    blocker = tmp_path / "data"
    blocker.write_text("", encoding="utf-8")
    store, notice = open_to_record(blocker / "history.sqlite3")
    assert store is None
    assert notice is not None and "\n" not in notice


def test_damaged_files_set_aside_in_the_same_second_keep_each_other(tmp_path: Path) -> None:
    """A second damaged file moved aside never replaces the first one's copy."""
    path = tmp_path / "history.sqlite3"
    kept = []
    for garbage in (b"first garbage" * 50, b"second garbage" * 50):
        path.write_bytes(garbage)
        kept.append(set_aside(path))
    assert kept[0] != kept[1]
    assert [copy.read_bytes() for copy in kept] == [b"first garbage" * 50, b"second garbage" * 50]


def test_a_history_set_aside_takes_its_wal_files_along(tmp_path: Path) -> None:
    """The WAL and its index go with the file they belong to, so a new history never
    starts beside another file's WAL."""
    path = tmp_path / "history.sqlite3"
    garbage_file(path)
    path.with_name("history.sqlite3-wal").write_bytes(b"wal")
    path.with_name("history.sqlite3-shm").write_bytes(b"shm")
    aside = set_aside(path)
    assert sorted(file.name for file in tmp_path.iterdir()) == [
        aside.name,
        aside.name + "-shm",
        aside.name + "-wal",
    ]
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"wal"


def test_kept_copies_are_the_damaged_files_set_aside_oldest_first(tmp_path: Path) -> None:
    """Only the copies calm kept are listed, not the history, its WAL or a copy's WAL."""
    path = tmp_path / "history.sqlite3"
    assert kept_copies(path) == []
    first = (garbage_file(path), set_aside(path))[1]
    path.with_name("history.sqlite3-wal").write_bytes(b"wal")
    garbage_file(path)
    second = set_aside(path)
    healthy(path)
    assert kept_copies(path) == [first, second, second.with_name(second.name + "-wal")]


def test_a_recorder_starts_afresh_and_the_new_history_records(tmp_path: Path) -> None:
    """The damaged file is kept byte for byte, one whole line says where, and the session
    is written into a new history in its place."""
    path = tmp_path / "history.sqlite3"
    damaged = garbage_file(path)
    store, notice = start_afresh(path)
    (kept,) = kept_copies(path)
    assert notice == (
        f"calm: the history file was damaged; it is kept as {kept}, and a new one started"
    )
    assert kept.read_bytes() == damaged
    assert store is not None
    store.begin(script="box", title="Box", planned_seconds=60, started_at=START)
    store.close()
    assert [record.status for record in HistoryStore.open(path).sessions()] == ["interrupted"]


def test_a_recorder_that_cannot_keep_the_file_aside_records_nothing(tmp_path: Path) -> None:
    """When the damaged file cannot be renamed it is left as it is, and the session is
    not recorded, with one line saying why."""
    path = tmp_path / TOO_LONG_TO_RENAME
    damaged = garbage_file(path)
    store, notice = start_afresh(path)
    assert store is None
    assert notice.startswith("calm: not recording this session: ")
    assert "\n" not in notice
    assert path.read_bytes() == damaged
    assert kept_copies(path) == []


def test_reading_with_no_history_yet_finds_nothing_and_creates_nothing(tmp_path: Path) -> None:
    """calm history before any session: no store, nothing to say, no file left behind."""
    path = tmp_path / "data" / "history.sqlite3"
    assert open_to_read(path) == (None, [])
    assert open_to_read(path, writing=True) == (None, [])
    assert not path.parent.exists()


def test_reading_a_healthy_history_says_nothing(tmp_path: Path) -> None:
    """A history as calm writes it opens with no notices and lists its sessions."""
    path = tmp_path / "history.sqlite3"
    healthy(path, sessions=3)
    store, notices = open_to_read(path)
    assert store is not None and notices == []
    assert len(store.sessions()) == 3
    store.close()


@pytest.mark.parametrize("damage", [garbage_file, header_then_garbage])
@pytest.mark.parametrize("writing", [False, True])
def test_a_history_damaged_before_reading_is_kept_aside_and_reads_as_empty(
    tmp_path: Path, damage: Callable[[Path], bytes], writing: bool
) -> None:
    """A file that is not a database, or that breaks as it is opened, is kept byte for
    byte, one line says where, and there is no store; the next session starts afresh."""
    path = tmp_path / "history.sqlite3"
    damaged = damage(path)
    store, notices = open_to_read(path, writing=writing)
    (kept,) = kept_copies(path)
    assert store is None
    assert notices == [
        f"the history file is damaged; it is kept as {kept}, and a new one will start"
    ]
    assert kept.read_bytes() == damaged
    assert not path.exists()


def test_a_damaged_history_that_cannot_be_kept_aside_ends_the_command(tmp_path: Path) -> None:
    """The damage is the one line, and the file is left exactly as it is."""
    path = tmp_path / TOO_LONG_TO_RENAME
    damaged = garbage_file(path)
    with pytest.raises(HistoryDamaged) as caught:
        open_to_read(path)
    assert str(TOO_LONG_TO_RENAME) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == damaged
    assert kept_copies(path) == []


def test_a_history_from_a_newer_calm_ends_the_command_and_is_left_alone(tmp_path: Path) -> None:
    """A newer schema is not damage: nothing is kept aside and the file is not touched."""
    path = tmp_path / "history.sqlite3"
    healthy(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="written by a newer calm") as caught:
        open_to_read(path)
    assert not isinstance(caught.value, HistoryDamaged)
    assert path.read_bytes() == before
    assert kept_copies(path) == []


def test_a_read_only_history_is_still_read_with_one_notice(tmp_path: Path) -> None:
    """calm history on a read-only file lists it, and says why nothing can be added;
    a command that would change it ends with that reason instead."""
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only files")
    path = tmp_path / "history.sqlite3"
    healthy(path, sessions=2)
    path.chmod(stat.S_IRUSR)
    try:
        store, notices = open_to_read(path)
        assert store is not None
        assert notices == [
            "the history file is read-only, so calm can read the history but not add to it"
        ]
        assert len(store.sessions()) == 2
        store.close()
        with pytest.raises(HistoryError, match="read-only"):
            open_to_read(path, writing=True)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_damage_found_part_way_is_kept_aside_in_one_line(tmp_path: Path) -> None:
    """Broken pages found while listing: the store is closed, the file kept byte for byte,
    and the line that ends the command says where."""
    path = tmp_path / "history.sqlite3"
    damaged = damaged_past_the_schema(path)
    store, notices = open_to_read(path)
    assert store is not None and notices == []
    with pytest.raises(HistoryDamaged) as caught:
        store.sessions()
    line = failed_part_way(path, store, caught.value)
    (kept,) = kept_copies(path)
    assert line == f"the history file is damaged; it is kept as {kept}, and a new one will start"
    assert kept.read_bytes() == damaged
    assert not path.exists()
    with pytest.raises(HistoryError, match="closed"):
        store.count()  # closed before it was moved


def test_damage_found_part_way_that_cannot_be_kept_aside_is_said_as_it_is(
    tmp_path: Path,
) -> None:
    """When the file cannot be renamed, the line is the damage itself, and it stays."""
    path = tmp_path / TOO_LONG_TO_RENAME
    damaged = garbage_file(path)
    error = HistoryDamaged(f"{path}: file is not a database")
    assert failed_part_way(path, None, error) == str(error)
    assert path.read_bytes() == damaged


def test_any_other_failure_part_way_is_said_as_it_is_and_nothing_moves(tmp_path: Path) -> None:
    """A busy file is not damage: its line is the one shown, and the store stays open."""
    path = tmp_path / "history.sqlite3"
    healthy(path)
    store = HistoryStore.open(path)
    error = HistoryBusy("cannot write the history: another program is using it")
    assert failed_part_way(path, store, error) == str(error)
    assert store.count() == 1
    assert path.exists() and kept_copies(path) == []
    store.close()
