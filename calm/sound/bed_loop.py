"""Looping an ambient bed: passes started on a fixed beat, each over the last one's end.

A device takes a moment to start a stream, so each pass of a bed begins while the
one before is still fading out (``BED_OVERLAP_SECONDS``), and the passes are timed
from the first, so one late pass never pushes the rest later. A ``BedSwitch`` gives
each loop its own on-off switch, so a bed stopped and started at once plays once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

BED_OVERLAP_SECONDS = 0.25
"""How long each pass of a bed overlaps the next. A device takes a moment to start a
stream; with the passes cross-faded over this much, that moment is never a gap."""


def repeat(
    looping: threading.Event,
    start_pass: Callable[[], None],
    seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Start a pass of a bed every ``seconds`` less the overlap, on a background thread,
    until ``looping`` is cleared.

    ``start_pass`` must start its sound and return; the next pass begins while the
    last is fading out. Passes are timed from the first, so a late one never pushes
    the rest later, and a pass that cannot start ends the bed.
    """
    looping.set()
    every = max(seconds - BED_OVERLAP_SECONDS, BED_OVERLAP_SECONDS)

    def again() -> None:
        began = clock()
        passes = 0
        while looping.is_set():
            try:
                start_pass()
            except Exception:
                return  # the bed is a nicety; a failing pass just ends it
            passes += 1
            due = began + passes * every
            if clock() > due:
                # Far behind (the machine was asleep, say): the pass just started is the
                # first of a new beat, so the next comes a whole beat later, not in a rush.
                began, passes = clock(), 1
                due = began + every
            while looping.is_set() and (left := due - clock()) > 0:
                sleep(min(left, 0.05))

    threading.Thread(target=again, name="calm-ambient", daemon=True).start()


class BedSwitch:
    """Turns a player's bed on and off.

    Each loop gets a switch of its own, so a bed stopped and started again at once
    (m m) leaves no old thread playing beside the new; ``lock`` is held while a
    pass starts and while the bed stops, so no pass starts just after a stop.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._on = threading.Event()

    def new_loop(self) -> threading.Event:
        """Turn off the loop before, and give the next one its own switch."""
        with self.lock:
            self._on.clear()
            self._on = threading.Event()
            return self._on

    def turn_off(self) -> None:
        """Stop the current loop; the caller holds ``lock``."""
        self._on.clear()
