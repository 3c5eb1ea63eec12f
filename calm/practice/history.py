"""The practice history: a private SQLite file on the user's own machine.

A row is written when a session starts, marked ``interrupted``, and completed
when it ends; so a session cut off by ``kill -9`` or a power cut still shows,
as interrupted, and is never missing. The schema is versioned with
``PRAGMA user_version`` and every older version is migrated forward in order,
so a newer calm always opens an older file.

Bad state never costs a session: ``open_history`` answers with a notice and no
store when the file is locked, unreadable or in a read-only folder, and moves a
corrupt file aside (never deleting it) before starting afresh. A full disk or
a read-only file is said in those words, and what can be read is still read.

Any value in the file may have been changed by hand: ``calm.practice.history_rows``
reads each row, and a row it cannot read is left out with one line naming it,
from the listing and the figures alike.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from calm.practice import pending
from calm.practice.history_rows import (
    CANONICAL,
    MOODS,
    SELECT_COLUMNS,
    SessionRecord,
    UnreadableRow,
    read_moment,
    read_record,
)

__all__ = ["MOODS", "SessionRecord"]  # read from here by the rest of calm

STATUSES = ("completed", "ended_early", "interrupted")
"""How a recorded session ended."""

MIGRATIONS = (
    # Version 1: the first release.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        script TEXT NOT NULL,
        title TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        planned_seconds REAL NOT NULL,
        practised_seconds REAL NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'interrupted',
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
)
"""Each schema version's changes, in order: version N is ``MIGRATIONS[N - 1]``.

Statements are separated by semicolons, which must not appear anywhere else.
"""
SCHEMA_VERSION = len(MIGRATIONS)
READABLE_FROM = 2
"""The oldest schema that has every column calm reads: the versions since add indexes."""
BUSY_SECONDS = 1.0
"""How long to wait for another calm writing the file before giving up on it."""


def local_now() -> datetime:
    """Now, in the local time zone, so a session's day is the day the user lived it."""
    return datetime.now().astimezone()


class HistoryError(Exception):
    """The history cannot be used; the message is one line for the user."""


class HistoryDamaged(HistoryError):
    """The file is damaged: not a database at all, or a database with broken pages."""


class HistoryBusy(HistoryError):
    """Another program held the file for longer than calm waits; later may work."""


class HistoryUnwritable(HistoryError):
    """The file can be read but not written: the disk is full, or the file is read-only."""

    def __init__(self, message: str, reason: str) -> None:
        """``reason`` is the cause alone, such as "the disk is full"."""
        super().__init__(message)
        self.reason = reason


DISK_FULL = "the disk is full"
READ_ONLY_FILE = "the history file is read-only"

_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _primary_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code for an error, such as SQLITE_BUSY, even from an extended one."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def _history_error(error: sqlite3.Error, context: str, folder: Path | None = None) -> HistoryError:
    """The one-line error for a failed SQLite call, telling damage apart from the rest.

    ``folder`` is where the file is, so that a failed write on a disk with no room
    left, which SQLite may report only as "disk I/O error", is called what it is.
    """
    code = _primary_code(error)
    if code in _DAMAGE_CODES:
        return HistoryDamaged(f"{context}: {error}")
    if code in _BUSY_CODES:
        return HistoryBusy(f"{context}: another program is using it")
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _no_room(folder)):
        return HistoryUnwritable(f"{context}: {DISK_FULL}", DISK_FULL)
    if code == sqlite3.SQLITE_READONLY:
        return HistoryUnwritable(f"{context}: {READ_ONLY_FILE}", READ_ONLY_FILE)
    return HistoryError(f"{context}: {error}")


def _no_room(folder: Path | None) -> bool:
    """Whether the disk holding ``folder`` has no room left for calm to write."""
    if folder is None:
        return False
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    # A file system that does not count its files reports none free: that is not full.
    return found.f_bavail == 0 or (found.f_files > 0 and found.f_favail == 0)


@dataclass(frozen=True, slots=True)
class DayTotal:
    """The sessions recorded on one calendar day."""

    day: date
    sessions: int
    seconds: float
    """Seconds practised that day."""


@dataclass(frozen=True, slots=True)
class ScriptTotal:
    """How often one script has been practised."""

    script: str
    title: str
    sessions: int
    seconds: float


@dataclass(frozen=True, slots=True)
class MoodTotal:
    """Averages over the sessions with a check-in both before and after."""

    sessions: int
    before: float | None
    after: float | None


