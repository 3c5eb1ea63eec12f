"""Compiling a script into a timeline of segments, each with an absolute start.

Starts are whole milliseconds counted from the session start, so the timeline
is exact however long it runs; ``state_at`` only ever looks things up in it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from calm.core.script import (
    MAX_CYCLES,
    MAX_MINUTES,
    BreatheStep,
    Length,
    Phase,
    PromptStep,
    SayStep,
    Script,
    Step,
    StepKind,
)


def to_ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded to the microsecond.

    Boundaries are whole milliseconds, but ``1.001 * 1000`` is ``1000.9999999999999``;
    rounding keeps a moment that is exactly on a boundary from falling short of it.
    """
    return round(seconds * 1000, 3)


class LengthError(ValueError):
    """A length override that does not fit the script, such as cycles for a script with no
    breathing."""


@dataclass(frozen=True, slots=True)
class LengthOptions:
    """How the user asked to change a script's length."""

    minutes: float | None = None
    """Fit the whole session to about this many minutes, in whole breaths."""
    cycles: int | None = None
    """Breathe this many breaths in all."""
    gentle: bool = False
    """Remove every hold, keeping the inhale and exhale as written."""


@dataclass(frozen=True, slots=True)
class Segment:
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


@dataclass(frozen=True, slots=True)
class StepSpan:
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


@dataclass(frozen=True, slots=True)
class TimelineState:
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
    steps, cycles = _plan(script, options)
    layout = _Layout()
    for index, step in enumerate(steps):
        layout.add(index, step, cycles.get(index, 0))
    return Timeline(script, options, layout.segments, layout.spans)


def planned_ms(script: Script, options: LengthOptions | None = None) -> int:
    """The session's timed length in milliseconds, worked out without laying it out.

    Raises:
        LengthError: as ``compile_timeline`` would.
    """
    steps, cycles = _plan(script, options or LengthOptions())
    breathing = sum(_breathing_ms(steps[index], count) for index, count in cycles.items())
    return _fixed_ms(steps) + breathing


def _plan(script: Script, options: LengthOptions) -> tuple[list[Step], dict[int, int]]:
    """The steps as they will run, and the breaths each breathe step takes."""
    _check_options(script, options)
    # Gentle words stand in only where --gentle has holds to leave out.
    gentle = options.gentle and script.has_holds
    steps = [_gentle(step) if gentle else step for step in script.steps]
    cycles = _cycles_per_step(steps, script.length, options)
    if sum(cycles.values()) > MAX_CYCLES:
        # Checked before laying anything out, so a runaway script costs nothing.
        raise LengthError(
            f"the session would hold {sum(cycles.values())} breaths; at most {MAX_CYCLES}"
        )
    return steps, cycles


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
            )
        )
        self._start += ms or 0


def _check_options(script: Script, options: LengthOptions) -> None:
    if options.minutes is not None and options.cycles is not None:
        raise LengthError("use --minutes or --cycles, not both")
    if (options.minutes is not None or options.cycles is not None) and not script.breathe_steps:
        raise LengthError(f"{script.name} has no breathing steps, so its length is fixed")
    if options.minutes is not None and not 0 < options.minutes <= MAX_MINUTES:
        raise LengthError(f"minutes must be > 0 and at most {MAX_MINUTES:g}")
    if options.cycles is not None and not 1 <= options.cycles <= MAX_CYCLES:
        raise LengthError(f"cycles must be from 1 to {MAX_CYCLES}")


def _gentle(step: Step) -> Step:
    """The step as --gentle runs it: without holds, and in its gentle words where it has them."""
    if isinstance(step, BreatheStep):
        return step.without_holds()
    return step if step.gentle is None else replace(step, text=step.gentle)


def _cycles_per_step(
    steps: list[Step], script_length: Length | None, options: LengthOptions
) -> dict[int, int]:
    """How many breaths each breathe step takes, keyed by step index.

    As written, a step with its own length keeps it, and the steps without one
    share what is left of the script's length. An override from the user scales
    every breathing step alike, in proportion to its length as written.
    """
    written = _written_cycles(steps, script_length)
    if options.cycles is not None:
        return _share_cycles(options.cycles, written)
    if options.minutes is not None:
        budget = round(options.minutes * 60_000) - _fixed_ms(steps)
        _check_budget(budget, steps, written, f"{options.minutes:g} minutes")
        durations = {index: _breathing_ms(steps[index], count) for index, count in written.items()}
        whole = sum(durations.values())
        return {
            index: cycles_for_ms(_breathe(steps[index]), budget * durations[index] / whole)
            for index in written
        }
    return written


