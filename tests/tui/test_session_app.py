"""Pilot tests of the Textual app, every control driven by a clock moved by hand.

The session screen keeps no time of its own: a test moves the ManualClock, asks
the screen to tick, and lets Textual settle before looking. Nothing here sleeps.

Two of the countdown's moments part way through a second (0.3 s and 2.5 s in) run only
in the slow half (``-m slow``); its edges (a phase's start and last tenth, just before
and at a whole second) run by default.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textual.constants
from textual.command import CommandPalette
from textual.widgets import Digits, OptionList, Static

from calm.core.length_plan import LengthOptions
from calm.core.library import Library
from calm.core.loader import parse_script_bytes
from calm.core.script import Phase, StepKind
from calm.core.session import EventKind, SessionOutcome, Status
from calm.core.timeline import compile_timeline
from calm.core.trace import TraceWriter
from calm.present.measures import breaths_text, length_text
from calm.tui.screens.base import TOO_SMALL
from calm.tui.screens.caution import CautionScreen
from calm.tui.screens.help import HelpScreen
from calm.tui.screens.picker import PickerScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from calm.tui.widgets.orb import BreathOrb
from calm.tui.widgets.progress import SessionProgress
from calm.tui.widgets.still_bar import StillBar
from tests.support.tui import (
    EXHALE,
    HOLD_IN,
    HOLD_OUT,
    INHALE,
    PLAIN_STEPS,
    STEPS,
    TIMED_PROMPT,
    TIP,
    TOTAL,
    UNTIMED_PROMPT,
    Driver,
    Scenario,
    drive,
    library_rows,
    make_script,
    make_timeline,
    picker_app,
    pilot_test,
    session_app,
)

# -- the first moment ------------------------------------------------------------


@pilot_test
async def test_the_first_frame_shows_the_first_moment_never_a_shared_sessions_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The screen is drawn at the session's first moment before the clock starts, so
    the words it first shows are the first step's: never a shared session's "Beginning
    together", which the screen once showed for a frame before every session."""
    shown: list[str] = []
    original = SessionScreen.watch_words

    def watch_words(screen: SessionScreen, words: str) -> None:
        shown.append(words)
        original(screen, words)

    monkeypatch.setattr(SessionScreen, "watch_words", watch_words)
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        assert shown[0] == "Settle in.", shown
        assert d.runner.status is Status.RUNNING

    await drive(app, clock, scenario)


# -- pause and resume ------------------------------------------------------------


@pilot_test
async def test_space_pauses_and_freezes_the_session() -> None:
    """Space freezes position, phase and countdown however far the clock moves."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        await d.press("space")
        assert d.runner.paused
        frozen = (d.runner.position(), d.runner.index, d.countdown, d.left, d.level)
        assert d.phase == "Paused"
        for _ in range(3):
            await d.advance(1000)
            assert (d.runner.position(), d.runner.index, d.countdown, d.left, d.level) == frozen
            assert d.phase == "Paused"
        assert d.screen.has_class("-paused")

    await drive(app, clock, scenario)


@pilot_test
async def test_the_footer_says_what_space_will_do() -> None:
    """Pause while the session runs, Resume while it is paused, and Pause again after."""
    app, clock = session_app()

    def footer() -> list[str]:
        return [
            active.binding.description
            for active in app.screen.active_bindings.values()
            if active.enabled and active.binding.show
        ]

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        assert "Pause" in footer() and "Resume" not in footer()
        await d.press("space")
        assert "Resume" in footer() and "Pause" not in footer()
        await d.press("space")
        assert not d.runner.paused
        assert "Pause" in footer() and "Resume" not in footer()

    await drive(app, clock, scenario)


@pilot_test
async def test_space_again_resumes_exactly_where_it_stopped() -> None:
    """Resuming continues the phase from the very moment it was paused."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1.25)
        await d.press("space")
        before = d.runner.position()
        await d.advance(500)
        await d.press("space")
        assert not d.runner.paused
        assert d.runner.position() == pytest.approx(before)
        assert d.phase == "In through the nose"
        assert d.countdown == "3"
        await d.advance(1.0)
        assert d.runner.position() == pytest.approx(before + 1.0)
        assert d.countdown == "2"
        await d.advance(1.75)
        assert d.phase == "Hold softly"

    await drive(app, clock, scenario)


