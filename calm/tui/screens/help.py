"""The help screen: every key of the session, on one quiet page."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from calm.tui.screens.base import CalmScreen

KEYS = (
    ("space", "pause and resume"),
    ("enter", "carry on from a prompt"),
    ("n  →", "next step"),
    ("b  ←", "previous step"),
    ("m", "sound off and on"),
    ("?", "this help"),
    ("q  esc", "end, and see the summary"),
    ("ctrl+c", "leave at once"),
    ("ctrl+p", "all commands, and themes"),
)


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of escape, enter, q or ? closes it."""

    HORIZONTAL_BREAKPOINTS = CalmScreen.HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = CalmScreen.VERTICAL_BREAKPOINTS

    BINDINGS = [Binding("escape,enter,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in KEYS:
            table.add_row(key, what)
        with Vertical(id="help"):
            yield Static("Keys", id="help-title")
            yield Static(table)
            yield Static("Press escape to close.", classes="hint")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
