"""Compiling a script into a timeline of segments, each with an absolute start.

Starts are whole milliseconds counted from the session start, so the timeline
is exact however long it runs; ``state_at`` only ever looks things up in it. The
length asked for (``--minutes``, ``--cycles``, ``--gentle``) is fitted first, by
``calm.core.length_plan``.
"""

from __future__ import annotations

import bisect

from calm.core.length_plan import LengthOptions, plan_length
from calm.core.record import Record, record
from calm.core.script import BreatheStep, MoveStep, Phase, SayStep, Script, Step, StepKind


def to_ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded to the microsecond.

    Boundaries are whole milliseconds, but ``1.001 * 1000`` is ``1000.9999999999999``;
    rounding keeps a moment that is exactly on a boundary from falling short of it.
    """
    return round(seconds * 1000, 3)


_set = object.__setattr__
"""How a record's own ``__init__`` sets its frozen fields, as a dataclass's does."""


@record
class MoveMark(Record):
    """Where one segment of a move step lies in it: which part, side, set and repetition."""

    part: str
    """"hold", "up", "down" or "rest"."""
    side: str | None
    """The side being worked (for a rest, the side coming next); None for no sides."""
    set_index: int
    """Which set, counted from 0 (for a rest, the set coming next)."""
    sets: int
    rep: int | None = None
    """Which repetition, counted from 0; None for a hold or a rest."""
    reps: int | None = None


@record
class Segment(Record):
    """One stretch of the session: a say or prompt step, or one phase of one breath."""

    index: int
    """Its place in the timeline, counted from 0."""
    start_ms: int
    """Where it starts, in milliseconds from the session start."""
    ms: int | None
    """Length; None for a prompt that waits for the user with no time limit."""
    step: int
    """The step's index, counted from 0."""
    kind: StepKind
    """The kind of step it belongs to."""
    phase: Phase | None
    """The breathing phase; None outside breathe steps."""
    text: str | None
    """The phase's own words, or the say or prompt text."""
    cue: str | None
    """The sound cue played as it begins."""
    cycle: int | None
    """Which breath of its step this phase belongs to, counted from 0."""
    ends_cycle: bool
    """Whether this is the last phase of a breath."""
    move: MoveMark | None
    """For a move step, which part of it this is; None for any other step."""

    def __init__(
        self,
        index: int,
        start_ms: int,
        ms: int | None,
        step: int,
        kind: StepKind,
        phase: Phase | None,
        text: str | None,
        cue: str | None,
        cycle: int | None,
        ends_cycle: bool,
        move: MoveMark | None = None,
    ) -> None:
        """A segment; written out, as a long session lays out thousands."""
        _set(self, "index", index)
        _set(self, "start_ms", start_ms)
        _set(self, "ms", ms)
        _set(self, "step", step)
        _set(self, "kind", kind)
        _set(self, "phase", phase)
        _set(self, "text", text)
        _set(self, "cue", cue)
        _set(self, "cycle", cycle)
        _set(self, "ends_cycle", ends_cycle)
        _set(self, "move", move)

    @property
    def end_ms(self) -> int:
        """Where the segment ends; an untimed prompt takes no time on the timeline."""
        return self.start_ms + (self.ms or 0)

    @property
    def untimed(self) -> bool:
        """Whether the segment waits for the user with no time limit."""
        return self.ms is None

    @property
    def step_number(self) -> int:
        """The step's number as people count it, from 1."""
        return self.step + 1


@record
class StepSpan(Record):
    """Where one step of the script lies on the timeline."""

    index: int
    step: Step
    first: int
    """Index of the step's first segment."""
    stop: int
    """Index one past the step's last segment."""
    start_ms: int
    ms: int
    cycles: int
    """How many breaths the step holds; 0 for say and prompt steps."""

    @property
    def breaths_per_minute(self) -> float | None:
        """The step's breathing rate, for breathe steps."""
        if not self.cycles or not self.ms:
            return None
        return self.cycles * 60_000 / self.ms


