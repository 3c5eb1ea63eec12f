"""The session's progress: a thin bar and the time left, on one line."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from calm.present.measures import clock_text
from calm.tui.direct_rows import DirectRows
from calm.tui.widgets.kept_lines import KeptLines

TIME_WIDTH = 12
"""Room for the time left, such as "12:05 left"."""


class SessionProgress(Widget):
    """How much of the session is behind you, and how long is left.

    It redraws only when the bar grows by half a cell or the time left drops a
    second, so a resting screen costs nothing.
    """

    DEFAULT_CSS = """
    SessionProgress {
        height: 1;
        width: 1fr;
        color: $primary 70%;
    }
    """

    half_cells: reactive[int] = reactive(0)
    """How far the bar reaches, in half cells; it is drawn again when this changes."""
    left_seconds: reactive[int] = reactive(0)
    """The whole seconds left; it is drawn again when this changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fraction = 0.0
        self._kept = KeptLines(self)
        self._direct = DirectRows(self)
        self._shown = (0, 0)
        """The time left and the bar's reach last set, compared before setting them:
        this is asked every frame of the orb."""

    def show(self, fraction: float, left_seconds: int) -> None:
        """Move the bar to ``fraction`` (0 to 1) with ``left_seconds`` to go."""
        self._fraction = min(max(fraction, 0.0), 1.0)
        shown = (max(left_seconds, 0), self._half_cells())
        if shown == self._shown:
            return
        self._shown = shown
        left, reach = shown
        # Set without Textual's refresh: the line is put straight on the terminal
        # when nothing covers it, and through Textual otherwise.
        self.set_reactive(SessionProgress.left_seconds, left)
        self.set_reactive(SessionProgress.half_cells, reach)
        if not self.size or not self._direct.write(0, self.size.height):
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The line in ``crop``, as Textual would draw ``render``'s text, kept by what
        it shows. It is put together here from its three runs: the time left changes
        every second, and Textual's way through styled text costs a frame's work."""
        shown = (self.left_seconds, self.half_cells)
        return self._kept.lines(shown, crop, self._line)

    def _line(self, crop: Region) -> list[Strip]:
        base = self.rich_style
        theme = self.app.current_theme
        width = self._bar_width()
        whole, half = divmod(self._half_cells(), 2)
        done = "━" * whole + ("╸" if half else "")
        runs = (
            (done, base),
            ("─" * (width - len(done)), base + Style(color=theme.panel or "grey30")),
            (self.left_text.rjust(TIME_WIDTH), base + Style(color=theme.foreground, dim=True)),
        )
        segments, x = [], 0
        for text, style in runs:
            if text:
                # Where each run starts, as Textual marks it for selecting text.
                segments.append(Segment(text, style + Style.from_meta({"offset": (x, 0)})))
                x += len(text)
        strip = Strip(segments).adjust_cell_length(self.size.width, base)
        background = self.background_colors[1]
        for line_filter in self.get_line_filters():
            strip = strip.apply_filter(line_filter, background)
        left, right = crop.column_span
        return [strip.crop(left, right) for _ in crop.line_range]

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw again in the new colours."""
        super().notify_style_update()
        self._kept.clear()
        self._direct.forget()

    @property
    def fraction(self) -> float:
        """How much of the session is behind you, from 0 to 1."""
        return self._fraction

    @property
    def left_text(self) -> str:
        """The time left as shown, such as "3:05 left"."""
        return f"{clock_text(self.left_seconds)} left"

    def _bar_width(self) -> int:
        return max(self.size.width - TIME_WIDTH, 0)

    def _half_cells(self) -> int:
        return round(self._fraction * self._bar_width() * 2)

    def render(self) -> Text:
        """The bar, in whole and half cells, then the time left."""
        width = self._bar_width()
        whole, half = divmod(self._half_cells(), 2)
        done = "━" * whole + ("╸" if half else "")
        muted = Style(color=self.app.current_theme.panel or "grey30")
        bar = Text.assemble((done, ""), ("─" * (width - len(done)), muted))
        left = self.left_text.rjust(TIME_WIDTH)
        bar.append(left, style=Style(color=self.app.current_theme.foreground, dim=True))
        return bar
