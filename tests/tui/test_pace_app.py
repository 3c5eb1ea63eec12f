"""calm pace on the screen, on a hand-set clock: the ladder's rungs, the three questions
after each, what is kept, and what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

import calm.tui.screens.base
import calm.tui.screens.pace_questions
from calm.core.clock import ManualClock
from calm.core.session import Status
from calm.core.timeline import compile_timeline
from calm.practice.pace_finder import STOP_IF_DIZZY, PaceFinder
from calm.practice.pace_ladder import Ladder
from calm.practice.pace_results import read_results
from calm.tui.app import CalmApp
from calm.tui.screens.pace_questions import PaceQuestionsScreen
from calm.tui.screens.summary import SummaryScreen
from tests.support.apps import calm_app
from tests.support.history import recorder, rows
from tests.support.tui import START, Driver, drive, pilot_test

LADDER = Ladder(start=6.0, end=5.0, step=0.5, rung_minutes=0.1)
"""Three rungs, 6, 5.5 and 5 a minute, one breath each."""


@pytest.fixture(autouse=True)
def answers_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot tests press keys faster than anyone reads a question."""
    monkeypatch.setattr(calm.tui.screens.pace_questions, "NEXT_QUESTION_SECONDS", 0.0)


def pace_app(history: Path) -> tuple[CalmApp, ManualClock, PaceFinder]:
    """The app running calm pace's ladder, recording into ``history``."""
    finder = PaceFinder(LADDER)
    clock = ManualClock(START)
    app = calm_app(
        timeline=compile_timeline(finder.script),
        clock=clock,
        skip_caution=True,
        history=True,
        recorder=recorder(history),
    )
    app.practice.pace_finder = finder
    return app, clock, finder


async def until_questions(driver: Driver, rung: int) -> PaceQuestionsScreen:
    """Let the clock run, from one moment to the next, until the questions about
    ``rung`` are up."""
    for _ in range(60):
        screen = driver.app.screen
        if isinstance(screen, PaceQuestionsScreen):
            assert screen.heading.startswith(f"Rung {rung + 1} of 3")
            return screen
        await driver.advance(driver.runner.seconds_to_next_boundary() or 0.5)
    raise AssertionError(f"no questions; the screen is {type(driver.app.screen).__name__}")


def question(driver: Driver) -> str:
    return driver.text("#pace-question")


async def answer(driver: Driver, rung: int, *keys: str) -> None:
    await until_questions(driver, rung)
    for key in keys:
        await driver.press(key)


@pilot_test
async def test_the_whole_ladder_asks_after_each_rung_and_keeps_the_pace_chosen(
    tmp_path: Path,
) -> None:
    history = tmp_path / "history.sqlite3"
    app, clock, _ = pace_app(history)

    async def scenario(driver: Driver) -> None:
        await driver.advance(8.5)  # past the settling step
        assert "Rung 1 of 3: 6 breaths a minute" in driver.phase
        await until_questions(driver, 0)
        assert question(driver) == "How easy was that pace?"
        # The session waits at the questions: no time passes for it meanwhile.
        elapsed = driver.runner.state().timeline.elapsed
        await driver.advance(30)
        assert driver.runner.state().timeline.elapsed == elapsed
        await driver.press("4")
        assert question(driver) == "How calm do you feel?"
        await driver.press("3")
        assert question(driver) == "Any light-headedness or air hunger?"
        await driver.press("n")
        assert not isinstance(driver.app.screen, PaceQuestionsScreen)
        assert "Breathe normally" in driver.phase  # the rest between rungs
        await answer(driver, 1, "5", "5", "n")
        await answer(driver, 2, "5", "5", "n")
        for _ in range(20):
            if isinstance(driver.app.screen, SummaryScreen):
                break
            await driver.advance(driver.runner.seconds_to_next_boundary() or 0.5)
        texts = " ".join(driver.summary_texts())
        # 5.5 and 5 both felt calmest (5); 5.5 is nearer 6.
        assert "Your preferred slow pace today: 5.5 breaths a minute" in texts

    await drive(app, clock, scenario)
    (result,) = read_results(history)
    assert (result.pace, result.found) == (5.5, True)
    assert [(rung.pace, rung.ease, rung.calm, rung.light_headed) for rung in result.answers] == [
        (6.0, 4, 3, False),
        (5.5, 5, 5, False),
        (5.0, 5, 5, False),
    ]
    (session,) = rows(history)
    assert (session.script, session.status) == ("pace", Status.COMPLETED.value)


