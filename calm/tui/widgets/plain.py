"""Text shown exactly as it was written: never markup, never an escape sequence.

Every word on calm's screens that comes from outside calm (a script, a setting,
a file name, the history) goes through ``Plain``. Textual would otherwise read
``[bold]`` as a style, ``[/]`` as an error and ``[@click=app.quit]`` as a live
action, so a shared script could restyle, crash or drive the app.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static

from calm.core.safe_text import shown_safely
from calm.tui.widgets.kept_lines import KeptLines


class Plain(Static):
    """A Static whose text is shown as written, brackets and all; control
    characters a terminal would act on are shown as "?".

    Strings and Rich ``Text`` are made safe here; any other renderable must
    already be (the script preview builds its own from ``Text``).
    """

    def __init__(
        self, text: VisualType = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(_safe(text), markup=False, id=id, classes=classes)
        self._kept = KeptLines(self)
        self._text = text if isinstance(text, str) else None
        """The words shown, when they are a plain string: their lines are kept."""

    def update(self, content: VisualType = "", *, layout: bool | None = None) -> None:
        """Show ``content``; a string is shown as written.

        The screen is laid out again only when the new text needs another number
        of rows: a layout costs Textual several frames' work, and the session's
        words change every few seconds in the same one or two rows. ``layout``
        True or False decides it instead.
        """
        self._text = content if isinstance(content, str) else None
        super().update(_safe(content), layout=bool(layout))
        if layout is None and self._rows_change():
            self.refresh(layout=True)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``, as Textual draws them; kept for words shown before,
        such as a session's phases, shown breath after breath."""
        if self._text is None:
            return super().render_lines(crop)
        return self._kept.lines(self._text, crop, lambda whole: Static.render_lines(self, whole))

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw again in the new colours."""
        super().notify_style_update()
        self._kept.clear()

    def _rows_change(self) -> bool:
        """Whether the text now shown needs a height other than the one laid out;
        True whenever that can't be told (not yet laid out, or sized by its text's width)."""
        styles = self.styles
        if not self.is_mounted or not self.size or styles.width is None or styles.width.is_auto:
            return True
        if styles.height is not None and not styles.height.is_auto:
            return False  # a fixed height: new text is cut or padded to it
        width, height = self.content_size
        parent = self.parent
        container = parent.size if isinstance(parent, Widget) else self.app.size
        return self.get_content_height(container, self.app.size, width) != height


def _safe(content: VisualType) -> VisualType:
    if isinstance(content, str):
        return shown_safely(content)
    if isinstance(content, Text):
        # One character for one, so every style still covers the text it styled.
        safe = content.copy()
        safe.plain = shown_safely(content.plain)
        return safe
    return content
