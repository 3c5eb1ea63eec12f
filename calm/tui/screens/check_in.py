"""The check-in screen: how tense the user feels before the session, in one keypress."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from calm import check_in
from calm.tui.screens.base import CalmScreen, TooSmall

BACK_KEYS = ("escape", "q")
"""Keys that go back instead of beginning, as on the caution screen."""


@dataclass(frozen=True, slots=True)
class CheckInAnswer:
    """What the user chose: to begin (with a mood, or none), or to go back."""

    begin: bool
    mood: int | None = None


class CheckInScreen(CalmScreen[CheckInAnswer]):
    """Asks once; 1 to 5 is a mood, Esc or q goes back, any other key skips."""

    def __init__(self, title: str) -> None:
        """Ask before the script called ``title``."""
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="check-in"):
            yield Static(self.title_text, id="check-in-title")
            yield Static(check_in.BEFORE, id="check-in-question")
            yield Static(check_in.SCALE, id="check-in-scale")
            yield Static(f"Esc or q goes back. {check_in.SKIP}", classes="hint")
        yield TooSmall()

    def on_key(self, event: events.Key) -> None:
        """Any key answers, once the question can be seen."""
        event.stop()
        event.prevent_default()
        if event.key in BACK_KEYS:
            self.answer(CheckInAnswer(begin=False))  # a way out needs no reading
            return
        if self.too_small or not self.settled:
            # A key pressed at a question nobody can read, or typed before it was
            # asked, is not an answer.
            return
        self.answer(CheckInAnswer(begin=True, mood=check_in.mood_from_key(event.character or "")))
