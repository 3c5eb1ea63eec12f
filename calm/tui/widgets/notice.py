"""The notice line: what calm has to tell, on lines of its own at the top of a screen.

Textual's toasts sit over the bottom right of the screen, where the countdown
and the time left are; a notice here takes its own room instead and covers
nothing. It is hidden while there is nothing to say.
"""

from __future__ import annotations

from functools import partial
from itertools import count

from calm.tui.widgets.plain import Plain


class NoticeLine(Plain):
    """The notices of the moment, one line each, newest last."""

    def __init__(self) -> None:
        super().__init__(id="notice")
        self._lines: dict[int, str] = {}
        self._waiting: dict[int, float] = {}
        """Notices said before the line was mounted, and how long each stays."""
        self._keys = count()

    @property
    def lines(self) -> list[str]:
        """What the line says now, oldest first."""
        return list(self._lines.values())

    def say(self, text: str, seconds: float | None = None) -> None:
        """Show ``text`` for ``seconds``, or for as long as the screen is up when None."""
        key = next(self._keys)
        self._lines[key] = text
        if seconds is not None:
            if self.is_mounted:
                self.set_timer(seconds, partial(self._forget, key))
            else:
                self._waiting[key] = seconds
        self._redraw()

    def on_mount(self) -> None:
        """Start the clock on notices said before the screen was shown."""
        for key, seconds in self._waiting.items():
            self.set_timer(seconds, partial(self._forget, key))
        self._waiting.clear()
        self._redraw()

    def _forget(self, key: int) -> None:
        self._lines.pop(key, None)
        self._redraw()

    def _redraw(self) -> None:
        self.update("\n".join(self._lines.values()))
        self.set_class(bool(self._lines), "-shown")
