"""The countdown: the whole seconds left in the phase, in big digits."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Digits

from calm.tui.direct_rows import DirectRows
from calm.tui.widgets.kept_lines import KeptLines


class Countdown(Digits):
    """Textual's big digits, each number drawn once and kept: a session shows the
    same few numbers breath after breath, once a second."""

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, id=id)
        self._kept = KeptLines(self)
        self._direct = DirectRows(self)

    def show(self, value: str) -> None:
        """Show ``value``: a number drawn before goes straight to the terminal when
        nothing covers the countdown and its width is the same; any other through
        Textual, as ``update`` does."""
        if value == self.value:
            return
        if len(value) != len(self.value) or not self.size or not self._kept.has(value):
            self.update(value)
            return
        before = self.value
        # Textual's Digits keeps its value here, and offers no way to set it without
        # a refresh, which would draw the number again through the compositor.
        self._value = value
        if not self._direct.write(0, self.size.height):
            self._value = before
            self.update(value)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The digits' lines in ``crop``, as Textual draws them, kept by number."""
        return self._kept.lines(self.value, crop, lambda whole: Digits.render_lines(self, whole))

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw each number again in the new colours."""
        super().notify_style_update()
        self._kept.clear()
        self._direct.forget()
        # Numbers shown straight on the terminal were never drawn by Textual, which
        # still holds the lines it drew last: they are drawn afresh, not taken from it.
        self.refresh()
