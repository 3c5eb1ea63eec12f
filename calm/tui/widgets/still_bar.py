"""The breath visual for reduced motion: the breath's phases laid out as a still bar."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var
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

    segment: var[Segment | None] = var(None, init=False)
    """The part of the session lit up; the bar is drawn again when it changes."""

    def __init__(self, timeline: Timeline, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timeline = timeline

    def show_segment(self, segment: Segment) -> None:
        """Light up the phase of ``segment`` within its breath."""
        self.segment = segment

    def watch_segment(self, segment: Segment | None) -> None:
        if segment is None:
            return
        span = self._timeline.spans[segment.step]
        # The bar's size is its container's, whatever it shows: no layout is needed.
        if segment.phase is None:
            self.update("", layout=False)
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
        self.update(text, layout=False)
