"""The orb's rows written straight to the terminal: the same cells Textual would draw,
only when nothing covers the orb, and Textual's own path whenever it can't be sure.

Textual's pilot runs headless, where calm never writes past Textual; here the one
seam, ``full_screen_terminal``, hands the orb a terminal that keeps what it is given.
"""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits, Static

from calm.tui import direct_rows
from calm.tui.app import CalmApp
from calm.tui.widgets.countdown import Countdown
from calm.tui.widgets.orb import BreathOrb
from calm.tui.widgets.progress import SessionProgress
from tests.support.tui import INHALE, Driver, drive, pilot_test
from tests.support.tui import session_app as make_session_app

_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
"""Where a run of text is written: the cursor moved to a row and column."""
_READER = Console(color_system="truecolor")


class _Terminal:
    """A terminal that keeps what is written to it."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)

    def flush(self) -> None:
        pass


def _terminal(monkeypatch: pytest.MonkeyPatch) -> _Terminal:
    terminal = _Terminal()
    monkeypatch.setattr(direct_rows, "full_screen_terminal", lambda app: terminal)
    return terminal


def _orb_refreshes(monkeypatch: pytest.MonkeyPatch) -> list[Widget]:
    """The orbs asked to redraw through Textual from now on."""
    asked: list[Widget] = []
    refresh = Widget.refresh

    def noted(widget: Widget, *regions: Region, **kwargs: bool) -> Widget:
        if isinstance(widget, BreathOrb):
            asked.append(widget)
        return refresh(widget, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", noted)
    return asked


def _written_on(widget: Widget, terminal: _Terminal) -> bool:
    """Whether anything written to ``terminal`` lands on ``widget``."""
    pieces = [piece for data in terminal.written for piece in _pieces(data)]
    return any(widget.region.contains(x, y) for x, y, _ in pieces)


def _pieces(data: str) -> list[tuple[int, int, str]]:
    """The runs of text in ``data``, each with the column and row it is written at."""
    moves = list(_MOVE.finditer(data))
    pieces = []
    for move, following in zip(moves, [*moves[1:], None], strict=True):
        end = following.start() if following else len(data)
        text = data[move.end() : end]
        if text:
            pieces.append((int(move[2]) - 1, int(move[1]) - 1, text))
    return pieces


def _cells(ansi: str) -> list[tuple[str, str]]:
    """Each cell of ``ansi`` text: its character and its style, as a terminal reads them."""
    text = Text.from_ansi(ansi)
    return [(char, str(text.get_style_at_offset(_READER, i))) for i, char in enumerate(text.plain)]


def _as_textual_draws(app: CalmApp, x: int, y: int, text: str) -> tuple[str, str]:
    """What was written at (``x``, ``y``), and what Textual draws in the same cells."""
    width = len(Text.from_ansi(text).plain)
    whole = app.screen._compositor.render_strips()
    return text, whole[y].crop(x, x + width).render(app.console)


@pilot_test
async def test_the_orb_writes_what_textual_would_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a breath in, each new picture of the orb goes straight to the terminal,
    never through Textual, and its cells are the cells Textual would draw there."""
    app, clock = make_session_app()
    terminal = _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 0.5)
        refreshed = _orb_refreshes(monkeypatch)
        orb = d.screen.query_one(BreathOrb)
        compared = 0
        for _ in range(20):
            terminal.written.clear()
            before = orb.picture
            clock.advance(0.1)
            d.screen.tick()
            if orb.picture == before:
                continue
            pieces = [piece for data in terminal.written for piece in _pieces(data)]
            assert any(orb.region.contains(x, y) for x, y, _ in pieces)
            for x, y, text in pieces:
                written, drawn = _as_textual_draws(d.app, x, y, text)
                assert _cells(written) == _cells(drawn)
                compared += 1
        assert compared > 10
        assert refreshed == []

    await drive(app, clock, scenario)


@pilot_test
async def test_without_colour_the_written_rows_are_textuals_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With NO_COLOR, the rows written pass through Textual's monochrome filter as
    Textual's own would."""
    monkeypatch.setenv("NO_COLOR", "1")
    app, clock = make_session_app()
    terminal = _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 1)
        terminal.written.clear()
        clock.advance(0.5)
        d.screen.tick()
        assert terminal.written
        for x, y, text in _pieces(terminal.written[-1]):
            written, drawn = _as_textual_draws(d.app, x, y, text)
            assert _cells(written) == _cells(drawn)

    await drive(app, clock, scenario)


