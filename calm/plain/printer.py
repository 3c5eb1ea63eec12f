"""The plain-text printer: one line as each step and phase begins."""

from __future__ import annotations

from typing import IO

from calm.core.safe_text import shown_safely
from calm.core.script import BreatheStep
from calm.core.session import EventKind, SessionEvent, SessionOutcome, Status
from calm.core.timeline import Segment, Timeline
from calm.practice.closing import finished_line, parting_line
from calm.present.lines import wrapped
from calm.present.measures import breath_seconds_text, length_text, phase_label, seconds_text
from calm.present.steps import words_for

GENTLE_CHOSEN = "You chose --gentle: the holds are left out."
"""Said under a caution about holding the breath when the holds are already gone."""


class PlainPrinter:
    """Turns session events into lines of text."""

    def __init__(self, timeline: Timeline, out: IO[str], *, show_caution: bool = True) -> None:
        """Print for ``timeline`` to ``out``; ``show_caution`` False leaves the caution out."""
        self.timeline = timeline
        self.out = out
        self.show_caution = show_caution
        self._terminal = hasattr(out, "isatty") and out.isatty()

    def say(self, line: str = "") -> None:
        """Write one line right away, so it appears as the moment begins.

        On a terminal, long lines wrap between words, keeping their indent.
        """
        line = shown_safely(line)  # It may quote a script's words, which are data.
        self.out.write(wrapped(line, self.out) + "\n")
        self.out.flush()

    def interrupted(self) -> None:
        """Start a fresh line after the ^C a terminal echoes."""
        if self._terminal:
            self.out.write("\n")

    def opening(self) -> None:
        """The script's title, length and caution."""
        script = self.timeline.script
        self.say(f"{script.title} · {length_text(self.timeline)}")
        self.say(script.summary)
        if script.caution and self.show_caution:
            self.say(f"Caution: {script.caution}")
            if self.timeline.options.gentle and script.has_holds:
                self.say(f"  {GENTLE_CHOSEN}")
        self.say()

    def __call__(self, event: SessionEvent) -> None:
        """Print the line for one event."""
        segment = event.segment
        if event.kind is EventKind.STEP and segment is not None:
            self.say(step_heading(self.timeline, segment))
            text = words_for(segment.kind).plain_text(self.timeline.spans[segment.step].step)
            if text:
                self.say(f"  {text}")
        elif event.kind is EventKind.PHASE and segment is not None and segment.move is not None:
            line = words_for(segment.kind).plain_moment(segment)
            if line:
                self.say(line)
        elif event.kind is EventKind.PHASE and segment is not None and segment.phase:
            span = self.timeline.spans[segment.step]
            count = f"{(segment.cycle or 0) + 1}/{span.cycles}"
            label = segment.text or phase_label(segment.phase)
            ms, step = segment.ms or 0, span.step
            shown = (
                breath_seconds_text(ms, step)
                if isinstance(step, BreatheStep)
                else seconds_text(ms / 1000)
            )
            self.say(f"  {count:>7}  {label} · {shown}")

    def closing(
        self, outcome: SessionOutcome, progress: str | None = None, afterwards: str = ""
    ) -> None:
        """The one-line summary, the week's sentence, and what to do afterwards (the
        practice service's: a plan's reminder, the script's, a tip, or what calm pace
        found), as the screen's summary gives them."""
        if outcome.status is Status.COMPLETED:
            self.say()
            self.say(finished_line(self.timeline, outcome))
        else:
            self.say(parting_line(self.timeline, outcome))
        if progress:
            self.say(progress)
        if afterwards:
            self.say(afterwards)


def step_heading(timeline: Timeline, segment: Segment) -> str:
    """The line a step begins with in plain text: "Step 2 of 5 · 14 breaths, 3 min"."""
    span = timeline.spans[segment.step]
    length = words_for(segment.kind).session_length(span)
    return f"Step {segment.step_number} of {len(timeline.spans)} · {length}"
