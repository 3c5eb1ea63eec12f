"""The Textual app as the pilot tests drive it: a short script with one of everything,
apps that open on a session or on the list, and a driver that moves a hand-set clock
under the session screen and reads what it draws. Nothing here sleeps."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Digits, Static

from calm.core.clock import ManualClock
from calm.core.length_plan import LengthOptions
from calm.core.library import Library
from calm.core.loader import parse_script_bytes
from calm.core.script import Script
from calm.core.session import SessionRunner
from calm.core.timeline import Timeline, compile_timeline
from calm.present.catalogue import Row, collect
from calm.tui.app import CalmApp
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from calm.tui.widgets.notice import NoticeLine
from calm.tui.widgets.orb import BreathOrb
from calm.tui.widgets.progress import SessionProgress
from tests.support.apps import calm_app

TIP = "Have some water."
START = 100.0

# A short session with one of everything. Its timed parts add up to 39 s:
#   0 s  say "Settle in."                     2 s
#   2 s  breathe 4-4-4-4, 2 breaths           32 s  (inhale 2, hold 6, exhale 10, hold 14)
#  34 s  timed prompt "Notice how you feel."  3 s
#  37 s  untimed prompt "Ready?"              waits
#  37 s  say "Well done."                     2 s
STEPS = """
[[steps]]
say = "Settle in."
seconds = 2

[[steps]]
breathe = "Trace a square with your breath."
pattern = [
    { phase = "inhale", seconds = 4, text = "In through the nose" },
    { phase = "hold_in", seconds = 4, text = "Hold softly" },
    { phase = "exhale", seconds = 4, text = "Out slowly" },
    { phase = "hold_out", seconds = 4, text = "Rest at the bottom" },
]
cycles = 2

[[steps]]
prompt = "Notice how you feel."
timeout = 3

[[steps]]
prompt = "Ready?"

[[steps]]
say = "Well done."
seconds = 2
"""
TOTAL = 39.0
INHALE, HOLD_IN, EXHALE, HOLD_OUT = 2.0, 6.0, 10.0, 14.0
TIMED_PROMPT, UNTIMED_PROMPT = 34.0, 37.0

# The same breathing with no words of its own for the phases, and no prompts.
PLAIN_STEPS = """
[[steps]]
say = "Settle in."
seconds = 2

[[steps]]
breathe = "Just breathe."
pattern = "4-4-4-4"
cycles = 2
"""


def make_script(
    steps: str = STEPS,
    *,
    caution: str | None = None,
    reminder: str | None = None,
    title: str = "Test breath",
) -> Script:
    """A script from TOML text, with a caution and a reminder when asked for."""
    head = f'title = {json.dumps(title)}\nsummary = "A short test."\ncategory = "breathing"\n'
    if caution:
        head += f"caution = {json.dumps(caution)}\n"
    if reminder:
        head += f"reminder = {json.dumps(reminder)}\n"
    return parse_script_bytes((head + steps).encode(), name="t", source="t.toml")


def make_timeline(steps: str = STEPS, **kwargs: str | None) -> Timeline:
    """The timeline of ``make_script`` at its written length."""
    return compile_timeline(make_script(steps, **kwargs), LengthOptions())


def pilot_test(
    function: Callable[..., Coroutine[Any, Any, None]],
) -> Callable[..., None]:
    """Run an async test on a fresh event loop; no asyncio plugin is installed."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(function(*args, **kwargs))

    return run


class Driver:
    """Reads the session screen and moves the clock under it."""

    def __init__(self, app: CalmApp, pilot: Pilot[Any], clock: ManualClock) -> None:
        self.app = app
        self.pilot = pilot
        self.clock = clock

    @property
    def screen(self) -> SessionScreen:
        """The session screen, wherever it is on the stack."""
        found = [screen for screen in self.app.screen_stack if isinstance(screen, SessionScreen)]
        assert found, f"no session screen; the screen is {type(self.app.screen).__name__}"
        return found[-1]

    @property
    def runner(self) -> SessionRunner:
        assert self.app.runner is not None
        return self.app.runner

    async def advance(self, seconds: float) -> None:
        """Move the clock on and let the session screen catch up."""
        self.clock.advance(seconds)
        await self.tick()

    async def tick(self) -> None:
        """One tick of the session screen, then let Textual settle."""
        if isinstance(self.app.screen, SessionScreen):
            self.app.screen.tick()
        await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        """Press keys and let Textual settle."""
        await self.pilot.press(*keys)
        await self.pilot.pause()

    def text(self, selector: str) -> str:
        """The plain text a Static or Label on the current screen shows."""
        return str(self.app.screen.query_one(selector, Static).content)

    @property
    def phase(self) -> str:
        return str(self.screen.query_one("#phase", Static).content)

    @property
    def countdown(self) -> str:
        return self.screen.query_one("#countdown", Digits).value

    @property
    def instruction(self) -> str:
        return str(self.screen.query_one("#instruction", Static).content)

    @property
    def left(self) -> str:
        return self.screen.query_one("#progress", SessionProgress).left_text

    @property
    def level(self) -> float:
        return self.screen.query_one("#visual", BreathOrb).level

    def summary_texts(self) -> list[str]:
        """Every line of the summary screen, below its notices."""
        assert isinstance(self.app.screen, SummaryScreen), type(self.app.screen).__name__
        return [
            str(widget.content)
            for widget in self.app.screen.query(Static)
            if not isinstance(widget, NoticeLine)
        ]


Scenario = Callable[[Driver], Awaitable[None]]


async def drive(
    app: CalmApp, clock: ManualClock, scenario: Scenario, size: tuple[int, int] = (80, 24)
) -> None:
    """Run ``scenario`` against the app in a headless terminal."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await scenario(Driver(app, pilot, clock))


def session_app(timeline: Timeline | None = None, **kwargs: Any) -> tuple[CalmApp, ManualClock]:
    """An app that runs ``timeline`` straight away on a clock of its own."""
    clock = ManualClock(START)
    app = calm_app(
        timeline=timeline or make_timeline(),
        clock=clock,
        skip_caution=kwargs.pop("skip_caution", True),
        tip=lambda: TIP,
        **kwargs,
    )
    return app, clock


def library_rows() -> list[Row]:
    """The built-in scripts, as the picker gets them."""
    return collect(Library.discover())


def picker_app() -> tuple[CalmApp, ManualClock]:
    """An app that opens on the picker."""
    clock = ManualClock(START)
    return calm_app(rows=library_rows(), clock=clock, tip=lambda: TIP), clock


def footer(app: CalmApp) -> list[str]:
    """What the footer names, in its order: each action once, by its first key."""
    named: dict[str, str] = {}
    for active in app.screen.active_bindings.values():
        if active.enabled and active.binding.show:
            name = f"{app.get_key_display(active.binding)} {active.binding.description}"
            named.setdefault(active.binding.action, name)
    return list(named.values())
