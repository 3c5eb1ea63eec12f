"""The summary screen: how the session went, and a gentle word for afterwards."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer

from calm.core.script import Script
from calm.core.session import SessionOutcome, Status
from calm.practice import check_in
from calm.present.measures import breaths_text, duration_text
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.tui.widgets.plain import Plain


class AfterSummary(Enum):
    """Where the user goes from the summary."""

    LEAVE = "leave"
    """Close calm."""
    AGAIN = "again"
    """Run the same session once more."""
    LIST = "list"
    """Back to the list, to choose another."""


class SummaryScreen(CalmScreen[AfterSummary]):
    """Shows the outcome, and takes the closing check-in when it is on.

    Enter leaves. A session chosen in the list may also be run again, or the
    list shown again, so that several can be tried without starting calm anew.
    """

    BINDINGS = [
        Binding("a", "again", "Again"),
        Binding("l,escape", "list", "Back to the list"),
        Binding("enter,q", "leave", "Leave"),
        Binding("d", "download", "Download audio"),
        # Esc leaves too when there is no list to go back to.
        Binding("escape", "leave", "Leave", show=False),
    ]

    def __init__(
        self,
        script: Script,
        outcome: SessionOutcome,
        afterwards: str,
        *,
        progress: str | None = None,
        on_mood: Callable[[int], None] | None = None,
        from_list: bool = False,
        followed: bool = False,
        download: Callable[[], None] | None = None,
    ) -> None:
        """Set up the summary.

        Args:
            progress: The kind sentence about the week's practice, when there is a history.
            on_mood: Takes the closing check-in; None when the check-in is off.
            from_list: The session was chosen in the list, which is still there to go back to.
            followed: The session was shared (``calm serve --together``): again waits
                for the next one the serving terminal begins.
            download: Delivers the session as audio, in a browser; None elsewhere.
        """
        super().__init__()
        self.script = script
        self.outcome = outcome
        self.afterwards = afterwards
        self.progress = progress
        self.on_mood = on_mood
        self.from_list = from_list
        self.followed = followed
        self.download = download
        self.mood: int | None = None

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        heading = "Session complete" if outcome.status is Status.COMPLETED else "Ended early"
        numbers = f"{duration_text(outcome.practised_seconds)} practised"
        if self.script.breathe_steps:  # "0 breaths" after a grounding script says nothing
            numbers += f" · {breaths_text(outcome.breaths)}"
        yield self.notices
        with Vertical(id="summary", classes="card"):
            yield Plain(heading, id="summary-title", classes="card-title")
            yield Plain(self.script.title, id="summary-script", classes="hint")
            yield Plain(numbers, id="summary-numbers")
            if self.progress:
                yield Plain(self.progress, id="summary-week")
            yield Plain(self.afterwards, id="afterwards")
            if self.on_mood is not None:
                yield Plain(check_in.AFTER, id="summary-check-in")
                yield Plain(check_in.SCALE, id="summary-scale")
            if self.download is not None:
                yield Plain("Press d to download this session as audio.", id="summary-download")
            yield Plain(self._leave_words(), id="summary-leave", classes="hint")
        yield TooSmall()
        yield Footer()

    def _leave_words(self) -> str:
        if self.from_list:
            return "Press a to go again, l for the list, or Enter to leave."
        if self.followed:
            return "Press a to join the next session together, or Enter to leave."
        return "Press Enter to leave."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Again and the list are there only when the session came from the list; again,
        too, after a shared session."""
        if action == "again" and not (self.from_list or self.followed):
            return False
        if action == "list" and not self.from_list:
            return False
        if action == "download" and self.download is None:
            return False
        return super().check_action(action, parameters)

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
        self.query_one("#summary-check-in", Plain).update(
            f"You said {mood}. Thank you for checking in."
        )
        self.query_one("#summary-scale", Plain).display = False

    def action_leave(self) -> None:
        """Close calm."""
        self.answer(AfterSummary.LEAVE)

    def action_download(self) -> None:
        """Make the session into an MP3 and hand it to the browser."""
        if self.download is not None:
            self.download()

    def action_again(self) -> None:
        """Run the same session again."""
        self.answer(AfterSummary.AGAIN)

    def action_list(self) -> None:
        """Back to the list."""
        self.answer(AfterSummary.LIST)
