"""Text shown exactly as it was written: never markup, never an escape sequence.

Every word on calm's screens that comes from outside calm (a script, a setting,
a file name, the history) goes through ``Plain``. Textual would otherwise read
``[bold]`` as a style, ``[/]`` as an error and ``[@click=app.quit]`` as a live
action, so a shared script could restyle, crash or drive the app.
"""

from __future__ import annotations

from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from calm.core.safe_text import shown_safely


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

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``; a string is shown as written."""
        super().update(_safe(content), layout=layout)


def _safe(content: VisualType) -> VisualType:
    if isinstance(content, str):
        return shown_safely(content)
    if isinstance(content, Text):
        # One character for one, so every style still covers the text it styled.
        safe = content.copy()
        safe.plain = shown_safely(content.plain)
        return safe
    return content
