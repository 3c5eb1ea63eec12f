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
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from calm.tui.direct_rows import DirectRows

SMALLEST = 0.38
"""The orb's radius when the breath is all the way out, as a share of the largest."""
STEPS_PER_PIXEL = 4
"""How finely the radius is tracked: a quarter of a pixel moves the rim's shading by
two of its eight shades, so each step is a picture of its own."""
MOST_PICTURES = 48
"""The most pictures from out to in: a large orb takes larger steps rather than more
frames, so a big window costs little more than a small one."""
MOST_ROWS = 28
"""The orb's largest height in rows; a taller window centres an orb this size."""
SHADES = 8
"""How many shades of coverage a rim pixel can take."""


class BreathOrb(Widget):
    """A disc whose size follows the breath level, from 0 (out) to 1 (in)."""

    DEFAULT_CSS = f"""
    BreathOrb {{
        width: auto;
        height: 1fr;
        max-height: {MOST_ROWS};
        color: $primary;
    }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.level = 0.0
        """How full the breath is, from 0 to 1, as last shown."""
        self.dimmed = False
        """Whether the orb is drawn faintly, as while paused."""
        self._size = Size(0, 0)
        """The size the pictures are drawn at, kept rather than asked of Textual a frame."""
        self._largest, self._steps = 1.0, 1
        self._step = 0
        self._strips: list[Strip] = []
        self._direct = DirectRows(self)
        self._background: Color | None = None
        """The colour behind the orb, kept rather than asked of its ancestors a frame."""
        self._through_filters: dict[tuple[object, ...], list[Strip]] = {}
        """The pictures drawn, as the app's line filters leave them."""
        self._strips_key: tuple[int, int, int, bool] | None = None
        """The picture of ``_strips``."""
        self._spans: dict[tuple[object, object], tuple[int, int] | None] = {}
        """The rows that change from one picture to another (see ``_changed_rows``)."""
        self._cells: dict[bool, dict[tuple[int, int], Segment]] = {}
        """The cell for each pair of shades, dimmed and not, in the colours now."""
        self._blank_rows: dict[Segment, Strip] = {}
        """The row clear of the disc, for each colour it is drawn in, at this size."""
        self._drawn: dict[tuple[int, int, int, bool], list[Strip]] = {}
        """Every picture drawn at this size and in these colours: a breath out passes
        through the pictures of the breath in, so after the first breath none is drawn."""

    @property
    def picture(self) -> tuple[int, int, int, bool] | None:
        """What the drawing depends on: the size, the step the radius is at, and
        whether dimmed; None before the orb has a size."""
        if not self._size:
            return None
        width, height = self._size
        return (width, height, self._step, self.dimmed)

    def show(self, level: float, dimmed: bool = False) -> None:
        """Show the breath ``level`` (0 to 1), faintly if ``dimmed``.

        Called every frame of a breath, so it does no more than find the step the
        radius is at; only a new picture is drawn, and only its changed rows redrawn.
        """
        self.level = level
        step = round(min(max(level, 0.0), 1.0) * self._steps)
        if step != self._step or dimmed != self.dimmed:
            self._step, self.dimmed = step, dimmed
            self._redraw_changed_rows()

    def on_resize(self) -> None:
        self._take_size(self.size)
        self.refresh()

    def _take_size(self, size: Size) -> None:
        """Draw at ``size`` from now on: the largest radius and the steps follow it."""
        self._size = size
        self._forget_pictures()
        width, height = size
        # The largest radius the orb has room for, and how many steps it takes
        # from the smallest to the largest.
        self._largest = max(min(width / 2, float(height)) - 0.6, 1.0)
        steps = round(self._largest * (1 - SMALLEST) * STEPS_PER_PIXEL)
        self._steps = max(min(steps, MOST_PICTURES), 1)
        self._step = round(min(max(self.level, 0.0), 1.0) * self._steps)

    def _forget_pictures(self) -> None:
        """Forget every picture drawn and what was worked out from them: the size or
        the colours they were drawn in have changed."""
        self._strips, self._strips_key = [], None
        self._drawn.clear()
        self._blank_rows.clear()
        self._spans.clear()
        self._through_filters.clear()

    def _redraw_changed_rows(self) -> None:
        """Redraw only the rows that changed: those above and below the disc stay as
        they were. They go straight to the terminal when nothing covers the orb, and
        through Textual otherwise."""
        if not self.is_mounted or not self._size:
            return
        before, before_key = self._strips, self._strips_key
        after = self._current()
        # A breath passes through the same pictures in the same order, so the rows
        # that differ from one to the next are found once and kept.
        between = (before_key, self._strips_key)
        if between in self._spans:
            span = self._spans[between]
        else:
            span = self._spans[between] = _changed_rows(before, after)
        if span is None:
            self.refresh()
            return
        first, stop = span
        if first == stop:
            return
        if self.size != self._size or not self._direct.write(first, stop, picture=self._strips_key):
            self.refresh(Region(0, first, self._size.width, stop - first))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the orb can be in the space it has, and no wider, so that
        each redraw covers as few cells as it can."""
        return min(container.width, 2 * min(container.height, MOST_ROWS))

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw again in the new colours."""
        super().notify_style_update()
        self._forget_pictures()
        self._direct.forget()
        self._cells.clear()
        self._background = None

    def _radius(self, step: int) -> float:
        return self._largest * (SMALLEST + (1 - SMALLEST) * step / self._steps)

    def next_change(self, rising: bool) -> float | None:
        """The level at which the picture next changes, going up or down; None past the end."""
        level = (self._step + (0.5 if rising else -0.5)) / self._steps
        return level if 0.0 <= level <= 1.0 else None

    def _colours(self) -> tuple[Color, Color]:
        background = self.background_colors[1]
        colour = self.styles.color
        if self.dimmed:
            colour = background.blend(colour, 0.35)
        return colour, background

    def _current(self) -> list[Strip]:
        """The rows of the picture for the level now, drawn if they are not yet."""
        width, height = self._size
        key = (width, height, self._step, self.dimmed)
        strips = self._drawn.get(key)
        if strips is None:
            strips = self._drawn[key] = self._draw()
        self._strips, self._strips_key = strips, key
        return strips

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of the orb in ``crop``, as drawn, through the app's line filters.

        The rows are whole, in colours of their own, with no border or padding to
        add, so they skip the styling of each line Textual gives other widgets:
        the orb's rows are the most drawn on calm's screens, a dozen a frame.
        """
        size = self.size
        if size != self._size:
            self._take_size(size)  # laid out anew, and not yet told
        strips = self._filtered()
        width = size.width
        left, right = crop.column_span
        lines = []
        for y in crop.line_range:
            strip = strips[y] if y < len(strips) else Strip.blank(width, _PLAIN)
            lines.append(strip if (left, right) == (0, width) else strip.crop(left, right))
        return lines

    def _filtered(self) -> list[Strip]:
        """The rows of the picture for the level now, through the app's line filters
        (such as NO_COLOR's), kept with the picture: they are asked for every frame."""
        filters = tuple(self.get_line_filters())
        key = (self._size.width, self._size.height, self._step, self.dimmed, filters)
        found = self._through_filters.get(key)
        if found is None:
            if self._background is None:
                self._background = self.background_colors[1]
            found = self._current()
            for line_filter in filters:
                found = [strip.apply_filter(line_filter, self._background) for strip in found]
            self._through_filters[key] = found
        return found

    def _draw(self) -> list[Strip]:
        width, height = self._size
        if not width or not height:
            return []
        disc = _Disc(self._radius(self._step), width / 2, float(height))
        # The cells, one for each pair of shades, are the same from picture to picture
        # while the colours stay: they are made once and shared.
        cells = self._cells.get(self.dimmed)
        if cells is None:
            cells = self._cells[self.dimmed] = {}
        fg, bg = self._colours()
        shades = [bg.blend(fg, shade / SHADES).rich_color for shade in range(SHADES + 1)]
        monochrome = self.app.no_color

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
                # Every row clear of the disc is the same, in this picture and the next.
                blank = self._blank_rows.get(empty)
                if blank is None:
                    blank = self._blank_rows[empty] = Strip(
                        [Segment(empty.text * width, empty.style)], width
                    )
                strips.append(blank)
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


def _changed_rows(before: list[Strip], after: list[Strip]) -> tuple[int, int] | None:
    """The first row that differs between two pictures and the row after the last,
    the same row twice when none does; None when they are not the same size."""
    if len(before) != len(after) or any(
        old.cell_length != new.cell_length for old, new in zip(before, after, strict=True)
    ):
        return None
    changed = [row for row, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    return (changed[0], changed[-1] + 1) if changed else (0, 0)


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
