"""The plain-text runner: one line as each step and phase begins.

It is what ``calm start --plain`` shows, and what runs whenever stdout is not a
terminal. It sleeps until the next boundary as the runner computes it from the
session start, so late wake-ups never add up.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import IO

from calm.core.clock import Clock, RunningClock
from calm.core.safe_text import shown_safely
from calm.core.script import StepKind
from calm.core.session import (
    EventKind,
    Listener,
    SessionEvent,
    SessionOutcome,
    SessionRunner,
    Status,
)
from calm.core.timeline import Timeline
from calm.core.trace import TraceWriter
from calm.crash import write_nowhere
from calm.plain.line_input import Input, LineReader
from calm.practice.check_in import NotNow
from calm.practice.recording import SessionRecorder
from calm.practice.signals import ENDING_SIGNALS, following_stops, handling
from calm.present.measures import (
    breaths_text,
    duration_text,
    length_text,
    phase_label,
    practised_text,
    seconds_text,
)

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
        if self._terminal and line:
            width = shutil.get_terminal_size().columns
            indent = " " * (len(line) - len(line.lstrip()))
            line = textwrap.fill(
                line.strip(), width, initial_indent=indent, subsequent_indent=indent + "  "
            )
        self.out.write(line + "\n")
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
            span = self.timeline.spans[segment.step]
            total = len(self.timeline.spans)
            if segment.kind is StepKind.BREATHE:
                length = f"{breaths_text(span.cycles)}, {duration_text(span.ms / 1000)}"
            elif segment.ms is None:
                length = "self-paced"
            elif segment.kind is StepKind.PROMPT:
                length = f"up to {duration_text(segment.ms / 1000)}"
            else:
                length = duration_text(segment.ms / 1000)
            self.say(f"Step {segment.step_number} of {total} · {length}")
            text = span.step.text
            if segment.kind is StepKind.PROMPT and "enter" not in text.lower():
                text += " (press Enter to continue)"
            if text:
                self.say(f"  {text}")
        elif event.kind is EventKind.PHASE and segment is not None and segment.phase:
            span = self.timeline.spans[segment.step]
            count = f"{(segment.cycle or 0) + 1}/{span.cycles}"
            label = segment.text or phase_label(segment.phase)
            self.say(f"  {count:>7}  {label} · {seconds_text((segment.ms or 0) / 1000)}")

    def closing(self, outcome: SessionOutcome, progress: str | None = None) -> None:
        """The one-line summary, the week's sentence, and the reminder after a finished session."""
        breathing = bool(self.timeline.script.breathe_steps)
        done = practised_text(outcome.practised_seconds, outcome.breaths, breathing=breathing)
        if outcome.status is Status.COMPLETED:
            self.say()
            self.say(f"That's the end of the session: {done}.")
            if progress:
                self.say(progress)
            reminder = self.timeline.script.reminder
            if reminder:
                self.say(reminder)
        else:
            self.say(f"Session ended after {done}. Take a moment before you get up.")
            if progress:
                self.say(progress)


def run_plain(
    timeline: Timeline,
    *,
    out: IO[str] | None = None,
    stdin: IO[str] | None = None,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    trace: TraceWriter | None = None,
    sound: Listener | None = None,
    recorder: SessionRecorder | None = None,
    check_in: Callable[[], int | None] | None = None,
    skip_caution: bool = False,
) -> SessionOutcome:
    """Run a whole session as lines of text; Ctrl+C ends it calmly.

    Args:
        sound: Hears every event straight after the trace, so that a cue starts as its
            moment begins and its trace line follows the event that called for it.
        recorder: Writes the session into the history as it starts and ends.
        check_in: Asks how tense the user feels, after the opening lines; Ctrl+C
            there, or ``NotNow`` from it, leaves before the session starts.
        skip_caution: Leave the script's caution out of the opening lines, as for a demo.
    """
    printer = PlainPrinter(timeline, out or sys.stdout, show_caution=not skip_caution)
    reader = LineReader(stdin or sys.stdin)
    # The real clock leaves out any time calm spends stopped (Ctrl+Z, then fg).
    running_clock = RunningClock() if clock is None else None
    runner = SessionRunner(timeline, clock=clock or running_clock)
    follower = recorder.follow(runner) if recorder is not None else None
    for listener in (trace, sound, printer, follower):
        if listener is not None:
            runner.add_listener(listener)
    stops = (
        following_stops(running_clock) if running_clock is not None else contextlib.nullcontext()
    )
    with _signals_as_interrupt(), stops:
        try:
            printer.opening()
            mood_before = check_in() if check_in is not None else None
        except KeyboardInterrupt:
            printer.interrupted()
            printer.say("Nothing was started.")
            return runner.outcome()
        except NotNow:
            printer.say("Nothing was started.")
            return runner.outcome()
        try:
            if recorder is not None:
                recorder.started(timeline, mood_before=mood_before)
            runner.start()
            while runner.running:
                _wait_for_next_moment(runner, reader, sleep)
        except KeyboardInterrupt:
            printer.interrupted()
            runner.finish()
        except BrokenPipeError:
            # Whatever read the session went away (`calm start box | head`): it ends
            # there, as if the window had closed, and is written down with its time.
            write_nowhere(sys.stdout, sys.stderr)
            runner.finish()
        outcome = runner.outcome()
        progress = None
        if recorder is not None:
            recorder.ended(outcome)
            progress = recorder.week_sentence()
    printer.closing(outcome, progress)
    return outcome


def _wait_for_next_moment(
    runner: SessionRunner, reader: LineReader, sleep: Callable[[float], None]
) -> None:
    if runner.segment.kind is StepKind.PROMPT and reader.fresh_prompt(runner.segment.index):
        # An Enter pressed during the breathing was meant for then, not for this prompt.
        reader.discard_pending()
    if runner.waiting:
        reader.wait(None)
        runner.continue_prompt()
        return
    delay = runner.seconds_to_next_boundary() or 0.0
    if runner.segment.kind is StepKind.PROMPT:
        # A timed prompt: Enter moves on early, otherwise it runs to its limit.
        answer = reader.wait(delay)
        if answer is Input.LINE:
            runner.continue_prompt()
            return
        if answer is Input.CLOSED:
            sleep(delay)
    else:
        sleep(delay)
    runner.poll()


@contextmanager
def _signals_as_interrupt() -> Iterator[None]:
    """Let ``kill``, a closed terminal window, or any other signal that would end calm
    on the spot, end a plain session as calmly as Ctrl+C.

    After a hang-up there is no terminal to write to, so what would have been
    shown goes to the null device; the session is still written down as it ended.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if signum == getattr(signal, "SIGHUP", None):
            write_nowhere(sys.stdout, sys.stderr)
        raise KeyboardInterrupt

    with handling(ENDING_SIGNALS, interrupt):
        yield
