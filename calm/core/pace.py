"""Breathing at a pace: so many breaths a minute, and the user's own preferred pace.

A breathe step may say ``pace = 5.5`` (breaths a minute) instead of giving each
phase its seconds, or ``pace = "preferred"``: the slow pace ``calm pace`` found
comfortable for this user. The core never reads where that is kept; whoever
loads scripts hands it in (``Library.discover(pace=...)``), and ``with_pace``
lays each such step out at it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from calm.core.script import BreatheStep, PaceUsed, Phase, PhaseSpec, stretched

if TYPE_CHECKING:
    from calm.core.script import Script

DEFAULT_PACE = 6.0
"""Breaths a minute for ``pace = "preferred"`` before any pace is saved: the middle of
the usual adult range, and the rate most slow-breathing studies use."""
SLOWEST_PACE = 3.0
"""The slowest pace a script or a ladder may ask for, in breaths a minute."""
FASTEST_PACE = 10.0
"""The fastest: anything quicker is not slow breathing."""
IN_SHARE = 0.4
"""How much of each breath is the breath in, when a pace alone is written: a longer
breath out, about 40:60, as slow-breathing protocols pace it."""
PREFERRED = "preferred"
"""What a breathe step writes to breathe at the user's preferred pace."""


def pace_text(per_minute: float) -> str:
    """A pace as people say it: "5.5", "6"."""
    return f"{per_minute:g}" if per_minute == round(per_minute, 1) else f"{per_minute:.2f}"


def breath_at(per_minute: float, in_share: float = IN_SHARE) -> tuple[PhaseSpec, PhaseSpec]:
    """One breath at ``per_minute`` breaths a minute: in, then a longer out."""
    breath_ms = round(60_000 / per_minute)
    inhale = round(breath_ms * in_share)
    return PhaseSpec(Phase.INHALE, inhale), PhaseSpec(Phase.EXHALE, breath_ms - inhale)


def scaled_to(pattern: tuple[PhaseSpec, ...], per_minute: float) -> tuple[PhaseSpec, ...]:
    """``pattern`` with each phase stretched or shrunk alike, so that one breath takes
    60 / ``per_minute`` seconds; the last phase takes up any rounding."""
    return stretched(pattern, round(60_000 / per_minute))


def at_pace(step: BreatheStep, per_minute: float) -> BreatheStep:
    """A ``pace = "preferred"`` step laid out at ``per_minute`` breaths a minute."""
    return replace(step, pattern=scaled_to(step.pattern, per_minute))


def uses_preferred(script: Script) -> bool:
    """Whether any of the script's breathe steps breathes at the preferred pace."""
    return any(step.preferred for step in script.breathe_steps)


def with_pace(script: Script, per_minute: float | None) -> Script:
    """``script`` with its ``pace = "preferred"`` steps at ``per_minute`` breaths a
    minute, or at ``DEFAULT_PACE`` when none is saved (None); the script says which
    (``Script.pace_used``). A script without such steps comes back as it was."""
    if not uses_preferred(script):
        return script
    saved = per_minute is not None and SLOWEST_PACE <= per_minute <= FASTEST_PACE
    pace = per_minute if saved and per_minute is not None else DEFAULT_PACE
    steps = tuple(
        at_pace(step, pace) if isinstance(step, BreatheStep) and step.preferred else step
        for step in script.steps
    )
    return replace(script, steps=steps, pace_used=PaceUsed(per_minute=pace, saved=saved))
