"""The script model: what a relaxation script says, once it has been loaded and checked.

Every duration is held in whole milliseconds so that the timeline can add them
up exactly: ten thousand breaths later, a boundary is still where it belongs.
"""

from __future__ import annotations

from dataclasses import field, replace
from enum import StrEnum
from pathlib import Path

from calm.core.record import Record, record

MIN_SECONDS = 0.1
"""The shortest phase or step, in seconds."""
MAX_SECONDS = 3600.0
"""The longest single phase or step: anything over an hour is a typo."""
MAX_CYCLES = 10_000
"""The most breaths one session can hold."""
MAX_MINUTES = 180.0
"""The longest a breathing step, or an override, can ask for."""


class Phase(StrEnum):
    """One part of a breath."""

    INHALE = "inhale"
    HOLD_IN = "hold_in"
    EXHALE = "exhale"
    HOLD_OUT = "hold_out"

    @property
    def is_hold(self) -> bool:
        """Whether this phase is a pause in the breath rather than a movement."""
        return self in (Phase.HOLD_IN, Phase.HOLD_OUT)


class Category(StrEnum):
    """What kind of practice a script offers."""

    BREATHING = "breathing"
    UNWINDING = "unwinding"
    GROUNDING = "grounding"
    RESET = "reset"
    MOVE = "move"
    DEMO = "demo"

    @classmethod
    def parse(cls, text: str) -> Category | None:
        """The category named by ``text``, in any case; None when there is no such category."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            return None


class StepKind(StrEnum):
    """The kinds of step a script is made of."""

    SAY = "say"
    BREATHE = "breathe"
    PROMPT = "prompt"
    MOVE = "move"


@record
class Progression(Record):
    """A phase that lengthens or shortens by a set amount each cycle, up to a limit."""

    per_cycle_ms: int
    """Milliseconds added each cycle; negative to shorten."""
    limit_ms: int
    """The length the phase stops at."""


@record
class PhaseSpec(Record):
    """One phase of a breathing pattern."""

    phase: Phase
    ms: int
    """Length of the phase in the first cycle."""
    text: str | None = None
    """Words shown for this phase, such as "in through the nose"."""
    cue: str | None = None
    """The sound cue played as the phase begins."""
    progression: Progression | None = None

    def ms_in_cycle(self, cycle: int) -> int:
        """Length of this phase in the given cycle, counted from 0."""
        if self.progression is None:
            return self.ms
        grown = self.ms + cycle * self.progression.per_cycle_ms
        if self.progression.per_cycle_ms > 0:
            return min(grown, self.progression.limit_ms)
        return max(grown, self.progression.limit_ms)

    def ms_over(self, cycles: int) -> int:
        """This phase's lengths in its first ``cycles`` cycles, added up at once.

        The same as adding up ``ms_in_cycle`` for each cycle, without the loop: a
        phase moves by the same amount each cycle until it reaches its limit, and
        stays there, so the sum is an arithmetic series and then a multiple.
        """
        if cycles <= 0:
            return 0
        if self.progression is None:
            return self.ms * cycles
        change, limit = self.progression.per_cycle_ms, self.progression.limit_ms
        # The cycles before the limit is reached: the first c where ms + c * change
        # reaches it, rounded up, whichever way the phase moves.
        moving = max(0, min(cycles, -((self.ms - limit) // change)))
        series = moving * self.ms + change * moving * (moving - 1) // 2
        return series + (cycles - moving) * limit


@record
class Length(Record):
    """How long a breathing step or a whole script lasts: a number of cycles or of minutes."""

    cycles: int | None = None
    ms: int | None = None

    def __post_init__(self) -> None:
        if (self.cycles is None) == (self.ms is None):
            raise ValueError("a Length is either cycles or a time, not both or neither")

    @classmethod
    def of_minutes(cls, minutes: float) -> Length:
        """A length given in minutes."""
        return cls(ms=round(minutes * 60_000))


@record
class SayStep(Record):
    """An instruction shown for a set time."""

    text: str
    """The words shown."""
    ms: int
    """How long they are shown."""
    cue: str | None = None
    """The sound cue played as the step begins."""
    gentle: str | None = None
    """Words shown in place of ``text`` when --gentle leaves out the script's holds."""
    kind: StepKind = field(default=StepKind.SAY, init=False)


@record
class BreatheStep(Record):
    """A pattern of phases repeated for a number of cycles or minutes."""

    text: str
    """The words shown throughout the step."""
    pattern: tuple[PhaseSpec, ...]
    """One breath, phase by phase."""
    length: Length | None = None
    """The step's own length; None means it takes its share of the script's length."""
    cue: str | None = None
    """The sound cue played as the step begins."""
    gentle: str | None = None
    """Words shown in place of ``text`` when --gentle leaves out the script's holds."""
    preferred: bool = False
    """Whether it breathes at the user's preferred pace (``pace = "preferred"``): its
    pattern is then one breath at 6 a minute until ``calm.core.pace.with_pace`` lays
    it out at the pace saved."""
    paced: bool = False
    """Whether a pace sets how long its breath is (``pace = 5.5``, or "preferred"):
    leaving out its holds then stretches the rest, so that the pace stays."""
    kind: StepKind = field(default=StepKind.BREATHE, init=False)

    @property
    def has_holds(self) -> bool:
        """Whether any phase of the pattern is a hold."""
        return any(spec.phase.is_hold for spec in self.pattern)

    def cycle_ms(self, cycle: int) -> int:
        """Length of one whole breath in the given cycle, counted from 0."""
        return sum(spec.ms_in_cycle(cycle) for spec in self.pattern)

    def ms_over(self, cycles: int) -> int:
        """Length of the first ``cycles`` breaths together, worked out without a loop."""
        return sum(spec.ms_over(cycles) for spec in self.pattern)

    def without_holds(self) -> BreatheStep:
        """The same step with every hold removed, for those who should not hold their breath.

        Its words become its ``gentle`` words. A step that held the breath and has none
        shows no words of its own, since they may describe the holds ("four sides of a
        square"); each phase still says what to do. A step at a pace keeps its pace: the
        breath in and out take the holds' time between them.
        """
        kept = tuple(spec for spec in self.pattern if not spec.phase.is_hold)
        if self.paced and kept and self.has_holds:
            kept = stretched(kept, self.cycle_ms(0))
        own = "" if self.has_holds else self.text
        return replace(self, text=self.gentle if self.gentle is not None else own, pattern=kept)