class HistoryStore:
    """Reads and writes the history file."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        snapshot: TemporaryDirectory[str] | None = None,
        folder: Path | None = None,
    ) -> None:
        """Use an open, migrated connection; ``HistoryStore.open`` makes one.

        ``snapshot`` is the folder holding the copy being read, removed on ``close``;
        ``folder`` is where the file is, to tell a full disk when a write fails.
        """
        self._connection = connection
        self._snapshot = snapshot
        self._folder = folder
        self._uncommon_found: tuple[list[SessionRecord], list[str]] | None = None
        self.notices: list[str] = []
        """One line for each thing the user should know about the file, such as a
        kept session that could not be read; the caller shows them."""

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        busy_seconds: float = BUSY_SECONDS,
        read_only: bool = False,
        copy: bool = False,
    ) -> HistoryStore:
        """Open (creating if needed) and migrate the history at ``path``.

        Opened to write, it first adds any session kept aside while another
        program held the file (``calm.practice.pending``).

        Args:
            read_only: Only read, as ``calm history`` and ``calm stats`` do; this
                works even when the file's folder cannot be written.
            copy: Reading only, read a copy (or the file as last saved) rather than
                ask SQLite to keep its own files beside it, which a full disk or a
                read-only folder does not allow.

        Raises:
            HistoryError: when it is locked, unreadable, not a database, or newer
                than this calm understands.
        """
        _refuse_what_cannot_be_looked_at(path)
        # SQLite would say only "unable to open database file" for these two.
        if path.is_dir():
            raise HistoryError(f"{path} is a folder, where calm keeps its history file")
        if read_only and not path.exists():
            raise HistoryError(f"{path} does not exist")
        with contextlib.ExitStack() as on_failure:
            snapshot = None
            try:
                if read_only:
                    source, frozen = path, ""
                    # In a folder calm cannot write, no other calm can be writing either.
                    if copy or not os.access(path.parent, os.W_OK):
                        snapshot = _snapshot_with_wal(path)
                        if snapshot is None:
                            frozen = "&immutable=1"
                        else:
                            on_failure.callback(snapshot.cleanup)
                            source = Path(snapshot.name) / path.name
                    uri = f"{source.resolve().as_uri()}?mode=ro{frozen}"
                    connection = sqlite3.connect(uri, uri=True, timeout=busy_seconds)
                else:
                    _refuse_a_file_for_the_folder(path.parent)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    if not os.access(path.parent, os.W_OK):
                        # Writing needs the folder too, for the WAL's own files beside it.
                        verb = "write" if path.exists() else "create"
                        raise HistoryError(f"cannot {verb} {path}: its folder is read-only")
                    if path.exists() and not os.access(path, os.W_OK):
                        raise HistoryUnwritable(
                            f"cannot write {path}: {READ_ONLY_FILE}", READ_ONLY_FILE
                        )
                    connection = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
            except (OSError, sqlite3.Error) as error:
                if isinstance(error, OSError) and _no_room(path.parent):
                    raise HistoryUnwritable(
                        f"cannot open {path}: {DISK_FULL}", DISK_FULL
                    ) from error
                raise HistoryError(f"cannot open {path}: {error}") from error
            on_failure.callback(connection.close)
            # A stray byte that is not UTF-8 must not make the whole history unreadable.
            connection.text_factory = lambda data: data.decode("utf-8", errors="replace")
            try:
                _refuse_newer(connection, path)
                if read_only:
                    _refuse_older(connection, path)
                else:
                    _use_wal(connection, busy_seconds)
                    _migrate(connection)
                # Reading the schema finds a file whose first page is damaged, at no real cost.
                connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as error:
                found = _history_error(error, str(path), path.parent)
                if isinstance(found, HistoryUnwritable):
                    found = HistoryUnwritable(f"cannot write {path}: {found.reason}", found.reason)
                raise found from error
            on_failure.pop_all()  # opened: the store now owns the connection and the copy
        store = cls(connection, snapshot=snapshot, folder=path.parent)
        if not read_only:
            store._add_kept_sessions(path)
        return store

    def close(self) -> None:
        """Close the file."""
        self._connection.close()
        if self._snapshot is not None:
            self._snapshot.cleanup()

    def wait_when_busy(self, seconds: float) -> None:
        """How long to wait from now on for another program to let go of the file."""
        self._connection.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")

    def begin(
        self,
        *,
        script: str,
        title: str,
        planned_seconds: float,
        started_at: datetime,
        mood_before: int | None = None,
    ) -> int:
        """Record a session that has just started; its row id.

        It is recorded as interrupted until ``finish`` says otherwise.
        """
        with self._write() as connection:
            cursor = connection.execute(
                "INSERT INTO sessions (script, title, started_at, planned_seconds, mood_before)"
                " VALUES (?, ?, ?, ?, ?)",
                (script, title, stamp(started_at), planned_seconds, _mood(mood_before)),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def finish(
        self,
        row: int,
        *,
        status: str,
        practised_seconds: float,
        breaths: int,
        ended_at: datetime | None = None,
        mood_after: int | None = None,
    ) -> None:
        """Complete a session's row with how it ended.

        The end time is the start plus the practised time (measured on the
        monotonic clock), so a wall clock that jumped never gives a negative
        duration.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        practised = max(practised_seconds, 0.0)
        with self._write() as connection:
            found = connection.execute(
                "SELECT started_at FROM sessions WHERE id = ?", (row,)
            ).fetchone()
            if found is None:
                raise HistoryError(f"no session {row} in the history")
            try:
                started = read_moment(found[0], row)
            except UnreadableRow as error:
                raise HistoryError(str(error)) from None
            connection.execute(
                "UPDATE sessions SET ended_at = ?, status = ?, practised_seconds = ?,"
                " breaths = ?, mood_after = ? WHERE id = ?",
                (
                    stamp(end_time(started, practised, ended_at)),
                    status,
                    practised,
                    max(breaths, 0),
                    _mood(mood_after),
                    row,
                ),
            )

    def progress(self, row: int, *, practised_seconds: float, breaths: int) -> None:
        """Note how far a session has got, so that one cut off still shows its time.

        The status stays ``interrupted`` until ``finish``.
        """
        with self._write() as connection:
            connection.execute(
                "UPDATE sessions SET practised_seconds = ?, breaths = ? WHERE id = ?",
                (max(practised_seconds, 0.0), max(breaths, 0), row),
            )

    def sessions(
        self, limit: int | None = None, *, left_out: list[str] | None = None
    ) -> list[SessionRecord]:
        """Recorded sessions, newest first.

        Args:
            left_out: When given, a session with a value that cannot be read
                (changed by hand, say) is left out and a line about it added here,
                so that the rest can still be listed; otherwise it raises
                ``HistoryError``.
        """
        query = (
            f"SELECT {SELECT_COLUMNS} FROM sessions ORDER BY julianday(started_at) DESC, id DESC"
        )
        return self._records(query, limit, left_out)

    def latest_recorded(
        self, *, left_out: list[str] | None = None
    ) -> Generator[SessionRecord, None, None]:
        """Recorded sessions, the one written into the history last first.

        This is the order sessions were recorded in, whatever times they carry, so
        the session just finished comes first even beside one dated in the future.
        """
        rows = self._rows(f"SELECT {SELECT_COLUMNS} FROM sessions ORDER BY id DESC")
        for row in rows:
            try:
                yield read_record(row)
            except UnreadableRow as error:
                if left_out is None:
                    raise HistoryError(str(error)) from None
                left_out.append(str(error))

    def count(self) -> int:
        """How many sessions are recorded."""
        ((count,),) = self._read("SELECT COUNT(*) FROM sessions")
        return int(count)

    def day_totals(self) -> list[DayTotal]:
        """Each day with a recorded session that can be read, oldest first.

        A session's day is the calendar date where it started, in the local time
        it was recorded in, so travel and daylight-saving changes never move it.
        """
        rows = self._read(
            # The same expression as the sessions_day index, so that the index is used.
            "SELECT substr(started_at, 1, 10) AS day, COUNT(*), SUM(practised_seconds)"
            f" FROM sessions WHERE {CANONICAL} = 1 GROUP BY day"
        )
        days: dict[date, tuple[int, float]] = {
            date.fromisoformat(day): (count, float(seconds)) for day, count, seconds in rows
        }
        for record in self._uncommon_records():
            count, seconds = days.get(record.started_at.date(), (0, 0.0))
            days[record.started_at.date()] = (count + 1, seconds + record.practised_seconds)
        return [DayTotal(day, *days[day]) for day in sorted(days)]

    def script_totals(self) -> list[ScriptTotal]:
        """Each script practised, most sessions first."""
        rows = self._read(
            "SELECT script, MAX(title), COUNT(*), SUM(practised_seconds)"
            f" FROM sessions WHERE {CANONICAL} = 1 GROUP BY script"
        )
        scripts = {script: (title, count, float(seconds)) for script, title, count, seconds in rows}
        for record in self._uncommon_records():
            title, count, seconds = scripts.get(record.script, (record.title, 0, 0.0))
            scripts[record.script] = (
                max(title, record.title),
                count + 1,
                seconds + record.practised_seconds,
            )
        totals = [ScriptTotal(script, *figures) for script, figures in scripts.items()]
        return sorted(totals, key=lambda total: (-total.sessions, -total.seconds, total.script))

    def mood_totals(self) -> MoodTotal:
        """The check-ins of every session with a mood both before and after."""
        ((count, before, after),) = self._read(
            "SELECT COUNT(*), SUM(mood_before), SUM(mood_after) FROM sessions"
            f" WHERE mood_before IS NOT NULL AND mood_after IS NOT NULL AND {CANONICAL} = 1"
        )
        count, before, after = int(count), int(before or 0), int(after or 0)
        for record in self._uncommon_records():
            if record.mood_before is not None and record.mood_after is not None:
                count, before, after = (
                    count + 1,
                    before + record.mood_before,
                    after + record.mood_after,
                )
        if not count:
            return MoodTotal(0, None, None)
        return MoodTotal(count, before / count, after / count)

    def set_mood_after(self, row: int, mood: int | None) -> None:
        """Record how tense the user felt after a session, 1 to 5."""
        self._update(row, "mood_after", _mood(mood))

    def set_note(self, row: int, note: str | None) -> None:
        """Attach a note to a session; empty text removes it."""
        self._update(row, "note", (note or "").strip() or None)

    def _update(self, row: int, column: str, value: object) -> None:
        with self._write() as connection:
            cursor = connection.execute(
                f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, row)
            )
            if cursor.rowcount == 0:
                raise HistoryError(f"no session {row} in the history")

    def clear(self) -> int:
        """Forget every session; how many there were."""
        with self._write() as connection:
            return connection.execute("DELETE FROM sessions").rowcount

    def _records(
        self, query: str, limit: int | None, left_out: list[str] | None
    ) -> list[SessionRecord]:
        """The sessions ``query`` selects, up to ``limit`` of those that can be read."""
        # Read on past a damaged row, so that a limit still counts only what can be shown.
        records: list[SessionRecord] = []
        for row in self._rows(query):
            if limit is not None and len(records) >= limit:
                break
            try:
                records.append(read_record(row))
            except UnreadableRow as error:
                if left_out is None:
                    raise HistoryError(str(error)) from None
                left_out.append(str(error))
        return records

    def unreadable(self) -> list[str]:
        """A line for each session with a value that cannot be read, which the figures
        leave out, as ``sessions`` does, and in the same order."""
        return list(self._uncommon()[1])

    def _uncommon_records(self) -> list[SessionRecord]:
        """The readable sessions that hold a value not as calm writes it: what the figures
        read one by one, beside the rest added up in SQLite. Most histories have none."""
        return self._uncommon()[0]

    def _uncommon(self) -> tuple[list[SessionRecord], list[str]]:
        """The sessions SQLite cannot add up: those read, and a line for each of the rest.

        Read once for all the figures, and again only after a write.
        """
        if self._uncommon_found is None:
            records: list[SessionRecord] = []
            problems: list[str] = []
            query = (
                f"SELECT {SELECT_COLUMNS} FROM sessions WHERE {CANONICAL} = 0"
                " ORDER BY julianday(started_at) DESC, id DESC"  # as ``sessions`` names them
            )
            for row in self._rows(query):
                try:
                    records.append(read_record(row))
                except UnreadableRow as error:
                    problems.append(str(error))
            self._uncommon_found = (records, problems)
        return self._uncommon_found

    def _add_kept_sessions(self, path: Path) -> None:
        """Add the sessions kept aside while another program held the file, then forget them.

        All of them are added in one transaction; a session already in the history
        is not added again. A busy or failing file leaves them waiting for next time.
        """
        files = pending.waiting(path)
        if not files:
            return
        added = []
        try:
            with self._write() as connection:
                for file in pending.waiting(path):  # again, now that no other calm is adding
                    try:
                        session = pending.read(file)
                        read_record(session.as_row())  # a kept file is data like any other
                    except (OSError, ValueError) as error:
                        if not isinstance(error, FileNotFoundError):  # added by another calm
                            pending.set_aside(file)
                            self.notices.append(
                                f"a session kept in {file} could not be read; it is kept "
                                f"as {file.name}.unreadable"
                            )
                        continue
                    _add_kept(connection, session)
                    added.append(file)
        except HistoryError:
            return
        for file in added:
            pending.forget(file)

    def _read(self, query: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._connection.execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            raise _history_error(error, "cannot read the history", self._folder) from error

    def _rows(self, query: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` one at a time, for a reader that may stop early."""
        try:
            cursor = self._connection.execute(query)
            try:
                while (row := cursor.fetchone()) is not None:
                    yield row
            finally:
                cursor.close()  # also when the reader stops early, so a write may follow
        except sqlite3.Error as error:
            raise _history_error(error, "cannot read the history", self._folder) from error

    def _write(self) -> _Transaction:
        self._uncommon_found = None  # what is read one by one may change
        return _Transaction(self._connection, self._folder)


def _add_kept(connection: sqlite3.Connection, session: pending.PendingSession) -> None:
    """Add one kept session: complete its row if it was begun, or write it whole.

    A session is found by its script and the exact text of its start, which
    holds the microsecond, so adding it a second time changes nothing.
    """
    found = connection.execute(
        "SELECT id, status FROM sessions WHERE julianday(started_at) = julianday(?)"
        " AND started_at = ? AND script = ?",
        (session.started_at, session.started_at, session.script),
    ).fetchone()
    if found is None:
        connection.execute(
            "INSERT INTO sessions (script, title, started_at, ended_at, planned_seconds,"
            " practised_seconds, status, breaths, mood_before, mood_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.script,
                session.title,
                session.started_at,
                session.ended_at,
                session.planned_seconds,
                session.practised_seconds,
                session.status,
                session.breaths,
                session.mood_before,
                session.mood_after,
            ),
        )
    elif found[1] == "interrupted" and session.status != "interrupted":
        connection.execute(
            "UPDATE sessions SET ended_at = ?, status = ?, practised_seconds = ?, breaths = ?,"
            " mood_after = coalesce(?, mood_after) WHERE id = ?",
            (
                session.ended_at,
                session.status,
                session.practised_seconds,
                session.breaths,
                session.mood_after,
                found[0],
            ),
        )


def end_time(started: datetime, practised_seconds: float, ended_at: datetime | None) -> datetime:
    """When a session ended: its start plus the time practised, or the wall clock's end when
    pauses made that later, so a wall clock that jumped back never gives a negative span."""
    end = started + timedelta(seconds=max(practised_seconds, 0.0))
    return ended_at if ended_at is not None and ended_at > end else end


class _Transaction:
    """One short write, committed at once so another calm can write next."""

    def __init__(self, connection: sqlite3.Connection, folder: Path | None = None) -> None:
        """Write through ``connection``, which the store keeps open, to a file in ``folder``."""
        self._connection = connection
        self._folder = folder

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._error(error) from error
        return self._connection

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                self._connection.execute("COMMIT")
            elif self._connection.in_transaction:
                # Some failures, a full disk among them, have rolled it back already.
                self._connection.execute("ROLLBACK")
        except sqlite3.Error as failure:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise self._error(failure) from failure
        if isinstance(error, sqlite3.Error):
            raise self._error(error) from error

    def _error(self, error: sqlite3.Error) -> HistoryError:
        return _history_error(error, "cannot write the history", self._folder)


def open_history(path: Path) -> tuple[HistoryStore | None, str | None]:
    """The history store, or None and a one-line notice when it cannot be used.

    A file that is not a database is moved aside, kept, and a fresh one started.
    """
    try:
        return HistoryStore.open(path), None
    except HistoryDamaged:
        return start_afresh(path)
    except HistoryError as error:
        return None, f"calm: not recording this session: {error}"


def _refuse_what_cannot_be_looked_at(path: Path) -> None:
    """Say why, when calm may not even look for its history file (its folder is mode 000,
    say); on Python 3.11 ``Path.exists()`` and ``is_dir()`` raise for it."""
    from calm.core.safe_read import read_error

    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    except (OSError, ValueError) as error:
        raise HistoryError(f"{path} {read_error(error).reason}") from None


def _refuse_a_file_for_the_folder(folder: Path) -> None:
    """Say so when calm's data folder is a file; mkdir would say only "File exists"."""
    if folder.exists() and not folder.is_dir():
        raise HistoryError(f"{folder} is a file, where calm keeps its data")


def _snapshot_with_wal(path: Path) -> TemporaryDirectory[str] | None:
    """A copy of the history and its WAL in a temporary folder; None with no WAL to read,
    or no room to copy it (the file alone is then read, as it was last saved).

    A session cut off by ``kill -9`` leaves its rows in the WAL file. SQLite reads a
    WAL only where it can keep its index beside it, which a read-only folder does
    not allow, and an immutable file ignores the WAL; a copy can have both.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.stat().st_size == 0:
            return None
    except OSError:
        return None
    try:
        snapshot = TemporaryDirectory(prefix="calm-history-")
    except OSError:
        return None  # no room for a copy: read the file alone, as it was last saved
    try:
        for source in (path, wal):
            shutil.copyfile(source, Path(snapshot.name) / source.name)
    except OSError:
        snapshot.cleanup()
        return None
    return snapshot


def open_existing(path: Path, *, writing: bool = False) -> HistoryStore | None:
    """The history for ``calm history`` and ``calm stats``; None when there is none yet.

    This never creates the file. Unless ``writing``, a history in a folder calm
    cannot write, on a full disk or in a read-only file is still read, without
    being changed, with a line in ``store.notices`` saying why it cannot be written.

    Raises:
        HistoryDamaged: when the file is damaged; the caller decides what to say.
        HistoryError: when it cannot be opened for any other reason.
    """
    _refuse_what_cannot_be_looked_at(path)
    _refuse_a_file_for_the_folder(path.parent)
    if not path.exists() and not path.is_symlink():
        return None
    read_only = not writing and not os.access(path.parent, os.W_OK)
    try:
        return HistoryStore.open(path, read_only=read_only)
    except HistoryUnwritable as error:
        if writing or read_only:
            raise
        # A full disk or a read-only file still holds the sessions: read them as they are.
        store = HistoryStore.open(path, read_only=True, copy=True)
        store.notices.append(f"{error.reason}, so calm can read the history but not add to it")
        return store


def start_afresh(path: Path) -> tuple[HistoryStore | None, str]:
    """Move a damaged history aside, keeping it, and open a new one in its place.

    Returns the new store, or None, with a one-line notice that says what happened.
    """
    try:
        aside = set_aside(path)
        store = HistoryStore.open(path)
    except (OSError, HistoryError) as error:
        return None, f"calm: not recording this session: {error}"
    notice = f"calm: the history file was damaged; it is kept as {aside}, and a new one started"
    return store, notice


def set_aside(path: Path) -> Path:
    """Rename the history (and its WAL files) with a timestamp; never delete it.

    Raises:
        OSError: when it cannot be renamed.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists():
        # A file kept earlier in the same second must never be replaced.
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        leftover = path.with_name(path.name + suffix)
        if leftover.exists():
            leftover.rename(aside.with_name(aside.name + suffix))
    return aside


def _refuse_newer(connection: sqlite3.Connection, path: Path) -> None:
    """A file from a newer calm is left exactly as it is."""
    version = _version(connection)
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"{path} was written by a newer calm (schema {version}); this calm reads up to "
            f"{SCHEMA_VERSION}"
        )


def _refuse_older(connection: sqlite3.Connection, path: Path) -> None:
    """Reading only, a file older than every column calm reads cannot be brought up to
    date first; a later one lacks only indexes, and reads as it is, if more slowly."""
    version = _version(connection)
    if version < READABLE_FROM:
        raise HistoryError(
            f"{path} needs updating to this calm's format, and calm cannot write to it"
        )


def _use_wal(connection: sqlite3.Connection, busy_seconds: float) -> None:
    """Switch the file to WAL, once; another calm switching it at the same moment is waited for."""
    if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + busy_seconds
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            # Changing the journal mode does not wait on the busy timeout by itself.
            if _primary_code(error) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _migrate(connection: sqlite3.Connection) -> None:
    if _version(connection) >= SCHEMA_VERSION:
        return
    # Under the write lock, look again: another calm may have migrated the file meanwhile.
    # All the versions land in one transaction, so a file is never left half migrated.
    connection.execute("BEGIN IMMEDIATE")
    try:
        for number in range(_version(connection) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[number - 1].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _mood(mood: int | None) -> int | None:
    if mood is not None and mood not in MOODS:
        raise ValueError(f"a mood is from 1 to 5, not {mood!r}")
    return mood


def stamp(moment: datetime) -> str:
    """A time as the history stores it: ISO 8601 with its offset, to the microsecond."""
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return moment.isoformat()