@pilot_test
async def test_a_widget_over_the_orb_sends_it_through_textual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once anything is drawn over the orb, its pictures go through Textual, which
    draws what is on top; when it goes, they go straight to the terminal again."""
    app, clock = make_session_app()
    terminal = _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 0.5)
        orb = d.screen.query_one(BreathOrb)
        cover = Static("over the orb")
        cover.styles.layer = "cover"
        cover.styles.offset = (orb.region.x + 2, orb.region.y + orb.region.height // 2)
        cover.styles.width = 12
        d.screen.styles.layers = ("default", "cover")
        await d.screen.mount(cover)
        await d.pilot.pause()
        refreshed = _orb_refreshes(monkeypatch)
        terminal.written.clear()
        clock.advance(1.0)
        d.screen.tick()
        assert not _written_on(orb, terminal) and refreshed == [orb]

        await cover.remove()
        await d.pilot.pause()
        clock.advance(1.0)
        d.screen.tick()
        assert _written_on(orb, terminal) and refreshed == [orb]

    await drive(app, clock, scenario)


@pilot_test
async def test_under_the_help_the_orb_goes_through_textual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the help shown over the session, nothing is written past Textual."""
    app, clock = make_session_app()
    terminal = _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 0.5)
        session = d.screen
        await d.press("question_mark")
        assert d.app.screen is not session
        terminal.written.clear()
        session.query_one(BreathOrb).show(0.9)
        assert terminal.written == []

    await drive(app, clock, scenario)


@pilot_test
async def test_after_a_new_theme_the_rows_written_are_in_its_colours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pictures written in one theme and shown again after the theme changes are
    written in the new theme's colours, as Textual now draws them, breath after breath."""
    app, clock = make_session_app()
    terminal = _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE)
        for _ in range(16 * 5):  # a whole breath in the first theme, a fifth of a second apart
            clock.advance(0.2)
            d.screen.tick()
        d.app.theme = "textual-light"
        await d.pilot.pause()
        compared = 0
        for _ in range(16 * 5):  # the same breath's pictures again
            terminal.written.clear()
            clock.advance(0.2)
            d.screen.tick()
            for data in terminal.written:
                for x, y, text in _pieces(data):
                    written, drawn = _as_textual_draws(d.app, x, y, text)
                    assert _cells(written) == _cells(drawn)
                    compared += 1
        assert compared > 20

    await drive(app, clock, scenario)


@pilot_test
async def test_the_countdown_and_the_time_left_write_what_textual_would_draw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once a number has been shown, the countdown shows it again straight on the
    terminal, and the time left always goes there, each the cells Textual would draw,
    and the countdown's value is the number shown."""
    app, clock = make_session_app()
    terminal = _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE)
        countdown = d.screen.query_one("#countdown", Countdown)
        bar = d.screen.query_one(SessionProgress)
        for _ in range(16):  # a whole breath, so every number of a phase has been shown
            await d.advance(1.0)
        written_on = {"countdown": 0, "bar": 0}
        for _ in range(16):
            terminal.written.clear()
            await d.advance(1.0)
            assert countdown.value == d.screen.countdown
            for x, y, text in [piece for data in terminal.written for piece in _pieces(data)]:
                written, drawn = _as_textual_draws(d.app, x, y, text)
                assert _cells(written) == _cells(drawn)
                written_on["countdown"] += countdown.region.contains(x, y)
                written_on["bar"] += bar.region.contains(x, y)
        assert written_on["countdown"] >= 8 and written_on["bar"] >= 8

    await drive(app, clock, scenario)


@pilot_test
async def test_after_a_pause_the_countdown_draws_the_number_it_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Numbers shown straight on the terminal, then a pause, which restyles the screen:
    the countdown Textual draws is the number it shows, not the last Textual drew."""
    app, clock = make_session_app()
    _terminal(monkeypatch)

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE)
        countdown = d.screen.query_one("#countdown", Countdown)
        for _ in range(16 + 2):  # a whole breath, then two numbers shown again
            await d.advance(1.0)
        await d.press("space")
        assert d.runner.paused
        region = countdown.outer_size.region
        countdown._styles_cache.clear()
        fresh = Digits.render_lines(countdown, region)
        assert _strip_cells(countdown.render_lines(region)) == _strip_cells(fresh)

    await drive(app, clock, scenario)


def _strip_cells(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]
