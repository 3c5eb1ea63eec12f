"""The parts of leaving the full screen that must never wait: putting the terminal back,
and writing to a terminal that has gone. Whole sessions are in tests/functional."""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
import time
from collections.abc import Iterator
from types import FrameType

import pytest

pytest.importorskip("termios")
import termios

from calm.tui.driver import TerminalOutput
from calm.tui.leaving import RESTORE, SavedTerminal, _writing_history


@pytest.fixture
def pty() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal: its controlling side and the side a program sees."""
    controller, terminal = os.openpty()
    try:
        yield controller, terminal
    finally:
        os.close(controller)
        os.close(terminal)


def _fill(terminal: int) -> None:
    """Write until the terminal takes no more: nobody is reading it."""
    os.set_blocking(terminal, False)
    try:
        while True:
            os.write(terminal, b"x" * 4096)
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(terminal, True)


def test_the_terminal_is_put_back_without_waiting_on_one_that_stopped_reading(
    pty: tuple[int, int],
) -> None:
    """Echo and line editing come back, and a full terminal does not hold calm up."""
    _, terminal = pty
    before = termios.tcgetattr(terminal)
    saved = SavedTerminal(terminal, before, os.ttyname(terminal))
    raw = termios.tcgetattr(terminal)
    raw[3] &= ~(termios.ECHO | termios.ICANON)
    termios.tcsetattr(terminal, termios.TCSANOW, raw)
    _fill(terminal)
    started = time.monotonic()
    saved.restore()
    assert time.monotonic() - started < 5  # a sanity guard: the write never blocks
    modes = termios.tcgetattr(terminal)[3]
    assert modes & termios.ECHO and modes & termios.ICANON


def test_the_full_screen_is_left_on_a_terminal_that_reads(pty: tuple[int, int]) -> None:
    """The alternate screen is left and the cursor shown, as Textual itself would."""
    controller, terminal = pty
    SavedTerminal(terminal, termios.tcgetattr(terminal), os.ttyname(terminal)).restore()
    written = os.read(controller, 4096).decode()
    assert written == RESTORE
    assert "\x1b[?1049l" in written and "\x1b[?25h" in written


def test_a_terminal_that_has_gone_is_left_alone() -> None:
    """No device, no modes: nothing to put back, and no error."""
    SavedTerminal(None, None, None).restore()
    SavedTerminal(None, None, "/nonexistent/tty").restore()


class GoneTerminal(io.StringIO):
    """A terminal whose window has closed: every write fails."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def write(self, text: str) -> int:
        self.tries += 1
        raise OSError(errno.EIO, "Input/output error")

    def flush(self) -> None:
        raise OSError(errno.EIO, "Input/output error")


def test_writes_to_a_terminal_that_has_gone_are_dropped_and_calm_is_told_once() -> None:
    """Textual's writer never stops on an error, so its queue never fills; one SIGHUP."""
    hang_ups: list[int] = []

    def heard(signum: int, frame: FrameType | None) -> None:
        hang_ups.append(signum)

    previous = signal.signal(signal.SIGHUP, heard)
    try:
        file = GoneTerminal()
        output = TerminalOutput(file)
        for _ in range(100):
            assert output.write("\x1b[2J frame") == len("\x1b[2J frame")
            output.flush()
        time.sleep(0)  # let the handler run
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert output.gone
    assert file.tries == 1
    assert hang_ups == [signal.SIGHUP]


def test_a_terminal_that_takes_writes_gets_them() -> None:
    """While the terminal is there, everything reaches it."""
    file = io.StringIO()
    output = TerminalOutput(file)
    output.write("one")
    output.write("two")
    output.flush()
    assert file.getvalue() == "onetwo"
    assert not output.gone


def test_a_signal_that_writes_while_a_write_waits_is_dropped_not_raised() -> None:
    """The window closes while calm waits to write to a terminal that stopped reading:
    SIGCONT's handler redraws, and Python refuses its nested write to the same file. That
    redraw is dropped; the write it interrupted finishes; calm goes on (it once crashed)."""
    import threading

    reader, writer = os.pipe()
    file = open(writer, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    output = TerminalOutput(file)
    nested: list[str] = []

    def redraw(signum: int, frame: object) -> None:
        output.write("redrawn")
        output.flush()
        nested.append("ran")

    received = bytearray()

    def drain_later() -> None:
        time.sleep(0.4)
        while chunk := os.read(reader, 65536):
            received.extend(chunk)

    previous = signal.signal(signal.SIGALRM, redraw)
    draining = threading.Thread(target=drain_later)
    draining.start()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        output.write("x" * 400_000)  # more than the pipe holds: the flush waits
        output.flush()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        file.close()
        draining.join()
        os.close(reader)
    assert nested == ["ran"]
    assert not output.gone
    assert received.count(b"x") == 400_000


def test_a_history_write_under_way_is_seen_from_its_frames() -> None:
    """Leaving at once waits while the main thread is inside the history's code."""
    namespace: dict[str, object] = {"__name__": "calm.practice.recording", "sys": sys}
    exec(  # a function that lives in the recorder's module, as far as frames can tell
        "def writing(check):\n    return check(sys._getframe())\n", namespace
    )
    writing = namespace["writing"]
    assert callable(writing)
    assert writing(_writing_history) is True
    assert _writing_history(sys._getframe()) is False
    assert _writing_history(None) is False
