"""Text from outside calm is shown exactly as written on every screen of the app.

A script, a setting, a file name or a notice may hold ``[/]``, ``[bold red]`` or
``[@click=app.quit]``: Textual must never read them as markup, so nothing
crashes, nothing is restyled and no live action reaches the screen. Each test
looks at what is actually drawn: the text of every line, and the actions held
by every cell.

The walk through every screen runs by default for one payload of each kind (``NAMED``);
the rest of ``PAYLOADS``, more of the same kinds, run in the slow half (``-m slow``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.content import Content

from calm.core.clock import ManualClock
from calm.core.library import Library
from calm.core.loader import parse_script_bytes
from calm.core.safe_text import shown_safely
from calm.core.timeline import compile_timeline
from calm.present.catalogue import collect
from calm.tui.app import CalmApp
from calm.tui.screens.caution import CautionScreen
from calm.tui.screens.check_in import CheckInScreen
from calm.tui.screens.picker import PickerScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from calm.tui.widgets.plain import Plain
from tests.support.apps import calm_app
from tests.support.drawn import click_actions, drawn_lines
from tests.support.examples import examples
from tests.support.tui import Driver, drive, pilot_test

PAYLOADS = (
    "[/]",
    "[/jaw]",
    "[/bold] after",
    "[bold red on yellow]loud[/]",
    "Hold [optional]",
    "[@click=app.quit]x[/]",
    "$text [b]",
    "back\\slash [",
)
"""What the issue names, and a few of the same kind."""

NAMED = ("[/]", "[bold red on yellow]loud[/]", "[@click=app.quit]x[/]")
"""One of each kind: a crash, a restyling and a live action."""

WALKED = [
    payload if payload in NAMED else pytest.param(payload, marks=pytest.mark.slow)
    for payload in PAYLOADS
]
"""``PAYLOADS``, each beyond ``NAMED`` left to the slow half: a walk is dear."""

FIELDS = (
    "title",
    "summary",
    "caution",
    "reminder",
    "tag",
    "source",
    "say",
    "breathe",
    "inhale",
    "hold",
    "exhale",
    "prompt",
)
"""Every text of a script that some screen shows."""

SIZE = (200, 60)
"""Wide enough that no text of these tests wraps, so each is found on one line."""

WAIT = 60.0
"""The prompt waits for Enter; the other steps take this long in all."""


def script_text(words: dict[str, str]) -> str:
    """A script whose every text is ``words[field]``; JSON strings are TOML strings."""
    w = {field: json.dumps(text) for field, text in words.items()}
    return f"""
title = {w["title"]}
summary = {w["summary"]}
category = "breathing"
caution = {w["caution"]}
reminder = {w["reminder"]}
tags = [{w["tag"]}]
sources = [{w["source"]}]

[[steps]]
say = {w["say"]}
seconds = 2

[[steps]]
breathe = {w["breathe"]}
pattern = [
    {{ phase = "inhale", seconds = 2, text = {w["inhale"]} }},
    {{ phase = "hold_in", seconds = 2, text = {w["hold"]} }},
    {{ phase = "exhale", seconds = 2, text = {w["exhale"]} }},
]
cycles = 1

