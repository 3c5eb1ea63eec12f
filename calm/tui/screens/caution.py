"""The caution screen: a script's caution, shown once before the session starts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from calm.script import Script
from calm.tui.screens.base import CalmScreen, TooSmall


class CautionScreen(CalmScreen[bool]):
    """Dismisses with True when the user is ready to begin, False to go back."""

    BINDINGS = [
        Binding("enter", "begin", "Begin"),
        Binding("escape,q", "back", "Not now"),
    ]

    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script

    def compose(self) -> ComposeResult:
        with Vertical(id="caution"):
            yield Static(self.script.title, id="caution-title")
            yield Static("Before you begin", classes="hint")
            yield Static(self.script.caution or "", id="caution-text")
            yield Static("Press Enter when you are ready.", classes="hint")
        yield TooSmall()
        yield Footer()

    def action_begin(self) -> None:
        """Start the session."""
        self.answer(True)

    def action_back(self) -> None:
        """Do not start the session."""
        self.answer(False)
