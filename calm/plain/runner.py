"""The plain-text view: a whole session as lines of text.

It is what ``calm start --plain`` shows, and what runs whenever stdout is not a
terminal. It sleeps until the next boundary as the runner computes it from the
session start, so late wake-ups never add up. Everything around the session
(sound, trace, history, closing words) is the practice service's.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import IO

from calm.core.clock import Clock, RunningClock
from calm.core.session import SessionOutcome, SessionRunner, Status
from calm.core.timeline import Timeline
from calm.crash import write_nowhere
from calm.plain.asking import ask_about_rung, ask_mood
from calm.plain.bell import terminal_bell
from calm.plain.line_input import Input, LineReader
from calm.plain.printer import PlainPrinter
from calm.practice import check_in as questions
from calm.practice.check_in import NotNow
from calm.practice.service import Practice
from calm.practice.signals import ENDING_SIGNALS, following_stops, handling


def run(timeline: Timeline, practice: Practice) -> SessionOutcome:
    """Run one session on the terminal or pipe calm was started on, check-in and all."""
    ring = terminal_bell()
    # Made ready first, so that anything the sound has to say comes before the session.
    practice.prepare_sound(timeline, ring)
    ask = (
        (lambda: ask_mood(questions.BEFORE, sys.stdin, sys.stdout, may_go_back=True))
        if practice.check_in
        else None
    )
    outcome = run_plain(timeline, practice, check_in=ask, ring=ring)
    if practice.sound is not None:
        practice.sound.finish()
    if practice.check_in and outcome.status is not Status.READY:
        _closing_check_in(practice)
    return outcome


def run_plain(
    timeline: Timeline,
    practice: Practice,
    *,
    out: IO[str] | None = None,
    stdin: IO[str] | None = None,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    check_in: Callable[[], int | None] | None = None,
    ring: Callable[[], None] | None = None,
) -> SessionOutcome:
    """Run a whole session as lines of text; Ctrl+C ends it calmly.

    Args:
        practice: Gives the runner, with the trace, sound and history following it.
        check_in: Asks how tense the user feels, after the opening lines; Ctrl+C
            there, or ``NotNow`` from it, leaves before the session starts.
        ring: Rings the terminal's bell, for a machine with no sound device.
    """
    printer = PlainPrinter(
        timeline, out or sys.stdout, show_caution=not practice.options.skip_caution
    )
    reader = LineReader(stdin or sys.stdin)
    # The real clock leaves out any time calm spends stopped (Ctrl+Z, then fg).
    running_clock = RunningClock() if clock is None else None
    stops = (
        following_stops(running_clock) if running_clock is not None else contextlib.nullcontext()
    )
    with _signals_as_interrupt() as session_over, stops:
        try:
            printer.opening()
            mood_before = check_in() if check_in is not None else None
        except KeyboardInterrupt:
            printer.interrupted()
            printer.say("Nothing was started.")
            return SessionRunner(timeline).outcome()
        except NotNow:
            printer.say("Nothing was started.")
            return SessionRunner(timeline).outcome()
        runner = practice.begin(
            timeline,
            mood_before=mood_before,
            clock=clock or running_clock,
            ring=ring,
            listeners=[printer],
        )
        finder = practice.pace_finder

        def ask(step: int) -> bool:
            rung = finder.rung_at(step) if finder is not None else None
            if finder is None or rung is None:
                return False
            return ask_about_rung(finder, rung, stdin or sys.stdin, out or sys.stdout)

        # A signal is a KeyboardInterrupt until the session is over, and only the first:
        # one that comes while leaving some other way (below) is caught the same.
        try:
            try:
                runner.start()
                while runner.running:
                    _wait_for_next_moment(runner, reader, sleep, ask)
            except (BrokenPipeError, EOFError):
                # Whatever read the session went away (`calm start box | head`), or the
                # terminal that answers calm pace's questions did (its window closed,
                # and its hang-up is on its way): it ends there, as if the window had
                # closed, and is written down with its time.
                session_over()
                write_nowhere(sys.stdout, sys.stderr)
            session_over()
        except KeyboardInterrupt:
            session_over()
            printer.interrupted()
        runner.finish()
        outcome = runner.outcome()
        progress = practice.end(outcome)
    printer.closing(outcome, progress, practice.afterwards(timeline))
    return outcome


def _closing_check_in(practice: Practice) -> None:
    """Ask how tense the user feels now, after the session."""
    try:
        mood = ask_mood(questions.AFTER, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        mood = None  # Ctrl+C at the last question only skips it.
        sys.stdout.write("\n")
    if mood is not None:
        practice.mood_after(mood)


def _wait_for_next_moment(
    runner: SessionRunner,
    reader: LineReader,
    sleep: Callable[[float], None],
    ask: Callable[[int], bool] = lambda step: False,
) -> None:
    if runner.at_prompt and reader.fresh_prompt(runner.segment.index):
        # An Enter pressed during the breathing was meant for then, not for this prompt.
        reader.discard_pending()
    if runner.waiting:
        # calm pace's questions, one key each, move the session on; else Enter does.
        if not ask(runner.segment.step):
            reader.wait(None)
        runner.continue_prompt()
        return
    delay = runner.seconds_to_next_boundary() or 0.0
    if runner.at_prompt:
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
def _signals_as_interrupt() -> Iterator[Callable[[], None]]:
    """Let ``kill``, a closed terminal window, or any other signal that would end calm
    on the spot, end a plain session as calmly as Ctrl+C; yields what to call once
    the session is over, so that no signal cuts short its writing down.

    After a hang-up there is no terminal to write to, so what would have been
    shown goes to the null device; the session is still written down as it ended.
    Only the first signal interrupts: a closing window sends two hang-ups at once,
    and the second must not interrupt the leaving the first began.
    """
    leaving = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal leaving
        if signum == getattr(signal, "SIGHUP", None):
            write_nowhere(sys.stdout, sys.stderr)
        if not leaving:
            leaving = True
            raise KeyboardInterrupt

    def over() -> None:
        nonlocal leaving
        leaving = True

    with handling(ENDING_SIGNALS, interrupt):
        yield over
