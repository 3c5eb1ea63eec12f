"""The full screen's key reader: Textual's own loop, waking when a key comes rather
than ten times a second.

Textual's Linux driver reads the keys on a thread of its own that waits on the
terminal for a tenth of a second at a time, to notice that it should stop and to
give up on an Escape that no other key follows. Ten wake-ups a second are most of
what an idle full screen costs, a third of a resting session. Here the thread
waits for as long as nothing is half read, and the event that tells it to stop
also wakes it, through a pipe of its own.

The loop is Textual 8.2's ``LinuxDriver.run_input_thread``, with those two changes.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import TYPE_CHECKING

from textual._time import get_time
from textual._xterm_parser import XTermParser

if TYPE_CHECKING:
    from textual.drivers.linux_driver import LinuxDriver

HALF_READ_CHECK = 0.1
"""How often a half-read key is looked at when the parser cannot say when it gives up."""


class WakingEvent(threading.Event):
    """A threading event that also wakes the key reader when it is set."""

    def __init__(self) -> None:
        super().__init__()
        self._wake: int | None = None

    def wake_through(self, descriptor: int | None) -> None:
        """Write to ``descriptor`` (or nothing, for None) whenever the event is set."""
        self._wake = descriptor

    def set(self) -> None:
        """Set the event, and wake the key reader to see it."""
        super().set()
        if self._wake is not None:
            with contextlib.suppress(OSError):
                os.write(self._wake, b"\0")


def read_keys(driver: LinuxDriver, exit_event: WakingEvent) -> None:
    """Read keys from the driver's terminal and hand them to the app until
    ``exit_event`` is set."""
    wake_read, wake_write = os.pipe()
    exit_event.wake_through(wake_write)
    selector = selectors.SelectSelector()
    fileno = driver.fileno
    selector.register(fileno, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    parser = XTermParser(getattr(driver, "_debug", False))
    decode = getincrementaldecoder("utf-8")().decode

    def handle(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
        if any(key.fd == wake_read for key, _mask in events):
            os.read(wake_read, 64)  # told to look at the exit event, which the loop does
        keys = [key for key in events if key[0].fd == fileno]
        for number, (_key, mask) in enumerate(keys):
            if mask & selectors.EVENT_READ:
                last = number == len(keys) - 1
                text = decode(os.read(fileno, 1024 * 4), final=final and last)
                if not text:
                    break  # the input is piped, and has ended
                for event in parser.feed(text):
                    driver.process_message(event)
        for event in parser.tick():
            driver.process_message(event)

    try:
        while not exit_event.is_set():
            handle(selector.select(_until_half_read_gives_up(parser)))
        selector.unregister(fileno)
        handle(selector.select(0.1), final=True)
    finally:
        exit_event.wake_through(None)
        selector.close()
        os.close(wake_read)
        os.close(wake_write)
        with contextlib.suppress(Exception):
            for _event in parser.feed(""):
                pass


def _until_half_read_gives_up(parser: XTermParser) -> float | None:
    """Seconds until the parser gives up on what it has half read; None while it
    holds nothing, so the reader waits for the next key."""
    # Textual's parser keeps the moment it gives up on its own clock, textual._time's.
    deadline = getattr(parser, "_timeout_time", HALF_READ_CHECK)
    if deadline is None:
        return None
    if deadline is HALF_READ_CHECK:
        return HALF_READ_CHECK  # a Textual that keeps it elsewhere
    return max(deadline - get_time(), 0.0)
