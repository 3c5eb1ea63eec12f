"""What each kind of step shows, written once for every front end.

A step kind's length text, its Enter hint, its words on screen and its line in
``calm show`` live here, in one ``StepWords`` per kind. A new kind of step adds
its model, its loader checks, its timeline layout and one class here; no front
end changes (see CONTRIBUTING.md, "Adding a step kind").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from calm.core.script import BreatheStep, MoveStep, PromptStep, Step, StepKind
from calm.core.timeline import MoveMark, Segment, StepSpan
from calm.present.measures import (
    breaths_text,
    duration_text,
    pattern_text,
    phase_label,
    rate_text,
    seconds_text,
)

ENTER_HINT = "Press Enter when you are ready."
"""Under a prompt on screen, unless its own words already speak of Enter."""
PLAIN_ENTER_HINT = " (press Enter to continue)"
ASKS_HINT = "Press Enter for the questions."
"""Under a prompt whose questions were put aside with Esc: Enter brings them back."""
"""After a prompt's words in plain text, unless they already speak of Enter."""
SELF_PACED = "self-paced"
"""The length of a prompt that waits for Enter however long it takes."""

if TYPE_CHECKING:
    # Only ``calm show`` draws with rich; the plain runner and the screen never load it here.
    from rich.text import Text

Fit = Callable[[str], str]
"""Shortens a script's words to the room there is (``calm show``)."""


class StepWords:
    """How one kind of step is shown: the default, for a step of words alone."""

    def session_length(self, span: StepSpan) -> str:
        """The step's length as a session begins it: "45 s"."""
        return duration_text(span.ms / 1000)

    def preview_length(self, span: StepSpan) -> str:
        """The step's length in ``calm show``'s table."""
        return duration_text(span.ms / 1000)

    def self_paced(self, step: Step) -> bool:
        """Whether the step waits for the user however long it takes."""
        return False

    def words_and_hint(self, segment: Segment, step: Step) -> tuple[str, str]:
        """The big words on the session screen, and the quiet line beneath them."""
        return segment.text or "", ""

    def plain_text(self, step: Step) -> str:
        """The step's words under its line in plain text."""
        return step.text

    def plain_moment(self, segment: Segment) -> str | None:
        """A line as a moment inside the step begins, in plain text; None for none."""
        return None

    def preview(self, span: StepSpan, fit: Fit) -> Text:
        """What happens in the step, for ``calm show``."""
        from rich.text import Text

        return Text(fit(span.step.text))


class BreatheWords(StepWords):
    """A breathing step: its breaths, its pattern and its rate."""

    def session_length(self, span: StepSpan) -> str:
        """The step's length: "14 breaths, 1 min 30 s"."""
        return f"{breaths_text(span.cycles)}, {duration_text(span.ms / 1000)}"

    def words_and_hint(self, segment: Segment, step: Step) -> tuple[str, str]:
        """The phase's words (or its name) big, and the step's words beneath."""
        assert segment.phase is not None
        return segment.text or phase_label(segment.phase), step.text

    def preview(self, span: StepSpan, fit: Fit) -> Text:
        """The pattern, the breaths and the rate, then the step's and each phase's words."""
        from rich.text import Text

        step = span.step
        assert isinstance(step, BreatheStep)
        what = Text(f"{pattern_text(step)} × {breaths_text(span.cycles)}")
        what.append(f" · {rate_text(span.breaths_per_minute)}", style="dim")
        if step.text:
            what.append(f"\n{fit(step.text)}")
        for spec in step.pattern:
            if spec.text:
                what.append(f"\n  {spec.phase.value}: {fit(spec.text)}", style="dim")
        return what


class PromptWords(StepWords):
    """A prompt: it waits for Enter, for up to its timeout if it has one."""

    def session_length(self, span: StepSpan) -> str:
        """ "self-paced", or "up to 30 s"."""
        timeout = _timeout_ms(span.step)
        return SELF_PACED if timeout is None else f"up to {duration_text(timeout / 1000)}"

    def preview_length(self, span: StepSpan) -> str:
        """ "self-paced", or "up to 30 s"."""
        timeout = _timeout_ms(span.step)
        return SELF_PACED if timeout is None else f"up to {seconds_text(timeout / 1000)}"

    def self_paced(self, step: Step) -> bool:
        """A prompt with no timeout waits as long as it takes."""
        return _timeout_ms(step) is None

    def words_and_hint(self, segment: Segment, step: Step) -> tuple[str, str]:
        """The prompt's words, and how to carry on unless they say it already."""
        words = segment.text or ""
        if isinstance(step, PromptStep) and step.asks:
            return words, ASKS_HINT  # seen only once the questions are put aside
        return words, "" if _speaks_of_enter(words) else ENTER_HINT

    def plain_text(self, step: Step) -> str:
        """The prompt's words, and how to carry on unless they say it already, or
        questions follow them."""
        if _speaks_of_enter(step.text) or (isinstance(step, PromptStep) and step.asks):
            return step.text
        return step.text + PLAIN_ENTER_HINT


