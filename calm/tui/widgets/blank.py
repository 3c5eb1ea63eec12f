"""Containers drawn as their background alone, cheaply, for the screens drawn most often.

Textual draws every widget whose container overlaps what changed, each in full,
so the containers around the breath orb are drawn with it every frame. One with
nothing of its own to show needs no styling line by line: its rows are blank in
its colours, passed through the app's line filters (NO_COLOR's greys, a theme's
ANSI colours) as Textual's own drawing would pass them.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


def blank_lines(widget: Widget, crop: Region) -> list[Strip]:
    """The rows of ``widget`` in ``crop``: its background, through the line filters."""
    strip = Strip.blank(crop.width, widget.visual_style.rich_style)
    background = widget.background_colors[1]
    for line_filter in widget.get_line_filters():
        strip = strip.apply_filter(line_filter, background)
    return [strip] * crop.height


class Blank(Vertical):
    """A vertical container with no border, padding or content of its own."""

    def render_lines(self, crop: Region) -> list[Strip]:
        """Its background, as Textual would draw it, without styling each line."""
        return blank_lines(self, crop)
