"""Sessions kept beside the history while another program held it, until calm can add them.

When the history stays busy past every wait, the finished session is written
to a small file of its own in a folder beside the history
(``history.sqlite3.pending/``), and the next calm that opens the history for
writing adds it. Each file appears whole or not at all (written under another
name, flushed to disk, then renamed), and the folder is bounded, so a stuck
history can never fill the disk.

A kept session is found again in the history by its script and the exact
moment it started, so adding it twice (two calms at once, or a calm stopped
between adding it and removing its file) changes nothing the second time.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

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
