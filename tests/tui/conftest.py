"""Pilot tests press keys faster than any person could, on clocks they move by hand."""

from __future__ import annotations

from weakref import WeakKeyDictionary

import pytest

import calm.tui.screens.base
from calm.core.clock import ManualClock
from calm.practice.together import FollowingRunner
from calm.tui.screens.session import SessionScreen


@pytest.fixture(autouse=True)
def instant_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let screens take keys at once; their settling pause has tests of its own."""
    monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 0.0)


@pytest.fixture(autouse=True)
def no_looks_at_a_clock_standing_still(monkeypatch: pytest.MonkeyPatch) -> None:
    """A look the session screen planned, finding a hand-set clock where the last look
    found it, plans no other.

    Such a look draws what the one before drew. Where the orb's next picture or a
    boundary falls on the very moment the clock stands at (mid-inhale at 40x12, or
    where calm pace waits between rungs), the screen plans its next look 2 ms on, again
    and again: a real clock moves past that moment, a hand-set one never does, and the
    loop kept each of Textual's waits for quiet at its full second. The look itself
    still runs; a shared session's screen, which looks for the serving terminal's
    word, is left as it is."""
    look_now = SessionScreen._look_now
    last_look_at: WeakKeyDictionary[SessionScreen, float] = WeakKeyDictionary()

    def look_once_per_reading(screen: SessionScreen) -> None:
        clock = screen.runner.clock
        if not isinstance(clock, ManualClock) or isinstance(screen.runner, FollowingRunner):
            look_now(screen)
            return
        again = last_look_at.get(screen) == clock.now()
        last_look_at[screen] = clock.now()
        look_now(screen)
        if again:
            screen._look_again(None)

    monkeypatch.setattr(SessionScreen, "_look_now", look_once_per_reading)
