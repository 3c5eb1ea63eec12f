"""Sessions kept beside the history while another program held it, until calm can add them.

When the history stays busy past every wait, the finished session is written
to a small file of its own in a folder beside the history
(``history.sqlite3.pending/``), and the next calm that opens the history for
writing adds it. Each file appears whole or not at all (written under another
name, flushed to disk, then renamed), and the folder is bounded, so a stuck
history can never fill the disk.

A kept session is found again in the history by its script and the exact
moment it started, so adding it twice (two calms at once, or a calm stopped
between adding it and removing its file) changes nothing the second time
(``add_waiting``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path

from calm.core.session import Status
from calm.practice.history_errors import HistoryError
from calm.practice.history_rows import read_record

MAX_FILES = 100
"""The most sessions kept waiting at once; past this, a session cannot be kept."""

MAX_BYTES = 64 * 1024
"""The largest one kept session may be, as a file."""

TITLE_CHARACTERS = 1000
"""How much of a very long title is kept, so that a session always fits ``MAX_BYTES``."""

SUFFIX = ".json"


@dataclass(frozen=True, slots=True)
class PendingSession:
    """One session as it ended, waiting to be added to the history."""

    script: str
    title: str
    started_at: str
    """When it started, ISO 8601 with its offset, exactly as the history stores it."""
    planned_seconds: float
    status: str
    """How it ended, as a ``Status`` value: ``Status.INTERRUPTED`` until it ends."""
    practised_seconds: float
    breaths: int
    ended_at: str | None = None
    mood_before: int | None = None
    mood_after: int | None = None

    def as_row(self) -> tuple[object, ...]:
        """The session as a history row, in ``history_rows.COLUMNS`` order, numbered 0."""
        return (
            0,
            self.script,
            self.title,
            self.started_at,
            self.ended_at,
            self.planned_seconds,
            self.practised_seconds,
            self.status,
            self.breaths,
            self.mood_before,
            self.mood_after,
            None,
        )


def pending_folder(history: Path) -> Path:
    """Where sessions waiting to be added to ``history`` are kept."""
    return history.with_name(history.name + ".pending")


def keep(history: Path, session: PendingSession) -> Path:
    """Write ``session`` into the pending folder; the file it is in.

    Raises:
        OSError: when it cannot be written, or the folder already holds ``MAX_FILES``.
    """
    folder = pending_folder(history)
    folder.mkdir(exist_ok=True)
    if len(waiting(history)) >= MAX_FILES:
        raise OSError(f"{folder} already holds {MAX_FILES} sessions waiting")
    if len(session.title) > TITLE_CHARACTERS:
        session = _shortened(session)
    data = json.dumps(asdict(session), ensure_ascii=False).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise OSError(f"the session is too large to keep ({len(data)} bytes)")
    name = os.urandom(16).hex()  # unique without importing uuid on every start
    partial = folder / f".{name}.partial"
    final = folder / f"{name}{SUFFIX}"
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.rename(partial, final)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    _sync_folder(folder)
    return final


def waiting(history: Path) -> list[Path]:
    """The files of the sessions waiting to be added, in name order; none when there are none."""
    try:
        names = os.listdir(pending_folder(history))
    except OSError:
        return []
    folder = pending_folder(history)
    return sorted(folder / name for name in names if name.endswith(SUFFIX))


def read(file: Path) -> PendingSession:
    """The session kept in ``file``.

    Raises:
        ValueError: when the file does not hold a session calm wrote.
        OSError: when it cannot be read.
    """
    with open(file, "rb") as stream:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{file} is larger than a kept session can be")
    try:
        fields = json.loads(data)
        return PendingSession(**fields)
    except (ValueError, TypeError, RecursionError) as error:
        raise ValueError(f"{file} does not hold a session calm kept") from error


def set_aside(file: Path) -> None:
    """Keep a file that holds no session under a name calm no longer reads; never delete it."""
    with contextlib.suppress(OSError):
        file.rename(file.with_name(file.name + ".unreadable"))


def forget(file: Path) -> None:
    """Remove a kept session once it is in the history; one already gone is fine."""
    with contextlib.suppress(OSError):
        file.unlink()


def add_waiting(
    history: Path, write: Callable[[], AbstractContextManager[sqlite3.Connection]]
) -> list[str]:
    """Add the sessions kept beside ``history`` to it, then forget them; a line for each
    kept file that holds no session, which is set aside.

    All of them are added in the one transaction ``write`` opens; a session already in
    the history is not added again. A busy or failing file leaves them waiting for next
    time.
    """
    notices: list[str] = []
    if not waiting(history):
        return notices
    added = []
    try:
        with write() as connection:
            for file in waiting(history):  # again, now that no other calm is adding
                try:
                    session = read(file)
                    read_record(session.as_row())  # a kept file is data like any other
                except (OSError, ValueError) as error:
                    if not isinstance(error, FileNotFoundError):  # added by another calm
                        set_aside(file)
                        notices.append(
                            f"a session kept in {file} could not be read; it is kept "
                            f"as {file.name}.unreadable"
                        )
                    continue
                _add_kept(connection, session)
                added.append(file)
    except HistoryError:
        return notices
    for file in added:
        forget(file)
    return notices


def _add_kept(connection: sqlite3.Connection, session: PendingSession) -> None:
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
    elif found[1] == Status.INTERRUPTED and session.status != Status.INTERRUPTED:
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


def _shortened(session: PendingSession) -> PendingSession:
    fields = asdict(session)
    fields["title"] = session.title[:TITLE_CHARACTERS] + "…"
    return PendingSession(**fields)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's listing, so that the renamed file survives a power cut."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
