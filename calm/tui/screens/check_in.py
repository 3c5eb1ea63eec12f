"""The check-in screen: how tense the user feels before the session, in one keypress."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical

from calm.practice import check_in
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.tui.widgets.plain import Plain

BACK_KEYS = ("escape", "q")
"""Keys that go back instead of beginning, as on the caution screen."""


@dataclass(frozen=True, slots=True)
class CheckInAnswer:
    """What the user chose: to begin (with a mood, or none), or to go back."""

    begin: bool
    mood: int | None = None


class CheckInScreen(CalmScreen[CheckInAnswer]):
    """Asks once; 1 to 5 is a mood, Esc or q means not now, any other key skips."""

    def __init__(self, title: str, *, from_list: bool = False) -> None:
        """Ask before the script called ``title``; ``from_list`` when it was chosen in the
        list, which Esc goes back to (started by name, Esc leaves calm)."""
        super().__init__()
        self.title_text = title
        self.from_list = from_list

    def compose(self) -> ComposeResult:
        yield self.notices
        with Vertical(id="check-in", classes="card"):
            yield Plain(self.title_text, id="check-in-title", classes="card-title")
            yield Plain(check_in.BEFORE, id="check-in-question")
            yield Plain(check_in.SCALE, id="check-in-scale")
            back = check_in.GO_BACK if self.from_list else check_in.NOT_NOW
            yield Plain(f"{back} {check_in.SKIP}", classes="hint")
        yield TooSmall()

    def on_key(self, event: events.Key) -> None:
        """Any key answers, once the question can be seen."""
        event.stop()
        event.prevent_default()
        if not self.settled:
            return  # typed before the question was asked: meant for the screen before
        if event.key in BACK_KEYS:
            self.answer(CheckInAnswer(begin=False))  # a way out needs no reading
            return
        if self.too_small:
            return  # a key pressed at a question nobody can read is not an answer
        self.answer(CheckInAnswer(begin=True, mood=check_in.mood_from_key(event.character or "")))
