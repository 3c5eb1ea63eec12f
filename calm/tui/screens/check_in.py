"""The check-in screen: how tense the user feels before the session, in one keypress."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from calm import check_in
from calm.tui.screens.base import CalmScreen, TooSmall


class CheckInScreen(CalmScreen[int | None]):
    """Dismisses with a mood from 1 to 5, or None when any other key skips it."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="check-in"):
            yield Static(self.title_text, id="check-in-title")
            yield Static(check_in.BEFORE, id="check-in-question")
            yield Static(check_in.SCALE, id="check-in-scale")
            yield Static(check_in.SKIP, classes="hint")
        yield TooSmall()

    def on_key(self, event: events.Key) -> None:
        """Any key answers: 1 to 5 is a mood, anything else skips."""
        event.stop()
        event.prevent_default()
        self.dismiss(check_in.mood_from_key(event.character or ""))