# -- skipping --------------------------------------------------------------------


@pytest.mark.parametrize("key", ["n", "right"])
@pilot_test
async def test_next_step_keys_skip_to_the_next_step(key: str) -> None:
    """n and the right arrow jump from the say step to the start of the breathing."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(1)
        assert d.phase == "Settle in."
        await d.press(key)
        assert d.runner.segment.step == 1
        assert d.runner.position() == pytest.approx(INHALE)
        assert d.phase == "In through the nose"
        assert d.text("#step") == "step 2 of 5"
        assert d.countdown == "4"

    await drive(app, clock, scenario)


@pytest.mark.parametrize("key", ["b", "left"])
@pilot_test
async def test_previous_step_keys_go_back_a_step(key: str) -> None:
    """b and the left arrow go back from the breathing to the start of the say step."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(EXHALE + 1)
        assert d.runner.segment.step == 1
        await d.press(key)
        assert d.runner.segment.step == 0
        assert d.runner.position() == pytest.approx(0.0)
        assert d.phase == "Settle in."
        assert d.text("#step") == "step 1 of 5"
        await d.advance(2)
        assert d.phase == "In through the nose"

    await drive(app, clock, scenario)


# -- ending --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["q", "escape"])
@pilot_test
async def test_quit_keys_end_early_with_the_numbers_so_far(key: str) -> None:
    """q and escape go to the summary: ended early, the time practised and the breaths."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 16 + 3)  # one whole breath and a bit
        await d.press(key)
        assert d.runner.status is Status.ENDED_EARLY
        texts = d.summary_texts()
        assert texts[0] == "Ended early"
        assert "21 s practised · 1 breath" in texts

    await drive(app, clock, scenario)


@pilot_test
async def test_time_spent_paused_does_not_count_as_practised() -> None:
    """Time spent paused, in an earlier pause or the current one, is left out."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(5)
        await d.press("space")
        await d.advance(300)
        await d.press("space")
        await d.advance(2)
        await d.press("space")
        await d.advance(50)
        await d.press("q")
        assert "7 s practised · 0 breaths" in d.summary_texts()

    await drive(app, clock, scenario)


@pilot_test
async def test_completed_session_shows_session_complete_and_every_breath() -> None:
    """A session run to its end says so; breaths equal the timeline's cycles."""
    timeline = make_timeline(STEPS.replace('prompt = "Ready?"', 'prompt = "Ready?"\ntimeout = 1'))
    app, clock = session_app(timeline)

    async def scenario(d: Driver) -> None:
        for _ in range(40):
            await d.advance(1)
        assert isinstance(app.screen, SummaryScreen)
        assert d.runner.status is Status.COMPLETED
        texts = d.summary_texts()
        assert texts[0] == "Session complete"
        assert f"40 s practised · {breaths_text(timeline.cycles)}" in texts
        assert timeline.cycles == 2

    await drive(app, clock, scenario)


@pilot_test
async def test_enter_on_a_closing_prompt_completes_the_session() -> None:
    """Moving on from a closing untimed prompt counts as completing the session."""
    timeline = make_timeline(PLAIN_STEPS + '\n[[steps]]\nprompt = "Open your eyes."\n')
    app, clock = session_app(timeline)

    async def scenario(d: Driver) -> None:
        await d.advance(34)
        assert d.phase == "Open your eyes."
        await d.press("enter")
        assert d.summary_texts()[0] == "Session complete"
        assert app.return_value is None  # still on the summary

    await drive(app, clock, scenario)


@pilot_test
async def test_enter_on_the_summary_exits_with_the_outcome() -> None:
    """Enter leaves the app, which returns the session's outcome."""
    app, clock = session_app()
    seen: list[SessionOutcome] = []

    async def scenario(d: Driver) -> None:
        await d.advance(7)
        await d.press("q")
        seen.append(d.runner.outcome())
        await d.press("enter")

    await drive(app, clock, scenario)
    outcome = app.return_value
    assert isinstance(outcome, SessionOutcome)
    assert outcome == seen[0]
    assert outcome.status is Status.ENDED_EARLY
    assert outcome.practised_seconds == pytest.approx(7.0)
    assert outcome.planned_seconds == pytest.approx(TOTAL)


