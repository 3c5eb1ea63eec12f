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

    def lines(
        self, shown: Hashable, crop: Region, draw: Callable[[Region], list[Strip]]
    ) -> list[Strip]:
        """The lines in ``crop`` of the widget showing ``shown``; all its lines are
        drawn by ``draw`` (given the whole widget's region) the first time, and kept.

        Always the whole widget: a widget shown on the terminal past Textual is
        not marked for drawing again, and Textual keeps its last lines, so a part
        drawn later for a thing never shown before could be Textual's old lines.
        The widget's size, any text selected in it and the app's line filters
        are part of what decides them too, so a change of any of them draws anew.
        """
        key = self._key(shown)
        whole = self._kept.get(key)
        if whole is None:
            whole = draw(self._widget.outer_size.region)
            if len(self._kept) >= MOST_KEPT:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = whole
        left, right = crop.column_span
        width = self._widget.outer_size.width
        return [
            whole[y] if (left, right) == (0, width) else whole[y].crop(left, right)
            for y in crop.line_range
            if y < len(whole)
        ]

    def has(self, shown: Hashable) -> bool:
        """Whether the widget's lines showing ``shown`` are kept."""
        return self._key(shown) in self._kept

    def clear(self) -> None:
        """Forget every kept picture: the widget's styles have changed."""
        self._kept.clear()

    def _key(self, shown: Hashable) -> Hashable:
        widget = self._widget
        filters = tuple(widget.get_line_filters())
        return (shown, widget.outer_size, widget.text_selection, filters)
