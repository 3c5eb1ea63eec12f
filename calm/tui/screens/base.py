"""What every calm screen shares: size classes, one clear line when the window is too
small, a moment to settle before keys count, and a line for notices."""

from __future__ import annotations

import time
from typing import TypeVar

from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from calm.tui.widgets.notice import NoticeLine

ResultType = TypeVar("ResultType")

TOO_SMALL = "Make the window larger"
"""Shown instead of the screen when the window is smaller than calm can use."""

SETTLE_SECONDS = 0.4
"""Keys pressed sooner than this after a screen appears, or comes back to the top,
were meant for the screen before: they do nothing. Only Ctrl+C always counts."""

MIN_WIDTH, MIN_HEIGHT = 40, 12
"""The smallest window calm can be followed in; below it only ``TooSmall`` shows."""

ACTIONS_WITHOUT_ROOM = frozenset({"back", "end", "leave", "list", "clear_or_quit"})
"""What a key may still do when the window is too small to read: only ways out."""


def too_small_for(size: Size) -> bool:
    """Whether a window of ``size`` is too small to follow a session in."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


class TooSmall(Static):
    """The one line shown when the window is too small; hidden otherwise."""

    def __init__(self) -> None:
        super().__init__(TOO_SMALL, id="too-small")


class Settling:
    """A screen whose keys count only once it has been on top for a moment.

    A key that arrives as a screen appears (the second of two Enters, or an Esc
    pressed twice to close the help) was meant for the screen before. The app
    drops such keys before they reach any action (see ``CalmApp.run_action``),
    so every key of every calm screen follows one rule.
    """

    _shown_at = float("inf")

    @property
    def settled(self) -> bool:
        """Whether the screen has been on top long enough for a key pressed now to be meant
        for it."""
        return time.monotonic() - self._shown_at >= SETTLE_SECONDS

    def shown_now(self) -> None:
        """The screen is on top from this moment: keys wait a moment before they count.

        The app calls this as it pops the screen above, before the next key can
        arrive, so that the second Esc of two that closed the help does not end
        the session beneath it.
        """
        self._shown_at = time.monotonic()

    def on_mount(self) -> None:
        """Note when the screen appeared, for ``settled``."""
        self.shown_now()

    def on_screen_resume(self) -> None:
        """Note when the screen came back to the top."""
        self.shown_now()


class CalmScreen(Settling, Screen[ResultType]):
    """A screen that knows how much room it has, and has a line for notices.

    It gets the classes ``-too-narrow`` or ``-too-short`` below 40x12, which
    hide everything but its ``TooSmall`` line, and ``-short`` below 18 rows.
    A subclass yields ``self.notices`` in its ``compose``.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-short"), (18, "-tall")]

    _answered = False

    def __init__(self) -> None:
        super().__init__()
        self.notices = NoticeLine()
        """What calm has to tell while this screen is up, at its top."""

    @property
    def too_small(self) -> bool:
        """Whether the window is too small to show this screen, so only ``TooSmall`` shows."""
        return self.has_class("-too-narrow") or self.has_class("-too-short")

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
