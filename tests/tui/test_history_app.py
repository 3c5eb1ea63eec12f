"""The app records its session in a real history file and takes the mood check-in.

Each test gives the app a recorder on a SQLite file in a temporary folder and a
fixed wall clock, drives the session with Pilot on a clock moved by hand, and
then reads the file back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual import events

from calm.core.session import Status
from calm.practice.history import HistoryStore
from calm.practice.recording import SessionRecorder
from calm.tui.screens.caution import CautionScreen
from calm.tui.screens.check_in import CheckInScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from tests.support.history import WALL, recorder, rows
from tests.support.tui import PLAIN_STEPS, Driver, drive, make_timeline, pilot_test, session_app


def history_app(path: Path, **kwargs: Any) -> tuple[Any, Any, SessionRecorder]:
    """A session app recording into ``path``."""
    chosen = kwargs.pop("recorder", None) or recorder(path)
    app, clock = session_app(make_timeline(PLAIN_STEPS), recorder=chosen, **kwargs)
    return app, clock, chosen


@pilot_test
async def test_the_row_is_written_as_the_session_starts_and_completed_at_its_end(
    tmp_path: Path,
) -> None:
    """While the session runs its row reads as interrupted; at the end it is completed."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path)

    async def scenario(d: Driver) -> None:
        await d.advance(5)
        (running,) = rows(path)
        assert running.status == "interrupted"
        assert (running.script, running.title) == ("t", "Test breath")
        assert running.planned_seconds == 34
        await d.advance(40)
        assert isinstance(app.screen, SummaryScreen)
        (done,) = rows(path)
        assert done.status == "completed"
        assert done.practised_seconds == 34
        assert done.breaths == 2
        assert done.started_at == WALL
        await d.press("enter")

    await drive(app, clock, scenario)


@pilot_test
async def test_q_records_the_session_as_ended_early(tmp_path: Path) -> None:
    """Ending from the session screen records how long was practised."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path)

    async def scenario(d: Driver) -> None:
        await d.advance(7)
        await d.press("q")

    await drive(app, clock, scenario)
    (record,) = rows(path)
    assert (record.status, record.practised_seconds) == ("ended_early", 7)


@pilot_test
async def test_ctrl_c_still_completes_the_row(tmp_path: Path) -> None:
    """Leaving at once is not a lost session: the row says it ended early."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path)

    async def scenario(d: Driver) -> None:
        await d.advance(3)
        await d.press("ctrl+c")

    await drive(app, clock, scenario)
    (record,) = rows(path)
    assert (record.status, record.practised_seconds) == ("ended_early", 3)


@pilot_test
async def test_the_summary_says_how_the_week_is_going(tmp_path: Path) -> None:
    """With a history, the summary has one kind sentence about this week."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path)

    async def scenario(d: Driver) -> None:
        await d.advance(40)
        sentence = d.text("#summary-week")
        assert sentence == "That's 34 s of practice this week."

    await drive(app, clock, scenario)


@pilot_test
async def test_without_a_history_the_summary_has_no_week_sentence() -> None:
    """No recorder, no sentence, and nothing in its place."""
    app, clock = session_app(make_timeline(PLAIN_STEPS))

    async def scenario(d: Driver) -> None:
        await d.press("q")
        assert not app.screen.query("#summary-week")

    await drive(app, clock, scenario)


@pilot_test
async def test_check_in_before_and_after_lands_in_the_history(tmp_path: Path) -> None:
    """4 before the session and 2 on the summary are both recorded."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CheckInScreen)
        assert not rows(path), "the session must not start before the check-in is answered"
        await d.press("4")
        assert isinstance(app.screen, SessionScreen)
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert "How tense do you feel now?" in d.text("#summary-check-in")
        await d.press("2")
        assert d.text("#summary-check-in").startswith("You said 2.")
        await d.press("enter")

    await drive(app, clock, scenario)
    (record,) = rows(path)
    assert (record.mood_before, record.mood_after) == (4, 2)