@record
class TimelineState(Record):
    """Where a session is at one moment: what ``state_at`` answers."""

    segment: Segment
    step: int
    """The step's index, counted from 0."""
    kind: StepKind
    phase: Phase | None
    cycle: int | None
    progress: float
    """How far through the current phase or step, from 0 to 1."""
    remaining: float | None
    """Seconds left in the current phase or step; None while an untimed prompt waits."""
    elapsed: float
    """Seconds into the timeline."""
    fraction: float
    """How far through the whole session, from 0 to 1."""
    finished: bool

    def __init__(
        self,
        segment: Segment,
        step: int,
        kind: StepKind,
        phase: Phase | None,
        cycle: int | None,
        progress: float,
        remaining: float | None,
        elapsed: float,
        fraction: float,
        finished: bool,
    ) -> None:
        """A state; written out, as a session asks for one every frame."""
        _set(self, "segment", segment)
        _set(self, "step", step)
        _set(self, "kind", kind)
        _set(self, "phase", phase)
        _set(self, "cycle", cycle)
        _set(self, "progress", progress)
        _set(self, "remaining", remaining)
        _set(self, "elapsed", elapsed)
        _set(self, "fraction", fraction)
        _set(self, "finished", finished)


class Timeline:
    """A compiled script: every segment with its absolute start, and the steps they form."""

    def __init__(
        self, script: Script, options: LengthOptions, segments: list[Segment], spans: list[StepSpan]
    ) -> None:
        self.script = script
        self.options = options
        self.segments = segments
        self.spans = spans
        """Where each step lies, in the script's order."""
        self.total_ms = segments[-1].end_ms if segments else 0
        self._starts = [segment.start_ms for segment in segments]

    @property
    def total_seconds(self) -> float:
        """The planned length, not counting time spent waiting at untimed prompts."""
        return self.total_ms / 1000

    @property
    def cycles(self) -> int:
        """How many breaths the whole session holds."""
        return sum(span.cycles for span in self.spans)

    @property
    def has_untimed_prompts(self) -> bool:
        """Whether the session waits for the user somewhere."""
        return any(segment.untimed for segment in self.segments)

    @property
    def breaths_per_minute(self) -> float | None:
        """The breathing rate over all breathe steps together."""
        breathing_ms = sum(span.ms for span in self.spans if span.cycles)
        if not breathing_ms:
            return None
        return self.cycles * 60_000 / breathing_ms

    def index_at(self, elapsed: float) -> int:
        """The index of the timed segment that holds ``elapsed`` seconds."""
        position = to_ms(elapsed)
        index = bisect.bisect_right(self._starts, position) - 1
        index = max(index, 0)
        # Untimed prompts take no time, so the segment after one starts where it does.
        while index + 1 < len(self.segments) and self.segments[index].end_ms <= position:
            index += 1
        return index

    def state_at(self, elapsed: float) -> TimelineState:
        """Where a session is ``elapsed`` seconds into the timeline."""
        return self.state_in(self.index_at(elapsed), elapsed)

    def state_in(self, index: int, elapsed: float) -> TimelineState:
        """The state inside segment ``index`` at ``elapsed`` seconds into the timeline."""
        segment = self.segments[index]
        position = min(max(to_ms(elapsed), segment.start_ms), segment.end_ms)
        finished = to_ms(elapsed) >= self.total_ms and index == len(self.segments) - 1
        if segment.ms is None:
            progress, remaining = 0.0, None
        else:
            progress = (position - segment.start_ms) / segment.ms
            remaining = (segment.end_ms - position) / 1000
        if finished and segment.untimed:
            progress, remaining = 1.0, 0.0
        fraction = position / self.total_ms if self.total_ms else float(finished)
        return TimelineState(
            segment=segment,
            step=segment.step,
            kind=segment.kind,
            phase=segment.phase,
            cycle=segment.cycle,
            progress=progress,
            remaining=remaining,
            elapsed=position / 1000,
            fraction=fraction,
            finished=finished,
        )


def compile_timeline(script: Script, options: LengthOptions | None = None) -> Timeline:
    """Lay the script out in time, applying any length overrides.

    Raises:
        LengthError: when an override does not fit the script, or the session
            would hold more than ``MAX_CYCLES`` breaths.
    """
    options = options or LengthOptions()
    plan = plan_length(script, options)
    layout = _Layout()
    for index, step in enumerate(plan.steps):
        layout.add(index, step, plan.cycles.get(index, 0))
    return Timeline(script, options, layout.segments, layout.spans)


