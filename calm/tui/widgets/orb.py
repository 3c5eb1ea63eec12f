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
from textual.geometry import Size
from textual.reactive import reactive, var
from textual.strip import Strip
from textual.widget import Widget

SMALLEST = 0.38
"""The orb's radius when the breath is all the way out, as a share of the largest."""
STEPS_PER_PIXEL = 2
"""How finely the radius is tracked; the orb redraws only when it moves this much."""
SHADES = 8
"""How many shades of coverage a rim pixel can take."""


class BreathOrb(Widget):
    """A disc whose size follows the breath level, from 0 (out) to 1 (in)."""

    DEFAULT_CSS = """
    BreathOrb {
        width: auto;
        height: 1fr;
        color: $primary;
    }
    """

    level: reactive[float] = reactive(0.0, layout=False, repaint=False)
    """How full the breath is, from 0 to 1."""
    dimmed: reactive[bool] = reactive(False)
    """Draw the orb faintly, as while paused."""
    picture: var[tuple[int, int, int, bool] | None] = var(None, init=False)
    """What the drawing depends on: the size, the radius in steps, and whether dimmed.
    The level changes every frame, the picture only when the radius moves a step."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []

    def watch_level(self) -> None:
        self._see_picture()

    def watch_dimmed(self) -> None:
        self._see_picture()

    def on_resize(self) -> None:
        self._see_picture()

    def watch_picture(self) -> None:
        self._strips = []
        self.refresh()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the orb can be in the space it has, and no wider, so that
        each redraw covers as few cells as it can."""
        return min(container.width, 2 * container.height)

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw again in the new colours."""
        super().notify_style_update()
        self._strips = []

    def _radius(self, width: int, height: int) -> float:
        largest = max(min(width / 2, float(height)) - 0.6, 1.0)
        return largest * self._scale(self.level)

    def next_change(self, rising: bool) -> float | None:
        """The level at which the picture next changes, going up or down; None past the end."""
        width, height = self.size
        largest = self._radius(width, height) / self._scale(self.level)
        step = round(self._radius(width, height) * STEPS_PER_PIXEL)
        edge = (step + (0.5 if rising else -0.5)) / STEPS_PER_PIXEL
        level = (edge / largest - SMALLEST) / (1 - SMALLEST)
        return level if 0.0 <= level <= 1.0 else None

    @staticmethod
    def _scale(level: float) -> float:
        return SMALLEST + (1 - SMALLEST) * min(max(level, 0.0), 1.0)

    def _see_picture(self) -> None:
        if not self.is_mounted:
            return
        width, height = self.size
        step = round(self._radius(width, height) * STEPS_PER_PIXEL)
        self.picture = (width, height, step, self.dimmed)

    def _colours(self) -> tuple[Color, Color]:
        background = self.background_colors[1]
        colour = self.styles.color
        if self.dimmed:
            colour = background.blend(colour, 0.35)
        return colour, background

    def render_line(self, y: int) -> Strip:
        """One row of the orb."""
        # The size can change before on_resize arrives: never serve rows of another size.
        if len(self._strips) != self.size.height or (
            self._strips and self._strips[0].cell_length != self.size.width
        ):
            self._strips = self._draw()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, _PLAIN)

    def _draw(self) -> list[Strip]:
        width, height = self.size
        if not width or not height:
            return []
        fg, bg = self._colours()
        shades = [bg.blend(fg, shade / SHADES).rich_color for shade in range(SHADES + 1)]
        disc = _Disc(self._radius(width, height), width / 2, float(height))
        monochrome = self.app.no_color
        cells: dict[tuple[int, int], Segment] = {}

        def cell(top: int, bottom: int) -> Segment:
            found = cells.get((top, bottom))
            if found is None:
                if monochrome:
                    # Textual's monochrome filter needs a style on every segment.
                    found = Segment(_GLYPHS[(top * 2 > SHADES, bottom * 2 > SHADES)], _PLAIN)
                else:
                    found = Segment("▀", Style(color=shades[top], bgcolor=shades[bottom]))
                cells[(top, bottom)] = found
            return found

        empty, full = cell(0, 0), cell(SHADES, SHADES)
        strips = []
        for row in range(height):
            top_row, bottom_row = disc.row(2 * row), disc.row(2 * row + 1)
            # Only the rim needs working out pixel by pixel; inside and outside are runs.
            inner_start = max(top_row.inner_start, bottom_row.inner_start)
            inner_stop = min(top_row.inner_stop, bottom_row.inner_stop)
            outer_start = max(min(top_row.outer_start, bottom_row.outer_start), 0)
            outer_stop = min(max(top_row.outer_stop, bottom_row.outer_stop), width)
            if outer_start >= outer_stop:
                strips.append(Strip([Segment(empty.text * width, empty.style)], width))
                continue
            if inner_start >= inner_stop:
                inner_start = inner_stop = outer_stop
            segments = [Segment(empty.text * outer_start, empty.style)]
            for x in range(outer_start, inner_start):
                segments.append(cell(disc.shade(x, 2 * row), disc.shade(x, 2 * row + 1)))
            segments.append(Segment(full.text * (inner_stop - inner_start), full.style))
            for x in range(inner_stop, outer_stop):
                segments.append(cell(disc.shade(x, 2 * row), disc.shade(x, 2 * row + 1)))
            segments.append(Segment(empty.text * (width - outer_stop), empty.style))
            strips.append(Strip(Segment.simplify(segments), width))
        return strips


class _Row:
    """Where one row of pixels meets the disc: fully inside, and touched at all."""

    __slots__ = ("inner_start", "inner_stop", "outer_start", "outer_stop")

    def __init__(self, inner: tuple[int, int], outer: tuple[int, int]) -> None:
        self.inner_start, self.inner_stop = inner
        self.outer_start, self.outer_stop = outer


class _Disc:
    """A disc on a grid of pixels, with how much of each pixel it covers."""

    def __init__(self, radius: float, centre_x: float, centre_y: float) -> None:
        self.radius = radius
        self.centre_x = centre_x
        self.centre_y = centre_y

    def shade(self, x: int, y: int) -> int:
        """How much of pixel (x, y) the disc covers, in shades from 0 to SHADES."""
        distance = math.hypot(x + 0.5 - self.centre_x, y + 0.5 - self.centre_y)
        return round(min(max(self.radius - distance + 0.5, 0.0), 1.0) * SHADES)

    def row(self, y: int) -> _Row:
        """The pixel columns of row ``y`` that are fully inside, and that are touched."""
        dy = abs(y + 0.5 - self.centre_y)
        return _Row(
            self._span(self.radius - 0.5, dy, inside=True), self._span(self.radius + 0.5, dy)
        )

    def _span(self, reach: float, dy: float, *, inside: bool = False) -> tuple[int, int]:
        if reach <= dy:
            return (0, 0)
        half = math.sqrt(reach * reach - dy * dy)
        # A pixel is inside when its whole width is; touched when any of it is.
        if inside:
            # Pixel centres within half - 0.5 of the centre are covered edge to edge.
            return (
                math.ceil(self.centre_x - half + 0.5),
                math.floor(self.centre_x + half - 0.5) + 1,
            )
        return (math.floor(self.centre_x - half - 0.5), math.ceil(self.centre_x + half + 0.5))


_PLAIN = Style()
_GLYPHS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
