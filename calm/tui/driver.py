"""The terminal driver the full screen runs on: Textual's own, made safe for a
terminal that goes away, and telling the session's clock when calm is stopped.

Textual's Linux driver hands every write to a writer thread through a queue of
thirty. calm's driver writes on the app's own thread instead: waking the
writer thread for each small frame cost more than the frame. Every write goes
through ``TerminalOutput``, which takes a failed write as the terminal gone
(its window closed): it drops what follows, so the app never waits on a
terminal that is not there, and tells calm with SIGHUP, as a closing window does.

Textual writes each frame in three pieces (begin synchronized output, the
frame, end it), each often a write of its own; the driver joins them into one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import IO, TYPE_CHECKING, Any

from textual.drivers.linux_driver import LinuxDriver

from calm.core.clock import RunningClock
from calm.practice.signals import following_stops
from calm.tui.key_reader import WakingEvent, read_keys

if TYPE_CHECKING:
    from textual.app import App

SYNC_START = "\x1b[?2026h"
"""What begins a frame in synchronized output (the terminal's mode 2026), as Textual writes it."""
SYNC_END = "\x1b[?2026l"
"""What ends it."""


class TerminalOutput:
    """The terminal as the driver writes to it; a failed write means it has gone."""

    def __init__(self, file: IO[str]) -> None:
        """Write to ``file``, the terminal."""
        self._file = file
        self._gone = threading.Event()

    @property
    def gone(self) -> bool:
        """Whether a write has failed, so nothing more is written."""
        return self._gone.is_set()

    def write(self, text: str) -> int:
        """Write ``text``, or drop it once the terminal has gone."""
        if not self.gone:
            try:
                self._file.write(text)
            except BlockingIOError:
                pass  # another program made the terminal non-blocking: this frame is lost
            except RuntimeError:
                pass  # see ``flush``: a signal's handler wrote while a write waited
            except (OSError, ValueError):
                self._went()
        return len(text)

    def flush(self) -> None:
        """Send what is buffered to the terminal, unless it has gone."""
        if not self.gone:
            try:
                self._file.flush()
            except BlockingIOError:
                pass
            except RuntimeError:
                # A signal's handler (SIGCONT as the window closes, which Textual answers
                # by redrawing) wrote while this thread waited in a write to a terminal
                # that had stopped reading: Python refuses the nested call. What it
                # wrote is dropped; the write it interrupted goes on.
                pass
            except (OSError, ValueError):
                self._went()

    def fileno(self) -> int:
        """The terminal's file descriptor."""
        return self._file.fileno()

    def isatty(self) -> bool:
        """Whether the output is a terminal."""
        return self._file.isatty()

    def _went(self) -> None:
        if self._gone.is_set():
            return
        self._gone.set()
        # What the failed write left in the file's buffer would fail again as Python
        # flushes it on the way out, and turn calm's exit status into 120: from now on
        # the descriptor leads nowhere.
        with contextlib.suppress(OSError, ValueError):
            nowhere = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(nowhere, self._file.fileno())
            finally:
                os.close(nowhere)
        # The system sends SIGHUP when a terminal closes, but only to the programs in
        # its foreground; this reaches calm wherever it was started from.
        if hasattr(signal, "SIGHUP"):
            with contextlib.suppress(OSError):
                os.kill(os.getpid(), signal.SIGHUP)


def calm_driver(
    clock: RunningClock | None = None, stops: contextlib.ExitStack | None = None
) -> type[LinuxDriver]:
    """Textual's Linux driver, writing through ``TerminalOutput``.

    With a ``clock``, the time calm is stopped is left out of it, for as long as
    ``stops`` stays open: the driver itself closes at every Ctrl+Z, and following
    stops must outlast that.
    """

    class CalmDriver(LinuxDriver):
        """Textual's Linux driver, safe for a terminal that goes away."""

        def __init__(
            self,
            app: App[Any],
            *,
            debug: bool = False,
            mouse: bool = True,
            size: tuple[int, int] | None = None,
        ) -> None:
            super().__init__(app, debug=debug, mouse=mouse, size=size)
            # Textual keeps the terminal it writes to here (a private name: should it
            # move, the full screen still leaves within seconds; see calm.tui.leaving).
            terminal = getattr(self, "_file", None)
            if terminal is not None and not isinstance(terminal, TerminalOutput):
                self._file = TerminalOutput(terminal)  # type: ignore[assignment]
            self._suspended = False
            # The event that stops the key reader also wakes it (see calm.tui.key_reader).
            self._exit_event = self.exit_event = WakingEvent()
            self._frame: list[str] = []
            """A frame begun and not yet ended: its pieces, written as one at its end."""
            if clock is not None and stops is not None:
                # Textual has just put in its own SIGTSTP and SIGCONT handlers, which
                # give the terminal back before a stop and take it again after; these
                # run around them.
                stops.enter_context(following_stops(clock))

        def run_input_thread(self) -> None:
            """Read the keys, waking when one comes rather than ten times a second."""
            read_keys(self, self._exit_event)

        def write(self, data: str) -> None:
            """Write ``data``; the pieces of one frame go to the terminal together."""
            if data == SYNC_START or self._frame:
                self._frame.append(data)
                if data == SYNC_END:
                    self._write_frame()
            else:
                self._send(data)

        def _send(self, data: str) -> None:
            """Write ``data`` to the terminal now, from the app's own thread.

            Textual hands each write to a thread of its own, so that a slow terminal
            never holds up the app. calm's frames are a few hundred bytes, and
            waking that thread for each cost more than the write itself. The app
            waits on a terminal that stops reading either way: Textual's queue
            holds thirty writes, a frame or two of a session.
            """
            terminal = self._file
            if isinstance(terminal, TerminalOutput):
                terminal.write(data)
                terminal.flush()
            else:
                super().write(data)

        def flush(self) -> None:
            """Write any frame begun and not ended (there should be none), then flush."""
            self._write_frame()
            super().flush()

        def _write_frame(self) -> None:
            if self._frame:
                data = "".join(self._frame)
                self._frame.clear()
                self._send(data)

        def stop_application_mode(self) -> None:
            """Give the terminal back for good, after anything still held."""
            self._write_frame()
            super().stop_application_mode()

        def suspend_application_mode(self) -> None:
            """Give the terminal back, as before a stop (Ctrl+Z)."""
            self._write_frame()
            self._suspended = True
            super().suspend_application_mode()

        def resume_application_mode(self) -> None:
            """Take the terminal again after a stop.

            Textual resumes at every SIGCONT, even one that follows no suspend
            (``kill -STOP``, which cannot be caught, or a stray ``kill -CONT``);
            starting again on top of a running screen would leave two threads
            reading the keys. The screen is given back first, then taken afresh.
            """
            if not self._suspended:
                super().suspend_application_mode()
            self._suspended = False
            super().resume_application_mode()

    return CalmDriver
