"""What can go wrong with the history file, each said in one line for the user.

SQLite reports trouble as result codes; ``error_for`` turns one into the error
calm acts on: damage (``HistoryDamaged``, which includes a query that does not end)
is kept aside and a new file started,
a busy file (``HistoryBusy``) is waited for, and a full disk or read-only file
(``HistoryUnwritable``) is still read. Anything else is one line and no more.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

DISK_FULL = "the disk is full"
READ_ONLY_FILE = "the history file is read-only"
ENDLESS = "reading it does not end, so another program has changed it"
"""Why a statement ran out of the work it may do (``calm.practice.bounded_work``)."""


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


_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def primary_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code for an error, such as SQLITE_BUSY, even from an extended one."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def error_for(error: sqlite3.Error, context: str, folder: Path | None = None) -> HistoryError:
    """The one-line error for a failed SQLite call, telling damage apart from the rest.

    ``folder`` is where the file is, so that a failed write on a disk with no room
    left, which SQLite may report only as "disk I/O error", is called what it is.
    """
    code = primary_code(error)
    if code in _DAMAGE_CODES:
        return HistoryDamaged(f"{context}: {error}")
    if code == sqlite3.SQLITE_INTERRUPT:
        return HistoryDamaged(f"{context}: {ENDLESS}")
    if code in _BUSY_CODES:
        return HistoryBusy(f"{context}: another program is using it")
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and no_room(folder)):
        return HistoryUnwritable(f"{context}: {DISK_FULL}", DISK_FULL)
    if code == sqlite3.SQLITE_READONLY:
        return HistoryUnwritable(f"{context}: {READ_ONLY_FILE}", READ_ONLY_FILE)
    return HistoryError(f"{context}: {error}")


def no_room(folder: Path | None) -> bool:
    """Whether the disk holding ``folder`` has no room left for calm to write."""
    if folder is None:
        return False
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    # A file system that does not count its files reports none free: that is not full.
    return found.f_bavail == 0 or (found.f_files > 0 and found.f_favail == 0)