[[steps]]
prompt = {w["prompt"]}
"""


def words_for(payload: str) -> dict[str, str]:
    """Each field's text: the payload with the field's name, so each can be told apart."""
    return {field: f"{field} {payload}" for field in FIELDS}


def shown(app: CalmApp) -> list[str]:
    """Every line drawn on the screen on top, as the terminal gets it."""
    return drawn_lines(app)


def actions(app: CalmApp) -> list[object]:
    """Every action a click on any drawn cell would run."""
    return click_actions(app)


def assert_drawn(app: CalmApp, *texts: str) -> None:
    """Each of ``texts`` is drawn as written, and no cell holds an action."""
    lines = shown(app)
    for text in texts:
        assert any(text in line for line in lines), (text, lines)
    assert actions(app) == []


async def walk_by_name(d: Driver, words: dict[str, str]) -> None:
    """Caution, session (every step and phase) and summary, checking each."""
    app = d.app
    assert isinstance(app.screen, CautionScreen)
    assert_drawn(app, words["title"], words["caution"])
    await d.press("enter")
    assert isinstance(app.screen, SessionScreen)
    assert_drawn(app, words["title"], words["say"])
    await d.advance(2.5)  # the inhale
    assert_drawn(app, words["inhale"], words["breathe"])
    await d.advance(2)  # the hold
    assert_drawn(app, words["hold"], words["breathe"])
    await d.advance(2)  # the exhale
    assert_drawn(app, words["exhale"], words["breathe"])
    await d.advance(2)  # the prompt
    assert_drawn(app, words["prompt"])
    await d.press("enter")
    assert isinstance(app.screen, SummaryScreen)
    assert_drawn(app, words["title"], words["reminder"])
    await d.press("enter")  # leave


@pytest.mark.parametrize("payload", WALKED)
@pilot_test
async def test_every_script_text_is_drawn_as_written_from_start_to_summary(payload: str) -> None:
    """A script with the payload in every field: each screen draws it exactly, and the
    session runs to its summary without a MarkupError."""
    words = words_for(payload)
    script = parse_script_bytes(script_text(words).encode(), name="p", source="p.toml")
    clock = ManualClock(100.0)
    app = calm_app(timeline=compile_timeline(script), clock=clock, tip=lambda: "tip")
    await drive(app, clock, lambda d: walk_by_name(d, words), size=SIZE)
    assert app.return_value is not None


@pytest.mark.parametrize("payload", NAMED)
@pilot_test
async def test_the_list_and_the_check_in_draw_every_text_as_written(
    payload: str, tmp_path: Path
) -> None:
    """The list's row and preview, the filter, the caution from the list and the
    check-in: each draws the payload exactly, names and all."""
    words = words_for(payload)
    name = "n" + payload.replace("/", "÷").replace("\\", "÷")  # a file name cannot hold "/"
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / f"{name}.toml").write_text(script_text(words), encoding="utf-8")
    empty = tmp_path / "builtin"
    empty.mkdir()
    rows = collect(Library.discover(builtin_dir=empty, user_dirs=[folder]))
    clock = ManualClock(100.0)
    app = calm_app(rows=rows, clock=clock, tip=lambda: "tip", check_in=True)

    async def scenario(d: Driver) -> None:
        assert isinstance(app.screen, PickerScreen)
        preview = ["summary", "caution", "reminder", "tag", "source", "say", "prompt"]
        assert_drawn(app, words["title"], name, *[words[field] for field in preview])
        await d.press(*"[/]")  # typed into the filter
        assert_drawn(app, "Filter: [/]")
        await d.press("escape")
        await d.press("enter")
        assert isinstance(app.screen, CautionScreen)
        assert_drawn(app, words["title"], words["caution"])
        await d.press("enter")
        assert isinstance(app.screen, CheckInScreen)
        assert_drawn(app, words["title"])
        await d.press("3")
        assert isinstance(app.screen, SessionScreen)
        assert_drawn(app, words["say"])

    await drive(app, clock, scenario, size=SIZE)


@pytest.mark.parametrize("payload", NAMED)
@pilot_test
async def test_every_notice_is_drawn_as_written(payload: str) -> None:
    """Notices quote settings and file names: on the caution, held through the
    session, then on the summary, each is drawn exactly, title and all."""
    words = words_for("x")
    script = parse_script_bytes(script_text(words).encode(), name="p", source="p.toml")
    clock = ManualClock(100.0)
    at_start = f"config.toml: theme: {payload}"
    app = calm_app(
        timeline=compile_timeline(script),
        clock=clock,
        tip=lambda: "tip",
        notices=[at_start],
    )

    async def scenario(d: Driver) -> None:
        await d.pilot.pause()
        assert_drawn(app, at_start)  # on the caution
        app.notify(payload, title=f"cue {payload}.wav", markup=True)
        await d.pilot.pause()
        assert_drawn(app, f"cue {payload}.wav: {payload}")
        await d.press("enter")
        app.notify(f"during {payload}")  # kept for the summary
        await d.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert_drawn(app, f"during {payload}")

    await drive(app, clock, scenario, size=SIZE)
    assert app.said[0] == at_start


bracket_payloads = st.lists(
    st.sampled_from(["[", "]", "/", "@", "=", "click", "app.quit", "b", "red on", " ", "$", "\\"]),
    min_size=1,
    max_size=12,
).map(lambda parts: " ".join("".join(parts).split()))
"""Runs of brackets and the words markup is made of, as one line with single spaces."""


@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=bracket_payloads.filter(bool))
def test_any_bracket_text_in_a_script_is_drawn_as_written(payload: str) -> None:
    """Whatever brackets a script's texts hold, every screen draws them exactly."""
    words = words_for(payload)
    script = parse_script_bytes(script_text(words).encode(), name="p", source="p.toml")
    clock = ManualClock(100.0)
    app = calm_app(timeline=compile_timeline(script), clock=clock, tip=lambda: "tip")
    run = pilot_test(lambda: drive(app, clock, lambda d: walk_by_name(d, words), size=SIZE))
    run()
    assert app.return_value is not None


@settings(max_examples=examples(300))
@given(text=st.text())
def test_plain_shows_any_string_as_written_with_no_style_or_action(text: str) -> None:
    """Plain keeps every character (control ones as "?") and adds no style and no action."""
    # The visual the widget draws, made with its own markup setting: visualize()'s
    # default reads markup, so asking it directly would test Textual, not Plain.
    content = Plain(text).visual
    assert isinstance(content, Content)
    assert content.plain == shown_safely(text)
    assert content.spans == []


@pilot_test
async def test_a_name_with_an_escape_sequence_reaches_the_screen_without_it(
    tmp_path: Path,
) -> None:
    """A file name holding ESC ] 0 ; … BEL is drawn with "?" for each control character."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    name = "evil\x1b]0;owned\x07"
    (folder / f"{name}.toml").write_text(script_text(words_for("x")), encoding="utf-8")
    empty = tmp_path / "builtin"
    empty.mkdir()
    rows = collect(Library.discover(builtin_dir=empty, user_dirs=[folder]))
    clock = ManualClock(100.0)
    app = calm_app(rows=rows, clock=clock, tip=lambda: "tip")

    async def scenario(d: Driver) -> None:
        lines = "\n".join(shown(app))
        assert "evil?]0;owned?" in lines
        assert "\x1b" not in lines and "\x07" not in lines

    await drive(app, clock, scenario, size=SIZE)


@pilot_test
async def test_every_palette_entry_is_calms_own_plain_words() -> None:
    """The palette reads titles and help as markup, so none may hold anything it would
    read: each comes out of Textual's markup exactly as it went in."""
    words = words_for("[/]")
    script = parse_script_bytes(script_text(words).encode(), name="p", source="p.toml")
    clock = ManualClock(100.0)
    app = calm_app(timeline=compile_timeline(script), clock=clock, skip_caution=True)

    async def scenario(d: Driver) -> None:
        commands: list[Any] = list(app.get_system_commands(d.screen))
        assert any(command.title == "End session" for command in commands)
        for command in commands:
            for text in (command.title, command.help):
                assert Content.from_markup(text).plain == text
                assert Content.from_markup(text).spans == []

    await drive(app, clock, scenario)
