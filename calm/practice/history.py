"""The practice history: a private SQLite file on the user's own machine.

A row is written when a session starts, marked ``Status.INTERRUPTED``, and
completed when it ends; so a session cut off by ``kill -9`` or a power cut still
shows, as interrupted, and is never missing. ``HistoryStore`` reads and writes
the rows, and adds up the figures of ``calm stats`` (``calm.practice.history_figures``).
Opening the file (``calm.practice.history_file``) creates and migrates it
(``calm.practice.history_schema``), or only reads it; what can go wrong is said in
``calm.practice.history_errors``, and what becomes of a damaged file is
``calm.practice.damaged_history``.

Any value in the file may have been changed by hand: ``calm.practice.history_rows``
reads each row, and a row it cannot read is left out with one line naming it,
from the listing and the figures alike.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Generator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from calm.core.session import RECORDED_STATUSES, Status
from calm.practice import pending
from calm.practice.history_errors import HistoryError, HistoryUnwritable, error_for
from calm.practice.history_figures import HistoryFigures
from calm.practice.history_file import (
    BUSY_SECONDS,
    connect,
    refuse_a_file_for_the_folder,
    refuse_what_cannot_be_looked_at,
)
from calm.practice.history_rows import (
    MOODS,
    SELECT_COLUMNS,
    SessionRecord,
    UnreadableRow,
    quick_record,
    read_moment,
    read_record,
)

LISTED_ORDER = "ORDER BY julianday(started_at) DESC, id DESC"
"""The order sessions are listed in: newest first, by the moment each began."""

ROWS_AT_ONCE = 256
"""How many rows are fetched from SQLite at a time when reading sessions one by one."""


def local_now() -> datetime:
    """Now, in the local time zone, so a session's day is the day the user lived it."""
    return datetime.now().astimezone()


class HistoryStore(HistoryFigures):
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
        program held the file (``calm.practice.pending``). Opened ``read_only``,
        as ``calm history`` and ``calm stats`` may, it is read from a ``copy`` or
        as it is, as ``calm.practice.history_file.connect`` says.

        Raises:
            HistoryError: when it is locked, unreadable, not a database, or newer
                than this calm understands.
        """
        connection, snapshot = connect(
            path, busy_seconds=busy_seconds, read_only=read_only, copy=copy
        )
        store = cls(connection, snapshot=snapshot, folder=path.parent)
        if not read_only:
            store.notices += pending.add_waiting(path, store._write)
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

        It is recorded as ``Status.INTERRUPTED`` until ``finish`` says otherwise.
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
        status: Status,
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
        if status not in RECORDED_STATUSES:
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

        The status stays ``Status.INTERRUPTED`` until ``finish``.
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
        return list(self.each_session(limit, left_out=left_out))

    def each_session(
        self, limit: int | None = None, *, left_out: list[str] | None = None
    ) -> Iterator[SessionRecord]:
        """The sessions ``sessions`` gives, read one at a time, so that a long history
        can be written out without holding it all."""
        query = f"SELECT {SELECT_COLUMNS} FROM sessions {LISTED_ORDER}"
        return self._records(query, limit, left_out)

    def each_listed(self, columns: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``columns`` (SQL over the sessions table) one at a time, in the order
        ``each_session`` lists the sessions, for a reader that reads them itself."""
        return self._rows(f"SELECT {columns} FROM sessions {LISTED_ORDER}")

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
                yield quick_record(row) or read_record(row)
            except UnreadableRow as error:
                if left_out is None:
                    raise HistoryError(str(error)) from None
                left_out.append(str(error))

    def count(self) -> int:
        """How many sessions are recorded."""
        ((count,),) = self._read("SELECT COUNT(*) FROM sessions")
        return int(count)

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
        """Forget every session, every reminder ticked off and every pace found; how many
        sessions there were."""
        with self._write() as connection:
            connection.execute("DELETE FROM reminders_done")
            connection.execute("DELETE FROM pace_results")
            return connection.execute("DELETE FROM sessions").rowcount

    def tick_reminder(self, plan: str, reminder: str, moment: datetime) -> bool:
        """Note that a plan's reminder was done on ``moment``'s day; False when it already was."""
        with self._write() as connection:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO reminders_done (day, plan, reminder, done_at)"
                " VALUES (?, ?, ?, ?)",
                (moment.date().isoformat(), plan, reminder, stamp(moment)),
            )
            return cursor.rowcount > 0

    def keep_pace(
        self, pace: float, *, found: bool, answers: str, moment: datetime, session: int | None
    ) -> None:
        """Keep what ``calm pace`` found on ``moment``: the pace, whether a rung earned it,
        the answers (as JSON), and the session that asked them."""
        with self._write() as connection:
            connection.execute(
                "INSERT INTO pace_results (found_at, pace, found, answers, session)"
                " VALUES (?, ?, ?, ?, ?)",
                (stamp(moment), pace, int(found), answers, session),
            )

    def _records(
        self, query: str, limit: int | None, left_out: list[str] | None
    ) -> Iterator[SessionRecord]:
        """The sessions ``query`` selects, up to ``limit`` of those that can be read."""
        # Read on past a damaged row, so that a limit still counts only what can be shown.
        read = 0
        for row in self._rows(query):
            if limit is not None and read >= limit:
                break
            try:
                record = quick_record(row) or read_record(row)
            except UnreadableRow as error:
                if left_out is None:
                    raise HistoryError(str(error)) from None
                left_out.append(str(error))
                continue
            read += 1
            yield record

    def _read(self, query: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._connection.execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            raise error_for(error, "cannot read the history", self._folder) from error

    def _rows(self, query: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` one at a time, for a reader that may stop early."""
        try:
            cursor = self._connection.execute(query)
            try:
                while rows := cursor.fetchmany(ROWS_AT_ONCE):
                    yield from rows
            finally:
                cursor.close()  # also when the reader stops early, so a write may follow
        except sqlite3.Error as error:
            raise error_for(error, "cannot read the history", self._folder) from error

    def _write(self) -> _Transaction:
        self._uncommon_found = None  # what is read one by one may change
        return _Transaction(self._connection, self._folder)


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
        return error_for(error, "cannot write the history", self._folder)


def open_existing(path: Path, *, writing: bool = False) -> HistoryStore | None:
    """The history for ``calm history`` and ``calm stats``; None when there is none yet.

    This never creates the file. Unless ``writing``, a history in a folder calm
    cannot write, on a full disk or in a read-only file is still read, without
    being changed, with a line in ``store.notices`` saying why it cannot be written.

    Raises:
        HistoryDamaged: when the file is damaged; ``calm.practice.damaged_history``
            says what becomes of it.
        HistoryError: when it cannot be opened for any other reason.
    """
    refuse_what_cannot_be_looked_at(path)
    refuse_a_file_for_the_folder(path.parent)
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


def _mood(mood: int | None) -> int | None:
    if mood is not None and mood not in MOODS:
        raise ValueError(f"a mood is from 1 to 5, not {mood!r}")
    return mood


def stamp(moment: datetime) -> str:
    """A time as the history stores it: ISO 8601 with its offset, to the microsecond."""
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware")
    return moment.isoformat()
