"""The full screen's key reader: keys from a real pseudo-terminal reach the app, a lone
Escape is given up on as Textual gives up on it, the reader waits without a timeout
while nothing is half read, and stopping wakes it at once."""

from __future__ import annotations

import os
import pty
import threading
import tty
from collections.abc import Iterator
from typing import Any

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from calm.tui.key_reader import WakingEvent, _until_half_read_gives_up, read_keys

WAIT = 5.0
"""The longest any step here may take before the test gives up on it."""


class _Driver:
    """What the key reader needs of Textual's driver: the terminal and a place for events."""

    def __init__(self, fileno: int) -> None:
        self.fileno = fileno
        self.events: list[Any] = []
        self.arrived = threading.Condition()

    def process_message(self, message: Any) -> None:
        with self.arrived:
            self.events.append(message)
            self.arrived.notify_all()

    def keys(self) -> list[str]:
        return [event.key for event in self.events if isinstance(event, events.Key)]

    def wait_for(self, count: int) -> list[str]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.keys()) >= count, timeout=WAIT)
        return self.keys()


@pytest.fixture
def reader() -> Iterator[tuple[_Driver, int, WakingEvent, threading.Thread]]:
    controller, terminal = pty.openpty()
    tty.setraw(terminal)  # as Textual sets it: each key as it comes, not a line at a time
    driver = _Driver(terminal)
    stop = WakingEvent()
    thread = threading.Thread(target=read_keys, args=(driver, stop), daemon=True)
    thread.start()
    yield driver, controller, stop, thread
    stop.set()
    thread.join(WAIT)
    os.close(controller)
    os.close(terminal)


def test_keys_typed_reach_the_app(reader: tuple[_Driver, int, WakingEvent, Any]) -> None:
    """Letters, a space and an arrow key arrive as the keys they are."""
    driver, controller, _, _ = reader
    os.write(controller, b"q \x1b[C")
    assert driver.wait_for(3) == ["q", "space", "right"]


def test_a_lone_escape_is_given_up_on_as_the_escape_key(
    reader: tuple[_Driver, int, WakingEvent, Any],
) -> None:
    """An Escape that no other key follows becomes the Escape key, once the parser's
    wait for the rest of a sequence is over, with the reader waking for it alone."""
    driver, controller, _, _ = reader
    os.write(controller, b"\x1b")
    assert driver.wait_for(1) == ["escape"]


def test_stopping_wakes_the_reader_at_once(
    reader: tuple[_Driver, int, WakingEvent, threading.Thread],
) -> None:
    """The reader waits with no timeout, and setting its stop event still ends it."""
    driver, controller, stop, thread = reader
    os.write(controller, b"a")
    assert driver.wait_for(1) == ["a"]
    stop.set()
    thread.join(WAIT)
    assert not thread.is_alive()


def test_an_idle_reader_waits_for_the_next_key() -> None:
    """With nothing half read the reader sets no timeout; with an Escape half read it
    wakes when the parser would give up on it, and never later than that."""
    parser = XTermParser()
    assert _until_half_read_gives_up(parser) is None
    list(parser.feed("\x1b"))
    waiting = _until_half_read_gives_up(parser)
    assert waiting is not None and 0.0 <= waiting <= 0.2
    list(parser.feed("[C"))
    assert _until_half_read_gives_up(parser) is None