@pilot_test
async def test_ctrl_c_leaves_at_once_and_finishes_the_runner() -> None:
    """Ctrl+C exits straight away, with no summary, and the session is finished."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(4)
        await d.pilot.press("ctrl+c")

    await drive(app, clock, scenario)
    assert app.left_at_once
    assert app.runner is not None
    assert not app.runner.running
    assert app.runner.status is Status.ENDED_EARLY
    assert isinstance(app.return_value, SessionOutcome)
    assert app.return_value.practised_seconds == pytest.approx(4.0)


# -- prompts ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["enter", "space"])
@pilot_test
async def test_untimed_prompt_waits_until_enter_or_space(key: str) -> None:
    """An untimed prompt stays however long the clock runs, then moves on at a key."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(UNTIMED_PROMPT + 0.5)
        assert d.phase == "Ready?"
        for _ in range(3):
            await d.advance(10_000)
            assert d.phase == "Ready?"
            assert d.runner.waiting
            assert d.runner.segment.kind is StepKind.PROMPT
            assert d.countdown == ""
            assert d.instruction == "Press Enter when you are ready."
        assert not d.runner.paused
        await d.press(key)
        assert d.phase == "Well done."
        assert d.runner.segment.step == 4
        await d.advance(2)
        assert d.summary_texts()[0] == "Session complete"

    await drive(app, clock, scenario)


@pilot_test
async def test_timed_prompt_moves_on_by_itself() -> None:
    """A prompt with a timeout shows its countdown and gives way when it runs out."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(TIMED_PROMPT + 0.5)
        assert d.phase == "Notice how you feel."
        assert d.countdown == "3"
        await d.advance(2.5)
        assert d.phase == "Ready?"

    await drive(app, clock, scenario)


# -- caution -----------------------------------------------------------------------


@pilot_test
async def test_caution_appears_first_and_enter_begins() -> None:
    """A script's caution shows before the session; Enter starts it."""
    timeline = make_timeline(caution="Do not strain.")
    app, clock = session_app(timeline, skip_caution=False)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CautionScreen)
        assert app.runner is None
        assert d.text("#caution-text") == "Do not strain."
        await d.press("enter")
        assert isinstance(app.screen, SessionScreen)
        assert d.runner.running
        assert d.phase == "Settle in."

    await drive(app, clock, scenario)


@pilot_test
async def test_escape_on_the_caution_leaves_without_a_session() -> None:
    """Escape on the caution closes the app and no session runs."""
    timeline = make_timeline(caution="Do not strain.")
    app, clock = session_app(timeline, skip_caution=False)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CautionScreen)
        await d.press("escape")

    await drive(app, clock, scenario)
    assert app.runner is None
    assert app.return_value is None


@pilot_test
async def test_skip_caution_starts_the_session_at_once() -> None:
    """With skip_caution, a script's caution is not shown."""
    timeline = make_timeline(caution="Do not strain.")
    app, clock = session_app(timeline, skip_caution=True)

    async def scenario(d: Driver) -> None:
        assert not any(isinstance(s, CautionScreen) for s in app.screen_stack)
        assert isinstance(app.screen, SessionScreen)
        assert d.runner.running

    await drive(app, clock, scenario)


@pilot_test
async def test_no_caution_screen_when_the_script_has_none() -> None:
    """A script with no caution starts straight away even without skip_caution."""
    app, clock = session_app(make_timeline(), skip_caution=False)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, SessionScreen)

    await drive(app, clock, scenario)


# -- the summary's word for afterwards ----------------------------------------------


@pilot_test
async def test_summary_shows_the_scripts_reminder() -> None:
    """The script's own reminder is shown, not the tip."""
    app, clock = session_app(make_timeline(reminder="Roll your shoulders."))

    async def scenario(d: Driver) -> None:
        await d.press("q")
        assert d.text("#afterwards") == "Roll your shoulders."
        assert TIP not in d.summary_texts()

    await drive(app, clock, scenario)


@pilot_test
async def test_summary_shows_the_tip_when_there_is_no_reminder() -> None:
    """A script with no reminder gets the self-care tip."""
    app, clock = session_app(make_timeline())

    async def scenario(d: Driver) -> None:
        await d.press("q")
        assert d.text("#afterwards") == TIP

    await drive(app, clock, scenario)