def _written_cycles(steps: list[Step], script_length: Length | None) -> dict[int, int]:
    """Breaths per breathe step with no override: each step's own length, and a share of
    the script's length for the steps that have none."""
    cycles: dict[int, int] = {}
    sharing: list[int] = []
    for index, step in enumerate(steps):
        if not isinstance(step, BreatheStep):
            continue
        if step.length is None:
            sharing.append(index)
        elif step.length.cycles is not None:
            cycles[index] = step.length.cycles
        else:
            assert step.length.ms is not None
            cycles[index] = cycles_for_ms(step, step.length.ms)
    if not sharing:
        return cycles
    if script_length is None:
        raise LengthError("a breathing step has no length, and neither has the script")
    if script_length.cycles is not None:
        left = max(script_length.cycles - sum(cycles.values()), 0)
        cycles.update(_share_cycles(left, dict.fromkeys(sharing, 1)))
    else:
        assert script_length.ms is not None
        taken = sum(_breathing_ms(steps[index], count) for index, count in cycles.items())
        left = script_length.ms - _fixed_ms(steps) - taken
        _check_budget(
            left,
            steps,
            dict.fromkeys(sharing, 1),
            f"the script's {script_length.ms / 60_000:g} minutes",
        )
        for index in sharing:
            cycles[index] = cycles_for_ms(_breathe(steps[index]), left / len(sharing))
    return dict(sorted(cycles.items()))


def _check_budget(budget: float, steps: list[Step], breathing: dict[int, int], asked: str) -> None:
    """Refuse a length too short to hold the fixed steps and one breath for each breathe step."""
    shortest = sum(_breathe(steps[index]).cycle_ms(0) for index in breathing)
    if budget < shortest / 2:
        fixed = _fixed_ms(steps) + shortest
        raise LengthError(
            f"{asked} is too short for this script: its spoken steps, with one breath "
            f"of each breathing step, take {fixed / 60_000:.1f} minutes"
        )


def _breathe(step: Step) -> BreatheStep:
    assert isinstance(step, BreatheStep)
    return step


def _breathing_ms(step: Step, cycles: int) -> int:
    return _breathe(step).ms_over(cycles)


def _fixed_ms(steps: list[Step]) -> int:
    """The time taken by the steps whose length never changes: say and timed prompts."""
    total = 0
    for step in steps:
        if isinstance(step, SayStep):
            total += step.ms
        elif isinstance(step, PromptStep):
            total += step.timeout_ms or 0
    return total


def cycles_for_ms(step: BreatheStep, budget_ms: float) -> int:
    """The whole number of breaths that comes closest to ``budget_ms``, at least one and at
    most ``MAX_CYCLES``.

    Breaths are added while one more would fill more of the budget than it overshoots;
    that is the first count at which the next breath would stop, found by halving
    rather than by adding breaths one at a time, so that a long session costs no more
    to plan than a short one.
    """

    def stops(cycles: int) -> bool:
        # One more breath would overshoot by more than it would fill.
        return step.ms_over(cycles) + step.cycle_ms(cycles) / 2 > budget_ms

    # Every breath takes time, so once one count stops, every larger count does too.
    low, high = 1, MAX_CYCLES
    while low < high:
        middle = (low + high) // 2
        if stops(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _share_cycles(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Share ``total`` breaths among steps in proportion to their weights, at least one each.

    Shares are whole by largest remainder, so they add up to ``total``; a step left
    with none takes one from the largest share. Only when there are fewer breaths
    than steps does the total come out higher.
    """
    weight_sum = sum(weights.values())
    exact = {index: total * weight / weight_sum for index, weight in weights.items()}
    shares = {index: int(value) for index, value in exact.items()}
    leftover = total - sum(shares.values())
    by_remainder = sorted(exact, key=lambda index: exact[index] - shares[index], reverse=True)
    for index in by_remainder[:leftover]:
        shares[index] += 1
    for index, share in shares.items():
        if share == 0:
            largest = max(shares, key=lambda other: shares[other])
            if shares[largest] > 1:
                shares[largest] -= 1
            shares[index] = 1
    return shares
