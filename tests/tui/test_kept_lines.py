"""The session screen's words, countdown and time left are drawn once for each thing
they show and kept: what is kept is what Textual draws, and a new theme draws anew."""

from __future__ import annotations

import pytest
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits, Static

from calm.tui.widgets.countdown import Countdown
from calm.tui.widgets.plain import Plain
from calm.tui.widgets.progress import SessionProgress
from tests.support.tui import INHALE, Driver, drive, pilot_test
from tests.support.tui import session_app as make_session_app


def _cells(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    """Each line's runs of text with their styles, as a terminal would be given them."""
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


def _as_textual_draws(widget: Widget) -> list[Strip]:
    """The widget's lines drawn the way Textual draws any widget, with nothing kept."""
    base = {Countdown: Digits, Plain: Static, SessionProgress: Widget}[type(widget)]
    widget._styles_cache.clear()
    return base.render_lines(widget, widget.size.region)


@pilot_test
@pytest.mark.parametrize("theme", ["calm", "textual-light"])
async def test_the_time_left_is_drawn_as_textual_draws_it(theme: str) -> None:
    """The bar and the time left, put together by calm, are the runs and styles
    Textual would draw from the same text, at any reach and in any theme."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        d.app.theme = theme
        await d.pilot.pause()
        bar = d.screen.query_one(SessionProgress)
        for fraction, left in ((0.0, 39), (0.33, 20), (0.5, 7), (0.999, 1), (1.0, 0)):
            bar.show(fraction, left)
            await d.pilot.pause()
            assert _cells(bar.render_lines(bar.size.region)) == _cells(_as_textual_draws(bar))

    await drive(app, clock, scenario)


@pilot_test
async def test_without_colour_the_time_left_is_textuals_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through NO_COLOR's filter, calm's time left is Textual's to the cell."""
    monkeypatch.setenv("NO_COLOR", "1")
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        bar = d.screen.query_one(SessionProgress)
        bar.show(0.4, 12)
        await d.pilot.pause()
        assert _cells(bar.render_lines(bar.size.region)) == _cells(_as_textual_draws(bar))

    await drive(app, clock, scenario)


@pilot_test
async def test_kept_lines_follow_a_new_theme() -> None:
    """The countdown, the words and the time left, each shown again after the theme
    changes, are drawn in the new theme's colours, not the kept ones."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        await d.advance(INHALE + 0.5)
        widgets = [
            d.screen.query_one("#countdown", Countdown),
            d.screen.query_one("#phase", Plain),
            d.screen.query_one(SessionProgress),
        ]
        before = [_cells(widget.render_lines(widget.size.region)) for widget in widgets]
        d.app.theme = "textual-light"
        await d.pilot.pause()
        for widget, old in zip(widgets, before, strict=True):
            now = _cells(widget.render_lines(widget.size.region))
            assert now == _cells(_as_textual_draws(widget))
            assert now != old, type(widget).__name__

    await drive(app, clock, scenario)


@pilot_test
async def test_each_number_of_the_countdown_is_drawn_once() -> None:
    """Breath after breath, the countdown's numbers come from what was kept: Textual
    draws each only the first time."""
    app, clock = make_session_app()

    async def scenario(d: Driver) -> None:
        countdown = d.screen.query_one("#countdown", Countdown)
        drawn: list[str] = []
        draw = Digits.render_lines

        def noted(widget: Digits, crop: object) -> list[Strip]:
            drawn.append(widget.value)
            return draw(widget, crop)  # type: ignore[arg-type]

        Digits.render_lines = noted  # type: ignore[method-assign]
        try:
            for _ in range(16 * 2):  # two whole breaths, a second at a time
                await d.advance(1.0)
        finally:
            Digits.render_lines = draw  # type: ignore[method-assign]
        assert drawn and len(drawn) == len(set(drawn)), drawn
        assert countdown.value

    await drive(app, clock, scenario)