@pilot_test
async def test_stopping_midway_keeps_nothing_and_says_so(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    app, clock, _ = pace_app(history)

    async def scenario(driver: Driver) -> None:
        await answer(driver, 0, "5", "5", "n")
        await driver.advance(12)  # into the second rung
        await driver.press("q")
        texts = " ".join(driver.summary_texts())
        assert "You stopped before the end, so nothing was saved" in texts

    await drive(app, clock, scenario)
    assert read_results(history) == []
    (session,) = rows(history)  # the session itself is written down, as ended early
    assert session.status == Status.ENDED_EARLY.value


@pilot_test
async def test_esc_puts_the_questions_aside_and_enter_brings_them_back(tmp_path: Path) -> None:
    app, clock, finder = pace_app(tmp_path / "h.sqlite3")

    async def scenario(driver: Driver) -> None:
        await answer(driver, 0, "4")
        await driver.press("escape")
        assert not isinstance(driver.app.screen, PaceQuestionsScreen)
        assert driver.instruction == "Press Enter for the questions."
        assert driver.runner.waiting  # still at the questions' prompt
        await driver.advance(5)
        assert not isinstance(driver.app.screen, PaceQuestionsScreen)  # not pushed again
        await driver.press("enter")
        assert isinstance(driver.app.screen, PaceQuestionsScreen)
        assert question(driver) == "How easy was that pace?"  # asked afresh
        for key in ("x", "0", "6"):  # keys that answer nothing are not answers
            await driver.press(key)
        assert question(driver) == "How easy was that pace?"
        for key in ("2", "3", "n"):
            await driver.press(key)
        assert finder.answers[0].ease == 2 and not driver.runner.waiting

    await drive(app, clock, scenario)


@pilot_test
async def test_light_headedness_is_answered_kindly_before_going_on(tmp_path: Path) -> None:
    app, clock, finder = pace_app(tmp_path / "h.sqlite3")

    async def scenario(driver: Driver) -> None:
        await answer(driver, 0, "5", "4", "y")
        assert isinstance(driver.app.screen, PaceQuestionsScreen)
        assert question(driver) == STOP_IF_DIZZY
        assert driver.runner.waiting
        await driver.press("space")
        assert not isinstance(driver.app.screen, PaceQuestionsScreen)
        assert finder.answers[0].light_headed

    await drive(app, clock, scenario)


@pilot_test
async def test_keys_typed_before_the_questions_show_are_not_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, clock, finder = pace_app(tmp_path / "h.sqlite3")

    async def scenario(driver: Driver) -> None:
        monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 30.0)
        await until_questions(driver, 0)
        await driver.press("5", "5", "n")  # typed ahead, as the breathing ended
        assert question(driver) == "How easy was that pace?"
        assert finder.answers == {}
        monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 0.0)
        monkeypatch.setattr(calm.tui.screens.pace_questions, "NEXT_QUESTION_SECONDS", 30.0)
        await driver.press("4", "4")  # the second 4, at once, is no answer to "how calm"
        assert question(driver) == "How calm do you feel?"

    await drive(app, clock, scenario)


def test_each_run_of_the_ladder_begins_with_nothing_answered(tmp_path: Path) -> None:
    """A second session on the same service (as the list's "again" would give) starts
    a fresh run: the last run's answers and what was kept do not carry over."""
    app, clock, finder = pace_app(tmp_path / "h.sqlite3")
    practice = app.practice
    timeline = compile_timeline(finder.script)
    runner = practice.begin(timeline, clock=clock)
    runner.start()
    finder.answer(0, 5, 5, False)
    runner.finish()
    practice.end(runner.outcome())
    assert finder.kept is False and finder.answers
    practice.begin(timeline, clock=clock)
    assert finder.answers == {} and finder.kept is None and not finder.completed
    practice.close()


