"""The session runner: drives a timeline from a monotonic clock.

The runner never adds up sleeps or ticks. It remembers the clock reading at
which the timeline's zero would have fallen (the anchor), and every boundary is
that anchor plus the boundary's exact offset. Pausing, skipping and waiting at a
prompt only move the anchor, so a front end may poll as late or as often as it
likes and the schedule stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from calm.core.clock import Clock, MonotonicClock
from calm.core.script import Phase, StepKind
from calm.core.timeline import Segment, Timeline, TimelineState, to_ms


class EventKind(StrEnum):
    """What happened in a session."""

    STEP = "step"
    PHASE = "phase"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class Status(StrEnum):
    """Where a session is in its life, and how the history records how it went.

    A runner is ``READY``, then ``RUNNING``, then ``COMPLETED`` or ``ENDED_EARLY``.
    The history stores the last three of these words as they are spelled here:
    a session's row reads ``INTERRUPTED`` from its start until its end is written.
    """

    READY = "ready"
    RUNNING = "running"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    INTERRUPTED = "interrupted"
    """A recorded session whose end calm never saw: still going, or cut off by a power
    cut or ``kill -9``. A runner is never in it."""


RECORDED_STATUSES = (Status.COMPLETED, Status.ENDED_EARLY, Status.INTERRUPTED)
"""The statuses a history row holds, as the history stores them."""


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """Something that happened at a moment in a session."""

    kind: EventKind
    t: float
    """Seconds since the session started, on the monotonic clock."""
    scheduled: float | None
    """When it was planned to happen, in the same seconds; None when it was not planned."""
    segment: Segment | None
    status: Status | None = None
    """For the end event: how the session ended."""

    @property
    def step_number(self) -> int | None:
        """The step's number as people count it, from 1."""
        return self.segment.step_number if self.segment else None

    @property
    def phase(self) -> Phase | None:
        """The breathing phase, for events inside a breathe step."""
        return self.segment.phase if self.segment else None

    def to_json(self) -> dict[str, Any]:
        """The event as one line of the trace file."""
        return {
            "event": self.kind.value,
            "t": round(self.t, 6),
            "scheduled": None if self.scheduled is None else round(self.scheduled, 6),
            "step": self.step_number,
            "phase": self.phase.value if self.phase else None,
        }


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything a front end needs to draw one moment of a session."""

    timeline: TimelineState
    status: Status
    paused: bool
    waiting: bool
    """Whether an untimed prompt is waiting for the user."""
    breaths: int
    """Breaths completed so far."""
    practised: float
    """Seconds practised so far, not counting pauses."""


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """How a session went, for the summary and the history."""

    status: Status
    practised_seconds: float
    """Time spent in the session, not counting pauses."""
    planned_seconds: float
    """The timeline's length, not counting waits at untimed prompts."""
    breaths: int
    """Breaths completed."""


Listener = Callable[[SessionEvent], None]


