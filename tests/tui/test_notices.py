"""Notices go where they cover nothing: never over the session, on a line of their own
elsewhere, and a sound device that is not there is told once, not every session."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import calm.sound.players
from calm.practice.told import ToldOnce
from calm.tui.app import CalmApp
from calm.tui.screens.caution import CautionScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from tests.support.drawn import drawn_lines
from tests.support.sound import RecordingPlayer
from tests.support.tui import (
    INHALE,
    PLAIN_STEPS,
    Driver,
    drive,
    make_timeline,
    pilot_test,
    session_app,
)

LONG = (
    "Sound stopped (no sound device could be opened); the session carries on in silence. "
    "This notice is long enough to wrap even in a wide window."
)


def drawn(app: CalmApp) -> list[str]:
    """Every line drawn on the screen on top."""
    return drawn_lines(app)


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (200, 60)])
@pilot_test
async def test_a_notice_during_the_session_covers_nothing_and_waits_for_the_summary(
    size: tuple[int, int],
) -> None:
    """The session's screen is drawn the same with a notice as without: the countdown,
    the time left and the words all stay; the notice is on the summary, in full."""
    app, clock = session_app(make_timeline(PLAIN_STEPS))

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 0.5)
        before = drawn(app)
        assert any("left" in line for line in before)
        app.notify(LONG, severity="warning", timeout=30)
        await d.pilot.pause()
        assert drawn(app) == before
        assert not app.screen.query("Toast")
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert LONG in app.screen.notices.lines
        assert drawn(app)[0].strip().startswith("Sound stopped (no sound device")

    await drive(app, clock, scenario, size=size)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
@pilot_test
async def test_a_notice_elsewhere_takes_a_line_of_its_own(size: tuple[int, int]) -> None:
    """On the caution a notice is drawn at the top, and every line the caution had is
    still drawn below it: nothing is covered."""
    app, clock = session_app(make_timeline(caution="Breathe gently."), skip_caution=False)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CautionScreen)
        before = [line.strip() for line in drawn(app) if line.strip()]
        app.notify("config.toml: theme: no theme 'x'; using calm", timeout=30)
        await d.pilot.pause()
        after = [line.strip() for line in drawn(app) if line.strip()]
        # At the top, wrapped to the window's width if it must be.
        assert " ".join(after[:2]).startswith("config.toml: theme: no theme 'x'; using calm")
        for line in before:
            assert line in after, line

    await drive(app, clock, scenario, size=size)


@pilot_test
async def test_a_notice_goes_when_its_time_is_up() -> None:
    """A notice with a timeout leaves its line when the time is up, and the line goes."""
    app, clock = session_app(make_timeline(caution="Breathe gently."), skip_caution=False)

    async def scenario(d: Driver) -> None:
        app.notify("brief", timeout=0.01)
        await d.pilot.pause()
        screen = app.screen
        assert isinstance(screen, CautionScreen)
        for _ in range(100):
            if not screen.notices.lines:
                break
            await d.pilot.pause(0.01)
        assert screen.notices.lines == []
        assert not screen.notices.has_class("-shown")

    await drive(app, clock, scenario)


@pilot_test
async def test_a_notice_from_another_thread_arrives() -> None:
    """A sound player's thread may say something: it reaches the screen all the same."""
    app, clock = session_app(make_timeline(caution="Breathe gently."), skip_caution=False)

    async def scenario(d: Driver) -> None:
        thread = threading.Thread(target=lambda: app.notify("from a thread"))
        thread.start()
        thread.join()
        await d.pilot.pause()
        assert "from a thread" in app.screen.notices.lines  # type: ignore[attr-defined]

    await drive(app, clock, scenario)


def failing_sound_app(
    monkeypatch: pytest.MonkeyPatch, told: ToldOnce, *, fail: bool = True
) -> tuple[CalmApp, object]:
    """A session whose sound device refuses every sound, or works when not ``fail``."""
    monkeypatch.setattr(
        calm.sound.players, "choose_player", lambda ring=None: RecordingPlayer(fail=fail)
    )
    return session_app(make_timeline(PLAIN_STEPS), volume=70, told=told)


async def breathe_and_end(d: Driver) -> None:
    """Into the first breath (a cue plays), then end, and leave the summary."""
    await d.advance(INHALE + 0.5)
    assert isinstance(d.app.screen, SessionScreen)
    await d.press("q")
    await d.press("enter")


@pilot_test
async def test_no_sound_device_is_told_once_not_every_session(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The first session says the sound stopped; the next, on the same machine, does
    not; once sound has worked in a session, a new failure is told again."""
    told = ToldOnce(tmp_path / "told-sound")
    said = []
    for fail in (True, True, False, True):
        app, clock = failing_sound_app(monkeypatch, told, fail=fail)
        await drive(app, clock, breathe_and_end)  # type: ignore[arg-type]
        said.append([text for text in app.said if text.startswith("Sound stopped")])
    assert [len(texts) for texts in said] == [1, 0, 0, 1]


def test_the_told_file_is_data_a_broken_one_costs_only_a_notice_said_again(
    tmp_path: Path,
) -> None:
    """A folder, a huge file or binary in place of the file: the notice is said, and
    calm neither fails nor reads more than a few kilobytes."""
    folder = tmp_path / "is-a-folder"
    folder.mkdir()
    assert ToldOnce(folder).first_time("x")
    huge = tmp_path / "huge"
    huge.write_bytes(b"\xff" * 10_000_000)
    assert ToldOnce(huge).first_time("x")
    assert not ToldOnce(huge).first_time("x")  # replaced by a small file that says it
    assert huge.stat().st_size < 100


@pilot_test
async def test_notices_said_over_and_over_are_kept_to_a_few() -> None:
    """A thousand notices in a session: the summary holds each different one once, and
    no more than a few in all, so nothing grows without end."""
    app, clock = session_app(make_timeline(PLAIN_STEPS))

    async def scenario(d: Driver) -> None:
        for number in range(1000):
            app.notify(f"notice {number % 50}")
            app.notify("the same again")
        await d.pilot.pause()
        assert len(app.said) <= 20
        assert len(app.held) <= 20
        assert app.held.count("the same again") == 1

    await drive(app, clock, scenario)
