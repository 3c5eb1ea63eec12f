"""The breath visual for reduced motion: the breath's phases laid out as a still bar."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from calm.core.script import Phase
from calm.core.timeline import Segment, Timeline
from calm.present.measures import seconds_text

_NAMES = {Phase.INHALE: "in", Phase.HOLD_IN: "hold", Phase.EXHALE: "out", Phase.HOLD_OUT: "hold"}


class StillBar(Static):
    """One breath as a row of blocks, one block a phase, the current one lit.

    It changes only when the phase does, never in between.
    """

    DEFAULT_CSS = """
    StillBar {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
    }
    """

    def __init__(self, timeline: Timeline, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timeline = timeline
        self._shown: int | None = None

    def show_segment(self, segment: Segment) -> None:
        """Light up the phase of ``segment`` within its breath."""
        if segment.index == self._shown:
            return
        self._shown = segment.index
        span = self._timeline.spans[segment.step]
        if segment.phase is None:
            self.update("")
            return
        cycle = self._timeline.segments[span.first : span.stop]
        breath = [part for part in cycle if part.cycle == segment.cycle]
        text = Text()
        for part in breath:
            assert part.phase is not None
            seconds = (part.ms or 0) / 1000
            label = f" {_NAMES[part.phase]} {seconds_text(seconds)} "
            style = "reverse bold" if part.index == segment.index else "dim"
            text.append(label, style=style)
            text.append(" ")
        self.update(text)
