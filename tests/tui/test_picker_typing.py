"""Typing into the picker's filter: a letter that leaves the same scripts shown changes
the filter line alone. The list keeps its highlight, and the preview (dozens of tables
to draw, some 30 ms a key) is not built again."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from calm.tui.screens.picker import PickerScreen
from calm.tui.widgets.plain import Plain
from tests.support.tui import Driver, drive, picker_app, pilot_test


def _shown(screen: PickerScreen) -> list[str]:
    options = screen.query_one(OptionList).options
    return [str(option.id) for option in options if option.id is not None]


@pilot_test
async def test_a_letter_that_shows_the_same_scripts_redraws_only_the_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, clock = picker_app()
    previews: list[str] = []

    async def scenario(d: Driver) -> None:
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        preview = screen.query_one("#preview", Plain)
        original = preview.update

        def update(content: object = "", **kwargs: object) -> None:
            previews.append(str(content)[:40])
            original(content, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(preview, "update", update)
        await d.press("c", "o", "h", "e")
        assert _shown(screen) == ["coherent"]
        built = len(previews)
        await d.press("r", "e")  # still only coherent
        assert _shown(screen) == ["coherent"]
        assert d.text("#filter").startswith("Filter: cohere")
        assert len(previews) == built  # the preview stands as it was
        await d.press("x")  # now nothing matches: said at once
        assert _shown(screen) == []
        assert previews[-1].startswith("No script matches")
        for _ in range(3):
            await d.press("backspace")
        assert _shown(screen) == ["coherent"]
        assert len(previews) == built + 2  # "no match", then coherent again

    await drive(app, clock, scenario)


@pilot_test
async def test_the_highlight_stays_where_it_was_moved_while_the_same_scripts_show() -> None:
    app, clock = picker_app()

    async def scenario(d: Driver) -> None:
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        await d.press("b", "o")
        shown = _shown(screen)
        assert len(shown) > 1, shown
        await d.press("down")
        moved = screen.query_one(OptionList).highlighted_option
        assert moved is not None and moved.id == shown[1]
        await d.press("space")  # a filter ignores spaces: the same scripts show
        assert _shown(screen) == shown
        assert screen.query_one(OptionList).highlighted_option is moved

    await drive(app, clock, scenario)
