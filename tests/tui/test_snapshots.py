"""Snapshot tests of every screen of the calm app, one class per feature.

Every picture is taken on a clock moved by hand, with a fixed tip, so the same
moment is drawn every time. Update the baselines with ``--snapshot-update`` and
look at each changed SVG before accepting it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import calm.sound.players
from calm.core.clock import ManualClock
from calm.core.length_plan import LengthOptions
from calm.core.library import Library
from calm.core.loader import parse_script_bytes
from calm.core.timeline import Timeline, compile_timeline
from calm.practice.recording import SessionRecorder
from calm.present.catalogue import collect
from calm.sound.players import BellPlayer
from calm.tui.app import CalmApp
from calm.tui.screens.session import SessionScreen
from tests.support.apps import calm_app

TIP = "Have a few sips of water before you move on."
START = 100.0
WALL = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
"""The wall clock a recorded session starts at."""

# Box breathing as shipped: an 8 s say step, then breaths of four 4 s phases.
SAY_ENDS = 8.0
INHALE, HOLD_IN, EXHALE, HOLD_OUT = 8.0, 12.0, 16.0, 20.0

PROMPT_SCRIPT = b"""
title = "Check in"
summary = "A pause to notice how you are."
category = "grounding"

[[steps]]
say = "Settle in."
seconds = 2

[[steps]]
prompt = "Notice your feet on the floor. Press Enter when you are ready."

[[steps]]
say = "Thank you."
seconds = 2
"""

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def library() -> Library:
    """The built-in scripts only; the test home has none of its own."""
    return Library.discover(user_dirs=[])


def box(**options: Any) -> Timeline:
    """The built-in box breathing, at its written length unless told otherwise."""
    entry = library().get("box")
    assert entry is not None
    return compile_timeline(entry.load(), LengthOptions(**options))


def session_app(timeline: Timeline, clock: ManualClock, **kwargs: Any) -> CalmApp:
    """An app that runs ``timeline`` at once, with no caution unless asked for."""
    kwargs.setdefault("skip_caution", True)
    return calm_app(timeline=timeline, clock=clock, tip=lambda: TIP, **kwargs)


async def tick(pilot: Pilot[Any]) -> None:
    """Let the session screen catch up with the clock, then let Textual settle."""
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen), type(screen).__name__
    screen.tick()
    await pilot.pause()


def at(clock: ManualClock, seconds: float) -> RunBefore:
    """A run_before that moves the session ``seconds`` in, pressing nothing."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        clock.advance(seconds)
        await tick(pilot)

    return run_before


class TestPicker:
    """The picker: scripts by category, a preview, the length."""

    def test_opens_on_the_first_script(self, snap_compare: Any) -> None:
        """The list is grouped by category and the first script is previewed."""
        app = calm_app(rows=collect(library()), clock=ManualClock(START), tip=lambda: TIP)
        assert snap_compare(app, terminal_size=(80, 24))

    def test_typing_filters_and_right_lengthens(self, snap_compare: Any) -> None:
        """Typed letters narrow the list; → adds a minute to the length."""
        app = calm_app(rows=collect(library()), clock=ManualClock(START), tip=lambda: TIP)

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("c", "o", "h")  # filter down to coherent breathing
            await pilot.press("right")  # one minute longer: 6 min
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestSessionPhases:
    """Box breathing in each of its four phases, at 80x24."""

    def test_inhale_midway(self, snap_compare: Any) -> None:
        """Half way through the first inhale: the orb half grown, 2 s left."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, INHALE + 2))

    def test_hold_in(self, snap_compare: Any) -> None:
        """Holding at the top: the orb at its largest."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, HOLD_IN + 1))

    def test_exhale(self, snap_compare: Any) -> None:
        """Half way through the exhale: the orb half shrunk."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, EXHALE + 2))

    def test_hold_out(self, snap_compare: Any) -> None:
        """Resting at the bottom: the orb at its smallest."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, HOLD_OUT + 1))