def planned_ms(script: Script, options: LengthOptions | None = None) -> int:
    """The session's timed length in milliseconds, worked out without laying it out.

    Raises:
        LengthError: as ``compile_timeline`` would.
    """
    return plan_length(script, options or LengthOptions()).timed_ms


class _Layout:
    """Segments laid end to end, each starting where the one before it stopped."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.spans: list[StepSpan] = []
        self._start = 0

    def add(self, index: int, step: Step, cycles: int) -> None:
        """Lay out one step: a say or prompt as one segment, a breathe step as its phases."""
        first, step_start = len(self.segments), self._start
        if isinstance(step, BreatheStep):
            last = len(step.pattern) - 1
            for cycle in range(cycles):
                for position, spec in enumerate(step.pattern):
                    ms = spec.ms_in_cycle(cycle)
                    self._segment(
                        index,
                        step.kind,
                        ms,
                        spec.phase,
                        spec.text,
                        spec.cue,
                        cycle,
                        ends_cycle=position == last,
                    )
        elif isinstance(step, MoveStep):
            self._move(index, step)
        else:
            length = step.ms if isinstance(step, SayStep) else step.timeout_ms
            self._segment(
                index, step.kind, length, None, step.text, step.cue, None, ends_cycle=False
            )
        self.spans.append(
            StepSpan(
                index=index,
                step=step,
                first=first,
                stop=len(self.segments),
                start_ms=step_start,
                ms=self._start - step_start,
                cycles=cycles,
            )
        )

    def _move(self, index: int, step: MoveStep) -> None:
        """A move step: each set, each side in turn, with a rest between any two turns.

        A turn after a rest begins with the step bell, so a new side or set is heard;
        each repetition's parts glide up and down with the breathing tones, and a
        rest begins with the hold's tick.
        """
        sides: tuple[str | None, ...] = step.sides or (None,)
        turns = [(set_index, side) for set_index in range(step.sets) for side in sides]
        for turn, (set_index, side) in enumerate(turns):
            if turn and step.rest_ms:
                mark = MoveMark("rest", side, set_index, step.sets)
                self._segment(
                    index,
                    step.kind,
                    step.rest_ms,
                    None,
                    step.text,
                    "hold",
                    None,
                    ends_cycle=False,
                    move=mark,
                )
            bell = "step" if turn else None
            if step.hold_ms is not None:
                mark = MoveMark("hold", side, set_index, step.sets)
                self._segment(
                    index,
                    step.kind,
                    step.hold_ms,
                    None,
                    step.text,
                    bell,
                    None,
                    ends_cycle=False,
                    move=mark,
                )
                continue
            assert step.reps is not None and step.tempo is not None
            for rep in range(step.reps):
                for part, ms, tone in (
                    ("up", step.tempo[0], "inhale"),
                    ("down", step.tempo[1], "exhale"),
                ):
                    mark = MoveMark(part, side, set_index, step.sets, rep, step.reps)
                    # The first repetition of a turn begins with the turn's bell, or
                    # with the step's own, which its STEP event rings.
                    cue = bell if rep == 0 and part == "up" else tone
                    self._segment(
                        index,
                        step.kind,
                        ms,
                        None,
                        step.text,
                        cue,
                        None,
                        ends_cycle=False,
                        move=mark,
                    )

    def _segment(
        self,
        step: int,
        kind: StepKind,
        ms: int | None,
        phase: Phase | None,
        text: str | None,
        cue: str | None,
        cycle: int | None,
        *,
        ends_cycle: bool,
        move: MoveMark | None = None,
    ) -> None:
        self.segments.append(
            Segment(
                index=len(self.segments),
                start_ms=self._start,
                ms=ms,
                step=step,
                kind=kind,
                phase=phase,
                text=text,
                cue=cue,
                cycle=cycle,
                ends_cycle=ends_cycle,
                move=move,
            )
        )
        self._start += ms or 0
