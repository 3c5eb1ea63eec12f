"""A page of ``calm serve --together`` on the screen: it waits for the serving terminal,
shows "Beginning together" through the lead-in, then the shared session where the log
says it is; its own keys change nothing, its help says why, and its summary waits for
the next session. The log is a real file written by a real ``Leader``; the clock both
read is moved by hand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.css.query import NoMatches
from textual.widgets import Static

from calm.core.clock import ManualClock
from calm.core.session import Status
from calm.practice.together import Leader
from calm.tui.screens.help import HelpScreen
from calm.tui.screens.shared_words import (
    BEGINNING,
    BEGINNING_SECONDS,
    LED_FROM_THERE,
    PAUSED_THERE,
    WAITING,
    WAITING_THERE,
)
from calm.tui.screens.summary import SummaryScreen
from tests.support.tui import START, Driver, footer, make_timeline, pilot_test, session_app

pytestmark = pytest.mark.slow
"""The screen looks at the log in real time: the slow run's."""

WAIT_SECONDS = 5.0
"""The longest any state may take to appear before the test gives up."""


async def until(driver: Driver, happened: Callable[[], bool], what: str) -> None:
    """Let Textual run until ``happened``; the screen looks at the log every 50 ms."""
    for _ in range(int(WAIT_SECONDS / 0.02)):
        if happened():
            return
        await driver.pilot.pause(0.02)
    raise AssertionError(f"{what} never happened; the screen is {type(driver.app.screen).__name__}")


def showing(driver: Driver, words: str) -> bool:
    """Whether the session screen is up and its big words are ``words``."""
    if driver.app.screen.__class__.__name__ != "SessionScreen":
        return False
    try:
        return driver.phase == words
    except NoMatches:  # the screen is on top, its parts not yet mounted
        return False


def texts(driver: Driver) -> str:
    return " | ".join(str(widget.content) for widget in driver.app.screen.query(Static))


async def follow(tmp_path: Path, scenario: Callable[[Driver, Leader], Awaitable[None]]) -> Any:
    """A viewer's app following a log that a leader on the same clock writes."""
    log = tmp_path / "session.json"
    clock = ManualClock(START)
    leader = Leader(log, clock=clock.now)
    app, _ = session_app(make_timeline(), follow=log)
    app._clock = clock  # the leader's clock: the one the log's moments are on
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scenario(Driver(app, pilot, clock), leader)
    return app


@pilot_test
async def test_a_page_waits_then_shows_the_shared_session(tmp_path: Path) -> None:
    async def scenario(driver: Driver, leader: Leader) -> None:
        await until(driver, lambda: showing(driver, WAITING), "waiting")
        assert driver.instruction == LED_FROM_THERE
        driver.clock.advance(30)  # nothing begins until the serving terminal says
        await driver.pilot.pause(0.2)
        assert driver.phase == WAITING and driver.runner.status is Status.READY
        leader.start(lead_in=1.0)
        # "Beginning together" comes at a moment the log sets, half a second before
        # the start, so that every page changes at once: not whenever this one looks.
        await driver.pilot.pause(0.3)
        assert driver.phase == WAITING
        driver.clock.advance(1.0 - BEGINNING_SECONDS)
        await until(driver, lambda: showing(driver, BEGINNING), "the lead-in")
        assert driver.runner.status is Status.READY and driver.countdown == ""
        assert driver.instruction == ""
        driver.clock.advance(BEGINNING_SECONDS)
        await until(driver, lambda: showing(driver, "Settle in."), "the first step")
        driver.clock.advance(2.5)
        await until(driver, lambda: showing(driver, "In through the nose"), "the first breath")

    await follow(tmp_path, scenario)


@pilot_test
async def test_a_pages_own_keys_change_nothing_and_its_help_says_why(tmp_path: Path) -> None:
    async def scenario(driver: Driver, leader: Leader) -> None:
        leader.start()
        await until(driver, lambda: showing(driver, "Settle in."), "the first step")
        assert footer(driver.app) == ["? Help"]
        await driver.pilot.pause(0.5)  # past the moment keys are ignored
        for key in ("space", "n", "right", "b", "enter", "q", "escape", "m"):
            await driver.press(key)
        driver.clock.advance(0.5)
        await driver.pilot.pause(0.1)
        assert driver.runner.running and not driver.runner.paused
        assert driver.phase == "Settle in."
        await driver.press("question_mark")
        await until(driver, lambda: isinstance(driver.app.screen, HelpScreen), "the help")
        assert "led from the calm computer" in texts(driver)
        assert not driver.runner.paused  # the help holds nobody's session
        await driver.pilot.pause(0.5)
        await driver.press("escape")
        await until(driver, lambda: not isinstance(driver.app.screen, HelpScreen), "closed")
        # The serving terminal pauses, and the page follows, with a word on who did.
        leader.control("pause")
        await until(driver, lambda: showing(driver, "Paused"), "the pause")
        assert driver.instruction == PAUSED_THERE
        driver.clock.advance(10)
        leader.control("resume")
        leader.control("next")
        await until(driver, lambda: showing(driver, "In through the nose"), "the skip")

    await follow(tmp_path, scenario)


@pilot_test
async def test_a_prompt_waits_for_the_serving_terminal_and_the_end_offers_the_next(
    tmp_path: Path,
) -> None:
    async def scenario(driver: Driver, leader: Leader) -> None:
        leader.start()
        await until(driver, lambda: showing(driver, "Settle in."), "the first step")
        driver.clock.advance(37.5)  # to the untimed prompt
        await until(driver, lambda: showing(driver, "Ready?"), "the prompt")
        assert driver.instruction == WAITING_THERE
        await driver.pilot.pause(0.5)
        await driver.press("enter")
        driver.clock.advance(5)
        await driver.pilot.pause(0.1)
        assert driver.phase == "Ready?"  # only the serving terminal carries on
        leader.control("end")
        await until(driver, lambda: isinstance(driver.app.screen, SummaryScreen), "summary")
        assert any("join the next session together" in line for line in driver.summary_texts())
        first = leader.log.start
        await driver.pilot.pause(0.5)
        await driver.press("a")
        await until(driver, lambda: showing(driver, WAITING), "waiting again")
        driver.clock.advance(1)
        leader.start()
        assert leader.log.start != first
        await until(driver, lambda: showing(driver, "Settle in."), "the next session")
        assert driver.runner.status is Status.RUNNING

    app = await follow(tmp_path, scenario)
    assert app.practice.recorder is None
