"""The session's progress: a thin bar and the time left, on one line."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from calm.present.measures import clock_text

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

    def show(self, fraction: float, left_seconds: int) -> None:
        """Move the bar to ``fraction`` (0 to 1) with ``left_seconds`` to go."""
        self._fraction = min(max(fraction, 0.0), 1.0)
        self.left_seconds = max(left_seconds, 0)
        self.half_cells = self._half_cells()

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