# -- help and the command palette ----------------------------------------------------


@pilot_test
async def test_question_mark_opens_help_and_escape_closes_it() -> None:
    """? shows the keys over the session; escape goes back to it."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await d.press("escape")
        assert isinstance(app.screen, SessionScreen)
        assert d.runner.running

    await drive(app, clock, scenario)


@pilot_test
async def test_command_palette_offers_the_session_controls() -> None:
    """The session's controls are system commands, and they act on the session."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        for title in ("Pause or resume", "Next step", "Previous step", "End session"):
            assert title in commands
        commands["Pause or resume"].callback()
        assert d.runner.paused
        commands["Pause or resume"].callback()
        commands["Next step"].callback()
        assert d.runner.segment.step == 1
        commands["Previous step"].callback()
        assert d.runner.segment.step == 0
        commands["End session"].callback()
        await d.pilot.pause()
        assert d.runner.status is Status.ENDED_EARLY
        assert isinstance(app.screen, SummaryScreen)

    await drive(app, clock, scenario)


# -- what the screen shows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (INHALE + 1, "In through the nose"),
        (HOLD_IN + 1, "Hold softly"),
        (EXHALE + 1, "Out slowly"),
        (HOLD_OUT + 1, "Rest at the bottom"),
    ],
)
@pilot_test
async def test_phase_label_shows_the_scripts_words(at: float, words: str) -> None:
    """Each phase shows the words the script gives it, and the step's instruction."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(at)
        assert d.phase == words
        assert d.instruction == "Trace a square with your breath."

    await drive(app, clock, scenario)


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (INHALE + 1, "Breathe in"),
        (HOLD_IN + 1, "Hold"),
        (EXHALE + 1, "Breathe out"),
        (HOLD_OUT + 1, "Hold"),
    ],
)
@pilot_test
async def test_phase_label_falls_back_to_plain_names(at: float, words: str) -> None:
    """Phases with no words of their own are called Breathe in, Hold, Breathe out."""
    app, clock = session_app(make_timeline(PLAIN_STEPS))

    async def scenario(d: Driver) -> None:
        await d.advance(at)
        assert d.phase == words

    await drive(app, clock, scenario)


@pytest.mark.parametrize(
    ("into", "shown"),
    [
        (0.0, "4"),
        pytest.param(0.3, "4", marks=pytest.mark.slow),
        (0.999, "4"),
        (1.0, "3"),
        pytest.param(2.5, "2", marks=pytest.mark.slow),
        (3.9, "1"),
    ],
)
@pilot_test
async def test_countdown_shows_the_whole_seconds_left_rounded_up(into: float, shown: str) -> None:
    """The Digits show the ceiling of the seconds left in the phase."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + into)
        assert d.runner.segment.phase is Phase.INHALE
        assert d.countdown == shown

    await drive(app, clock, scenario)


@pilot_test
async def test_progress_shows_the_time_left() -> None:
    """The progress row counts the session's time down and fills the bar."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        assert d.left == "0:39 left"
        await d.advance(10)
        assert d.left == "0:29 left"
        bar = d.screen.query_one("#progress", SessionProgress)
        assert bar.fraction == pytest.approx(10 / TOTAL)
        assert "━" in str(bar.render())

    await drive(app, clock, scenario)


@pilot_test
async def test_orb_grows_rests_and_shrinks_with_easing() -> None:
    """The orb grows on the inhale (eased), stays on the hold, shrinks on the exhale."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE)
        inhale = [d.level]
        for _ in range(4):
            await d.advance(1)
            inhale.append(d.level)
        assert inhale == sorted(inhale)
        assert inhale[0] == pytest.approx(0.0)
        assert inhale[-1] == pytest.approx(1.0)
        assert 0 < inhale[1] < 0.25  # eased: slow to start, so under a quarter at 25%
        assert inhale[3] > 0.75  # and slow to settle
        hold = []
        for _ in range(3):
            await d.advance(1)
            hold.append(d.level)
        assert hold == pytest.approx([1.0, 1.0, 1.0])
        await d.advance(1)  # the exhale begins
        exhale = [d.level]
        for _ in range(4):
            await d.advance(1)
            exhale.append(d.level)
        assert exhale == sorted(exhale, reverse=True)
        assert exhale[0] == pytest.approx(1.0)
        assert exhale[1] > 0.75
        assert exhale[-1] == pytest.approx(0.0)

    await drive(app, clock, scenario)


