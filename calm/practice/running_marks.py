"""Which recorded sessions are still running, so that the history can tell them from cut off.

A running session's row reads as ``interrupted`` until it ends, just as a session
killed with ``kill -9`` does. To tell the two apart, the calm running a session
holds a lock on a small file named after its row; the operating system lets go
of the lock when that calm exits in any way at all, so a lock still held means
the session is still going.

A calm stopped with ``kill -9`` cannot remove its mark, so each session, as it
starts, removes the marks no calm holds any more; a mark is only ever removed
while its remover holds its lock, and a calm making a mark checks, once it
holds the lock, that its file was not removed meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no marks, and every unfinished session reads as interrupted
    fcntl = None  # type: ignore[assignment]


HOLD_TRIES = 5
"""How many times making a mark is tried before the session goes without one."""

HOLD_PAUSE_SECONDS = 0.01
"""The pause between tries, while another calm looks at the same mark."""


def marks_folder(history: Path) -> Path:
    """Where the marks of the sessions recorded in ``history`` are kept."""
    return history.with_name(history.name + ".running")


class RunningMark:
    """A lock held for as long as one recorded session runs."""

    def __init__(self, path: Path, descriptor: int) -> None:
        """Keep the lock on ``path`` open through ``descriptor``; ``hold`` makes one."""
        self._path = path
        self._descriptor: int | None = descriptor

    @classmethod
    def hold(cls, history: Path, row: int) -> RunningMark | None:
        """Mark the session in ``row`` as running; None where marks cannot be made."""
        if fcntl is None:
            return None
        folder = marks_folder(history)
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return None  # a mark is a nicety: the session is recorded all the same
        sweep(history)
        path = folder / f"{row}.lock"
        for _ in range(HOLD_TRIES):
            try:
                descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return None
            if _lock(descriptor, fcntl.LOCK_EX) and _still_named(descriptor, path):
                return cls(path, descriptor)
            # Held for a moment by a calm checking it, or removed as stale since it was
            # opened: open it afresh.
            os.close(descriptor)
            time.sleep(HOLD_PAUSE_SECONDS)
        return None

    def release(self) -> None:
        """The session is over: remove the mark and let go of its lock."""
        if self._descriptor is None:
            return
        with contextlib.suppress(OSError):
            self._path.unlink()
        os.close(self._descriptor)
        self._descriptor = None


def running_rows(history: Path, rows: list[int]) -> set[int]:
    """Which of ``rows`` belong to sessions some calm is running right now."""
    if fcntl is None or not rows:
        return set()
    folder = marks_folder(history)
    running = set()
    for row in rows:
        try:
            descriptor = os.open(folder / f"{row}.lock", os.O_RDONLY)
        except OSError:
            continue  # no mark: finished, or cut off before it was made
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            running.add(row)  # another calm holds it
        finally:
            os.close(descriptor)
    return running


def sweep(history: Path) -> int:
    """Remove the marks no running calm holds, left by a calm that was killed; how many."""
    if fcntl is None:
        return 0
    folder = marks_folder(history)
    try:
        names = [name for name in os.listdir(folder) if name.endswith(".lock")]
    except OSError:
        return 0
    removed = 0
    for name in names:
        path = folder / name
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # removed meanwhile by another calm
        try:
            # Removed only while this calm holds its lock, so that a calm about to
            # hold it sees it gone and makes it afresh.
            if _lock(descriptor, fcntl.LOCK_EX) and _still_named(descriptor, path):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        finally:
            os.close(descriptor)
    return removed


def _lock(descriptor: int, kind: int) -> bool:
    """Take a lock on an open file without waiting; whether it was free."""
    assert fcntl is not None
    try:
        fcntl.flock(descriptor, kind | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _still_named(descriptor: int, path: Path) -> bool:
    """Whether the file open as ``descriptor`` is still the one at ``path``."""
    try:
        opened, named = os.fstat(descriptor), os.stat(path)
    except OSError:
        return False
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)
