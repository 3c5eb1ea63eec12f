"""The clock a session reads: monotonic in real use, less any time calm was stopped;
set by hand in tests."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
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


HEARTBEAT_SECONDS = 1.0
"""How often a running session notes that calm is running (see ``RunningClock.beat``)."""

_LATE_BEAT_SECONDS = 0.5
"""How much later than due a beat may come before calm counts itself as having been stopped."""


class RunningClock:
    """Monotonic time that leaves out the time calm was stopped (Ctrl+Z, ``kill -STOP``).

    While calm is stopped nobody can follow the session, so that time is neither
    practice nor lateness: the session picks up where it was, as after a pause.

    A stop announced by SIGTSTP is measured exactly: its handler calls
    ``stopping`` before calm stops and SIGCONT's handler calls ``continued``.
    SIGSTOP cannot be caught, so ``beat`` is called about every
    ``HEARTBEAT_SECONDS`` while a session runs: a continue that comes long after
    the last beat means calm was stopped from when the next beat was due. A
    continue without a stop (``kill -CONT`` on a running calm) finds the beats
    on time and leaves nothing out.

    The signal handlers run in the thread that reads the clock, between two of
    its instructions; the reading is kept from ever going backwards, so no
    interleaving can make the session jump back.
    """

    def __init__(self, base: Callable[[], float] = time.monotonic) -> None:
        """Leave stops out of ``base``, a monotonic reading in seconds."""
        self._base = base
        self._left_out = 0.0
        """Seconds of ``base`` spent stopped, so far."""
        self._left_out_until = -math.inf
        """The ``base`` reading up to which stops have been left out; no stop is counted twice."""
        self._last = -math.inf
        self._stopped_at: float | None = None
        self._beats: tuple[float, float] | None = None
        """The last two beats, older first; None until the first."""

    def now(self) -> float:
        """Seconds of running time; only differences between readings mean anything."""
        reading = self._base() - self._left_out
        if reading > self._last:
            self._last = reading
        return self._last

    @property
    def stopped_seconds(self) -> float:
        """How long calm has been stopped in all, as far as the clock knows."""
        return self._left_out

    def beat(self) -> None:
        """Note that calm is running now."""
        now = self._base()
        # One assignment, so that a handler reading the beats never sees half an update.
        self._beats = (self._beats[1] if self._beats else now, now)

    def stopping(self) -> None:
        """Calm is about to stop (SIGTSTP): the stop begins now."""
        self._stopped_at = self._base()

    def continued(self, *, unannounced: bool = True) -> None:
        """Calm runs again (SIGCONT): leave out the time since it stopped.

        Args:
            unannounced: Also look for a stop nobody announced (SIGSTOP); False
                only counts a stop that ``stopping`` began.
        """
        now = self._base()
        if self._stopped_at is not None:
            start, self._stopped_at = self._stopped_at, None
            self._leave_out(start, now)
            return
        if not unannounced or self._beats is None:
            return  # no heartbeat: a stop nobody announced cannot be told from running
        before, last = self._beats
        due_within = HEARTBEAT_SECONDS + _LATE_BEAT_SECONDS
        # A stop shows as a beat that did not come: between the last two beats (the
        # heartbeat has already run since calm continued), or since the last one.
        for start, end, gap in (
            (before + HEARTBEAT_SECONDS, last, last - before),
            (last + HEARTBEAT_SECONDS, now, now - last),
        ):
            # A gap that began before a stop already counted is that stop, not another.
            if gap > due_within and start >= self._left_out_until:
                self._leave_out(start, end)

    def _leave_out(self, start: float, end: float) -> None:
        start = max(start, self._left_out_until)
        if end > start:
            self._left_out += end - start
            self._left_out_until = end
