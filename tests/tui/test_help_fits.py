"""The help fits the window it is opened in: never wider (an auto width was taken from
its longest line, 58 columns in a 40-column window, and the keys' words ran off the
edge), and in a short window every key is shown before the closing line."""

from __future__ import annotations

import pytest

from calm.tui.key_help import session_keys
from calm.tui.screens.help import HelpScreen
from tests.support.drawn import drawn_lines
from tests.support.tui import Driver, drive, pilot_test, session_app


@pytest.mark.parametrize("size", [(40, 12), (60, 20), (80, 14), (80, 24)])
@pilot_test
async def test_the_help_is_never_wider_than_its_window(size: tuple[int, int]) -> None:
    app, clock = session_app()

    async def scenario(driver: Driver) -> None:
        await driver.pilot.pause(0.5)
        await driver.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        card = screen.query_one("#help")
        assert 0 < card.region.width <= size[0]
        assert card.region.x >= 0 and card.region.right <= size[0]
        drawn = " ".join(" ".join(line.split()) for line in drawn_lines(app))
        for row in session_keys():  # at 40x12 one row wraps, and the keys fill it
            assert " ".join(row.keys.split()) in drawn, (row.keys, drawn)
            assert all(word in drawn for word in row.what.split()), (row.what, drawn)

    await drive(app, clock, scenario, size=size)
