"""Opening the history file: to write (creating it, in WAL mode, migrated), or only to read.

Reading only works even where calm cannot write: in a read-only folder, on a full
disk, or from a read-only file. SQLite reads a WAL file only where it can keep
its index beside it, so a history read there is read from a copy of the file and
its WAL, or, with no room for a copy, as it was last saved.

Before SQLite is asked, a path calm may not even look at, a folder where the file
should be and a file where the folder should be are each said in plain words.
"""

from __future__ import annotations

import contextlib
import operator
import os
import shutil
import sqlite3
import stat
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from calm.practice.bounded_work import BoundedConnection
from calm.practice.history_errors import (
    DISK_FULL,
    READ_ONLY_FILE,
    HistoryError,
    HistoryUnwritable,
    error_for,
    no_room,
    primary_code,
)
from calm.practice.history_schema import migrate, refuse_newer, refuse_older, refuse_replaced

BUSY_SECONDS = 1.0
"""How long to wait for another calm writing the file before giving up on it."""


def connect(
    path: Path, *, busy_seconds: float = BUSY_SECONDS, read_only: bool = False, copy: bool = False
) -> tuple[sqlite3.Connection, TemporaryDirectory[str] | None]:
    """An open connection to the history at ``path``, migrated when opened to write, and
    the temporary folder holding the copy it reads, if it reads one.

    Args:
        read_only: Only read; this works even when the file's folder cannot be written.
        copy: Reading only, read a copy (or the file as last saved) rather than
            ask SQLite to keep its own files beside it, which a full disk or a
            read-only folder does not allow.

    Raises:
        HistoryError: when it is locked, unreadable, not a database, or newer
            than this calm understands.
    """
    refuse_what_cannot_be_looked_at(path)
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
                connection = sqlite3.connect(
                    uri, uri=True, timeout=busy_seconds, factory=BoundedConnection
                )
            else:
                refuse_a_file_for_the_folder(path.parent)
                path.parent.mkdir(parents=True, exist_ok=True)
                if not os.access(path.parent, os.W_OK):
                    # Writing needs the folder too, for the WAL's own files beside it.
                    verb = "write" if path.exists() else "create"
                    raise HistoryError(f"cannot {verb} {path}: its folder is read-only")
                if path.exists() and not os.access(path, os.W_OK):
                    raise HistoryUnwritable(
                        f"cannot write {path}: {READ_ONLY_FILE}", READ_ONLY_FILE
                    )
                connection = sqlite3.connect(
                    path, timeout=busy_seconds, isolation_level=None, factory=BoundedConnection
                )
        except (OSError, sqlite3.Error) as error:
            if isinstance(error, OSError) and no_room(path.parent):
                raise HistoryUnwritable(f"cannot open {path}: {DISK_FULL}", DISK_FULL) from error
            raise HistoryError(f"cannot open {path}: {error}") from error
        on_failure.callback(connection.close)
        # A stray byte that is not UTF-8 must not make the whole history unreadable.
        # (A methodcaller decodes without a Python call per value, as a lambda would make.)
        connection.text_factory = operator.methodcaller("decode", "utf-8", "replace")
        try:
            refuse_newer(connection, path)
            if read_only:
                refuse_older(connection, path)
            else:
                _use_wal(connection, busy_seconds)
                migrate(connection)
            refuse_replaced(connection, path)
            # Reading the schema finds a file whose first page is damaged, at no real cost.
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            found = error_for(error, str(path), path.parent)
            if isinstance(found, HistoryUnwritable):
                found = HistoryUnwritable(f"cannot write {path}: {found.reason}", found.reason)
            raise found from error
        on_failure.pop_all()  # opened: the caller now owns the connection and the copy
        return connection, snapshot


def refuse_what_cannot_be_looked_at(path: Path) -> None:
    """Say why, when calm may not even look for its history file (its folder is mode 000,
    say; on Python 3.11 ``Path.exists()`` and ``is_dir()`` raise for it), or when it is
    not a file at all (a named pipe, a device)."""
    from calm.core.safe_read import not_regular, read_error

    try:
        os.lstat(path)
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    except (OSError, ValueError) as error:
        raise HistoryError(f"{path} {read_error(error).reason}") from None
    # A named pipe would be opened, and SQLite would say only "disk I/O error"; a
    # folder is said by the caller, in words of its own.
    problem = None if stat.S_ISDIR(mode) else not_regular(mode)
    if problem is not None:
        raise HistoryError(f"{path} {problem}")


def refuse_a_file_for_the_folder(folder: Path) -> None:
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
            if primary_code(error) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
