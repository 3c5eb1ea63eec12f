"""The summary screen: how the session went, and a gentle word for afterwards."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from calm import check_in
from calm.script import Script
from calm.session import SessionOutcome, Status
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.wording import breaths_text, duration_text


class SummaryScreen(CalmScreen[None]):
    """Shows the outcome, and takes the closing check-in when it is on; Enter leaves."""

    BINDINGS = [Binding("enter,q,escape", "leave", "Leave")]

    def __init__(
        self,
        script: Script,
        outcome: SessionOutcome,
        afterwards: str,
        *,
        progress: str | None = None,
        on_mood: Callable[[int], None] | None = None,
    ) -> None:
        """Set up the summary.

        Args:
            progress: The kind sentence about the week's practice, when there is a history.
            on_mood: Takes the closing check-in; None when the check-in is off.
        """
        super().__init__()
        self.script = script
        self.outcome = outcome
        self.afterwards = afterwards
        self.progress = progress
        self.on_mood = on_mood
        self.mood: int | None = None

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        heading = "Session complete" if outcome.status is Status.COMPLETED else "Ended early"
        numbers = f"{duration_text(outcome.practised_seconds)} practised"
        if self.script.breathe_steps:  # "0 breaths" after a grounding script says nothing
            numbers += f" · {breaths_text(outcome.breaths)}"
        with Vertical(id="summary"):
            yield Static(heading, id="summary-title")
            yield Static(self.script.title, id="summary-script", classes="hint")
            yield Static(numbers, id="summary-numbers")
            if self.progress:
                yield Static(self.progress, id="summary-week")
            yield Static(self.afterwards, id="afterwards")
            if self.on_mood is not None:
                yield Static(check_in.AFTER, id="summary-check-in")
                yield Static(check_in.SCALE, id="summary-scale")
            yield Static("Press Enter to leave.", id="summary-leave", classes="hint")
        yield TooSmall()
        yield Footer()

    def on_key(self, event: events.Key) -> None:
        """With the check-in on, 1 to 5 notes how tense the user feels now."""
        mood = check_in.mood_from_key(event.character or "")
        if self.on_mood is None or mood is None:
            return
        event.stop()
        if self.too_small or not self.settled:
            return  # A digit pressed as the session ended was not an answer to this.
        self.mood = mood
        self.on_mood(mood)
        self.query_one("#summary-check-in", Static).update(
            f"You said {mood}. Thank you for checking in."
        )
        self.query_one("#summary-scale", Static).display = False

    def action_leave(self) -> None:
        """Close the app, once the summary has been on screen for a moment."""
        # An Enter pressed twice at a closing prompt must not skip the summary unseen.
        if self.settled:
            self.answer(None)
