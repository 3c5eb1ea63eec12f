"""The picker lists, filters and groups scripts from their kept headers: a script is
loaded only when it is highlighted or chosen, however many the library holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import OptionList

from calm import locations
from calm.core import library as library_module
from calm.core.clock import ManualClock
from calm.core.library import Library
from calm.core.timeline import compile_timeline
from calm.present.catalogue import Row, collect
from calm.present.measures import length_text
from calm.tui.screens.picker import PickerScreen
from tests.support.apps import calm_app
from tests.support.scripts import tiny_script
from tests.support.tui import START, TIP, pilot_test

PAST_NS = 1_600_000_000 * 10**9
"""A modification time long gone, so the header cache keeps each file's header."""

SCRIPTS = 40


def loads_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every script file loaded from now on, in order."""
    loaded: list[str] = []
    real = library_module.load_script

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        loaded.append(path.stem)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library_module, "load_script", counting)
    return loaded


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user scripts folder of ``SCRIPTS`` scripts, one in five tagged "ocean", named by
    CALM_SCRIPTS_PATH, with every header already kept by an earlier listing."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    for number in range(SCRIPTS):
        tags = '["ocean"]' if number % 5 == 0 else '["plain"]'
        text = tiny_with_tags(f"Mine {number:02d}", tags)
        path = folder / f"mine-{number:02d}.toml"
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(PAST_NS, PAST_NS))
    monkeypatch.setenv(locations.SCRIPTS_PATH_VARIABLE, str(folder))
    collect(Library.discover())  # keeps every header
    return folder


def tiny_with_tags(title: str, tags: str) -> str:
    """A short script titled ``title`` with ``tags`` (a TOML list)."""
    category = 'category = "reset"'
    return tiny_script(title=title).replace(category, f"{category}\ntags = {tags}")


def chosen_ids(screen: PickerScreen) -> list[str | None]:
    """The ids of the options that can be chosen, in order."""
    return [option.id for option in screen.query_one(OptionList).options if not option.disabled]


@pilot_test
async def test_the_picker_loads_only_the_scripts_it_highlights(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening, filtering by a tag and moving down load only the scripts highlighted on
    the way; the scripts merely listed or matched are never read."""
    loaded = loads_counted(monkeypatch)
    rows = collect(Library.discover())
    assert loaded == []  # every header was kept, and no built-in is broken
    app = calm_app(rows=rows, clock=ManualClock(START), tip=lambda: TIP)
    messages: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        assert len(chosen_ids(screen)) == len(rows) > SCRIPTS
        await pilot.press(*"ocean")
        oceans = [f"mine-{number:02d}" for number in range(0, SCRIPTS, 5)]
        assert chosen_ids(screen) == oceans  # matched by the tag, from the header alone
        await pilot.press("down", "down", "enter")
        await pilot.pause()
    highlighted = {
        message.option_id
        for message in messages
        if isinstance(message, OptionList.OptionHighlighted)
    }
    assert {"mine-00", "mine-05", "mine-10"} <= highlighted
    assert "mine-10" in loaded  # the one chosen, to start it
    assert set(loaded) <= highlighted
    assert len(set(loaded)) < 10  # of more than fifty listed


def test_a_label_made_from_the_header_reads_as_one_made_from_the_script() -> None:
    """For every built-in script, the length the list shows without loading it is the
    length its compiled timeline gives."""
    rows: list[Row] = collect(Library.discover())
    assert rows
    for row in rows:
        script = row.script
        assert script is not None and row.header is not None
        assert row.length == length_text(compile_timeline(script)), row.entry.name
        assert row.header.tags == script.tags