@pilot_test
async def test_reduced_motion_shows_a_still_bar_and_no_orb() -> None:
    """Reduced motion replaces the orb with a still bar that lights the current phase."""
    app, clock = session_app(reduced_motion=True)

    async def scenario(d: Driver) -> None:
        assert not d.screen.query(BreathOrb)
        await d.advance(HOLD_IN + 1)
        bar = d.screen.query_one("#visual", StillBar)
        text = bar.content
        assert re.split(r"\s{2,}", str(text).strip()) == [
            "in 4 s",
            "hold 4 s",
            "out 4 s",
            "hold 4 s",
        ]
        lit = [str(text)[span.start : span.end] for span in text.spans if "reverse" in span.style]
        assert lit == [" hold 4 s "]
        assert d.phase == "Hold softly"

    await drive(app, clock, scenario)


@pilot_test
async def test_textual_animations_none_means_reduced_motion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """TEXTUAL_ANIMATIONS=none, which Textual reads at import, gives the still bar."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    app, clock = session_app()
    assert app.reduced_motion

    async def scenario(d: Driver) -> None:
        assert d.screen.query(StillBar)
        assert not d.screen.query(BreathOrb)

    await drive(app, clock, scenario)


# -- size ------------------------------------------------------------------------------


@pilot_test
async def test_tiny_terminal_shows_one_message_and_resizing_brings_the_session_back() -> None:
    """At 30x10 only the 'larger' message shows and the session waits; at 80x24 it carries
    on from where it was."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        screen = d.screen
        too_small = screen.query_one("#too-small", Static)
        session = screen.query_one("#session")
        assert str(too_small.content).startswith("Make the window larger")
        assert str(too_small.content) == TOO_SMALL
        assert too_small.display
        assert not session.display
        assert not screen.query_one("Footer").display
        await d.advance(INHALE + 1)  # nobody can follow it: the session waits
        await d.pilot.resize_terminal(80, 24)
        await d.tick()
        assert session.display
        assert not too_small.display
        assert session.region.width == 80
        assert not d.app.runner.paused
        assert d.app.runner.practised() < 0.5
        await d.advance(INHALE + 1)
        assert d.phase == "In through the nose"
        assert d.countdown == "3"

    await drive(app, clock, scenario, size=(30, 10))


@pilot_test
async def test_smallest_supported_terminal_shows_the_session() -> None:
    """At 40x12 the session shows, not the 'larger' message."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        assert d.screen.query_one("#session").display
        assert not d.screen.query_one("#too-small").display
        phase = d.screen.query_one("#phase", Static)
        assert phase.region.height >= 1
        assert d.screen.query_one("#visual").region.height >= 3

    await drive(app, clock, scenario, size=(40, 12))


@pilot_test
async def test_smallest_supported_terminal_still_shows_the_seconds_left_in_the_phase() -> None:
    """At 40x12 the seconds left in the phase are still on screen somewhere."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)  # 3 s left in the inhale
        countdown = d.screen.query_one("#countdown", Digits)
        shown = countdown.value == "3" and countdown.display and countdown.region.height > 0
        assert shown or "3" in d.phase

    await drive(app, clock, scenario, size=(40, 12))


async def open_caution(d: Driver) -> None:
    assert isinstance(d.app.screen, CautionScreen)


async def open_summary(d: Driver) -> None:
    await d.advance(TOTAL)
    await d.press("enter")  # past the untimed prompt
    await d.advance(2)
    assert isinstance(d.app.screen, SummaryScreen)


async def open_summary_after_a_check_in(d: Driver) -> None:
    await d.press("3")  # the check-in, after the caution
    await open_summary(d)
    assert d.app.screen.query_one("#summary-scale").display


async def open_help(d: Driver) -> None:
    await d.press("question_mark")
    assert isinstance(d.app.screen, HelpScreen)


