"""The help screen: every key of the session, on one quiet page."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from calm.tui.key_help import session_keys
from calm.tui.screens.base import CalmScreen, Settling

FOLLOWED = (
    "This session is led from the calm computer. It pauses, skips and ends there, "
    "for everyone at once; nothing pressed here changes it."
)


class HelpScreen(Settling, ModalScreen[None]):
    """Lists the keys; any of escape, enter, q or ? closes it, and nothing else.

    The session waits underneath while it is open (see ``SessionScreen.action_help``).
    """

    HORIZONTAL_BREAKPOINTS = CalmScreen.HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = CalmScreen.VERTICAL_BREAKPOINTS

    BINDINGS = [Binding("escape,enter,q,question_mark", "close", "Close")]

    def __init__(self, *, followed: bool = False) -> None:
        """The keys; for a viewer of a shared session (``followed``), that it has none."""
        super().__init__()
        self.followed = followed

    def compose(self) -> ComposeResult:
        if self.followed:
            with Vertical(id="help", classes="card"):
                yield Static("Breathing together", id="help-title")
                yield Static(FOLLOWED)
                yield Static("Press escape to close.", classes="hint")
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for row in session_keys():
            # In a browser there is no shell to step out to (calm serve).
            if not (row.action == "suspend_process" and self.app.is_web):
                table.add_row(row.keys, row.what)
        with Vertical(id="help", classes="card"):
            yield Static("Keys", id="help-title")
            yield Static(table)
            yield Static("The session waits while you read. Press escape to close.", classes="hint")

    _close_asked = False

    def action_close(self) -> None:
        """Close the help, once: two keys arriving together must not close what is beneath."""
        if not self._close_asked:
            self._close_asked = True
            self.dismiss(None)
