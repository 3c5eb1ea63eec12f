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

OVERDUE_SECONDS = HEARTBEAT_SECONDS + 0.25
"""How long after a beat, with no other beat since, calm counts itself as stopped: at
most this much of a stop nobody announced still counts as running time."""


class RunningClock:
    """Monotonic time that leaves out the time calm was stopped (Ctrl+Z, ``kill -STOP``).

    While calm is stopped nobody can follow the session, so that time is neither
    practice nor lateness: the session picks up where it was, as after a pause.

    A stop announced by SIGTSTP is measured exactly: its handler calls
    ``stopping`` before calm stops and SIGCONT's handler calls ``continued``.
    SIGSTOP cannot be caught, so a heartbeat thread calls ``beat`` about every
    ``HEARTBEAT_SECONDS`` while a session runs, and a beat that comes overdue
    means calm did not run from when it was overdue. The same holds for any
    time calm could not run at all (a frozen machine, say): nobody could follow
    it either.

    Readings never pass a stop still being counted: none goes past the moment the
    next beat became overdue, nor past the start of an announced stop whose
    continue has not yet been handled. Whichever thread first notices that calm
    runs again (the heartbeat, SIGCONT's handler, or the session reading the
    clock) the session picks up exactly where it stopped, never jumping on by
    the time stopped first.

    The signal handlers run in the thread that reads the clock, between two of
    its instructions, and the heartbeat in a thread of its own; each change of
    state is a single assignment and readings are kept from ever going
    backwards, so no interleaving can make the session jump back.
    """

    def __init__(self, base: Callable[[], float] = time.monotonic) -> None:
        """Leave stops out of ``base``, a monotonic reading in seconds."""
        self._base = base
        self._left: tuple[float, float] = (0.0, -math.inf)
        """Seconds of ``base`` spent stopped so far, and the ``base`` reading up to which
        stops have been counted (so that no stop is counted twice)."""
        self._last = -math.inf
        self._stopped_at: float | None = None
        self._last_beat: float | None = None
        """When the heartbeat last beat; None until the first."""

    def now(self) -> float:
        """Seconds of running time; only differences between readings mean anything."""
        # The beat is read before what is left out, and ``beat`` writes them the other
        # way round, so a reading never pairs a new beat with an old leaving-out.
        last_beat, stopped_at = self._last_beat, self._stopped_at
        left_out, until = self._left
        reading = self._base()
        if last_beat is not None:
            # Running is vouched for up to a beat, or up to the end of a stop counted since.
            reading = min(reading, max(last_beat, until) + OVERDUE_SECONDS)
        if stopped_at is not None:
            reading = min(reading, stopped_at)
        reading -= left_out
        if reading > self._last:
            self._last = reading
        return self._last

    @property
    def stopped_seconds(self) -> float:
        """How long calm has been stopped in all, as far as the clock knows."""
        return self._left[0]

    def beat(self) -> None:
        """Note that calm is running now, and leave out any time it was not."""
        now = self._base()
        last = self._last_beat
        if last is not None:
            last = max(last, self._left[1])
        if last is not None and now - last > OVERDUE_SECONDS:
            stopped_at = self._stopped_at
            # A stop that SIGTSTP announced began exactly then; SIGCONT's handler may
            # not have run yet, and counts nothing more when it does.
            self._leave_out(last + OVERDUE_SECONDS if stopped_at is None else stopped_at, now)
        self._last_beat = now

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
        stopped_at = self._stopped_at
        if stopped_at is not None:
            self._leave_out(stopped_at, now)
            self._stopped_at = None
            return
        last = self._last_beat
        if not unannounced or last is None:
            return  # no heartbeat: a stop nobody announced cannot be told from running
        last = max(last, self._left[1])
        if now - last > OVERDUE_SECONDS:
            # The heartbeat has not woken yet; when it does, it finds this stop counted.
            self._leave_out(last + OVERDUE_SECONDS, now)

    def _leave_out(self, start: float, end: float) -> None:
        left_out, until = self._left
        # A gap that began before a stop already counted is that stop, not another.
        if start >= until and end > start:
            # One assignment: a reading never sees the time without its end.
            self._left = (left_out + end - start, end)
