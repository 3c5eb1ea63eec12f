"""Leaving the full screen when a signal asks calm to end: as Ctrl+C does, and never hanging.

A signal from ``calm.practice.signals.ENDING_SIGNALS`` (``kill``, ``kill -INT``, a closed
window's SIGHUP, SIGQUIT, SIGUSR1 and the rest) ends the session the way Ctrl+C
does: it is written down as ended early with its time, the terminal is put
back, and the one-line summary is printed where there is still a terminal.

The handler runs in Python's main thread even while the app waits on something
that never comes, so it does not depend on the app being able to act. If
leaving has not finished ``GRACE_SECONDS`` after the first signal, calm records
the session itself, puts back what it can of the terminal without ever waiting
on it, and exits at once; it only waits a moment more while the history is
being written, so that no write is cut in half. Should even that be unable to
run, faulthandler's own thread ends calm ``LAST_RESORT_SECONDS`` after the first
signal. More signals while calm leaves (a closing window often sends two) change
nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import IO, Any, NoReturn

from calm.core.record import Record, record
from calm.practice.signals import ENDING_SIGNALS, handling

try:
    import termios
except ImportError:  # Windows: no terminal modes to put back
    termios = None  # type: ignore[assignment]

GRACE_SECONDS = 1.5
"""How long the app may take to leave after a signal before calm leaves without it."""

LAST_RESORT_SECONDS = 3.0
"""After a signal, the moment calm ends whatever is happening."""

WRITING_SECONDS = 0.2
"""How much longer calm waits, past the grace, while a history write is under way."""

HISTORY_MODULES = frozenset(
    {"calm.practice.recording", "calm.practice.history", "calm.practice.pending", "sqlite3"}
)
"""Where the main thread is writing the history: leaving at once waits until it is out."""

RESTORE = (
    "\x1b[<u"  # the kitty keyboard protocol off
    "\x1b[?1049l"  # the alternate screen off
    "\x1b[?25h"  # the cursor shown
    "\x1b[?1004l"  # focus reports off
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"  # mouse reports off
    "\x1b[?2004l"  # bracketed paste off
    "\x1b[?2048l"  # in-band resize reports off
    "\x1b[?7h"  # line wrap on
)
"""What Textual's driver writes when it gives the terminal back."""


