"""The session trace: one JSON line per event, appended to the file named by ``CALM_TRACE``.

The trace is how timing is measured from outside: each line says when an event
happened and when it was due, both in seconds since the session started.

``CALM_TRACE`` is data like any other setting: it may name something that is
not a file (a named pipe, which would hold calm up until something read it; a
device; a socket) or a file that stops taking writes (a full disk). Such a trace
costs one line and is dropped; the session, its exit status and its record are
never touched by it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from calm.core.safe_text import shown_name
from calm.core.session import SessionEvent

TRACE_VARIABLE = "CALM_TRACE"


class NotAFile(OSError):
    """``CALM_TRACE`` names something other than a file, which calm does not write to."""


def _tell_stderr(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


class TraceWriter:
    """Appends session events to a trace file, one JSON object per line.

    The first write that fails gives one notice and ends the trace: a full disk
    must never stop a session or change how calm exits.
    """

    def __init__(
        self,
        handle: IO[str],
        *,
        name: str = "the trace",
        notify: Callable[[str], None] | None = None,
    ) -> None:
        """Write to ``handle``; ``name`` says which file in the notice if it fails."""
        self._handle: IO[str] | None = handle
        self._name = name
        self.notify: Callable[[str], None] = notify or _tell_stderr
        """Where the one notice of a failed write goes; a front end may point it elsewhere."""

    @classmethod
    def open(cls, path: Path) -> TraceWriter:
        """Open ``path`` for appending, creating it when needed.

        Only a regular file, or the null device, is written to; nothing that could
        hold calm up is waited for.

        Raises:
            NotAFile: when ``path`` is a named pipe, a device, a socket or a folder.
            OSError: when the file cannot be opened.
        """
        with contextlib.suppress(FileNotFoundError):
            kind = _not_a_file(os.stat(path).st_mode, path)
            if kind is not None:
                raise NotAFile(f"it is {kind}, not a file")
        # O_NONBLOCK: should a named pipe take the file's place, opening it must not
        # wait for a reader.
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(path, flags | getattr(os, "O_NOCTTY", 0), 0o666)
        try:
            kind = _not_a_file(os.fstat(descriptor).st_mode, descriptor)
            if kind is not None:
                raise NotAFile(f"it is {kind}, not a file")
            if hasattr(os, "set_blocking"):
                os.set_blocking(descriptor, True)
            handle = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 (closed in close)
        except BaseException:
            os.close(descriptor)
            raise
        return cls(handle, name=f"{TRACE_VARIABLE}={shown_name(str(path))}")

    @property
    def active(self) -> bool:
        """Whether lines are still being written."""
        return self._handle is not None

    def __call__(self, event: SessionEvent) -> None:
        """Record one session event."""
        self.write(event.to_json())

    def write(self, record: dict[str, Any]) -> None:
        """Record one line, right away, so that a killed session leaves a usable trace."""
        if self._handle is None:
            return
        try:
            self._handle.write(json.dumps(record) + "\n")
            self._handle.flush()
        except (OSError, ValueError) as error:
            self._drop(error)

    def close(self) -> None:
        """Close the file; a last write that fails is the one notice, never an error."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            handle.close()
        except (OSError, ValueError) as error:
            self._tell(error)

    def _drop(self, error: BaseException) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            # Closing flushes what could not be written and fails again, but it still
            # lets go of the file.
            with contextlib.suppress(OSError, ValueError):
                handle.close()
        self._tell(error)

    def _tell(self, error: BaseException) -> None:
        reason = getattr(error, "strerror", None) or str(error)
        self.notify(f"calm: the trace stopped: {self._name} could not be written ({reason})")


def _not_a_file(mode: int, where: int | Path) -> str | None:
    """What ``where`` is, when it is not a regular file or the null device."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISCHR(mode) and _is_null_device(where):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a device"


def _is_null_device(where: int | Path) -> bool:
    try:
        return os.stat(where).st_rdev == os.stat(os.devnull).st_rdev
    except (OSError, AttributeError):
        return False


def trace_from_environment() -> tuple[TraceWriter | None, str | None]:
    """The trace asked for by ``CALM_TRACE``, and a one-line notice if it cannot be opened."""
    target = os.environ.get(TRACE_VARIABLE)
    if not target:
        return None, None
    shown = f"{TRACE_VARIABLE}={shown_name(target)}"
    try:
        return TraceWriter.open(Path(target)), None
    except NotAFile as error:
        return None, f"calm: not tracing: {shown}: {error}"
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return None, f"calm: not tracing: {shown} cannot be written ({reason})"
