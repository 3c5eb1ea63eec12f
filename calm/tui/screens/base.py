"""What every calm screen shares: size classes, and one clear line when the window is too small."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen
from textual.widgets import Static

ResultType = TypeVar("ResultType")

TOO_SMALL = "Make the window larger"
"""Shown instead of the screen when the window is smaller than calm can use."""


class TooSmall(Static):
    """The one line shown when the window is too small; hidden otherwise."""

    def __init__(self) -> None:
        super().__init__(TOO_SMALL, id="too-small")


class CalmScreen(Screen[ResultType]):
    """A screen that knows how much room it has.

    It gets the classes ``-too-narrow`` or ``-too-short`` below 40x12, which
    hide everything but its ``TooSmall`` line, and ``-short`` below 18 rows.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (40, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (12, "-short"), (18, "-tall")]

    @property
    def too_small(self) -> bool:
        """Whether the window is too small to show this screen, so only ``TooSmall`` shows."""
        return self.has_class("-too-narrow") or self.has_class("-too-short")
