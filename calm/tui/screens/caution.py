"""The caution screen: a script's caution, shown once before the session starts."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer

from calm.core.length_plan import LengthError
from calm.core.timeline import Timeline, compile_timeline
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.tui.widgets.plain import Plain

GENTLE_ON = "Gentle is on: the holds are left out."
GENTLE_KEY = "ctrl+g gives the gentle version, with no holds."


class CautionScreen(CalmScreen[Timeline | None]):
    """Dismisses with the session to run when the user is ready, or None to go back.

    When the script holds its breath, ctrl+g leaves the holds out (or puts them
    back), as it does in the list, so the session to run may differ from the one
    the screen was given.
    """

    BINDINGS = [
        Binding("enter", "begin", "Begin"),
        Binding("escape,q", "back", "Not now"),
        Binding("ctrl+g", "gentle", "Gentle"),
    ]

    def __init__(self, timeline: Timeline) -> None:
        """Show the caution of ``timeline``'s script."""
        super().__init__()
        self.timeline = timeline
        self.script = timeline.script

    def compose(self) -> ComposeResult:
        yield self.notices
        with Vertical(id="caution", classes="card"):
            yield Plain(self.script.title, id="caution-title", classes="card-title")
            yield Plain("Before you begin", classes="hint")
            yield Plain(self.script.caution or "", id="caution-text")
            if self.script.has_holds:
                yield Plain(self._gentle_words(), id="caution-gentle", classes="hint")
            yield Plain("Press Enter when you are ready.", classes="hint")
        yield TooSmall()
        yield Footer()

    def _gentle_words(self) -> str:
        return GENTLE_ON if self.timeline.options.gentle else GENTLE_KEY

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the gentle key only for a script with holds to leave out."""
        if action == "gentle" and not self.script.has_holds:
            return False
        return super().check_action(action, parameters)

    def action_begin(self) -> None:
        """Start the session."""
        self.answer(self.timeline)

    def action_back(self) -> None:
        """Do not start the session."""
        self.answer(None)

    def action_gentle(self) -> None:
        """Leave the holds out, or put them back."""
        options = replace(self.timeline.options, gentle=not self.timeline.options.gentle)
        try:
            self.timeline = compile_timeline(self.script, options)
        except LengthError as error:
            self.app.notify(str(error), severity="warning")
            return
        self.query_one("#caution-gentle", Plain).update(self._gentle_words())
