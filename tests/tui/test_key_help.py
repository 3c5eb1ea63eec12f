"""Key help: the help screen, the command palette and the bindings say the same.

The session's bindings carry the words; the help and the palette read them through
``calm.tui.key_help``. These tests hold the three together, so a key added to the
bindings without its words, or words left behind by a key that went, is caught.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.keys import format_key
from textual.pilot import Pilot
from textual.screen import Screen

import calm.sound.players
from calm.core.clock import ManualClock
from calm.core.library import Library
from calm.core.timeline import compile_timeline
from calm.sound.players import BellPlayer
from calm.tui.key_help import (
    HELP_ORDER,
    KEY_GAP,
    CommandBinding,
    KeyHelp,
    help_rows,
    keys_shown,
    palette_commands,
    session_keys,
    words_for,
)
from calm.tui.screens.help import HelpScreen
from calm.tui.screens.session import SessionScreen
from tests.support.apps import calm_app
from tests.support.drawn import drawn_lines


def session_bindings() -> list[Binding]:
    """The session screen's bindings, as written."""
    return [binding for binding in SessionScreen.BINDINGS if isinstance(binding, Binding)]


def run_session(check: Callable[[Pilot[Any]], Awaitable[None]], **practice: Any) -> None:
    """Run box breathing straight away and call ``check`` with the pilot."""
    entry = Library.discover(user_dirs=[]).get("box")
    assert entry is not None
    app = calm_app(
        timeline=compile_timeline(entry.load()),
        clock=ManualClock(100.0),
        skip_caution=True,
        tip=lambda: "tip",
        **practice,
    )

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            await check(pilot)

    asyncio.run(run())


# -- the help's rows ----------------------------------------------------------------


def test_the_help_lists_the_session_keys_as_it_always_has() -> None:
    """The rows, in order, with the keys shown as the help has always shown them."""
    assert [row.keys for row in session_keys()] == [
        "space",
        "enter",
        "n  →",
        "b  ←",
        "m",
        "?",
        "q  esc",
        "ctrl+c",
        "ctrl+z",
        "ctrl+p",
    ]


def test_every_key_of_the_session_is_in_the_help() -> None:
    """Each key the session screen answers to is named in some row of the help."""
    named = {key for row in session_keys() for key in row.keys.split(KEY_GAP)}
    for binding in session_bindings():
        for key in binding.key.split(","):
            shown = binding.key_display or format_key(key)
            assert shown in named, (binding.action, key)


def test_every_binding_that_says_what_it_does_has_its_row() -> None:
    """A binding with a tooltip is a row of the help, in its keys and its words."""
    rows = session_keys()
    for binding in session_bindings():
        if binding.tooltip:
            assert KeyHelp(keys_shown(binding), words_for(binding)) in rows, binding.action


def test_a_binding_with_a_tooltip_not_in_the_order_follows_the_rest() -> None:
    """A new key with words is never left out of the help: it comes after the listed ones."""
    bindings = [
        Binding("x", "extra", "Extra", tooltip="something new"),
        Binding("a", "first", "First"),
    ]
    assert help_rows(bindings, ["first"]) == [
        KeyHelp("a", "first"),
        KeyHelp("x", "something new"),
    ]


def test_the_order_names_only_actions_that_are_bound() -> None:
    """An action in the help's order that no binding runs is an error, not a gap."""
    with pytest.raises(LookupError, match="gone"):
        help_rows([Binding("a", "first", "First")], ["first", "gone"])
    assert len(session_keys()) == len(HELP_ORDER)


def test_the_help_screen_draws_every_row_in_order() -> None:
    """? shows each row, its keys before its words, one under another."""

    async def check(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        lines = drawn_lines(pilot.app)
        found = []
        for row in session_keys():
            (at,) = [
                number
                for number, line in enumerate(lines)
                if row.keys in line and line.index(row.keys) < line.find(row.what)
            ]
            found.append(at)
        assert found == sorted(found) and len(set(found)) == len(found)

    run_session(check)


# -- the palette --------------------------------------------------------------------


def test_the_palette_offers_each_command_binding_of_a_silent_session() -> None:
    """Each CommandBinding is an entry, titled and explained as written, that runs the
    binding's action; with no sound there is nothing to mute."""

    async def check(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        commands = list(pilot.app.get_system_commands(screen))
        wanted = [
            binding
            for binding in session_bindings()
            if isinstance(binding, CommandBinding) and binding.action != "mute"
        ]
        ours = [command for command in commands if command.title in {b.command for b in wanted}]
        assert [(command.title, command.help) for command in ours] == [
            (binding.command, binding.command_help) for binding in wanted
        ]
        for command, binding in zip(ours, wanted, strict=True):
            assert command.callback == getattr(screen, f"action_{binding.action}")
        assert not [command for command in commands if command.title == "Mute or unmute"]

    run_session(check)


def test_the_palette_offers_the_bell_off_when_the_bell_rings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the terminal bell as the sound, m turns it off, and the palette offers it."""
    monkeypatch.setattr(
        calm.sound.players, "choose_player", lambda ring=None: BellPlayer(lambda: None)
    )

    async def check(pilot: Pilot[Any]) -> None:
        titles = [command.title for command in pilot.app.get_system_commands(pilot.app.screen)]
        assert "Mute or unmute" in titles

    run_session(check, volume=70)


class TwoNames(Screen[None]):
    """One key with two actions, of which ``check_action`` enables one at a time."""

    BINDINGS = [
        CommandBinding("x", "on", "On", command="Switch", command_help="On or off"),
        Binding("x", "off", "Off"),
        CommandBinding("y", "never", "Never", command="Never", command_help="Not here"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lit = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return {"on": not self.lit, "off": self.lit}.get(action, False)

    def action_on(self) -> None:
        self.lit = True

    def action_off(self) -> None:
        self.lit = False

    def action_never(self) -> None:
        raise AssertionError("never offered")


def test_a_command_is_offered_while_any_action_of_its_key_is_enabled() -> None:
    """Whichever name its key has now, the command is there; a key that does nothing
    now is not offered."""

    async def run() -> None:
        app: App[None] = App()
        async with app.run_test():
            screen = TwoNames()
            await app.push_screen(screen)
            for lit in (False, True):
                screen.lit = lit
                assert [command.title for command in palette_commands(screen)] == ["Switch"]

    asyncio.run(run())
