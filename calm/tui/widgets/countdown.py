"""The countdown: the whole seconds left in the phase, in big digits."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Digits

from calm.tui.widgets.kept_lines import KeptLines


class Countdown(Digits):
    """Textual's big digits, each number drawn once and kept: a session shows the
    same few numbers breath after breath, once a second."""

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, id=id)
        self._kept = KeptLines(self)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The digits' lines in ``crop``, as Textual draws them, kept by number."""
        return self._kept.lines(self.value, crop, lambda: Digits.render_lines(self, crop))

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw each number again in the new colours."""
        super().notify_style_update()
        self._kept.clear()
