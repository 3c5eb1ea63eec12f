"""Keys: what a key does in a screen's first moments, what the footer says each key
does now, overlays that close only themselves, and a filter that is only text.

One name typed into the filter, "cyclic-sigh" (its "-" between words, as in "4-7-8"),
runs only in the slow half (``-m slow``): eleven keys in the list cost seconds."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calm.sound.players
import calm.tui.screens.base
from calm.present.measures import length_text
from calm.sound.players import BellPlayer
from calm.tui.app import CalmApp
from calm.tui.screens.help import HelpScreen
from calm.tui.screens.picker import PickerScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from tests.support.drawn import drawn_lines
from tests.support.examples import examples
from tests.support.sound import RecordingPlayer
from tests.support.tui import (
    INHALE,
    UNTIMED_PROMPT,
    Driver,
    drive,
    footer,
    make_timeline,
    picker_app,
    pilot_test,
    session_app,
)


class SettleClock:
    """The time screens settle by, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def settle_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[SettleClock]:
    """Screens settle as in real use (after 0.4 s), on a clock the test moves."""
    clock = SettleClock()
    monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 0.4)
    monkeypatch.setattr(calm.tui.screens.base, "time", SimpleNamespace(monotonic=clock.monotonic))
    yield clock


def drawn_footer(app: CalmApp) -> str:
    """The footer's line as drawn, cut where the window ends."""
    return drawn_lines(app)[-1]


# -- item 2: a key as the session screen first draws ------------------------------


@pilot_test
async def test_every_way_to_the_end_at_once_shows_one_summary() -> None:
    """q as the first frame draws, with the redraws that frame asked for still to come,
    and the session's own timer: the session ends once, with one summary, and no
    ScreenStackError from a second end."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        screen = d.screen
        screen.on_resize()  # the first draw's redraw, due after the next refresh
        screen.hold_for_room(True)  # and a hold for room, also due then
        screen.action_end()  # q, before either has come
        screen.tick()  # the session's timer
        await d.pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["SummaryScreen"]

    await drive(app, clock, scenario)
    assert app.return_code is None  # still up: nothing crashed


@pytest.mark.parametrize("key", ["q", "escape", "n", "space", "b", "m", "question_mark"])
@pilot_test
async def test_a_key_as_the_session_first_draws_does_nothing(
    key: str, settle_clock: SettleClock
) -> None:
    """A key pressed as the screen appears was meant for the one before: the session
    runs on, unpaused, at its first step, and records no 0.2 s session."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.press(key)
        assert isinstance(app.screen, SessionScreen)
        assert d.runner.running and not d.runner.paused
        assert d.runner.segment.step == 0
        settle_clock.now += 0.5  # now the screen has been seen: q ends it
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)

    await drive(app, clock, scenario)


@pilot_test
async def test_ctrl_c_counts_even_as_the_screen_appears(settle_clock: SettleClock) -> None:
    """Leaving at once never waits for a screen to settle."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.press("ctrl+c")

    await drive(app, clock, scenario)
    assert app.left_at_once
    assert app.return_value is not None


# -- item 18: the footer says what each key does now ---------------------------------


@pilot_test
async def test_at_a_prompt_the_footer_says_space_continues() -> None:
    """Space carries on at a prompt, and the footer says Continue; paused there, Resume."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE)
        assert "space Pause" in footer(app)
        await d.advance(UNTIMED_PROMPT - INHALE + 0.5)
        assert "space Continue" in footer(app)
        assert "space Pause" not in footer(app)
        await d.press("space")  # carries on: the prompt is done
        assert d.runner.segment.kind.value == "say"
        assert "space Pause" in footer(app)

    await drive(app, clock, scenario)


