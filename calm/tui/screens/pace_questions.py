"""The three questions after each rung of ``calm pace``: one key each."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical

from calm.core.pace import pace_text
from calm.practice import pace_finder as asked
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.tui.widgets.plain import Plain

BACK_KEYS = ("escape",)
"""Back to the session, which waits at its prompt; Enter there asks again."""
END_KEYS = ("q",)
"""End the run here, as q does in the session: it can stop at any time."""
END = "end"
"""What the screen answers when the run is to end."""
BACK = "Esc goes back to the session; q ends the run."
GO_ON = "Press any key to go on."
NEXT_QUESTION_SECONDS = 0.2
"""How long after one answer a key counts for the next question: longer than a key
bounces or repeats, shorter than anyone reads a question."""


@dataclass(frozen=True, slots=True)
class PaceAnswers:
    """The three answers after a rung."""

    ease: int
    calm: int
    light_headed: bool


class PaceQuestionsScreen(CalmScreen[PaceAnswers | str | None]):
    """Asks how easy the rung was, how calm the user feels, and whether it brought any
    light-headedness; a key that answers nothing is left unanswered, never guessed.
    Esc answers None (back to the session) and q answers ``END``."""

    def __init__(self, pace: float, rung: int, rungs: int) -> None:
        """Ask about rung ``rung`` (from 0) of ``rungs``, breathed at ``pace`` a minute."""
        super().__init__()
        self.heading = f"Rung {rung + 1} of {rungs}: {pace_text(pace)} breaths a minute"
        self._asking = 0
        self._ease: int | None = None
        self._calm: int | None = None
        self._asked_at = float("-inf")
        """When the question shown now replaced the one before it."""
        self._answers: PaceAnswers | None = None
        """All three, held while the word about light-headedness is read."""

    def compose(self) -> ComposeResult:
        question, scale = asked.QUESTIONS[0]
        yield self.notices
        with Vertical(id="pace-questions", classes="card"):
            yield Plain(self.heading, classes="card-title")
            yield Plain(question, id="pace-question")
            yield Plain(scale, id="pace-scale")
            yield Plain(BACK, id="pace-hint", classes="hint")
        yield TooSmall()

    def on_key(self, event: events.Key) -> None:
        """One key answers the question shown, once the question can be seen."""
        event.stop()
        event.prevent_default()
        if not self.settled:
            return  # typed before the questions were asked: meant for the breathing
        if time.monotonic() - self._asked_at < NEXT_QUESTION_SECONDS:
            return  # a key pressed twice, or held, answers one question, not two
        if event.key in BACK_KEYS:
            self.answer(None)
            return
        if event.key in END_KEYS:
            self.answer(END)
            return
        if self.too_small:
            return  # a key pressed at a question nobody can read is not an answer
        if self._answers is not None:
            self.answer(self._answers)
            return
        key = event.character or ""
        if self._asking == 0 and (ease := asked.scale_answer(key)) is not None:
            self._ease = ease
        elif self._asking == 1 and (calm := asked.scale_answer(key)) is not None:
            self._calm = calm
        elif self._asking == 2 and (dizzy := asked.yes_no_answer(key)) is not None:
            assert self._ease is not None and self._calm is not None
            answers = PaceAnswers(self._ease, self._calm, dizzy)
            if not dizzy:
                self.answer(answers)
                return
            self._answers = answers
            self._show(asked.STOP_IF_DIZZY, "", GO_ON)
            return
        else:
            return  # not an answer to this question
        self._asking += 1
        question, scale = asked.QUESTIONS[self._asking]
        self._show(question, scale, BACK)
        self._asked_at = time.monotonic()

    def _show(self, question: str, scale: str, hint: str) -> None:
        self.query_one("#pace-question", Plain).update(question)
        self.query_one("#pace-scale", Plain).update(scale)
        self.query_one("#pace-hint", Plain).update(hint)
