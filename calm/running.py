"""Which recorded sessions are still running, so that the history can tell them from cut off.

A running session's row reads as ``interrupted`` until it ends, just as a session
killed with ``kill -9`` does. To tell the two apart, the calm running a session
holds a lock on a small file named after its row; the operating system lets go
of the lock when that calm exits in any way at all, so a lock still held means
the session is still going.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no marks, and every unfinished session reads as interrupted
    fcntl = None  # type: ignore[assignment]


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
        path = marks_folder(history) / f"{row}.lock"
        try:
            path.parent.mkdir(exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None  # a mark is a nicety: the session is recorded all the same
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            return None
        return cls(path, descriptor)

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
