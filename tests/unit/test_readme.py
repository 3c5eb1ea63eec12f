"""The README agrees with calm: its command table with the commands and options calm knows,
and its library table with what `calm list` says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

from calm.cli import app
from calm.core.library import Library
from calm.present.catalogue import collect
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The README's text under a ``## `` heading, up to the next one."""
    return README.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown tables in ``text``, as lists of cells."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith(("| ---", "|---")):
            continue
        # A pipe written as \| inside a cell is part of the cell.
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.strip() for cell in cells])
    return rows


def usages() -> list[str]:
    """The first cell of each row of the command table: `calm ...` without its backticks."""
    return [
        row[0].strip("`") for row in table_rows(section("Using calm")) if row[0].startswith("`calm")
    ]


def command_words(usage: str) -> tuple[str, ...]:
    """The command a usage names: its leading lower-case words, such as ("calm", "audio")."""
    words: list[str] = []
    for token in usage.split():
        if not re.fullmatch(r"[a-z][a-z0-9-]*", token):
            break
        words.append(token)
    return tuple(words)


def commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command typer knows, as its words and its click command, the group included."""

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        yield path, command
        for name, sub in (getattr(command, "commands", None) or {}).items():
            if not getattr(sub, "hidden", False):
                yield from walk(sub, (*path, name))

    yield from walk(typer.main.get_command(app), ("calm",))


def long_options(command: Any) -> list[str]:
    """The command's --options, as typer would accept them."""
    names: list[str] = []
    for param in command.params:
        if getattr(param, "hidden", False) or param.param_type_name != "option":
            continue
        names += [name for name in [*param.opts, *param.secondary_opts] if name.startswith("--")]
    return names


COMMANDS = list(commands())


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme_table(
    path: tuple[str, ...], command: Any
) -> None:
    """Each command has a row in the README's command table, naming every option it takes."""
    rows = [usage for usage in usages() if command_words(usage)[: len(path)] == path]
    assert rows, f"no row for `{' '.join(path)}`"
    own = " ".join(usage for usage in rows if command_words(usage) == path)
    for option in long_options(command):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", own), (path, option)


def test_the_readme_table_names_no_option_calm_does_not_know() -> None:
    """An option in the README's command table is one that command really takes."""
    known = {" ".join(path): set(long_options(command)) for path, command in commands()}
    for usage in usages():
        path = " ".join(command_words(usage))
        assert path in known, usage
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", usage):
            assert option in known[path], (usage, option)


def test_the_library_table_agrees_with_calm_list() -> None:
    """The README's library table has one row per built-in script, with the category and
    the length exactly as `calm list` shows them."""
    listed = {
        row.entry.name: (row.script.category.value, row.length)
        for row in collect(Library.discover(user_dirs=[]))
        if row.script is not None
    }
    tabled = {
        row[0].strip("`"): (row[1], row[2])
        for row in table_rows(section("The library"))
        if row[0].startswith("`")
    }
    assert tabled == listed


def test_the_session_screen_is_described_as_it_looks() -> None:
    """Only the countdown's digits are large; the phase's words are plain."""
    screen = section("Using calm").split("### The session screen", 1)[1]
    assert "large digits" in screen
    assert "large, plain words" not in screen and "large words" not in screen
