"""The serving terminal of ``calm serve --together``: its keys lead the shared session,
and its sound is the room's.

Every page runs a calm of its own that follows the shared log
(``calm.practice.together``). This terminal writes that log: Enter begins the
session for everyone at once, space pauses or resumes, n and b skip on and back,
c carries on from a prompt, and q ends it. It follows its own log too, through the
practice service, exactly as every page does, so the cues the room hears are the
ones every page shows, and its lines say where the session is.

Keys are read a character at a time (cbreak, so Ctrl+C still stops serving) on
the server's own event loop; a pipe works as well as a terminal, for tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from calm.core.session import EventKind, SessionEvent, Status
from calm.plain.printer import step_heading
from calm.practice.together import FollowingRunner, Leader

if TYPE_CHECKING:
    from calm.core.session import SessionRunner
    from calm.core.timeline import Timeline
    from calm.practice.service import Practice

KEYS = (
    "Press Enter to begin for everyone. Then space pauses or resumes, n skips on, "
    "b goes back, c carries on from a prompt, and q ends the session."
)
LEAD_IN = 0.2
"""How long after its key the session pauses or moves on: time for every page to read
the log first, so that all of them show the change at the same moment."""
START_LEAD_IN = 1.0
"""How long after Enter the session begins: time for every page to put its session on
the screen ("Beginning together") and then begin it at the same moment."""
LONGEST_WAIT = 0.5
"""The longest the terminal goes without looking at its session, when nothing is due."""
CONTROL_KEYS = {" ": "toggle", "n": "next", "b": "back", "c": "continue", "q": "end"}
"""Each key after the start, and the control it gives (space pauses or resumes)."""


class SharedLead:
    """Leads one shared session after another from this terminal's keys."""

    def __init__(
        self,
        timeline: Timeline,
        practice: Practice,
        log: Path,
        say: Callable[[str], None],
    ) -> None:
        """Lead ``timeline`` for every page that follows ``log``; ``practice`` runs this
        terminal's own following of it (the sound), and ``say`` prints a line."""
        self.timeline = timeline
        self.practice = practice
        self.say = say
        self.leader = Leader(log)
        self.runner: SessionRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._look: asyncio.TimerHandle | None = None
        self._input: int | None = None
        self._terminal: list[Any] | None = None
        self._serving = True
        """False once serving stops: a session that ends then cannot begin again."""

    # -- the terminal ------------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop, stream: IO[str] | None = None) -> None:
        """Read keys from ``stream`` (standard input by default) on ``loop`` from now."""
        self._loop = loop
        source = sys.stdin if stream is None else stream
        try:
            fd = source.fileno()
        except (AttributeError, OSError, ValueError):
            self.say("No keys can reach this terminal, so the session cannot be led.")
            return
        if os.isatty(fd):
            import termios
            import tty

            with contextlib.suppress(termios.error):
                self._terminal = termios.tcgetattr(fd)
                tty.setcbreak(fd)
        self._input = fd
        loop.add_reader(fd, self._read)
        self.say(KEYS)

    def detach(self) -> None:
        """Stop reading keys and give the terminal back as it was; end any session."""
        self._serving = False
        if self._look is not None:
            self._look.cancel()
            self._look = None
        if self._input is not None and self._loop is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self._input)
        if self._terminal is not None and self._input is not None:
            import termios

            with contextlib.suppress(termios.error):
                termios.tcsetattr(self._input, termios.TCSADRAIN, self._terminal)
            self._terminal = None
        self._input = None
        if self.runner is not None and self.runner.running:
            self.leader.control("end")
            self._follow()

    def _read(self) -> None:
        """Keys have come: each one, in order."""
        assert self._input is not None
        try:
            data = os.read(self._input, 1024)
        except OSError:
            data = b""
        if not data:
            assert self._loop is not None
            self._loop.remove_reader(self._input)
            self._input = None
            return
        for key in data.decode("utf-8", errors="replace"):
            self.press(key)

    # -- leading -----------------------------------------------------------------

    def press(self, key: str) -> None:
        """One key: Enter begins, the rest control a session under way."""
        running = self.runner is not None and self.runner.running
        if key in "\r\n":
            if not running:
                self.begin()
            return
        control = CONTROL_KEYS.get(key.lower())
        if control is None or not running:
            return
        if control == "toggle":
            assert self.runner is not None
            control = "resume" if self.runner.paused else "pause"
        self.leader.control(control, LEAD_IN)
        self._follow()

    def begin(self) -> None:
        """The session begins now, for every page following and every page to come."""
        if not self.leader.start(START_LEAD_IN):
            return
        self.say(f"{self.timeline.script.title} has begun for everyone.")
        runner = self.practice.begin(self.timeline, listeners=[self._heard])
        self.runner = runner
        self._follow()

    def _follow(self) -> None:
        """Bring this terminal's session to where the log says, and look again when the
        next moment is due."""
        if self._look is not None:
            self._look.cancel()
            self._look = None
        runner = self.runner
        if runner is None:
            return
        runner.poll()  # it begins, too, once the log's start has come
        if not runner.running and runner.status is not Status.READY:
            self._ended(runner)
            return
        moments = (runner.seconds_to_next_boundary(), self._next_control())
        due = min((moment for moment in moments if moment is not None), default=None)
        wait = LONGEST_WAIT if due is None else min(max(due, 0.0), LONGEST_WAIT)
        if self._loop is not None:
            self._look = self._loop.call_later(wait, self._follow)

    def _next_control(self) -> float | None:
        """Seconds until the session begins, or the next control given comes to be
        (see ``LEAD_IN``)."""
        runner = self.runner
        return runner.follower.due_in() if isinstance(runner, FollowingRunner) else None

    def _ended(self, runner: SessionRunner) -> None:
        """The session is over, for everyone: ready for the next."""
        self.runner = None
        self.practice.end(runner.outcome())

    def _heard(self, event: SessionEvent) -> None:
        """A line for each step, pause and end, so the room's leader knows where it is."""
        segment = event.segment
        if event.kind is EventKind.STEP and segment is not None:
            self.say(step_heading(self.timeline, segment))
        elif event.kind is EventKind.PAUSE:
            self.say("Paused for everyone. Space carries on.")
        elif event.kind is EventKind.RESUME:
            self.say("Carrying on.")
        elif event.kind is EventKind.END:
            done = "is complete" if event.status is Status.COMPLETED else "has ended"
            again = " Press Enter to begin it again for everyone." if self._serving else ""
            self.say(f"The session {done}.{again}")
