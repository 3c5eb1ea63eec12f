"""calm's driver hands each frame to the terminal in one write, from the app's own
thread: Textual writes a frame as three pieces (begin synchronized output, the frame,
end it), which it joins, and hands every write to a thread of its own, which calm's
driver does not."""

from __future__ import annotations

import asyncio
import threading

import pytest
from textual import _ansi_sequences
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from calm.tui.driver import SYNC_END, SYNC_START, TerminalOutput, calm_driver


def _driver(monkeypatch: pytest.MonkeyPatch) -> tuple[LinuxDriver, list[str]]:
    """calm's driver, with what it writes to the terminal noted instead of written."""
    written: list[str] = []

    def write(_: TerminalOutput, data: str) -> int:
        assert threading.current_thread() is threading.main_thread()
        written.append(data)
        return len(data)

    monkeypatch.setattr(TerminalOutput, "write", write)
    monkeypatch.setattr(TerminalOutput, "flush", lambda _: None)
    monkeypatch.setattr(LinuxDriver, "write", lambda _, data: pytest.fail("handed to a thread"))

    async def made() -> LinuxDriver:
        return calm_driver()(App(), size=(80, 24))  # it wants a running loop

    return asyncio.run(made()), written


def test_the_frame_markers_are_textuals_own() -> None:
    """The markers the driver looks for are the ones Textual writes around a frame."""
    assert (SYNC_START, SYNC_END) == (_ansi_sequences.SYNC_START, _ansi_sequences.SYNC_END)


def test_a_frame_is_written_in_one_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    """The beginning, the frame and the end reach the writer as one write."""
    driver, written = _driver(monkeypatch)
    driver.write(SYNC_START)
    driver.write("\x1b[2;3Hframe")
    assert written == []
    driver.write(SYNC_END)
    assert written == [SYNC_START + "\x1b[2;3Hframe" + SYNC_END]


def test_writes_outside_a_frame_go_as_they_come(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything written outside a frame goes on its own, at once."""
    driver, written = _driver(monkeypatch)
    driver.write("\x1b[?25l")
    driver.write("\x07")
    assert written == ["\x1b[?25l", "\x07"]


def test_a_frame_left_open_is_written_at_the_next_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    """A frame begun and never ended is not held back: a flush writes what there is."""
    driver, written = _driver(monkeypatch)
    driver.write(SYNC_START)
    driver.write("frame")
    driver.flush()
    assert written == [SYNC_START + "frame"]
    driver.write("after")
    assert written[-1] == "after"
