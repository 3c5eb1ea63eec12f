"""``calm pace``'s ladder: slow breathing at a few paces, each followed by three questions.

Clinics look for a person's resonance pace with a heart-rate sensor, over a ladder
of paces from 6.5 down to 4.5 breaths a minute, about two minutes each (Vaschillo
et al. 2006). calm has no sensor, so it runs the same ladder and asks how each
rung felt: a comfort-based estimate of a preferred slow pace, never a measurement.

The ladder is an ordinary script, laid out and timed by the same engine as any
other; after each rung a prompt waits while the front end asks the questions
(``PaceFinder``), and a short rest of normal breathing follows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from calm.core.pace import FASTEST_PACE, SLOWEST_PACE, breath_at, pace_text
from calm.core.script import (
    BreatheStep,
    Category,
    Length,
    PromptStep,
    SayStep,
    Script,
    Step,
)

LADDER_NAME = "pace"
"""The name the ladder's sessions go into the history under."""
LADDER_TITLE = "Finding your preferred pace"
MOST_RUNGS = 12
"""The most rungs a ladder may have: past that it is no longer a short practice."""
LONGEST_RUNG_MINUTES = 10.0
SMALLEST_STEP = 0.1
SETTLE_MS = 8_000
"""The opening step, to settle in before the first rung."""
HEADING_MS = 5_000
"""The line that says each rung's pace, before its breathing begins."""
CLOSING_MS = 5_000
QUESTIONS = "Three quick questions about that pace."
SOURCES = (
    "Lehrer PM, Gevirtz R (2014). Heart rate variability biofeedback: how and why does it "
    "work? Frontiers in Psychology 5:756.",
    "Shaffer F, Meehan ZM (2020). A practical guide to resonance frequency assessment for "
    "heart rate variability biofeedback. Frontiers in Neuroscience 14:570400.",
    "Steffen PR, Austin T, DeBarros A, Brown T (2017). The impact of resonance frequency "
    "breathing on measures of heart rate variability, blood pressure, and mood. Frontiers "
    "in Public Health 5:222.",
    "Vaschillo EG, Vaschillo B, Lehrer PM (2006). Characteristics of resonance in heart rate "
    "variability stimulated by biofeedback. Applied Psychophysiology and Biofeedback "
    "31(2):129-142. The stepped protocol this ladder follows.",
    "calm has no sensor: it asks how each pace felt. The pace it keeps is a comfort-based "
    "estimate, not a measurement of resonance.",
)


class LadderError(ValueError):
    """A ladder that cannot be run; the message is one line, naming the option."""


@dataclass(frozen=True, slots=True)
class Ladder:
    """The paces to try, fastest first, and how long each is breathed."""

    start: float = 6.5
    """The first (fastest) pace, in breaths a minute."""
    end: float = 4.5
    """The last (slowest)."""
    step: float = 0.5
    """How much slower each rung is than the one before."""
    rung_minutes: float = 2.0

    def __post_init__(self) -> None:
        for name, value in (("--from", self.start), ("--to", self.end)):
            if not (math.isfinite(value) and SLOWEST_PACE <= value <= FASTEST_PACE):
                raise LadderError(
                    f"{name} must be from {pace_text(SLOWEST_PACE)} to {pace_text(FASTEST_PACE)}"
                    f" breaths a minute, got {value:g}"
                )
        if self.end > self.start:
            raise LadderError(
                f"--to ({self.end:g}) must be slower than --from ({self.start:g}):"
                " the ladder goes down"
            )
        if not (math.isfinite(self.step) and self.step >= SMALLEST_STEP):
            raise LadderError(f"--step must be at least {SMALLEST_STEP:g}, got {self.step:g}")
        if not (math.isfinite(self.rung_minutes) and 0 < self.rung_minutes <= LONGEST_RUNG_MINUTES):
            raise LadderError(
                f"--rung-minutes must be more than 0 and at most {LONGEST_RUNG_MINUTES:g},"
                f" got {self.rung_minutes:g}"
            )
        if len(self.paces) > MOST_RUNGS:
            raise LadderError(
                f"that ladder has {len(self.paces)} rungs; at most {MOST_RUNGS}:"
                " take a larger --step or a shorter range"
            )

    @property
    def paces(self) -> tuple[float, ...]:
        """Each rung's pace, from ``start`` down to ``end``; the last is ``end`` itself
        when the steps do not land on it exactly."""
        count = math.floor((self.start - self.end) / self.step + 1e-9)
        paces = [round(self.start - number * self.step, 2) for number in range(count + 1)]
        if paces[-1] - self.end > 0.05:
            paces.append(self.end)
        return tuple(paces)

    @property
    def rest_ms(self) -> int:
        """The normal breathing between rungs: an eighth of a rung, from 5 to 15 seconds."""
        return round(min(max(self.rung_minutes * 60 / 8, 5), 15) * 1000)