def _ladder_answered(
    app: CalmApp, clock: ManualClock, finder: PaceFinder, *rungs: tuple[int, int, bool]
) -> None:
    """One run of the ladder on the service, each rung answered as ``rungs`` says, then
    ended as q ends it: early, at whatever moment the clock is."""
    practice = app.practice
    runner = practice.begin(compile_timeline(finder.script), clock=clock)
    runner.start()
    for rung, (ease, calmness, light_headed) in enumerate(rungs):
        finder.answer(rung, ease, calmness, light_headed)
    clock.advance(1.0)
    runner.finish()  # ended now, before the end: as q ends it
    practice.end(runner.outcome())


def test_ending_in_the_ladders_last_moments_keeps_every_answer(tmp_path: Path) -> None:
    """Every rung answered, then q during "That is the whole ladder": the session ended
    early, but the ladder's work is done, so the pace is kept and said."""
    history = tmp_path / "h.sqlite3"
    app, clock, finder = pace_app(history)
    _ladder_answered(app, clock, finder, (4, 3, False), (5, 5, False), (5, 4, False))
    assert finder.completed and finder.kept
    assert "Your preferred slow pace today: 5.5 breaths a minute" in finder.closing_words()
    (result,) = read_results(history)
    assert (result.pace, result.found) == (5.5, True)
    assert [row.status for row in rows(history)] == [Status.ENDED_EARLY.value]
    app.practice.close()


def test_a_rung_left_unanswered_is_still_stopping_before_the_end(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    app, clock, finder = pace_app(history)
    _ladder_answered(app, clock, finder, (4, 3, False), (5, 5, False))
    assert not finder.kept
    assert "You stopped before the end" in finder.closing_words()
    assert read_results(history) == []
    app.practice.close()


def test_a_run_that_finds_nothing_says_the_pace_scripts_still_use(tmp_path: Path) -> None:
    """Nothing counted today: scripts keep the pace found on earlier days (the middle of
    the latest results), and the words say that pace, not 6."""
    history = tmp_path / "h.sqlite3"
    app, clock, finder = pace_app(history)
    _ladder_answered(app, clock, finder, (5, 5, False), (2, 3, False), (2, 3, False))
    assert "today: 6 breaths a minute" in finder.closing_words()  # found, and kept
    for _ in range(2):  # two days when nothing felt easy
        _ladder_answered(app, clock, finder, (2, 2, True), (1, 2, False), (2, 2, True))
        words = finder.closing_words()
        assert "your preferred pace stays 6 breaths a minute, from earlier runs" in words
    assert [result.found for result in read_results(history)] == [False, False, True]
    app.practice.close()


def test_a_first_run_that_finds_nothing_says_scripts_breathe_at_6(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    app, clock, finder = pace_app(history)
    _ladder_answered(app, clock, finder, (2, 2, True), (1, 2, False), (2, 2, True))
    words = finder.closing_words()
    assert "scripts at your preferred pace breathe at 6 a minute" in words
    app.practice.close()


def test_a_pace_found_today_that_is_not_yet_the_one_scripts_use_says_both(
    tmp_path: Path,
) -> None:
    """Found 5 today after 6 and 5.5 before: scripts use the middle, 5.5."""
    history = tmp_path / "h.sqlite3"
    app, clock, finder = pace_app(history)
    _ladder_answered(app, clock, finder, (5, 5, False), (3, 3, False), (3, 3, False))  # 6
    _ladder_answered(app, clock, finder, (3, 3, False), (5, 5, False), (3, 3, False))  # 5.5
    _ladder_answered(app, clock, finder, (3, 3, False), (3, 3, False), (5, 5, False))  # 5
    words = finder.closing_words()
    assert "today: 5 breaths a minute" in words
    assert "use the middle of your latest results, now 5.5" in words
    app.practice.close()


@pilot_test
async def test_q_on_the_questions_ends_the_run_as_it_does_in_the_session(tmp_path: Path) -> None:
    """The introduction says the ladder stops whenever you like, with q: on the card
    too, not only after Esc. Stopped at the first rung's questions, nothing is kept."""
    history = tmp_path / "history.sqlite3"
    app, clock, _ = pace_app(history)

    async def scenario(driver: Driver) -> None:
        await answer(driver, 0, "4")
        assert "q ends the run" in driver.text("#pace-hint")
        await driver.press("q")
        texts = " ".join(driver.summary_texts())
        assert "You stopped before the end, so nothing was saved" in texts

    await drive(app, clock, scenario)
    assert read_results(history) == []
    assert [row.status for row in rows(history)] == [Status.ENDED_EARLY.value]
