"""The practice history: a private SQLite file on the user's own machine.

A row is written when a session starts, marked ``interrupted``, and completed
when it ends; so a session cut off by ``kill -9`` or a power cut still shows,
as interrupted, and is never missing. The schema is versioned with
``PRAGMA user_version`` and every older version is migrated forward in order,
so a newer calm always opens an older file.

Bad state never costs a session: ``open_history`` answers with a notice and no
store when the file is locked, unreadable or in a read-only folder, and moves a
corrupt file aside (never deleting it) before starting afresh.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

STATUSES = ("completed", "ended_early", "interrupted")
"""How a recorded session ended."""

MOODS = range(1, 6)
"""How tense the user feels at a check-in: 1 is at ease, 5 is very tense."""

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
)
"""Each schema version's changes, in order: version N is ``MIGRATIONS[N - 1]``.

Statements are separated by semicolons, which must not appear anywhere else.
"""
SCHEMA_VERSION = len(MIGRATIONS)
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


_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _primary_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code for an error, such as SQLITE_BUSY, even from an extended one."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def _history_error(error: sqlite3.Error, context: str) -> HistoryError:
    """The one-line error for a failed SQLite call, telling damage apart from the rest."""
    code = _primary_code(error)
    if code in _DAMAGE_CODES:
        return HistoryDamaged(f"{context}: {error}")
    if code in _BUSY_CODES:
        return HistoryBusy(f"{context}: another program is using it")
    return HistoryError(f"{context}: {error}")


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One recorded session."""

    id: int
    script: str
    title: str
    started_at: datetime
    ended_at: datetime | None
    planned_seconds: float
    practised_seconds: float
    status: str
    breaths: int
    mood_before: int | None = None
    mood_after: int | None = None
    note: str | None = None


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
        self, connection: sqlite3.Connection, *, snapshot: TemporaryDirectory[str] | None = None
    ) -> None:
        """Use an open, migrated connection; ``HistoryStore.open`` makes one.

        ``snapshot`` is the folder holding the copy being read, removed on ``close``.
        """
        self._connection = connection
        self._snapshot = snapshot

    @classmethod
    def open(
        cls, path: Path, *, busy_seconds: float = BUSY_SECONDS, read_only: bool = False
    ) -> HistoryStore:
        """Open (creating if needed) and migrate the history at ``path``.

        Args:
            read_only: Only read, as ``calm history`` and ``calm stats`` do; this
                works even when the file's folder cannot be written.

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
                    if not os.access(path.parent, os.W_OK):
                        # In a folder calm cannot write, no other calm can be writing either.
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
                    connection = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
            except (OSError, sqlite3.Error) as error:
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
                raise _history_error(error, str(path)) from error
            on_failure.pop_all()  # opened: the store now owns the connection and the copy
        return cls(connection, snapshot=snapshot)

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
                (script, title, _stamp(started_at), planned_seconds, _mood(mood_before)),
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
            started = _moment(found[0], row)
            end = started + timedelta(seconds=practised)
            if ended_at is not None and ended_at > end:
                end = ended_at  # pauses make the wall-clock span longer than the practice
            connection.execute(
                "UPDATE sessions SET ended_at = ?, status = ?, practised_seconds = ?,"
                " breaths = ?, mood_after = ? WHERE id = ?",
                (_stamp(end), status, practised, max(breaths, 0), _mood(mood_after), row),
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
            left_out: When given, a session whose times cannot be read (changed by
                hand, say) is left out and a line about it added here, so that the
                rest can still be listed; otherwise it raises ``HistoryError``.
        """
        query = (
            "SELECT id, script, title, started_at, ended_at, planned_seconds, practised_seconds,"
            " status, breaths, mood_before, mood_after, note FROM sessions"
            " ORDER BY julianday(started_at) DESC, id DESC"
        )
        if left_out is None:
            if limit is None:
                return [_record(row) for row in self._read(query)]
            return [_record(row) for row in self._read(query + " LIMIT ?", (limit,))]
        # Read on past a damaged row, so that a limit still counts only what can be shown.
        records: list[SessionRecord] = []
        for row in self._rows(query):
            if limit is not None and len(records) >= limit:
                break
            try:
                records.append(_record(row))
            except HistoryError as error:
                left_out.append(str(error))
        return records

    def count(self) -> int:
        """How many sessions are recorded."""
        ((count,),) = self._read("SELECT COUNT(*) FROM sessions")
        return int(count)

    def day_totals(self) -> list[DayTotal]:
        """Each day with a recorded session, oldest first.

        A session's day is the calendar date where it started, in the local time
        it was recorded in, so travel and daylight-saving changes never move it.
        """
        rows = self._read(
            # The same expression as the sessions_day index, so that the index is used.
            "SELECT substr(started_at, 1, 10) AS day, COUNT(*), SUM(practised_seconds)"
            " FROM sessions GROUP BY day ORDER BY day"
        )
        totals = []
        for day, count, seconds in rows:
            try:
                totals.append(DayTotal(date.fromisoformat(day), count, seconds))
            except (TypeError, ValueError):
                continue  # A start time damaged by hand cannot be placed on a calendar.
        return totals

    def script_totals(self) -> list[ScriptTotal]:
        """Each script practised, most sessions first."""
        rows = self._read(
            "SELECT script, MAX(title), COUNT(*) AS count, SUM(practised_seconds) AS seconds"
            " FROM sessions GROUP BY script ORDER BY count DESC, seconds DESC, script"
        )
        return [ScriptTotal(*row) for row in rows]

    def mood_totals(self) -> MoodTotal:
        """The check-ins of every session with a mood both before and after."""
        ((count, before, after),) = self._read(
            "SELECT COUNT(*), AVG(mood_before), AVG(mood_after) FROM sessions"
            " WHERE mood_before IS NOT NULL AND mood_after IS NOT NULL"
        )
        return MoodTotal(count, before, after)

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

    def _read(self, query: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._connection.execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            raise _history_error(error, "cannot read the history") from error

    def _rows(self, query: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` one at a time, for a reader that may stop early."""
        try:
            cursor = self._connection.execute(query)
            while (row := cursor.fetchone()) is not None:
                yield row
        except sqlite3.Error as error:
            raise _history_error(error, "cannot read the history") from error

    def _write(self) -> _Transaction:
        return _Transaction(self._connection)


class _Transaction:
    """One short write, committed at once so another calm can write next."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        """Write through ``connection``, which the store keeps open."""
        self._connection = connection

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _history_error(error, "cannot write the history") from error
        return self._connection

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            self._connection.execute("COMMIT" if kind is None else "ROLLBACK")
        except sqlite3.Error as failure:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise _history_error(failure, "cannot write the history") from failure
        if isinstance(error, sqlite3.Error):
            raise _history_error(error, "cannot write the history") from error


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
    from calm.safe_read import read_error

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
    cannot write is still read, without being changed.

    Raises:
        HistoryDamaged: when the file is damaged; the caller decides what to say.
        HistoryError: when it cannot be opened for any other reason.
    """
    _refuse_what_cannot_be_looked_at(path)
    _refuse_a_file_for_the_folder(path.parent)
    if not path.exists() and not path.is_symlink():
        return None
    read_only = not writing and not os.access(path.parent, os.W_OK)
    return HistoryStore.open(path, read_only=read_only)


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
    """Reading only, an older file cannot be brought up to date first."""
    version = _version(connection)
    if version < SCHEMA_VERSION:
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


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return moment.isoformat()


def _moment(text: object, row: object) -> datetime:
    """A stored time, or one clear line about the session whose time cannot be read."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise HistoryError(
            f"session {row} in the history has an unreadable time: {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise HistoryError(f"session {row} in the history has a time with no time zone: {text!r}")
    return moment


def _text(value: Any) -> Any:
    """Bytes written into the file by another program read as text, as any text does."""
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def _record(row: tuple[Any, ...]) -> SessionRecord:
    (ident, script, title, started, ended, planned, practised, status, breaths, before,
     after, note) = (_text(value) for value in row)  # fmt: skip
    return SessionRecord(
        id=ident,
        script=script,
        title=title,
        started_at=_moment(started, ident),
        ended_at=_moment(ended, ident) if ended else None,
        planned_seconds=planned,
        practised_seconds=practised,
        status=status,
        breaths=breaths,
        mood_before=before,
        mood_after=after,
        note=note,
    )