class TestSteps:
    """The steps that are not breathing: say and prompt."""

    def test_say_step(self, snap_compare: Any) -> None:
        """Box's opening say step: its words, the orb at rest, its countdown."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 3))

    def test_untimed_prompt(self, snap_compare: Any) -> None:
        """An untimed prompt waits with no countdown, however long it has been."""
        clock = ManualClock(START)
        script = parse_script_bytes(PROMPT_SCRIPT, name="check-in", source="check-in.toml")
        app = session_app(compile_timeline(script), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 600))


class TestControls:
    """What the keys bring up during a session."""

    def test_paused(self, snap_compare: Any) -> None:
        """Paused mid-inhale: 'Paused', the hint to resume, the orb dimmed and still."""
        clock = ManualClock(START)
        app = session_app(box(), clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await at(clock, INHALE + 2)(pilot)
            await pilot.press("space")  # pause half way through the inhale
            clock.advance(60)  # a minute passes; nothing moves
            await tick(pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_help(self, snap_compare: Any) -> None:
        """? lays the keys over the session."""
        clock = ManualClock(START)
        app = session_app(box(), clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await at(clock, INHALE + 2)(pilot)
            await pilot.press("question_mark")  # open the help
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestCautionAndSummary:
    """The screens before and after a session."""

    def test_caution(self, snap_compare: Any) -> None:
        """Box holds the breath, so its caution comes first."""
        app = session_app(box(), ManualClock(START), skip_caution=False)
        assert snap_compare(app, terminal_size=(80, 24))

    def test_summary_completed(self, snap_compare: Any) -> None:
        """After all of box: complete, 4 min, 14 breaths, and box's reminder."""
        clock = ManualClock(START)
        timeline = box()
        app = session_app(timeline, clock)
        run_before = at(clock, timeline.total_seconds)  # the very moment it ends
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_summary_ended_early_with_a_tip(self, snap_compare: Any) -> None:
        """q part way through a script with no reminder: ended early, and the tip."""
        clock = ManualClock(START)
        script = parse_script_bytes(PROMPT_SCRIPT, name="check-in", source="check-in.toml")
        app = session_app(compile_timeline(script), clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await at(clock, 1)(pilot)
            await pilot.press("q")  # end early, one second in
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestHistoryAndCheckIn:
    """The check-in before a session, and the summary with the week's sentence."""

    def test_check_in_question(self, snap_compare: Any) -> None:
        """With the check-in on, the question comes before the session."""
        app = session_app(box(), ManualClock(START), check_in=True)
        assert snap_compare(app, terminal_size=(80, 24))

    def test_summary_with_the_week_and_the_check_in(
        self, snap_compare: Any, tmp_path: Path
    ) -> None:
        """A recorded, completed box session: the week's sentence, then the closing question."""
        clock = ManualClock(START)
        timeline = box()
        recorder = SessionRecorder.open(
            tmp_path / "history.sqlite3", notify=print, now=lambda: WALL
        )
        app = session_app(timeline, clock, recorder=recorder, check_in=True)

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press("3")  # the check-in before
            await at(clock, timeline.total_seconds)(pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestReducedMotion:
    """The still bar in place of the orb."""

    def test_still_bar_on_hold_in(self, snap_compare: Any) -> None:
        """The bar lays out one breath and lights the hold."""
        clock = ManualClock(START)
        app = session_app(box(), clock, reduced_motion=True)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, HOLD_IN + 1))


class TestTerminalSizes:
    """The smallest size calm supports, and one smaller still."""

    def test_smallest_supported_40x12(self, snap_compare: Any) -> None:
        """At 40x12 the whole session still fits, mid-inhale."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(40, 12), run_before=at(clock, INHALE + 2))

    def test_too_small_30x10(self, snap_compare: Any) -> None:
        """Below 40x12 a single message asks for a larger window."""
        clock = ManualClock(START)
        app = session_app(box(), clock)
        assert snap_compare(app, terminal_size=(30, 10), run_before=at(clock, INHALE + 2))


class TestNotices:
    """Notices on lines of their own, never over the breath."""

    def test_a_notice_above_the_caution_at_40x12(self, snap_compare: Any) -> None:
        """A bad setting's notice takes the top lines; the caution is below it, whole."""
        notice = 'config.toml: theme: "[/bold]" is not a theme calm knows; using "calm".'
        app = session_app(box(), ManualClock(START), skip_caution=False, notices=[notice])
        assert snap_compare(app, terminal_size=(40, 12))

    def test_the_sound_notice_waits_for_the_summary(self, snap_compare: Any) -> None:
        """Said during the session, the notice is on the summary, above the card."""
        clock = ManualClock(START)
        app = session_app(box(), clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await at(clock, INHALE + 2)(pilot)
            pilot.app.notify("Sound stopped (no sound device could be opened).")
            await pilot.press("q")  # end: the summary says it
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestKeysNow:
    """The footer names what each key does now, and the way out fits."""

    def test_the_bell_at_40x12(self, snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        """With only the bell: space Pause, q End, ? Help, m Bell off, all on one line."""
        monkeypatch.setattr(
            calm.sound.players, "choose_player", lambda ring=None: BellPlayer(lambda: None)
        )
        clock = ManualClock(START)
        app = session_app(box(), clock, volume=70)
        assert snap_compare(app, terminal_size=(40, 12), run_before=at(clock, INHALE + 2))

    def test_the_summary_from_the_list(self, snap_compare: Any) -> None:
        """A session chosen in the list: again, back to the list, or leave."""
        clock = ManualClock(START)
        app = calm_app(rows=collect(library()), clock=clock, tip=lambda: TIP, skip_caution=True)

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.press(*"box", "enter")  # start box from the list
            await at(clock, 30)(pilot)
            await pilot.press("q")  # end early: the summary
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestOutsideText:
    """Brackets from a script are drawn as written."""

    def test_brackets_in_every_text(self, snap_compare: Any) -> None:
        """Markup-like words in the title, the step and the phase, drawn as typed."""
        script = parse_script_bytes(
            b"""
title = "Evil [bold red on yellow]title[/] [/jaw]"
summary = "s"
category = "breathing"

[[steps]]
breathe = "Breathe [@click=app.quit]out[/]"
pattern = [
    { phase = "inhale", seconds = 4, text = "Hold [optional]" },
    { phase = "exhale", seconds = 4, text = "[/]" },
]
cycles = 3
""",
            name="evil",
            source="evil.toml",
        )
        clock = ManualClock(START)
        app = session_app(compile_timeline(script), clock)
        assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 2))