@pytest.mark.parametrize(
    "opener", [open_caution, open_summary, open_summary_after_a_check_in, open_help]
)
@pilot_test
async def test_smallest_supported_terminal_fits_caution_summary_and_help(
    opener: Scenario,
) -> None:
    """At 40x12 each box fits whole, down to its last line, without scrolling."""
    script = make_script(
        caution="This pattern holds the breath. If holding feels uncomfortable, or you have "
        "been advised not to hold your breath, start it with --gentle.",
        reminder="Before you move on, have a few sips of water, roll your shoulders slowly a "
        "couple of times, and stand up gently.",
        title="Evening wind-down for the shoulders, jaw and the back of the neck",
    )
    checking_in = opener is open_summary_after_a_check_in
    app, clock = session_app(compile_timeline(script), skip_caution=False, check_in=checking_in)

    async def scenario(d: Driver) -> None:
        if not isinstance(app.screen, CautionScreen):
            raise AssertionError("the caution did not come first")
        if opener is not open_caution:
            await d.press("enter")
        await opener(d)
        screen = app.screen
        bottom = screen.size.height - (1 if screen.query("Footer") else 0)
        shown = [widget for widget in screen.query(Static) if widget.display]
        last = max((w for w in shown if w.id != "too-small"), key=lambda w: w.region.bottom)
        assert screen.max_scroll_y == 0
        assert last.region.height > 0
        assert last.region.bottom <= bottom

    await drive(app, clock, scenario, size=(40, 12))


@pilot_test
async def test_session_ending_under_the_command_palette_leaves_only_the_summary() -> None:
    """When the session runs out while the command palette is open, the summary replaces both."""
    app, clock = session_app(make_timeline(PLAIN_STEPS))

    async def scenario(d: Driver) -> None:
        session = d.screen
        await d.advance(30)
        await d.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        clock.advance(10)
        session.tick()  # what the session's own timer does when the end comes
        await d.pilot.pause()
        assert d.runner.status is Status.COMPLETED
        assert isinstance(app.screen, SummaryScreen)
        assert not any(isinstance(s, (SessionScreen, CommandPalette)) for s in app.screen_stack)

    await drive(app, clock, scenario)


# -- the trace -----------------------------------------------------------------------


@pilot_test
async def test_trace_records_the_sessions_events(tmp_path: Path) -> None:
    """Steps, phases, a pause, a resume and the end all go to the trace file."""
    path = tmp_path / "trace.jsonl"
    handle = path.open("a", encoding="utf-8")
    app, clock = session_app(trace=TraceWriter(handle))

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        await d.press("space")
        await d.advance(30)
        await d.press("space")
        await d.advance(4)
        await d.press("q")

    try:
        await drive(app, clock, scenario)
    finally:
        handle.close()
    records = [json.loads(line) for line in path.read_text().splitlines()]
    kinds = [record["event"] for record in records]
    assert kinds == ["step", "step", "phase", "pause", "resume", "phase", "end"]
    assert {kind.value for kind in EventKind} == set(kinds)
    assert records[2]["phase"] == "inhale"
    assert records[5]["phase"] == "hold_in"
    assert records[2]["scheduled"] == pytest.approx(2.0)
    assert records[-1]["t"] == pytest.approx(37.0)


# -- the picker ------------------------------------------------------------------------


def option_ids(screen: PickerScreen) -> list[str | None]:
    """The ids of the options that can be chosen, in order."""
    options = screen.query_one(OptionList).options
    return [option.id for option in options if not option.disabled]


@pilot_test
async def test_picker_lists_scripts_grouped_by_category() -> None:
    """Each script sits under a heading for its category, headings in category order."""
    app, clock = picker_app()
    rows = {row.entry.name: row for row in library_rows()}

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList).options
        headings: list[str] = []
        for option in options:
            if option.disabled and option.id is None:
                headings.append(str(option.prompt))
                continue
            row = rows[str(option.id)]
            assert row.script is not None
            assert headings[-1] == row.script.category.value.upper()
        assert len(headings) == len(set(headings))
        assert headings[:2] == ["BREATHING", "UNWINDING"]
        assert {"box", "coherent", "4-7-8", "body-scan"} <= set(option_ids(app.screen))

    await drive(app, clock, scenario)


