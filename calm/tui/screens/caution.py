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

    def __init__(self, script: Script, *, from_list: bool = False, gentle: bool = False) -> None:
        """Show ``script``'s caution; ``from_list`` when it was chosen in the picker,
        ``gentle`` when its holds are already left out."""
        super().__init__()
        self.script = script
        self.from_list = from_list
        self.gentle = gentle

    def compose(self) -> ComposeResult:
        with Vertical(id="caution"):
            yield Static(self.script.title, id="caution-title")
            yield Static("Before you begin", classes="hint")
            yield Static(self.script.caution or "", id="caution-text")
            holds = self.script.has_holds
            if holds and self.gentle:
                yield Static("Gentle is on: the holds are left out.", classes="hint")
            elif holds and self.from_list:
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
