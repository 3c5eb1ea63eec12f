"""Pilot tests of what the session screen draws frame by frame: when its clock starts,
which widgets each moment redraws, and how many pictures the orb shows in a breath.

The clock is moved by hand and every wait is for a state; nothing here sleeps or times.
"""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region
from textual.widget import Widget

from calm.core.clock import ManualClock
from calm.tui.app import CalmApp
from calm.tui.screens.session import SessionScreen
from calm.tui.widgets.orb import MOST_ROWS, BreathOrb
from calm.tui.widgets.progress import SessionProgress
from tests.support.tui import INHALE, Driver, drive, pilot_test
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


def _refreshed_by(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The widgets asked to redraw from now on, by class name, each time one is."""
    asked: list[str] = []
    refresh = Widget.refresh

    def noted(widget: Widget, *regions: Region, **kwargs: bool) -> Widget:
        asked.append(type(widget).__name__)
        return refresh(widget, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", noted)
    return asked


@pilot_test
async def test_a_new_picture_of_the_orb_redraws_the_orb_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Inside a second of an inhale, a tick redraws the orb and nothing else; when the
    countdown drops a second, the digits and the time left are redrawn with it."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 2.3)
        orb = d.screen.query_one(BreathOrb)
        bar = d.screen.query_one(SessionProgress)
        asked = _refreshed_by(monkeypatch)
        before, reach = orb.picture, bar.half_cells
        await d.advance(0.2)
        assert orb.picture != before
        # The time left's bar grows half a cell every 0.3 s of this 39 s session.
        assert set(asked) == {"BreathOrb"} | (
            {"SessionProgress"} if bar.half_cells != reach else set()
        )
        asked.clear()
        await d.advance(0.55)  # 3.05 s into the 4 s inhale: the countdown drops to 1
        assert d.screen.countdown == "1"
        assert set(asked) <= {"BreathOrb", "Countdown", "SessionProgress"}
        assert "Countdown" in asked

    await drive(app, clock, scenario)


@pilot_test
async def test_an_inhale_shows_at_least_eight_pictures_a_second() -> None:
    """Followed moment by moment, a 4 s breath in shows the orb in more than 32 pictures,
    each a step larger than the last, from the smallest to the largest."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 0.001)
        orb = d.screen.query_one(BreathOrb)
        steps = [orb.picture]
        for _ in range(400):  # every 10 ms of the breath in
            clock.advance(0.01)
            d.screen.tick()
            if orb.picture != steps[-1]:
                steps.append(orb.picture)
        assert len(steps) > 32
        sizes = [picture[2] for picture in steps if picture is not None]
        assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)

    await drive(app, clock, scenario)


@pilot_test
async def test_a_large_window_centres_an_orb_of_the_largest_size() -> None:
    """At 200x60 the orb is as tall as it may be and no taller, round, and centred
    in the room above the words."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 4)  # all the way in
        orb = d.screen.query_one(BreathOrb)
        box = d.screen.query_one("#visual-box").region
        assert orb.region.height == MOST_ROWS < box.height
        assert orb.region.width == 2 * MOST_ROWS
        assert orb.region.center == box.center

    await drive(app, clock, scenario, size=(200, 60))


@pilot_test
async def test_without_colour_the_whole_screen_is_grey(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set, every cell of the session screen is drawn in greys, the
    orb's rows and the plain containers drawn without Textual's styling among them."""
    monkeypatch.setenv("NO_COLOR", "1")
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1.1)
        picture = d.app.export_screenshot()
        # The cells' backgrounds, and the colours of their text; not the window's frame.
        colours = re.findall(r'<rect fill="#([0-9a-f]{6})"[^>]*crispEdges', picture)
        colours += re.findall(r"\.terminal-[\w-]+ \{ fill: #([0-9a-f]{6})", picture)
        assert colours
        for colour in set(colours):
            red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            assert max(red, green, blue) - min(red, green, blue) <= 8, colour

    await drive(app, clock, scenario)


@pilot_test
async def test_a_planned_look_that_fails_is_handled_as_any_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The screen's planned looks run outside Textual's messages; an error in one still
    reaches Textual, which ends the app with it, rather than asyncio's log alone."""
    app, clock = make_session_app()

    def broken() -> None:
        raise RuntimeError("the runner broke")

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        screen = d.screen
        monkeypatch.setattr(d.runner, "poll", broken)
        screen._look_now()
        await d.pilot.pause()

    with pytest.raises(RuntimeError, match="the runner broke"):
        await drive(app, clock, scenario)


@pilot_test
async def test_the_orb_follows_a_new_size_and_the_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The orb draws at its new size after the window changes, and dims while paused
    and brightens after, each a picture of its own."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 2)
        orb = d.screen.query_one(BreathOrb)
        before = orb.picture
        await d.pilot.resize_terminal(100, 30)
        await d.tick()
        await d.pilot.pause()
        assert orb.picture is not None and before is not None
        assert orb.picture[:2] == tuple(orb.size) != before[:2]
        await d.press("space")
        assert orb.picture[3] is True
        await d.press("space")
        assert orb.picture[3] is False

    await drive(app, clock, scenario)