def sound_app(player: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[CalmApp, Any]:
    """A session whose sound goes to ``player``."""
    monkeypatch.setattr(calm.sound.players, "choose_player", lambda ring=None: player)
    return session_app(volume=70)


@pytest.mark.parametrize("bell", [False, True])
@pilot_test
async def test_the_way_out_is_always_in_the_footer_at_40x12(
    bell: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the smallest size, with sound or the bell, running, paused, at a prompt and
    muted: "q End" is drawn whole in the footer."""
    player = BellPlayer(lambda: None) if bell else RecordingPlayer()
    app, clock = sound_app(player, monkeypatch)

    async def scenario(d: Driver) -> None:
        assert "q End" in drawn_footer(app)
        await d.press("m")
        assert "q End" in drawn_footer(app)
        await d.press("space")
        assert "space Resume" in drawn_footer(app) and "q End" in drawn_footer(app)
        await d.press("space")
        await d.advance(UNTIMED_PROMPT + 0.5)
        assert "space Continue" in drawn_footer(app) and "q End" in drawn_footer(app)

    await drive(app, clock, scenario, size=(40, 12))


@pilot_test
async def test_m_is_named_for_the_sound_there_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a sound device: Mute, then Unmute."""
    app, clock = sound_app(RecordingPlayer(), monkeypatch)

    async def scenario(d: Driver) -> None:
        assert "m Mute" in footer(app)
        await d.press("m")
        assert "m Unmute" in footer(app) and "m Mute" not in footer(app)
        await d.press("m")
        assert "m Mute" in footer(app)

    await drive(app, clock, scenario)


@pilot_test
async def test_with_only_the_bell_m_is_named_for_the_bell(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bell rings only for steps: the footer offers "Bell off", never "Mute"."""
    app, clock = sound_app(BellPlayer(lambda: None), monkeypatch)

    async def scenario(d: Driver) -> None:
        assert "m Bell off" in footer(app)
        assert not [name for name in footer(app) if "Mute" in name]
        await d.press("m")
        assert app.sound is not None and app.sound.muted
        assert "m Bell on" in footer(app)

    await drive(app, clock, scenario)


@pilot_test
async def test_without_sound_m_is_not_offered() -> None:
    """No sound, or sound that has failed: nothing to mute, so no m in the footer."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        assert not [name for name in footer(app) if name.startswith("m ")]

    await drive(app, clock, scenario)


@pilot_test
async def test_a_failed_device_takes_m_out_of_the_footer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once the device fails the session is silent, and m is no longer offered."""
    app, clock = sound_app(RecordingPlayer(fail=True), monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE)  # a cue, which fails
        assert app.sound is not None and app.sound.silenced
        assert not [name for name in footer(app) if name.startswith("m ")]

    await drive(app, clock, scenario)


# -- item 18: overlays ----------------------------------------------------------------


@pilot_test
async def test_two_asks_for_the_help_open_one() -> None:
    """? twice before the first help has appeared (or ? and the palette's Help) opens the
    help once; one Esc then shows the session again."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        d.screen.action_help()
        d.screen.action_help()
        await d.pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, HelpScreen)]) == 1
        await d.press("escape")
        assert isinstance(app.screen, SessionScreen)

    await drive(app, clock, scenario)


@pilot_test
async def test_escape_on_the_help_closes_only_the_help(settle_clock: SettleClock) -> None:
    """Esc Esc at the help: the first closes it; the second, pressed in the same moment,
    was meant for the help too and does not end the session beneath."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        settle_clock.now += 1
        await d.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        settle_clock.now += 1
        await d.press("escape")
        assert isinstance(app.screen, SessionScreen)
        await d.press("escape")  # no time has passed since the help closed
        assert isinstance(app.screen, SessionScreen)
        assert d.runner.running
        settle_clock.now += 0.5
        await d.press("escape")  # now it is meant for the session
        assert isinstance(app.screen, SummaryScreen)

    await drive(app, clock, scenario)


@pilot_test
async def test_the_help_holds_the_session_and_lets_it_go_on_close() -> None:
    """While the keys are read the session waits; closing the help carries on."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        await d.press("question_mark")
        assert d.runner.paused
        before = d.runner.position()
        await d.advance(100)
        assert d.runner.position() == pytest.approx(before)
        await d.press("escape")
        assert not d.runner.paused
        assert "space Pause" in footer(app)

    await drive(app, clock, scenario)


@pilot_test
async def test_a_session_paused_before_the_help_stays_paused_after() -> None:
    """The help resumes only what it paused."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        await d.press("space")
        await d.press("question_mark")
        await d.press("escape")
        assert d.runner.paused
        assert "space Resume" in footer(app)

    await drive(app, clock, scenario)


# -- item 17: the filter is only text ------------------------------------------------


def lengths(app: CalmApp) -> dict[str, str]:
    """The length each script in the list would run at, as the list would start it."""
    screen = app.screen
    assert isinstance(screen, PickerScreen)
    shown = {}
    for row in screen.rows:
        timeline = screen._timeline(row)
        if timeline is not None:
            shown[row.entry.name] = length_text(timeline)
    return shown


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("cyclic-sigh", marks=pytest.mark.slow),
        "4-7-8",
        "box+",
        "a=b",
        "-+-+",
    ],
)
@pilot_test
async def test_typing_a_name_never_changes_a_length(typed: str) -> None:
    """- and + are text in the filter: typing "4-7-8" finds it, and no length changes,
    while the filter is there or after it is cleared."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        written = lengths(app)
        await d.press(*typed)
        assert str(app.screen.query_one("#filter").content) == f"Filter: {typed}▏"
        assert lengths(app) == written
        await d.press("escape")
        assert lengths(app) == written

    await drive(app, clock, scenario)


@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed=st.text(alphabet="-+=_ 0123456789abcdefghijklmnopqrstuvwxyz", max_size=12))
def test_no_typed_text_changes_a_length(typed: str) -> None:
    """Whatever is typed into the filter, every length stays as written."""
    app, clock = picker_app()
    seen: dict[str, dict[str, str]] = {}

    async def scenario(d: Driver) -> None:
        seen["before"] = lengths(app)
        await d.press(*[{" ": "space"}.get(char, char) for char in typed])
        await d.press("escape")
        seen["after"] = lengths(app)

    pilot_test(lambda: drive(app, clock, scenario))()
    assert seen["after"] == seen["before"]


