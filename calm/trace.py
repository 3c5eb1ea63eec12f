"""The session trace: one JSON line per event, appended to the file named by ``CALM_TRACE``.

The trace is how timing is measured from outside: each line says when an event
happened and when it was due, both in seconds since the session started.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from calm.session import SessionEvent

TRACE_VARIABLE = "CALM_TRACE"


class TraceWriter:
    """Appends session events to a trace file, one JSON object per line."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle

    @classmethod
    def open(cls, path: Path) -> TraceWriter:
        """Open ``path`` for appending, creating it when needed.

        Raises:
            OSError: when the file cannot be opened.
        """
        return cls(path.open("a", encoding="utf-8"))

    def __call__(self, event: SessionEvent) -> None:
        """Record one session event."""
        self.write(event.to_json())

    def write(self, record: dict[str, Any]) -> None:
        """Record one line, right away, so that a killed session leaves a usable trace."""
        try:
            self._handle.write(json.dumps(record) + "\n")
            self._handle.flush()
        except (OSError, ValueError):
            # A full disk or a closed file must never stop a session.
            pass

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def trace_from_environment() -> tuple[TraceWriter | None, str | None]:
    """The trace asked for by ``CALM_TRACE``, and a one-line notice if it cannot be opened."""
    target = os.environ.get(TRACE_VARIABLE)
    if not target:
        return None, None
    try:
        return TraceWriter.open(Path(target)), None
    except OSError as error:
        reason = error.strerror or str(error)
        return None, f"calm: not tracing: {TRACE_VARIABLE}={target} cannot be written ({reason})"
