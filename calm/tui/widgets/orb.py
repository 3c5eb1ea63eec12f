"""The breath orb: a soft disc that grows as you breathe in and shrinks as you breathe out.

It is drawn with half blocks, two pixels to a cell, and every pixel at the rim
is shaded by how much of it the disc covers, so growth looks continuous rather
than stepping a cell at a time.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

SMALLEST = 0.38
"""The orb's radius when the breath is all the way out, as a share of the largest."""
STEPS_PER_PIXEL = 8
"""How finely the radius is tracked; the orb redraws only when it moves this much."""
SHADES = 8
"""How many shades of coverage a rim pixel can take."""


class BreathOrb(Widget):
    """A disc whose size follows the breath level, from 0 (out) to 1 (in)."""

    DEFAULT_CSS = """
    BreathOrb {
        width: 1fr;
        height: 1fr;
        color: $primary;
    }
    """

    level: reactive[float] = reactive(0.0, layout=False, repaint=False)
    """How full the breath is, from 0 to 1."""
    dimmed: reactive[bool] = reactive(False)
    """Draw the orb faintly, as while paused."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._key: tuple[int, int, int, bool, str, str, bool] | None = None
        self._strips: list[Strip] = []

    def watch_level(self) -> None:
        self._refresh_if_moved()

    def watch_dimmed(self) -> None:
        self._refresh_if_moved()

    def on_resize(self) -> None:
        self._refresh_if_moved()

    def _radius(self, width: int, height: int) -> float:
        largest = max(min(width / 2, float(height)) - 0.6, 1.0)
        return largest * (SMALLEST + (1 - SMALLEST) * min(max(self.level, 0.0), 1.0))

    def _current_key(self) -> tuple[int, int, int, bool, str, str, bool]:
        width, height = self.size
        radius = self._radius(width, height)
        fg, bg = self._colours()
        return (
            width,
            height,
            round(radius * STEPS_PER_PIXEL),
            self.dimmed,
            fg.hex,
            bg.hex,
            self.app.no_color,
        )

    def _refresh_if_moved(self) -> None:
        if not self.is_mounted:
            return
        key = self._current_key()
        if key != self._key:
            self._key = key
            self._strips = []
            self.refresh()

    def _colours(self) -> tuple[Color, Color]:
        background = self.background_colors[1]
        colour = self.styles.color
        if self.dimmed:
            colour = background.blend(colour, 0.35)
        return colour, background

    def render_line(self, y: int) -> Strip:
        """One row of the orb."""
        if not self._strips:
            self._strips = self._draw()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width)

    def _draw(self) -> list[Strip]:
        width, height = self.size
        if not width or not height:
            return []
        radius = self._radius(width, height)
        centre_x, centre_y = width / 2, float(height)
        fg, bg = self._colours()
        monochrome = self.app.no_color
        shades = [bg.blend(fg, shade / SHADES).rich_color for shade in range(SHADES + 1)]
        styles: dict[tuple[int, int], Style] = {}

        def coverage(x: int, pixel_y: int) -> int:
            distance = math.hypot(x + 0.5 - centre_x, pixel_y + 0.5 - centre_y)
            covered = min(max(radius - distance + 0.5, 0.0), 1.0)
            return round(covered * SHADES)

        strips = []
        for row in range(height):
            segments = []
            for x in range(width):
                top, bottom = coverage(x, 2 * row), coverage(x, 2 * row + 1)
                if monochrome:
                    segments.append(Segment(_GLYPHS[(top * 2 > SHADES, bottom * 2 > SHADES)]))
                    continue
                style = styles.get((top, bottom))
                if style is None:
                    style = Style(color=shades[top], bgcolor=shades[bottom])
                    styles[(top, bottom)] = style
                segments.append(Segment("▀", style))
            strips.append(Strip(Segment.simplify(segments), width))
        return strips


_GLYPHS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
