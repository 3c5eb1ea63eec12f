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

    def __init__(self, script: Script, *, from_list: bool = False) -> None:
        """Show ``script``'s caution; ``from_list`` when it was chosen in the picker."""
        super().__init__()
        self.script = script
        self.from_list = from_list

    def compose(self) -> ComposeResult:
        with Vertical(id="caution"):
            yield Static(self.script.title, id="caution-title")
            yield Static("Before you begin", classes="hint")
            yield Static(self.script.caution or "", id="caution-text")
            if self.from_list and any(step.has_holds for step in self.script.breathe_steps):
                # A caution speaks of --gentle; in the list, the same choice is a key.
                yield Static("In the list, ctrl+g leaves the holds out.", classes="hint")
            yield Static("Press Enter when you are ready.", classes="hint")
        yield TooSmall()
        yield Footer()

    def action_begin(self) -> None:
        """Start the session."""
        self.answer(True)

    def action_back(self) -> None:
        """Do not start the session."""
        self.answer(False)