def stretched(pattern: tuple[PhaseSpec, ...], breath_ms: int) -> tuple[PhaseSpec, ...]:
    """``pattern`` with each phase stretched or shrunk alike, so that one breath takes
    ``breath_ms``; the last phase takes up any rounding. (For a pattern whose phases
    are the same in every breath.)"""
    whole = sum(spec.ms for spec in pattern)
    scaled = [replace(spec, ms=max(round(spec.ms * breath_ms / whole), 1)) for spec in pattern]
    scaled[-1] = replace(scaled[-1], ms=max(breath_ms - sum(s.ms for s in scaled[:-1]), 1))
    return tuple(scaled)


@record
class PromptStep(Record):
    """A self-paced step: it waits until the user continues, or until its time limit."""

    text: str
    """The words shown."""
    timeout_ms: int | None = None
    """When it moves on by itself; None to wait as long as it takes."""
    cue: str | None = None
    """The sound cue played as the step begins."""
    gentle: str | None = None
    """Words shown in place of ``text`` when --gentle leaves out the script's holds."""
    asks: bool = False
    """Whether the front end asks questions of its own here, whose answers move the
    session on (``calm pace``'s, after each pace), rather than waiting for Enter.
    Never read from a script file."""
    kind: StepKind = field(default=StepKind.PROMPT, init=False)


@record
class MoveStep(Record):
    """A stretch held, or a strengthening move repeated, on each side, in sets.

    It lays out as sets of work, each side in turn, with a rest between any two;
    the work is one hold, or ``reps`` repetitions at ``tempo``.
    """

    text: str
    """The move's name, shown big: "Calf stretch"."""
    how: str
    """How to do it, shown beneath."""
    hold_ms: int | None
    """How long each hold lasts; None for repetitions."""
    reps: int | None
    """How many repetitions each set has; None for a hold."""
    tempo: tuple[int, int] | None
    """Each repetition's two parts in milliseconds: up (or out), then down (or back)."""
    sides: tuple[str, ...]
    """The sides taken in turn, such as ("left", "right"); empty for a move done once."""
    sets: int
    rest_ms: int
    """The rest between two sets, or between two sides."""
    cue: str | None = None
    """The sound cue played as the step begins."""
    gentle: str | None = None
    """Words shown in place of ``how`` when --gentle is on."""
    kind: StepKind = field(default=StepKind.MOVE, init=False)

    @property
    def work_ms(self) -> int:
        """One side's work in one set."""
        if self.hold_ms is not None:
            return self.hold_ms
        assert self.reps is not None and self.tempo is not None
        return self.reps * sum(self.tempo)

    @property
    def ms(self) -> int:
        """The whole step: every side of every set, and the rests between."""
        turns = self.sets * max(len(self.sides), 1)
        return turns * self.work_ms + (turns - 1) * self.rest_ms


Step = SayStep | BreatheStep | PromptStep | MoveStep


@record
class PaceUsed(Record):
    """The pace a script's ``pace = "preferred"`` steps breathe at, and where it came from."""

    per_minute: float
    """Breaths a minute."""
    saved: bool
    """Whether it is the user's saved preferred pace; False for the default, with none saved."""


@record
class Script(Record):
    """A whole relaxation script, checked and ready to compile into a timeline."""

    name: str
    """The name it is started by: the file name without ``.toml``."""
    title: str
    """Shown at the top of the session."""
    summary: str
    """One line that says what the script is for."""
    category: Category
    steps: tuple[Step, ...]
    """What happens, in order."""
    tags: tuple[str, ...] = ()
    """Words to find the script by."""
    length: Length | None = None
    """The default length of the breathing, for the whole script."""
    sources: tuple[str, ...] = ()
    """Where the technique comes from, as free text."""
    caution: str | None = None
    """Shown once before the session starts."""
    reminder: str | None = None
    """Shown after the session ends."""
    path: Path | None = None
    """The file it was read from, if any."""
    pace_used: PaceUsed | None = None
    """The pace its ``pace = "preferred"`` steps breathe at, once it is known; None for a
    script without such steps (see ``calm.core.pace``)."""

    @property
    def breathe_steps(self) -> tuple[BreatheStep, ...]:
        """The steps that repeat a breathing pattern."""
        return tuple(step for step in self.steps if isinstance(step, BreatheStep))

    @property
    def has_holds(self) -> bool:
        """Whether any breathing step holds the breath, which --gentle leaves out."""
        return any(step.has_holds for step in self.breathe_steps)