@pilot_test
async def test_any_other_key_skips_the_check_in(tmp_path: Path) -> None:
    """A key that is not 1 to 5 starts the session with no mood recorded."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        await d.press("x")
        assert isinstance(app.screen, SessionScreen)
        await d.press("q")
        await d.press("enter")

    await drive(app, clock, scenario)
    (record,) = rows(path)
    assert (record.mood_before, record.mood_after) == (None, None)
    assert record.status == "ended_early"


@pilot_test
async def test_the_check_in_comes_after_the_caution(tmp_path: Path) -> None:
    """Caution first, then the check-in, then the session."""
    path = tmp_path / "history.sqlite3"
    chosen = recorder(path)
    app, clock = session_app(
        make_timeline(PLAIN_STEPS, caution="Breathe gently."),
        recorder=chosen,
        check_in=True,
        skip_caution=False,
    )

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CautionScreen)
        await d.press("enter")
        assert isinstance(app.screen, CheckInScreen)
        await d.press("3")
        assert isinstance(app.screen, SessionScreen)

    await drive(app, clock, scenario)
    assert rows(path)[0].mood_before == 3


@pilot_test
async def test_without_the_check_in_digits_on_the_summary_do_nothing(tmp_path: Path) -> None:
    """The check-in is off by default: no question, and 3 records nothing."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, SessionScreen)
        await d.press("q")
        assert not app.screen.query("#summary-check-in")
        await d.press("3")
        assert isinstance(app.screen, SummaryScreen)

    await drive(app, clock, scenario)
    assert rows(path)[0].mood_after is None


@pilot_test
async def test_a_check_in_without_a_history_is_still_asked(tmp_path: Path) -> None:
    """Asked for with --no-history, the check-in is still a moment to notice."""
    app, clock = session_app(make_timeline(PLAIN_STEPS), check_in=True)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CheckInScreen)
        await d.press("5")
        await d.press("q")
        await d.press("1")
        assert d.text("#summary-check-in").startswith("You said 1.")

    await drive(app, clock, scenario)


@pilot_test
async def test_a_history_locked_at_the_end_costs_one_notice_not_the_session(
    tmp_path: Path,
) -> None:
    """Another program holding the file: one warning, the summary, and the row written later."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path, busy_seconds=0.05)
    chosen = SessionRecorder(store, notify=[].append, now=lambda: WALL)
    app, clock, _ = history_app(path, recorder=chosen)
    blocker = sqlite3.connect(path, isolation_level=None)

    async def scenario(d: Driver) -> None:
        await d.advance(2)
        blocker.execute("BEGIN EXCLUSIVE")
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        messages = app.said
        assert len([m for m in messages if "another program is using" in m]) == 1, messages
        assert not app.screen.query("#summary-week")
        await d.press("enter")

    try:
        await drive(app, clock, scenario)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert rows(path)[0].status == "interrupted"
    chosen.close()
    assert (rows(path)[0].status, rows(path)[0].practised_seconds) == ("ended_early", 2)
    assert app.return_value is not None and app.return_value.status is Status.ENDED_EARLY


@pilot_test
async def test_escape_at_the_check_in_goes_back_and_records_nothing(tmp_path: Path) -> None:
    """Esc at the first question means "not now", as on the caution screen."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CheckInScreen)
        await d.press("escape")

    await drive(app, clock, scenario)
    assert app.return_value is None
    assert app.runner is None
    assert rows(path) == []