@pilot_test
async def test_typing_filters_the_picker_and_backspace_and_escape_clear_it() -> None:
    """'coh' leaves only coherent; backspace widens the filter; escape clears it."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        everything = option_ids(screen)
        await d.press("c", "o", "h")
        assert option_ids(screen) == ["coherent"]
        highlighted = screen.query_one(OptionList).highlighted_option
        assert highlighted is not None and highlighted.id == "coherent"
        assert d.text("#filter").startswith("Filter: coh")
        await d.press("backspace")
        assert screen.filter == "co"
        assert "coherent" in option_ids(screen)
        await d.press("escape")
        assert screen.filter == ""
        assert option_ids(screen) == everything
        assert isinstance(app.screen, PickerScreen)  # escape cleared, did not leave

    await drive(app, clock, scenario)


@pilot_test
async def test_the_filter_finds_hyphenated_names_without_the_hyphens() -> None:
    """Since - shortens the session, "478" finds 4-7-8 and "bodyscan" finds the body scans."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        await d.press("4", "7", "8")
        assert option_ids(screen) == ["4-7-8"]
        await d.press("escape")
        await d.press(*"bodyscan")
        assert set(option_ids(screen)) == {"body-scan", "body-scan-10"}

    await drive(app, clock, scenario)


@pilot_test
async def test_escape_in_the_picker_with_no_filter_leaves() -> None:
    """Escape with nothing typed closes the app with no session."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        await d.press("escape")

    await drive(app, clock, scenario)
    assert app.return_value is None
    assert app.runner is None


@pilot_test
async def test_right_and_left_change_minutes_and_enter_starts_at_that_length() -> None:
    """For a script timed in minutes, → and ← move a minute and the session runs at it."""
    app, clock = picker_app()
    script = Library.discover().get("coherent")
    assert script is not None
    six = compile_timeline(script.load(), LengthOptions(minutes=6))

    async def scenario(d: Driver) -> None:
        await d.press("c", "o", "h")
        await d.press("right", "right", "left")
        assert d.text("#length").startswith(f"Length {length_text(six)} · ")
        assert breaths_text(six.cycles) in d.text("#length")
        await d.press("enter")
        assert isinstance(app.screen, SessionScreen)
        timeline = d.runner.timeline
        assert timeline.options.minutes == 6
        assert timeline.cycles == six.cycles
        assert timeline.total_seconds == six.total_seconds

    await drive(app, clock, scenario)


@pilot_test
async def test_right_adds_a_breath_to_a_script_timed_in_breaths() -> None:
    """For 4-7-8, counted in breaths, → adds one breath; the session has five."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        await d.press("f", "o", "r", "space", "7")  # 4-7-8's summary: "hold for 7"
        assert option_ids(app.screen) == ["4-7-8"]  # type: ignore[arg-type]
        assert "4 breaths" in d.text("#length")
        await d.press("right")
        assert "5 breaths" in d.text("#length")
        await d.press("enter")
        assert isinstance(app.screen, CautionScreen)  # 4-7-8 has a caution
        await d.press("enter")
        assert d.runner.timeline.cycles == 5
        assert d.runner.timeline.options.cycles == 5

    await drive(app, clock, scenario)


@pilot_test
async def test_ctrl_g_toggles_gentle_and_the_session_has_no_holds() -> None:
    """ctrl+g marks the length gentle and back; a gentle session leaves out the holds."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        await d.press("b", "o", "x")
        assert option_ids(app.screen) == ["box"]  # type: ignore[arg-type]
        assert "gentle" not in d.text("#length").split("  ")[0]
        await d.press("ctrl+g")
        assert "gentle, no holds" in d.text("#length")
        await d.press("ctrl+g")
        assert "gentle, no holds" not in d.text("#length")
        await d.press("ctrl+g")
        await d.press("enter")
        assert isinstance(app.screen, CautionScreen)
        await d.press("enter")
        timeline = d.runner.timeline
        assert timeline.options.gentle
        phases = {segment.phase for segment in timeline.segments}
        assert Phase.HOLD_IN not in phases
        assert Phase.HOLD_OUT not in phases

    await drive(app, clock, scenario)


@pilot_test
async def test_escape_on_the_caution_from_the_picker_goes_back_to_the_picker() -> None:
    """Choosing a script with a caution and declining it returns to the picker."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        await d.press("b", "o", "x", "enter")
        assert isinstance(app.screen, CautionScreen)
        await d.press("escape")
        assert isinstance(app.screen, PickerScreen)
        assert app.runner is None

    await drive(app, clock, scenario)


