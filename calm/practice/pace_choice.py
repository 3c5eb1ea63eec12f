"""Which pace ``calm pace`` keeps, from the answers after each rung: a pure rule.

The rule, as the README gives it:

1. A rung counts when its ease was 4 or 5 and it brought no light-headedness or air
   hunger.
2. Of those, the ones that felt calmest (the highest calm answer) are kept.
3. Of those, the pace nearest 6 breaths a minute; between two equally near (6.5 and
   5.5), the slower.
4. When no rung counts, calm keeps 6 breaths a minute, and says it found none.

Nothing here measures anything: it is a comfort-based estimate, not resonance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calm.core.pace import DEFAULT_PACE

EASY_ENOUGH = 4
"""The least ease (1 to 5) at which a rung can be kept."""
SCALE = range(1, 6)
"""The answers to "how easy" and "how calm": 1 to 5."""


@dataclass(frozen=True, slots=True)
class RungAnswers:
    """The three answers after one rung of the ladder."""

    pace: float
    """The rung's pace, in breaths a minute."""
    ease: int
    """How easy it was, 1 (hard) to 5 (very easy)."""
    calm: int
    """How calm the user felt, 1 (not at all) to 5 (very)."""
    light_headed: bool
    """Whether it brought any light-headedness or air hunger."""

    @property
    def counts(self) -> bool:
        """Whether the rung can be kept: easy enough, and no light-headedness."""
        return self.ease >= EASY_ENOUGH and not self.light_headed


@dataclass(frozen=True, slots=True)
class PaceChoice:
    """The pace kept, and whether a rung earned it."""

    pace: float
    found: bool
    """False when no rung counted and ``DEFAULT_PACE`` was kept instead."""


def choose_pace(answers: Sequence[RungAnswers]) -> PaceChoice:
    """The pace to keep from a ladder's answers (see the module's rule)."""
    counted = [rung for rung in answers if rung.counts]
    if not counted:
        return PaceChoice(DEFAULT_PACE, found=False)
    calmest = max(rung.calm for rung in counted)
    # Distances are rounded so paces as near as written (8.95 and 3.05) tie, as floats
    # a hair apart would not, and the tie goes to the slower.
    kept = min(
        (rung for rung in counted if rung.calm == calmest),
        key=lambda rung: (round(abs(rung.pace - DEFAULT_PACE), 6), rung.pace),
    )
    return PaceChoice(kept.pace, found=True)
