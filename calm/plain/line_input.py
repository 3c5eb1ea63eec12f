"""Waiting for Enter on standard input, with a time limit, for the plain runner's prompts."""

from __future__ import annotations

import os
import time
from enum import Enum
from typing import IO


class Input(Enum):
    """What came of waiting for the user at a prompt."""

    LINE = "line"
    TIMEOUT = "timeout"
    CLOSED = "closed"


class LineReader:
    """Waits for the user to press Enter, with an optional time limit."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._closed = False
        self._pending = b""
        self._prompt: int | None = None
        try:
            self._fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None

    def wait(self, timeout: float | None) -> Input:
        """Wait up to ``timeout`` seconds (forever when None) for one line."""
        if self._closed:
            return Input.CLOSED
        if self._fd is None or os.name == "nt":
            # Without a selectable file there is no way to time out; read a line.
            line = self._stream.readline()
            self._closed = not line
            return Input.LINE if line else Input.CLOSED
        import select

        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            ready, _, _ = select.select([self._fd], [], [], left)
            if not ready:
                return Input.TIMEOUT
            chunk = os.read(self._fd, 4096)
            if not chunk:
                self._closed = True
                return Input.CLOSED
            self._pending += chunk
        _, self._pending = self._pending.split(b"\n", 1)
        return Input.LINE

    def fresh_prompt(self, prompt: int) -> bool:
        """Whether ``prompt`` (a segment index) is newly reached since the last call."""
        fresh = prompt != self._prompt
        self._prompt = prompt
        return fresh

    def discard_pending(self) -> None:
        """Forget anything typed before now."""
        self._pending = b""
        if self._fd is None or self._closed or os.name == "nt":
            return
        import select

        if os.isatty(self._fd):
            import termios

            termios.tcflush(self._fd, termios.TCIFLUSH)
            return
        while select.select([self._fd], [], [], 0)[0]:
            if not os.read(self._fd, 4096):
                self._closed = True
                return
