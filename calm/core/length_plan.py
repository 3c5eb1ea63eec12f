"""Fitting a script to the length asked for: the steps as they will run, and the breaths
each breathe step takes.

As written, a breathe step with its own length keeps it, and the steps without one
share what is left of the script's length. ``--minutes`` and ``--cycles`` scale
every breathe step alike, in proportion to its length as written, and ``--gentle``
leaves out every hold. Nothing is laid out in time here: ``calm.core.timeline``
does that with the plan.
"""

from __future__ import annotations

from dataclasses import replace

from calm.core.record import Record, record
from calm.core.script import (
    MAX_CYCLES,
    MAX_MINUTES,
    BreatheStep,
    Length,
    MoveStep,
    PromptStep,
    SayStep,
    Script,
    Step,
)


class LengthError(ValueError):
    """A length override that does not fit the script, such as cycles for a script with no
    breathing."""


@record
class LengthOptions(Record):
    """How the user asked to change a script's length."""

    minutes: float | None = None
    """Fit the whole session to about this many minutes, in whole breaths."""
    cycles: int | None = None
    """Breathe this many breaths in all."""
    gentle: bool = False
    """Remove every hold, keeping the inhale and exhale as written."""


@record
class LengthPlan(Record):
    """The steps as they will run, and the breaths each breathe step takes."""

    steps: list[Step]
    cycles: dict[int, int]
    """How many breaths each breathe step takes, keyed by its index in ``steps``."""

    @property
    def timed_ms(self) -> int:
        """The session's timed length in milliseconds: untimed prompts take none."""
        breathing = sum(
            _breathing_ms(self.steps[index], count) for index, count in self.cycles.items()
        )
        return _fixed_ms(self.steps) + breathing


def plan_length(script: Script, options: LengthOptions) -> LengthPlan:
    """The steps as they will run, and the breaths each breathe step takes.

    Raises:
        LengthError: when an override does not fit the script, or the session
            would hold more than ``MAX_CYCLES`` breaths.
    """
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
    return LengthPlan(steps, cycles)


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
    if isinstance(step, MoveStep):  # its gentle words say how, not what
        return step if step.gentle is None else replace(step, how=step.gentle)
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
        if isinstance(step, SayStep | MoveStep):
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