def breaths_in(ladder: Ladder, pace: float) -> int:
    """How many whole breaths one rung at ``pace`` takes: its minutes' worth, at least one.

    A half breath rounds up, never to even as ``round`` would: a one-minute rung at
    6.5 and one at 5.5 are both about a minute (7 and 6 breaths), not 55 s and 65 s.
    """
    return max(1, math.floor(ladder.rung_minutes * pace + 0.5))


def ladder_script(ladder: Ladder) -> tuple[Script, dict[int, int]]:
    """The ladder as a script, and which of its steps (by index) asks the questions
    about which rung (by index)."""
    paces = ladder.paces
    minutes = _minutes_text(ladder)
    steps: list[Step] = [
        SayStep(
            "Sit comfortably and let your breath settle. Follow each pace as well as feels"
            " easy; there is nothing to get right.",
            SETTLE_MS,
        )
    ]
    questions: dict[int, int] = {}
    for rung, pace in enumerate(paces):
        inhale, exhale = breath_at(pace)
        said = pace_text(pace)
        steps.append(
            SayStep(
                f"Rung {rung + 1} of {len(paces)}: {said} breaths a minute. In for about"
                f" {_tenths(inhale.ms)}, out for {_tenths(exhale.ms)}.",
                HEADING_MS,
            )
        )
        steps.append(
            BreatheStep(
                text=f"{said} breaths a minute",
                pattern=(inhale, exhale),
                length=Length(cycles=breaths_in(ladder, pace)),
            )
        )
        questions[len(steps)] = rung
        steps.append(PromptStep(QUESTIONS, asks=True))
        if rung < len(paces) - 1:
            steps.append(
                SayStep("Breathe normally, at your own rhythm, for a moment.", ladder.rest_ms)
            )
    steps.append(SayStep("That is the whole ladder. Breathe as you like now.", CLOSING_MS))
    ladder_words = (
        f"{len(paces)} paces, from {pace_text(paces[0])} down to {pace_text(paces[-1])}"
        " breaths a minute"
        if len(paces) > 1
        else f"one pace, {pace_text(paces[0])} breaths a minute"
    )
    script = Script(
        name=LADDER_NAME,
        title=LADDER_TITLE,
        summary=(
            f"Slow breathing at {ladder_words}, to find the pace that feels easiest and"
            " calmest for you."
        ),
        category=Category.BREATHING,
        steps=tuple(steps),
        tags=("slow", "resonance", "no holds"),
        sources=SOURCES,
        caution=(
            "This looks for a slow breathing pace that feels comfortable for you:"
            f" {ladder_words}, {'each ' if len(paces) > 1 else ''}followed by three quick"
            " questions and a short rest."
            f" It takes about {minutes}, and you can stop at"
            " any time. If you feel light-headed or short of air, stop and breathe"
            " normally. It is a comfort-based estimate, not a measurement."
        ),
    )
    return script, questions


def _minutes_text(ladder: Ladder) -> str:
    """The ladder's whole length, roughly, with time for the questions."""
    breathing = sum(breaths_in(ladder, pace) * 60 / pace for pace in ladder.paces)
    answering = 10 * len(ladder.paces)  # about 10 s for three one-key answers
    fixed = (
        SETTLE_MS + HEADING_MS * len(ladder.paces) + ladder.rest_ms * (len(ladder.paces) - 1)
    ) / 1000 + CLOSING_MS / 1000
    minutes = round((breathing + answering + fixed) / 60)
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def _tenths(ms: int) -> str:
    """Seconds to a tenth, as a breath is counted: "3.7 s", "4 s"."""
    return f"{round(ms / 1000, 1):g} s"
