"""The list on a narrow window (a phone, through calm serve): the preview goes under
the list, with the whole width for its words, where side by side it had some twenty
columns and cut its caution to "Fo… br…"; narrow and short, the list and the length
line alone. A wide window keeps the two side by side."""

from __future__ import annotations

import pytest

from calm.tui.screens.picker import PickerScreen
from tests.support.tui import Driver, drive, picker_app, pilot_test


@pytest.mark.parametrize(
    ("size", "layout"),
    [((42, 40), "stacked"), ((60, 24), "stacked"), ((40, 12), "list"), ((100, 30), "beside")],
)
@pilot_test
async def test_the_preview_goes_where_there_is_room_for_it(
    size: tuple[int, int], layout: str
) -> None:
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        left = screen.query_one("#picker-left").region
        right = screen.query_one("#picker-right").region
        preview = screen.query_one("#preview-scroll")
        if layout == "beside":
            assert right.x >= left.right and right.y == left.y
        else:
            assert right.y >= left.bottom and right.width == size[0]
        if layout == "stacked":
            assert preview.display and preview.region.height >= 5
        if layout == "list":
            assert not preview.display
            assert "Length" in d.text("#length")

    await drive(app, clock, scenario, size=size)