@record
class SavedTerminal(Record):
    """The terminal as it was before the full screen took it, to put back in an emergency."""

    descriptor: int | None
    """The terminal's input, whose modes (echo, line editing) the screen changes."""
    modes: list[Any] | None
    """``termios`` attributes from before; None when they could not be read."""
    device: str | None
    """The terminal device the screen is drawn on, to write to without waiting."""

    @classmethod
    def save(cls) -> SavedTerminal:
        """Note the terminal's modes and device now."""
        descriptor = _descriptor(sys.__stdin__)
        modes = None
        if termios is not None and descriptor is not None:
            try:
                modes = termios.tcgetattr(descriptor)
            except (termios.error, OSError):
                modes = None
        device = None
        output = _descriptor(sys.__stderr__)  # Textual draws on stderr
        if output is not None:
            with contextlib.suppress(OSError):
                device = os.ttyname(output)
        return cls(descriptor, modes, device)

    def restore(self) -> None:
        """Put back the modes and leave the full screen, never waiting on the terminal.

        A terminal that has gone, or stopped reading, gets what it can take.
        """
        if termios is not None and self.descriptor is not None and self.modes is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.descriptor, termios.TCSANOW, self.modes)
        if self.device is None:
            return
        try:
            # A descriptor of its own, so that not waiting never reaches the shell's.
            terminal = os.open(self.device, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            return
        try:
            os.write(terminal, RESTORE.encode())
        except OSError:
            pass
        finally:
            os.close(terminal)


def _descriptor(stream: IO[str] | None) -> int | None:
    try:
        return None if stream is None else stream.fileno()
    except (OSError, ValueError):
        return None


class Leaving:
    """The handler for every ending signal while the full screen runs."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        leave: Callable[[], None],
        record: Callable[[float], None],
        terminal: SavedTerminal,
    ) -> None:
        """Handle signals for the app running on ``loop``.

        Args:
            leave: Ends the session and the app as Ctrl+C does; run on the loop.
            record: Writes the session down as ended early, from wherever the main
                thread is, given how many seconds ago the first signal came; used
                only when the app could not leave in time.
            terminal: The terminal to put back when calm leaves without the app.
        """
        self._loop = loop
        self._leave = leave
        self._record = record
        self._terminal = terminal
        self.signalled: int | None = None
        """The first ending signal that came, if one did."""
        self._signalled_at = 0.0
        self._finished = False
        self._finishing = threading.Lock()
        """Held while the deadline's signal is sent, so that it is never sent once the
        app has left and the old handlers (which might end calm on the spot) are back."""
        self._deadline = threading.Event()
        """Set when the grace is over: the next signal leaves at once."""
        self._timer: threading.Timer | None = None
        self._last_resort: IO[str] | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        """A signal came: leave as Ctrl+C does; once the grace is over, leave at once."""
        if self._finished:
            return
        if self.signalled is None:
            self.signalled = signum
            self._signalled_at = time.monotonic()
            self._last_resort_in(LAST_RESORT_SECONDS)
            self._deadline_in(GRACE_SECONDS)
            with contextlib.suppress(RuntimeError):  # the loop has closed: calm is leaving
                self._loop.call_soon_threadsafe(self._leave)
        elif self._deadline.is_set():
            if _writing_history(frame):
                self._deadline.clear()
                self._deadline_in(WRITING_SECONDS)
            else:
                self._leave_now()

    def finished(self) -> None:
        """The app has left: nothing more to watch."""
        with self._finishing:
            self._finished = True
        if self._timer is not None:
            self._timer.cancel()
        if self._last_resort is not None:
            faulthandler.cancel_dump_traceback_later()
            self._last_resort.close()

    def _deadline_in(self, seconds: float) -> None:
        main = threading.main_thread().ident
        signum = self.signalled
        if main is None or signum is None:
            return

        def passed() -> None:
            with self._finishing:
                if self._finished:
                    return
                self._deadline.set()
                # The signal again, to the thread its handler runs in, which may be stuck.
                signal.pthread_kill(main, signum)

        timer = threading.Timer(seconds, passed)
        timer.daemon = True
        timer.start()
        self._timer = timer

    def _last_resort_in(self, seconds: float) -> None:
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            # faulthandler's thread needs no Python to run, so nothing can hold it up.
            self._last_resort = open(os.devnull, "w")  # noqa: SIM115 (closed in finished)
            faulthandler.dump_traceback_later(seconds, exit=True, file=self._last_resort)

    def _leave_now(self) -> NoReturn:
        try:
            # The session ended when it was asked to, not when calm gave up waiting.
            self._record(time.monotonic() - self._signalled_at)
        except Exception:
            pass  # the record is the recorder's to report; leaving cannot wait on it
        finally:
            self._terminal.restore()
            os._exit(0)


def _writing_history(frame: FrameType | None) -> bool:
    """Whether the main thread, stopped at ``frame``, is in the middle of a history write."""
    while frame is not None:
        if frame.f_globals.get("__name__") in HISTORY_MODULES:
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def leaving_on_signals(
    loop: asyncio.AbstractEventLoop,
    *,
    leave: Callable[[], None],
    record: Callable[[float], None],
) -> Iterator[Leaving]:
    """Inside the block, every ending signal leaves the app through a ``Leaving``."""
    leaving = Leaving(loop, leave=leave, record=record, terminal=SavedTerminal.save())
    with handling(ENDING_SIGNALS, leaving):
        try:
            yield leaving
        finally:
            # Before the old handlers are back: no deadline may reach them.
            leaving.finished()