class MoveWords(StepWords):
    """A stretch or a strengthening move: its side, set, repetition and what to do."""

    def words_and_hint(self, segment: Segment, step: Step) -> tuple[str, str]:
        """ "Calf stretch · left", or "3 of 10 · up", or "Rest"; beneath, the set and how."""
        move, what = _move(step), segment.move
        assert what is not None
        where = move_place(what)
        if what.part == "rest":
            return "Rest", f"Next: {where}" if where else ""
        if what.part == "hold":
            words = f"{move.text} · {what.side}" if what.side else move.text
            # The side is in the big words already: beneath them, only the set.
            where = move_place(what, side=False)
        else:
            assert what.rep is not None and what.reps is not None
            words = f"{what.rep + 1} of {what.reps} · {what.part}"
        return words, " · ".join(part for part in (where, move.how) if part)

    def plain_text(self, step: Step) -> str:
        """How to do it, under the step's line."""
        move = _move(step)
        return f"{move.text}: {move.how}" if move.how else move.text

    def plain_moment(self, segment: Segment) -> str | None:
        """A line as each side, set and rest begins (not each repetition)."""
        what = segment.move
        if what is None or (what.rep or 0) > 0 or what.part == "down":
            return None
        seconds = seconds_text((segment.ms or 0) / 1000)
        if what.part == "rest":
            return f"  rest · {seconds}"
        work = f"hold {seconds}" if what.part == "hold" else f"{what.reps} reps"
        place = move_place(what)
        return f"  {place} · {work}" if place else f"  {work}"

    def preview(self, span: StepSpan, fit: Fit) -> Text:
        """What each set holds, the sides, the sets and the rests; then how."""
        from rich.text import Text

        move = _move(span.step)
        if move.hold_ms is not None:
            work = f"hold {seconds_text(move.hold_ms / 1000)}"
        else:
            assert move.reps is not None and move.tempo is not None
            up, down = (seconds_text(part / 1000) for part in move.tempo)
            work = f"{move.reps} reps, {up} up, {down} down"
        parts = [work]
        if move.sides:
            parts.append(" and ".join(move.sides))
        parts.append("1 set" if move.sets == 1 else f"{move.sets} sets")
        if move.rest_ms and (move.sets > 1 or len(move.sides) > 1):
            parts.append(f"rest {seconds_text(move.rest_ms / 1000)}")
        what = Text(fit(move.text), style="bold")
        what.append(f"\n{' · '.join(parts)}", style="dim")
        if move.how:
            what.append(f"\n{fit(move.how)}")
        return what


def move_place(mark: MoveMark, *, side: bool = True) -> str:
    """Where in a move step a moment is: "left · set 1 of 2", or "" for a single set
    (and no side, or ``side`` False)."""
    parts = [mark.side] if mark.side and side else []
    if mark.sets > 1:
        parts.append(f"set {mark.set_index + 1} of {mark.sets}")
    return " · ".join(parts)


def _move(step: Step) -> MoveStep:
    assert isinstance(step, MoveStep)
    return step


WORDS: dict[StepKind, StepWords] = {
    StepKind.SAY: StepWords(),
    StepKind.BREATHE: BreatheWords(),
    StepKind.PROMPT: PromptWords(),
    StepKind.MOVE: MoveWords(),
}
"""Each step kind's words; a test checks every kind has its own entry."""


def words_for(kind: StepKind) -> StepWords:
    """How a step of ``kind`` is shown."""
    return WORDS[kind]


def _timeout_ms(step: Step) -> int | None:
    assert isinstance(step, PromptStep)
    return step.timeout_ms


def _speaks_of_enter(text: str) -> bool:
    return "enter" in text.lower()
