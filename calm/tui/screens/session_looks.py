"""When the session screen next looks at the runner: the next change on screen, the
orb's next picture, and what a planned look does with an error."""

from __future__ import annotations

import math

from textual.message import Message

from calm.core.breath import BreathCurve
from calm.core.session import SessionRunner, SessionState
from calm.core.timeline import TimelineState
from calm.tui.widgets.orb import BreathOrb


class LookFailed(Message):
    """A planned look at the runner raised ``error``."""

    def __init__(self, error: Exception) -> None:
        """Carry ``error`` to the screen's message handling."""
        super().__init__()
        self.error = error


def until_orb_moves(curve: BreathCurve, orb: BreathOrb, moment: TimelineState) -> float:
    """Seconds until the orb's picture changes: it is drawn in steps, so rather than
    redrawing every frame, the screen looks again just as it reaches the next step."""
    index = moment.segment.index
    start, end = curve.bounds(index)
    if start == end or moment.segment.ms is None:
        return float("inf")
    level = orb.next_change(rising=end > start)
    progress = None if level is None else curve.progress_at(index, level)
    if progress is None:
        return float("inf")
    seconds = (progress - moment.progress) * moment.segment.ms / 1000
    return max(seconds, 0.0) + 0.001


def until_next_change(
    runner: SessionRunner, curve: BreathCurve, orb: BreathOrb | None, state: SessionState
) -> float | None:
    """Seconds until anything on the session screen changes; None while nothing moves.

    While the ``orb`` grows or shrinks that is its next picture. Otherwise the
    screen sleeps until the countdown drops a second or a boundary arrives,
    which keeps a resting session from using the processor for nothing.
    """
    boundary = runner.seconds_to_next_boundary()
    if boundary is None:
        return None
    moment = state.timeline
    soonest = boundary
    if orb is not None:
        soonest = min(soonest, until_orb_moves(curve, orb, moment))
    for remaining in (moment.remaining, runner.timeline.total_seconds - moment.elapsed):
        if remaining is not None:
            soonest = min(soonest, remaining - math.floor(remaining) or 1.0)
    return max(soonest, 0.002)
