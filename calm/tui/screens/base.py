"""What every calm screen shares: size classes, and one clear line when the window is too small."""

from __future__ import annotations

import time
from typing import TypeVar

from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

ResultType = TypeVar("ResultType")

TOO_SMALL = "Make the window larger"
"""Shown instead of the screen when the window is smaller than calm can use."""

SETTLE_SECONDS = 0.4
"""Keys pressed sooner than this after a screen appears were meant for the one before."""

MIN_WIDTH, MIN_HEIGHT = 40, 12
"""The smallest window calm can be followed in; below it only ``TooSmall`` shows."""

ACTIONS_WITHOUT_ROOM = frozenset({"back", "end", "leave", "clear_or_quit"})
"""What a key may still do when the window is too small to read: only ways out."""


def too_small_for(size: Size) -> bool:
    """Whether a window of ``size`` is too small to follow a session in."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


class TooSmall(Static):
    """The one line shown when the window is too small; hidden otherwise."""

    def __init__(self) -> None:
        super().__init__(TOO_SMALL, id="too-small")


class CalmScreen(Screen[ResultType]):
    """A screen that knows how much room it has.

    It gets the classes ``-too-narrow`` or ``-too-short`` below 40x12, which
    hide everything but its ``TooSmall`` line, and ``-short`` below 18 rows.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-short"), (18, "-tall")]

    _shown_at = float("inf")
    _answered = False

    @property
    def too_small(self) -> bool:
        """Whether the window is too small to show this screen, so only ``TooSmall`` shows."""
        return self.has_class("-too-narrow") or self.has_class("-too-short")

    @property
    def settled(self) -> bool:
        """Whether the screen has been up long enough that a key pressed now was meant for it."""
        return time.monotonic() - self._shown_at >= SETTLE_SECONDS

    def on_mount(self) -> None:
        """Note when the screen appeared, for ``settled``."""
        self._shown_at = time.monotonic()

    def on_resize(self) -> None:
        """Offer only the ways out while the window is too small, and everything after."""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing but a way out happens at a screen too small to read."""
        return not self.too_small or action in ACTIONS_WITHOUT_ROOM

    def answer(self, result: ResultType) -> None:
        """Dismiss with ``result``, once: keys that arrive together must not answer twice."""
        if not self._answered:
            self._answered = True
            self.dismiss(result)