@pilot_test
async def test_a_session_from_the_picker_ends_with_its_outcome() -> None:
    """Picker, session, summary, Enter: the app returns the session's outcome."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        await d.press("c", "o", "h", "enter")
        assert isinstance(app.screen, SessionScreen)
        await d.advance(8 + 11)  # the settling step and one breath
        await d.press("q")
        assert "19 s practised · 1 breath" in d.summary_texts()
        await d.press("enter")

    await drive(app, clock, scenario)
    assert isinstance(app.return_value, SessionOutcome)
    assert app.return_value.breaths == 1


@pilot_test
async def test_the_summary_ignores_an_enter_pressed_as_it_appears(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Enter pressed twice at a closing prompt ends the session but leaves the summary up."""
    import calm.tui.screens.base

    script = parse_script_bytes(
        b'title = "P"\nsummary = "S"\ncategory = "grounding"\n'
        b'[[steps]]\nsay = "a"\nseconds = 1\n[[steps]]\nprompt = "Ready?"\n',
        name="p",
        source="p.toml",
    )
    app, clock = session_app(compile_timeline(script))

    async def scenario(d: Driver) -> None:
        await d.advance(1.0)
        await d.press("enter")
        assert isinstance(d.app.screen, SummaryScreen)
        # The summary has only just appeared, and the second Enter follows at once.
        monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 30.0)
        await d.press("enter")
        assert isinstance(d.app.screen, SummaryScreen)

    await drive(app, clock, scenario)


@pilot_test
async def test_a_caution_from_the_list_names_its_gentle_key() -> None:
    """Box's caution speaks of --gentle; chosen in the list, it also names ctrl+g there,
    and once gentle is chosen the hint is not needed."""
    app, clock = picker_app()
    hint = "ctrl+g gives the gentle version, with no holds."

    async def scenario(d: Driver) -> None:
        await d.press(*"box")
        assert option_ids(app.screen)[0] == "box"  # type: ignore[arg-type]
        await d.press("enter")
        assert isinstance(app.screen, CautionScreen)
        assert hint in [str(s.content) for s in app.screen.query(Static)]
        await d.press("escape")
        assert isinstance(app.screen, PickerScreen)
        await d.press("ctrl+g", "enter")
        assert isinstance(app.screen, CautionScreen)
        shown = [str(s.content) for s in app.screen.query(Static)]
        assert hint not in shown
        assert "Gentle is on: the holds are left out." in shown

    await drive(app, clock, scenario)


@pilot_test
async def test_a_session_under_the_help_waits_while_the_window_is_too_small() -> None:
    """The hold for a small window works whatever is on top: under the help, or after the
    help was closed while the window was still small, the session waits and then goes on."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(1)
        await d.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await d.pilot.resize_terminal(30, 10)
        await d.pilot.pause()
        await d.advance(10)
        assert d.app.runner.practised() == pytest.approx(1)
        await d.press("escape")  # the help closes while the window is still small
        await d.advance(10)
        assert d.app.runner.practised() == pytest.approx(1)
        await d.pilot.resize_terminal(80, 24)
        await d.pilot.pause()
        assert not d.app.runner.paused
        await d.advance(2)
        assert d.app.runner.practised() == pytest.approx(3)

    await drive(app, clock, scenario)


@pilot_test
async def test_a_session_paused_by_hand_stays_paused_after_the_window_grows() -> None:
    """Only a hold the small window made is lifted when it grows; the user's own pause stays."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(1)
        await d.press("space")
        assert d.app.runner.paused
        await d.pilot.resize_terminal(30, 10)
        await d.pilot.pause()
        await d.pilot.resize_terminal(80, 24)
        await d.pilot.pause()
        assert d.app.runner.paused

    await drive(app, clock, scenario)


@pilot_test
async def test_escape_leaves_the_picker_even_in_a_window_too_small_to_read() -> None:
    """Esc is a way out, so it works in the picker however small the window is."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, PickerScreen)
        await d.press("escape")
        assert app.return_code == 0

    await drive(app, clock, scenario, size=(30, 10))
