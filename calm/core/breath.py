"""How full the breath is at any moment: the curve the breath visual follows.

The level runs from 0 (breathed out) to 1 (breathed in). Inhales carry it up
to 1 and exhales down to 0, eased so that it starts and settles gently; holds
keep it where it is. Consecutive inhales, like the cyclic sigh's two, share the
rise in proportion to their lengths. Say and prompt steps rest at 0.
"""

from __future__ import annotations

import math

from calm.core.script import Phase
from calm.core.timeline import Segment, Timeline

REST = 0.0
"""The level outside breathing steps."""


def ease(progress: float) -> float:
    """Ease in and out along half a cosine: slow to start, slow to settle."""
    clamped = min(max(progress, 0.0), 1.0)
    return (1 - math.cos(math.pi * clamped)) / 2


def unease(value: float) -> float:
    """The progress at which ``ease`` reaches ``value``: its inverse."""
    clamped = min(max(value, 0.0), 1.0)
    return math.acos(1 - 2 * clamped) / math.pi


class BreathCurve:
    """The breath level at every point of a timeline."""

    def __init__(self, timeline: Timeline) -> None:
        self._ends = _segment_levels(timeline.segments)

    def level(self, index: int, progress: float) -> float:
        """The level ``progress`` (0 to 1) of the way through segment ``index``."""
        start, end = self._ends[index]
        return start + (end - start) * ease(progress)

    def progress_at(self, index: int, level: float) -> float | None:
        """How far through segment ``index`` the level reaches ``level``; None if it never does."""
        start, end = self._ends[index]
        if start == end or not min(start, end) <= level <= max(start, end):
            return None
        return unease((level - start) / (end - start))

    def bounds(self, index: int) -> tuple[float, float]:
        """The levels at the start and the end of segment ``index``."""
        return self._ends[index]


def _segment_levels(segments: list[Segment]) -> list[tuple[float, float]]:
    levels: list[tuple[float, float]] = []
    level = REST
    index = 0
    while index < len(segments):
        segment = segments[index]
        if segment.phase is None:
            levels.append((REST, REST))
            level = REST
            index += 1
            continue
        if segment.phase.is_hold:
            levels.append((level, level))
            index += 1
            continue
        # A run of inhales (or of exhales) moves the level all the way, shared by length.
        run = _run(segments, index, segment.phase)
        target = 1.0 if segment.phase is Phase.INHALE else 0.0
        total = sum(part.ms or 0 for part in run)
        done = 0
        for part in run:
            start = level + (target - level) * (done / total)
            done += part.ms or 0
            end = level + (target - level) * (done / total)
            levels.append((start, end))
        level = target
        index += len(run)
    return levels


def _run(segments: list[Segment], start: int, phase: Phase) -> list[Segment]:
    """The segments from ``start`` that share its phase and its breath."""
    first = segments[start]
    run = [first]
    # Indexed rather than sliced: a slice copies the rest of the session for every
    # run, which made a long script's curve take time in the square of its length.
    for index in range(start + 1, len(segments)):
        segment = segments[index]
        if segment.phase is not phase or segment.step != first.step:
            break
        if segment.cycle != first.cycle:
            break
        run.append(segment)
    return run
