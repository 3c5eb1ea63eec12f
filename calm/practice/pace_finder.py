"""A run of ``calm pace``: the ladder, the answers as they come, and what is kept.

The front ends ask the three questions when the session waits at a rung's
question prompt (``rung_at``), and give the answers here (``answer``). When the
session ends, the practice service keeps the result, if the ladder ran to its end,
and the summary says what was found (``closing_words``).
"""

from __future__ import annotations

from calm.core.pace import pace_text
from calm.core.script import Script
from calm.practice.pace_choice import PaceChoice, RungAnswers, choose_pace
from calm.practice.pace_ladder import Ladder, ladder_script

EASE = "How easy was that pace?"
EASE_SCALE = "1 hard · 2 · 3 · 4 · 5 very easy"
CALM = "How calm do you feel?"
CALM_SCALE = "1 not at all · 2 · 3 · 4 · 5 very calm"
LIGHT_HEADED = "Any light-headedness or air hunger?"
YES_NO = "y yes · n no"
QUESTIONS = ((EASE, EASE_SCALE), (CALM, CALM_SCALE), (LIGHT_HEADED, YES_NO))
"""The three questions after each rung, each with the keys that answer it."""


def stop_if_dizzy(stop: str = "q") -> str:
    """What is said after light-headedness, with the key that stops (``stop``): q on
    the screen, Ctrl+C as plain text, where q is just a letter."""
    return (
        f"Breathe normally now. If it happens again, stop with {stop}; that is a fine result too."
    )


STOP_IF_DIZZY = stop_if_dizzy()


def scale_answer(key: str) -> int | None:
    """1 to 5 from a key; None for any other key."""
    return int(key) if len(key) == 1 and key in "12345" else None


def yes_no_answer(key: str) -> bool | None:
    """y or n from a key, in either case; None for any other key."""
    return {"y": True, "n": False}.get(key.lower()) if len(key) == 1 else None


class PaceFinder:
    """One run of the ladder, from its first rung to what is kept."""

    def __init__(self, ladder: Ladder) -> None:
        """Run ``ladder``; its script is ``script``."""
        self.ladder = ladder
        self.script: Script
        self.script, self._questions = ladder_script(ladder)
        self.answers: dict[int, RungAnswers] = {}
        """Each rung's answers, by rung; a rung gone back to and answered again is replaced."""
        self.completed = False
        """Whether the ladder ran to its end (set by the practice service as it ends)."""
        self.kept: bool | None = None
        """Whether the result was written into the history; None until the end."""
        self.preferred_now: float | None = None
        """The preferred pace scripts use once the result is kept: the middle of the
        latest few found (``calm.practice.pace_results``); None when none is found."""

    def restart(self) -> None:
        """A new run of the same ladder begins (the summary's "again"): nothing answered."""
        self.answers = {}
        self.completed = False
        self.kept = None
        self.preferred_now = None

    @property
    def every_rung_answered(self) -> bool:
        """Whether each rung's questions are answered: the ladder's whole work done, even
        if the session is ended in its last quiet moments."""
        return len(self.answers) == len(self.ladder.paces)

    def rung_at(self, step: int) -> int | None:
        """The rung whose questions the step at index ``step`` asks, if it asks any."""
        return self._questions.get(step)

    def pace_of(self, rung: int) -> float:
        """The pace of ``rung``, counted from 0."""
        return self.ladder.paces[rung]

    def answer(self, rung: int, ease: int, calm: int, light_headed: bool) -> None:
        """The three answers after ``rung``."""
        self.answers[rung] = RungAnswers(self.pace_of(rung), ease, calm, light_headed)

    def choice(self) -> PaceChoice | None:
        """The pace kept from the answers so far; None before any."""
        if not self.answers:
            return None
        return choose_pace([self.answers[rung] for rung in sorted(self.answers)])

    def ordered_answers(self) -> tuple[RungAnswers, ...]:
        """The answers, fastest rung first."""
        return tuple(self.answers[rung] for rung in sorted(self.answers))

    def closing_words(self) -> str:
        """What the summary says of the run: the pace kept, or why nothing was."""
        choice = self.choice()
        if not self.completed:
            return (
                "You stopped before the end, so nothing was saved, and that is fine."
                " The ladder is here whenever you would like to try it again: calm pace."
            )
        if choice is None:
            return "No pace was answered, so nothing was saved. Try again whenever you like."
        if not self.kept:
            return self._unsaved_words(choice)
        now = self.preferred_now
        if not choice.found:
            kept = (
                f"your preferred pace stays {pace_text(now)} breaths a minute, from earlier runs"
                if now is not None
                else "scripts at your preferred pace breathe at 6 a minute, which suits most people"
            )
            return (
                f"No pace felt both easy and free of light-headedness today, so {kept}."
                " Another day may feel different."
            )
        said = pace_text(choice.pace)
        used = (
            "use it"
            if now is None or now == choice.pace
            else f"use the middle of your latest results, now {pace_text(now)}"
        )
        return (
            f"Your preferred slow pace today: {said} breaths a minute. Scripts that breathe"
            f' at pace = "preferred", such as my-pace, {used}. Paces vary from day to day:'
            " trying again on another day or two makes it surer."
        )

    @staticmethod
    def _unsaved_words(choice: PaceChoice) -> str:
        """The run's words when this session keeps no history (a demo, history off)."""
        found = (
            f"The pace that suited you best today: {pace_text(choice.pace)} breaths a minute."
            if choice.found
            else "No pace felt both easy and free of light-headedness today."
        )
        return f"{found} It was not saved, as this session keeps no history."