@pilot_test
async def test_the_arrows_change_the_length_of_a_filtered_script() -> None:
    """After typing "4-7-8", → adds a breath to it, and ← takes it away again."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        await d.press(*"4-7-8")
        assert "4 breaths" in str(app.screen.query_one("#length").content)
        await d.press("right")
        assert "5 breaths" in str(app.screen.query_one("#length").content)
        await d.press("left")
        assert "4 breaths" in str(app.screen.query_one("#length").content)

    await drive(app, clock, scenario)


@pilot_test
async def test_a_narrow_list_names_start_and_the_way_out() -> None:
    """At 40 columns the footer has room for Start and Esc; the arrows still work."""
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        line = drawn_footer(app)
        assert "Start" in line and "esc Clear / quit" in line
        await d.press(*"4-7-8")
        await d.press("right")
        assert "5 breaths" in str(app.screen.query_one("#length").content)

    await drive(app, clock, scenario, size=(40, 12))


def test_make_timeline_is_the_steps_with_a_prompt() -> None:
    """The shared script has the untimed prompt these tests press space at."""
    assert make_timeline().has_untimed_prompts


def test_a_session_screen_whose_parts_are_gone_begins_no_session() -> None:
    """A window closed just as the session screen mounts leaves it with no parts: its
    mount begins no session (none recorded at 0 s) and raises nothing into a crash log."""
    from calm.core.clock import ManualClock
    from calm.core.session import SessionRunner, Status

    runner = SessionRunner(make_timeline(), clock=ManualClock())
    screen = SessionScreen(runner)
    screen.on_mount()  # never composed: as when calm is already taking it down
    assert runner.status is Status.READY