class SessionRunner:
    """Runs a timeline: start, pause, resume, skip, back, continue a prompt, and finish.

    Call ``poll`` whenever convenient; it reports every boundary crossed since the
    last call, each with the time it was due, and lets listeners know.
    """

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock | None = None,
        listeners: Iterable[Listener] = (),
    ) -> None:
        if not timeline.segments:
            raise ValueError("cannot run an empty timeline")
        self.timeline = timeline
        self.clock: Clock = clock or MonotonicClock()
        self._listeners = list(listeners)
        self.status = Status.READY
        self._index = 0
        self._started_at = 0.0
        self._ended_at: float | None = None
        self._anchor = 0.0
        """Clock reading at which the timeline's zero falls, while it runs."""
        self._frozen: float | None = 0.0
        """Timeline position in seconds while paused, waiting or not running."""
        self._paused_since: float | None = None
        self._paused_total = 0.0
        self._waiting = False
        self._breaths = 0

    # -- reading ---------------------------------------------------------------

    @property
    def index(self) -> int:
        """The index of the current segment."""
        return self._index

    @property
    def segment(self) -> Segment:
        """The current segment."""
        return self.timeline.segments[self._index]

    @property
    def paused(self) -> bool:
        """Whether the user has paused the session."""
        return self._paused_since is not None

    @property
    def at_prompt(self) -> bool:
        """Whether the session is at a prompt, which Enter moves on from."""
        return self.segment.kind is StepKind.PROMPT

    @property
    def waiting(self) -> bool:
        """Whether an untimed prompt is waiting for the user."""
        return self._waiting

    @property
    def running(self) -> bool:
        """Whether the session has started and not yet ended."""
        return self.status is Status.RUNNING

    @property
    def breaths(self) -> int:
        """Breaths completed so far."""
        return self._breaths

    def position(self) -> float:
        """Seconds into the timeline, frozen while paused or waiting."""
        if self._frozen is not None:
            return self._frozen
        return self.clock.now() - self._anchor

    def practised(self) -> float:
        """Seconds practised so far, not counting pauses."""
        if self.status is Status.READY:
            return 0.0
        end = self._ended_at if self._ended_at is not None else self.clock.now()
        paused = self._paused_total
        if self._paused_since is not None:
            paused += end - self._paused_since
        return max(end - self._started_at - paused, 0.0)

    def state(self) -> SessionState:
        """The current state, for drawing."""
        return SessionState(
            timeline=self.timeline.state_in(self._index, self.position()),
            status=self.status,
            paused=self.paused,
            waiting=self._waiting,
            breaths=self._breaths,
            practised=self.practised(),
        )

    def seconds_to_next_boundary(self) -> float | None:
        """How long until the current segment ends; None while nothing is moving."""
        if self.status is not Status.RUNNING or self._frozen is not None:
            return None
        return max(self.segment.end_ms / 1000 - self.position(), 0.0)

    def outcome(self) -> SessionOutcome:
        """How the session went so far."""
        return SessionOutcome(
            status=self.status,
            practised_seconds=self.practised(),
            planned_seconds=self.timeline.total_seconds,
            breaths=self._breaths,
        )

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener`` with every event from now on."""
        self._listeners.append(listener)

    # -- driving ---------------------------------------------------------------

    def start(self) -> list[SessionEvent]:
        """Begin the session now."""
        if self.status is not Status.READY:
            return []
        now = self.clock.now()
        self.status = Status.RUNNING
        self._started_at = now
        self._anchor = now
        self._frozen = None
        return self._enter(0, now, scheduled=0.0, new_step=True)

    def poll(self) -> list[SessionEvent]:
        """Cross every boundary that has come due, and report each one."""
        if self.status is not Status.RUNNING or self._frozen is not None:
            return []
        now = self.clock.now()
        position_ms = to_ms(now - self._anchor)
        events: list[SessionEvent] = []
        segments = self.timeline.segments
        while self.status is Status.RUNNING and not self._waiting:
            current = segments[self._index]
            if position_ms < current.end_ms:
                break
            if current.ends_cycle:
                self._breaths += 1
            due = self._anchor - self._started_at + current.end_ms / 1000
            if self._index + 1 == len(segments):
                events += self._finish(now, Status.COMPLETED, scheduled=due)
            else:
                following = segments[self._index + 1]
                events += self._enter(
                    self._index + 1, now, due, new_step=following.step != current.step
                )
        return events

    def pause(self) -> list[SessionEvent]:
        """Freeze the session where it is."""
        events = self.poll()
        if self.status is not Status.RUNNING or self.paused:
            return events
        now = self.clock.now()
        if self._frozen is None:
            self._frozen = now - self._anchor
        self._paused_since = now
        return events + self._emit(EventKind.PAUSE, now, None)

    def resume(self) -> list[SessionEvent]:
        """Carry on exactly where the pause left off."""
        if self.status is not Status.RUNNING or self._paused_since is None:
            return []
        now = self.clock.now()
        self._paused_total += now - self._paused_since
        self._paused_since = None
        self._thaw(now)
        return self._emit(EventKind.RESUME, now, None)

    def toggle_pause(self) -> list[SessionEvent]:
        """Pause if running, resume if paused."""
        return self.resume() if self.paused else self.pause()

    def next_step(self) -> list[SessionEvent]:
        """Skip to the start of the next step; past the last step, the session ends."""
        events = self.poll()
        if self.status is not Status.RUNNING:
            return events
        following = self.segment.step + 1
        if following == len(self.timeline.spans):
            # Moving on from a closing prompt is how a session is meant to end.
            now = self.clock.now()
            ending = Status.COMPLETED if self.at_prompt else Status.ENDED_EARLY
            return events + self._finish(now, ending, scheduled=None)
        return events + self._jump(self.timeline.spans[following].first)

    def previous_step(self) -> list[SessionEvent]:
        """Go back to the start of the previous step, or of the first one."""
        events = self.poll()
        if self.status is not Status.RUNNING:
            return events
        target = max(self.segment.step - 1, 0)
        return events + self._jump(self.timeline.spans[target].first)

    def continue_prompt(self) -> list[SessionEvent]:
        """The user is ready: move on from the current prompt."""
        events = self.poll()
        if self.status is not Status.RUNNING or not self.at_prompt:
            return events
        return events + self.next_step()

    def finish(self) -> list[SessionEvent]:
        """End the session now, before its planned end."""
        events = self.poll()
        if self.status is not Status.RUNNING:
            return events
        return events + self._finish(self.clock.now(), Status.ENDED_EARLY, scheduled=None)

    # -- inside ----------------------------------------------------------------

    def _thaw(self, now: float) -> None:
        if self._paused_since is None and not self._waiting and self._frozen is not None:
            self._anchor = now - self._frozen
            self._frozen = None

    def _jump(self, index: int) -> list[SessionEvent]:
        now = self.clock.now()
        start = self.timeline.segments[index].start_ms / 1000
        self._waiting = False
        if self._frozen is not None:
            self._frozen = start
            self._thaw(now)
        else:
            self._anchor = now - start
        # A jump happens when the user asks, not at a planned moment.
        return self._enter(index, now, scheduled=None, new_step=True)

    def _enter(
        self, index: int, now: float, scheduled: float | None, *, new_step: bool
    ) -> list[SessionEvent]:
        self._index = index
        segment = self.timeline.segments[index]
        events: list[SessionEvent] = []
        if new_step:
            events += self._emit(EventKind.STEP, now, scheduled)
        if segment.phase is not None or segment.move is not None:
            events += self._emit(EventKind.PHASE, now, scheduled)
        if segment.untimed:
            self._waiting = True
            if self._frozen is None:
                self._frozen = segment.start_ms / 1000
        return events

    def _finish(self, now: float, status: Status, scheduled: float | None) -> list[SessionEvent]:
        self._frozen = (
            self.position() if status is Status.ENDED_EARLY else self.timeline.total_seconds
        )
        self._waiting = False
        self.status = status
        # A session that ran to its end was practised until the end was due, however
        # late the end was noticed; the event still says when it was noticed.
        self._ended_at = now if scheduled is None else min(now, self._started_at + scheduled)
        return self._emit(EventKind.END, now, scheduled, status=status)

    def _emit(
        self, kind: EventKind, now: float, scheduled: float | None, status: Status | None = None
    ) -> list[SessionEvent]:
        event = SessionEvent(kind, now - self._started_at, scheduled, self.segment, status)
        for listener in self._listeners:
            listener(event)
        return [event]
