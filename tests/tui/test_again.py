"""A therapist's demo: from the list, a session's summary offers it again and the list
again, each session is recorded on its own, and the caution offers the gentle key
however the session was started."""

from __future__ import annotations

from pathlib import Path

from calm.core.clock import ManualClock
from calm.core.library import Library
from calm.core.script import Phase
from calm.practice import check_in
from calm.present.catalogue import collect
from calm.tui.app import CalmApp
from calm.tui.screens.caution import GENTLE_KEY, GENTLE_ON, CautionScreen
from calm.tui.screens.picker import PickerScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from tests.support.apps import calm_app
from tests.support.history import recorder, rows
from tests.support.tui import (
    PLAIN_STEPS,
    START,
    TIP,
    Driver,
    drive,
    footer,
    make_timeline,
    pilot_test,
    session_app,
)


def list_app(tmp_path: Path, *, check_in: bool = False) -> tuple[CalmApp, ManualClock]:
    """The list of built-in scripts, recording into a history in ``tmp_path``."""
    clock = ManualClock(START)
    app = calm_app(
        rows=collect(Library.discover(user_dirs=[])),
        clock=clock,
        tip=lambda: TIP,
        skip_caution=True,
        check_in=check_in,
        recorder=recorder(tmp_path / "history.sqlite3"),
    )
    return app, clock


async def choose(d: Driver, name: str) -> None:
    """Filter the list down to ``name`` and start it."""
    await d.press(*name)
    await d.press("enter")
    assert isinstance(d.app.screen, SessionScreen)


@pilot_test
async def test_three_sessions_from_the_list_without_leaving(tmp_path: Path) -> None:
    """Box, box again, then the list and coherent: three sessions, three rows, one run."""
    app, clock = list_app(tmp_path)

    async def scenario(d: Driver) -> None:
        await choose(d, "box")
        first = d.runner
        await d.advance(10)
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert footer(app) == ["a Again", "l Back to the list", "⏎ Leave"]
        await d.press("a")  # the same session again
        assert isinstance(app.screen, SessionScreen)
        assert d.runner is not first
        assert d.runner.timeline.script.name == "box"
        await d.advance(5)
        await d.press("q")
        await d.press("l")  # back to the list, as it was left
        assert isinstance(app.screen, PickerScreen)
        await d.press("escape")  # clear the filter
        await choose(d, "coherent")
        await d.advance(3)
        await d.press("q")
        await d.press("enter")  # leave

    await drive(app, clock, scenario)
    assert app.return_value is not None
    assert app.recorder is not None
    app.recorder.close()
    recorded = sorted(
        (row.script, row.practised_seconds) for row in rows(tmp_path / "history.sqlite3")
    )
    assert recorded == [("box", 5.0), ("box", 10.0), ("coherent", 3.0)]
    assert all(row.status == "ended_early" for row in rows(tmp_path / "history.sqlite3"))


@pilot_test
async def test_escape_on_a_summary_from_the_list_goes_back_to_the_list(tmp_path: Path) -> None:
    """Esc means back: to the list, which is still there."""
    app, clock = list_app(tmp_path)

    async def scenario(d: Driver) -> None:
        await choose(d, "box")
        await d.press("q")
        await d.press("escape")
        assert isinstance(app.screen, PickerScreen)
        assert app.runner is None  # Ctrl+C now has no session to report

    await drive(app, clock, scenario)


@pilot_test
async def test_a_summary_of_a_session_started_by_name_only_leaves() -> None:
    """Started by name there is no list: Enter and Esc leave, and nothing else is offered."""
    app, clock = session_app()

    async def scenario(d: Driver) -> None:
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert footer(app) == ["⏎ Leave"]
        await d.press("a")
        assert isinstance(app.screen, SummaryScreen)
        await d.press("escape")

    await drive(app, clock, scenario)
    assert app.return_value is not None


@pilot_test
async def test_the_caution_started_by_name_offers_the_gentle_key() -> None:
    """Box by name: its caution names ctrl+g; pressed, the session leaves out the holds."""
    entry = Library.discover(user_dirs=[]).get("box")
    assert entry is not None
    from calm.core.timeline import compile_timeline

    app, clock = session_app(compile_timeline(entry.load()), skip_caution=False)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CautionScreen)
        assert "^g Gentle" in footer(app)
        assert GENTLE_KEY in d.text("#caution-gentle")
        await d.press("ctrl+g")
        assert d.text("#caution-gentle") == GENTLE_ON
        await d.press("enter")
        timeline = d.runner.timeline
        assert timeline.options.gentle
        phases = {segment.phase for segment in timeline.segments}
        assert Phase.HOLD_IN not in phases and Phase.HOLD_OUT not in phases

    await drive(app, clock, scenario)


@pilot_test
async def test_a_caution_with_no_holds_to_leave_out_has_no_gentle_key() -> None:
    """A script that never holds its breath has nothing for ctrl+g to do."""
    app, clock = session_app(
        make_timeline(PLAIN_STEPS.replace("4-4-4-4", "4-4"), caution="Go gently."),
        skip_caution=False,
    )

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, CautionScreen)
        assert not [name for name in footer(app) if "Gentle" in name]
        assert not app.screen.query("#caution-gentle")

    await drive(app, clock, scenario)


@pilot_test
async def test_the_check_in_says_what_esc_does_there() -> None:
    """Started by name, Esc at the first question leaves calm, and the hint says so."""
    app, clock = session_app(check_in=True)

    async def scenario(d: Driver) -> None:
        hints = [str(widget.content) for widget in app.screen.query(".hint")]
        assert f"{check_in.NOT_NOW} {check_in.SKIP}" in hints
        await d.press("escape")

    await drive(app, clock, scenario)
    assert app.return_value is None


@pilot_test
async def test_the_check_in_from_the_list_goes_back_to_it(tmp_path: Path) -> None:
    """Chosen in the list, Esc at the first question goes back to the list, as it says."""
    app, clock = list_app(tmp_path, check_in=True)

    async def scenario(d: Driver) -> None:
        await d.press(*"box")
        await d.press("enter")
        hints = [str(widget.content) for widget in app.screen.query(".hint")]
        assert f"{check_in.GO_BACK} {check_in.SKIP}" in hints
        await d.press("escape")
        assert isinstance(app.screen, PickerScreen)

    await drive(app, clock, scenario)
