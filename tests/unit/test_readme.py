"""The README agrees with calm: its command table with the commands and options calm knows,
its key table with the session's key help, its script with the loader, and its test
command with CI's; and the library table in docs/library.md with what `calm list` says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

from calm.cli import app
from calm.core.library import Library
from calm.core.loader import parse_script_bytes
from calm.present.catalogue import collect
from tests.markdown_parts import code_blocks, first_table, read, section, table_rows

README = read("README.md")

FRONT_DOOR_LINES = 200
"""The most lines the README may have: it is a front door, and the docs hold the rest."""


def usages() -> list[str]:
    """The first cell of each row of the command table: `calm ...` without its backticks."""
    rows = table_rows(section(README, "Commands"))
    return [row[0].strip("`") for row in rows if row[0].startswith("`calm")]


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
    """docs/library.md has one row per built-in script, with the category and the length
    exactly as `calm list` shows them."""
    listed = {
        row.entry.name: (row.script.category.value, row.length)
        for row in collect(Library.discover(user_dirs=[]))
        if row.script is not None
    }
    tabled = {
        row[0].strip("`"): (row[1], row[2])
        for row in table_rows(read("docs/library.md"))
        if row[0].startswith("`")
    }
    assert tabled == listed


def test_the_session_screen_is_described_as_it_looks() -> None:
    """Only the countdown's digits are large; the phase's words are plain."""
    screen = section(read("docs/sessions.md"), "The session screen")
    assert "large digits" in screen
    assert "large, plain words" not in screen and "large words" not in screen


def key_names(cell: str) -> list[str]:
    """The keys a key cell names, in order: "`n` or `→`" and "n  →" are both ["n", "→"]."""
    return [key for key in re.split(r"\s+or\s+|\s+", cell.replace("`", "").strip()) if key]


def test_the_key_table_is_the_session_key_help() -> None:
    """The README's key table has the help's rows in the help's order, each with the
    help's keys and words; a row may add a note in brackets after them."""
    from calm.tui.key_help import session_keys

    help_rows = session_keys()
    rows = first_table(section(README, "Keys"))[1:]
    assert [key_names(row[0]) for row in rows] == [key_names(h.keys) for h in help_rows]
    for row, shown in zip(rows, help_rows, strict=True):
        words = row[1]
        assert words == shown.what or (
            words.startswith(f"{shown.what} (") and words.endswith(")")
        ), (words, shown.what)


def test_the_readme_script_is_a_valid_script() -> None:
    """The README's example script loads with no problems, and uses each kind of step."""
    (script_text,) = code_blocks(README, "toml")
    script = parse_script_bytes(script_text.encode(), name="arrive", source="arrive.toml")
    assert {step.kind.value for step in script.steps} == {"say", "breathe", "prompt"}


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    """The README's development command ends in the very checks `.ci/run` runs."""
    lines = [line for block in code_blocks(README, "sh") for line in block.splitlines()]
    (command,) = [line for line in lines if "pytest" in line]
    install, checks = command.split(" && ", 1)
    assert install == "python -m pip install -e '.[dev,audio]'"
    ci_lines = [line.strip() for line in read(".ci/run").splitlines()]
    assert any(line == checks or line.startswith(f"{checks} ||") for line in ci_lines), checks


def test_the_readme_is_a_front_door() -> None:
    """The README stays short: the pitch, the picture, the commands, the keys, a script."""
    assert len(README.splitlines()) <= FRONT_DOOR_LINES
