"""Lines a widget has drawn, kept by what they show, for widgets that show a few
things over and over: the countdown's digits and the time left's bar.

Textual draws a widget again in full each time it changes. The countdown shows
the same few numbers breath after breath, and each drawing costs most of the
session screen's frame, so each picture is drawn once and kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

MOST_KEPT = 64
"""The most pictures kept for one widget: the oldest goes first."""


class KeptLines:
    """A widget's lines, kept by what decides them; any change of style clears them."""

    def __init__(self, widget: Widget) -> None:
        """Keep lines of ``widget``."""
        self._widget = widget
        self._kept: dict[Hashable, list[Strip]] = {}

    def lines(self, shown: Hashable, crop: Region, draw: Callable[[], list[Strip]]) -> list[Strip]:
        """The lines in ``crop`` of the widget showing ``shown``, drawn by ``draw``
        the first time and kept after.

        The widget's size, any text selected in it and the app's line filters
        are part of what decides them too, so a change of any of them draws anew.
        """
        key = self._key(shown, crop)
        found = self._kept.get(key)
        if found is None:
            found = draw()
            if len(self._kept) >= MOST_KEPT:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = found
        return found

    def has(self, shown: Hashable, crop: Region) -> bool:
        """Whether the lines in ``crop`` of the widget showing ``shown`` are kept."""
        return self._key(shown, crop) in self._kept

    def clear(self) -> None:
        """Forget every kept picture: the widget's styles have changed."""
        self._kept.clear()

    def _key(self, shown: Hashable, crop: Region) -> Hashable:
        widget = self._widget
        return (shown, crop, widget.size, widget.text_selection, tuple(widget.get_line_filters()))
