"""The centred cards (caution, check-in, summary, help) share one class and one rule
for their frame, whatever the theme."""

from __future__ import annotations

import asyncio

import pytest
from textual.widget import Widget

from calm.core.clock import ManualClock
from calm.core.library import Library
from calm.core.timeline import compile_timeline
from calm.tui.screens.caution import CautionScreen
from tests.support.apps import calm_app


def caution_frame(size: tuple[int, int], theme: str) -> tuple[str, bool]:
    """The caution card's border type, and whether the window shows it whole."""
    entry = Library.discover(user_dirs=[]).get("box")
    assert entry is not None
    app = calm_app(timeline=compile_timeline(entry.load()), clock=ManualClock(100.0))
    found: list[tuple[str, bool]] = []

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            app.theme = theme
            await pilot.pause()
            assert isinstance(app.screen, CautionScreen)
            card = app.screen.query_one(".card", Widget)
            fits = app.screen.region.contains_region(card.region)
            found.append((card.styles.border_top[0], fits and not app.screen.scrollbars_enabled[0]))

    asyncio.run(run())
    return found[0]


@pytest.mark.parametrize("theme", ["calm", "textual-light"])
def test_a_short_window_drops_the_cards_frame_in_any_theme(theme: str) -> None:
    """At 40x12 the caution has no frame and fits its window, in a dark or a light
    theme; at 80x24 it is framed."""
    assert caution_frame((40, 12), theme) == ("", True)
    assert caution_frame((80, 24), theme) == ("round", True)
