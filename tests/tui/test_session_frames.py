"""Pilot tests of what the session screen draws frame by frame: when its clock starts,
which widgets each moment redraws, and how many pictures the orb shows in a breath.

The clock is moved by hand and every wait is for a state; nothing here sleeps or times.
"""

from __future__ import annotations

import pytest

from calm.core.clock import ManualClock
from calm.tui.app import CalmApp
from calm.tui.screens.session import SessionScreen
from tests.support.tui import Driver, drive, pilot_test
from tests.support.tui import session_app as make_session_app

LAYING_OUT = 0.09
"""How long after the screen mounts it is first painted, as on a real terminal."""
A_FRAME = 0.025
"""How long drawing a frame takes, here: more than the 20 ms a step may be off by."""


async def _until(d: Driver, state: str, check: object) -> None:
    """Let Textual run until ``check()`` holds, or fail saying which ``state`` never came."""
    for _ in range(50):
        if callable(check) and check():
            return
        await d.pilot.pause()
    raise AssertionError(f"never {state}")


def _first_paint(app: CalmApp, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Where the clock stood when the session screen was first painted, once it has been;
    the screen takes ``LAYING_OUT`` seconds from its mount to its first paint, and each
    frame ``A_FRAME``."""
    painted: list[float] = []
    mount = SessionScreen.on_mount

    def slow_mount(screen: SessionScreen) -> None:
        mount(screen)
        clock.advance(LAYING_OUT)

    def shown() -> None:
        # Each frame takes a moment to draw: a clock started a frame after the first
        # would show the first step a frame too long.
        runner = app.runner
        if isinstance(app.screen, SessionScreen) and runner is not None and not runner.running:
            clock.advance(A_FRAME)
            if not painted:
                painted.append(clock.now())

    monkeypatch.setattr(SessionScreen, "on_mount", slow_mount)
    monkeypatch.setattr(app, "post_display_hook", shown)
    return painted


@pilot_test
async def test_the_first_step_is_on_screen_for_its_written_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clock starts at the session screen's first paint, not as it mounts: the first
    step (2 s of "Settle in.") is seen for 2 s, within 20 ms, however long the layout took."""
    app, clock = make_session_app()
    painted = _first_paint(app, clock, monkeypatch)

    async def scenario(d: Driver) -> None:
        await _until(d, "started", lambda: d.runner.running)
        assert painted, "the session screen was never painted"
        assert d.screen.countdown == "2"
        clock.advance(painted[0] + 2 - 0.02 - clock.now())
        await d.tick()
        assert d.screen.step_number == 1
        assert d.screen.countdown == "1"
        await d.advance(0.04)
        assert d.screen.step_number == 2

    await drive(app, clock, scenario)


@pilot_test
async def test_a_key_before_the_first_paint_ends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key that reaches the screen before its clock starts leaves the session to begin
    as usual: nothing is ended, paused or skipped, and the first step runs in full."""
    app, clock = make_session_app()
    painted = _first_paint(app, clock, monkeypatch)
    mount = SessionScreen.on_mount

    def pressed_at_once(screen: SessionScreen) -> None:
        mount(screen)
        for action in (screen.action_end, screen.action_pause, screen.action_next_step):
            action()

    monkeypatch.setattr(SessionScreen, "on_mount", pressed_at_once)

    async def scenario(d: Driver) -> None:
        await _until(d, "started", lambda: d.runner.running)
        assert not d.runner.paused
        assert isinstance(d.app.screen, SessionScreen)
        assert (d.screen.step_number, d.screen.countdown) == (1, "2")
        assert painted

    await drive(app, clock, scenario)