@pilot_test
async def test_keys_at_a_check_in_too_small_to_read_are_not_answers(tmp_path: Path) -> None:
    """In a tiny window the question is hidden, so a key there answers nothing."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        await d.press("4")
        assert isinstance(app.screen, CheckInScreen)
        await d.pilot.resize_terminal(80, 24)
        await d.pilot.pause()
        await d.press("2")
        assert isinstance(app.screen, SessionScreen)

    await drive(app, clock, scenario, size=(30, 10))
    assert rows(path)[0].mood_before == 2


@pilot_test
async def test_two_keys_arriving_together_at_the_check_in_answer_once(tmp_path: Path) -> None:
    """A pasted "33" (or a slow link delivering two keys at once) answers the question once:
    the first key counts, and the second reaches the session, not a screen already gone."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        screen = app.screen
        assert isinstance(screen, CheckInScreen)
        # Both in the screen's queue before the first is handled, as from a paste.
        screen.post_message(events.Key("3", "3"))
        screen.post_message(events.Key("q", "q"))
        await d.pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await d.press("q")
        await d.press("enter")

    await drive(app, clock, scenario)
    (record,) = rows(path)
    assert record.mood_before == 3


@pilot_test
async def test_q_at_a_check_in_too_small_to_read_still_goes_back(tmp_path: Path) -> None:
    """A way out needs no reading: q in a tiny window leaves without starting."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        assert app.return_code is None
        await d.press("q")
        assert app.return_code == 0  # calm is leaving

    await drive(app, clock, scenario, size=(30, 10))
    assert app.return_value is None
    assert rows(path) == []


@pilot_test
async def test_enter_at_a_caution_too_small_to_read_does_not_begin(tmp_path: Path) -> None:
    """A caution nobody could read is not accepted by Enter; once it can be read, it is."""
    path = tmp_path / "history.sqlite3"
    app, clock = session_app(
        make_timeline(PLAIN_STEPS, caution="Breathe gently."),
        recorder=recorder(path),
        skip_caution=False,
    )

    async def scenario(d: Driver) -> None:
        await d.press("enter")
        assert isinstance(app.screen, CautionScreen)
        await d.pilot.resize_terminal(80, 24)
        await d.pilot.pause()
        await d.press("enter")
        assert isinstance(app.screen, SessionScreen)

    await drive(app, clock, scenario, size=(30, 10))
    assert len(rows(path)) == 1


@pilot_test
async def test_keys_typed_before_the_check_in_appears_are_not_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digit typed ahead, before the question had been seen, is not taken as the mood."""
    import calm.tui.screens.base

    monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 30.0)
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        await d.press("3")
        assert isinstance(app.screen, CheckInScreen)
        monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 0.0)
        await d.press("4")
        assert isinstance(app.screen, SessionScreen)

    await drive(app, clock, scenario)
    assert rows(path)[0].mood_before == 4


@pilot_test
async def test_a_digit_pressed_as_the_session_ends_is_not_the_closing_mood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary takes a mood only once it has been on screen for a moment."""
    import calm.tui.screens.base

    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path, check_in=True)

    async def scenario(d: Driver) -> None:
        await d.press("2")
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        # The summary has only just appeared when the digit comes.
        monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 30.0)
        await d.press("4")
        assert "How tense do you feel now?" in d.text("#summary-check-in")
        monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 0.0)
        await d.press("1")
        assert d.text("#summary-check-in").startswith("You said 1.")
        await d.press("enter")

    await drive(app, clock, scenario)
    assert (rows(path)[0].mood_before, rows(path)[0].mood_after) == (2, 1)


@pilot_test
async def test_quit_from_the_command_palette_records_the_session_as_ended(
    tmp_path: Path,
) -> None:
    """The palette's Quit (and Ctrl+Q) leave as Ctrl+C does: the row says ended early,
    with the time practised, not interrupted at 0 s."""
    path = tmp_path / "history.sqlite3"
    app, clock, _ = history_app(path)

    async def scenario(d: Driver) -> None:
        await d.advance(3)
        await app.run_action("quit")
        await d.pilot.pause()

    await drive(app, clock, scenario)
    (record,) = rows(path)
    assert (record.status, record.practised_seconds) == ("ended_early", 3)
    assert app.left_at_once
