"""The summary screen: how the session went, and a gentle word for afterwards."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from calm.script import Script
from calm.session import SessionOutcome, Status
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.wording import breaths_text, duration_text

SETTLE_SECONDS = 0.4
"""Keys pressed sooner than this after the summary appears were meant for the session."""


class SummaryScreen(CalmScreen[None]):
    """Shows the outcome; Enter leaves."""

    BINDINGS = [Binding("enter,q,escape", "leave", "Leave")]

    def __init__(self, script: Script, outcome: SessionOutcome, afterwards: str) -> None:
        super().__init__()
        self.script = script
        self.outcome = outcome
        self.afterwards = afterwards
        self._shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        heading = "Session complete" if outcome.status is Status.COMPLETED else "Ended early"
        practised = duration_text(outcome.practised_seconds)
        with Vertical(id="summary"):
            yield Static(heading, id="summary-title")
            yield Static(self.script.title, classes="hint")
            yield Static(
                f"{practised} practised · {breaths_text(outcome.breaths)}", id="summary-numbers"
            )
            yield Static(self.afterwards, id="afterwards")
            yield Static("Press Enter to leave.", classes="hint")
        yield TooSmall()
        yield Footer()

    def on_mount(self) -> None:
        self._shown_at = time.monotonic()

    def action_leave(self) -> None:
        """Close the app, once the summary has been on screen for a moment."""
        # An Enter pressed twice at a closing prompt must not skip the summary unseen.
        if time.monotonic() - self._shown_at >= SETTLE_SECONDS:
            self.dismiss(None)
