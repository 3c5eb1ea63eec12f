"""The clock a session reads: monotonic in real use, set by hand in tests."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells monotonic time in seconds."""

    def now(self) -> float:
        """The current time in seconds; only differences between readings mean anything."""
        ...


class MonotonicClock:
    """The real clock: ``time.monotonic``, which never jumps when the wall clock is changed."""

    def now(self) -> float:
        """The current monotonic time in seconds."""
        return time.monotonic()


class ManualClock:
    """A clock that only moves when told to, for tests and previews."""

    def __init__(self, start: float = 0.0) -> None:
        self.time = start
        """The current reading, in seconds."""

    def now(self) -> float:
        """The current reading."""
        return self.time

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.time += seconds

    def set(self, seconds: float) -> None:
        """Move the clock to an exact reading."""
        self.time = seconds
