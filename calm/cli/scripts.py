"""``calm list``, ``show``, ``validate`` and ``new``: the scripts you have, and new ones.

Light on purpose: ``calm list`` and ``calm show`` load no screen and no sound.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.options import CyclesOption, GentleOption, MinutesOption
from calm.cli.output import USAGE_ERROR, console, echo, fail, tell, write_new_file
from calm.cli.script_lookup import compile_script, resolve_script, script_library, tell_problems

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from calm.core.library import Entry, Library
    from calm.core.script import Category, Script

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A usable script name, matched whole (``fullmatch``: ``$`` would let a final line break in)."""


app = typer.Typer()


@app.command("list")
def list_scripts(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            metavar="C",
            help="Only this category: breathing, unwinding, grounding, reset, move or demo.",
        ),
    ] = None,
) -> None:
    """List the scripts you can start."""
    from calm.present.catalogue import catalogue_json, catalogue_lines, collect
    from calm.present.table import use_colour, write_lines

    rows = collect(script_library(), _category(category) if category is not None else None)
    if as_json:
        for row in rows:
            if row.error is not None:
                tell(row.error.first_line)
        echo(json.dumps(catalogue_json(rows), indent=2))
        return
    write_lines(catalogue_lines(rows, colour=use_colour(sys.stdout)))


@app.command()
def show(
    script: Annotated[
        str, typer.Argument(metavar="SCRIPT", help="A script name, or a path to a .toml file.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
    minutes: MinutesOption = None,
    cycles: CyclesOption = None,
    gentle: GentleOption = False,
) -> None:
    """Preview a script: its steps, its length and its breathing rate."""
    from calm.present.preview import preview, timeline_json

    entry, timeline = compile_script(script, minutes, cycles, gentle)
    if as_json:
        echo(json.dumps(timeline_json(entry, timeline), indent=2))
        return
    console().print(preview(entry, timeline))


@app.command()
def validate(
    scripts: Annotated[
        list[str],
        typer.Argument(
            metavar="SCRIPT...",
            help="Script files, folders of them, or script names as `calm list` shows them.",
        ),
    ],
) -> None:
    """Check scripts: each one that is fine says so, and every problem is one line."""
    from calm.core.problems import ScriptError
    from calm.core.safe_text import shown_name
    from calm.core.timeline import compile_timeline
    from calm.present.measures import length_text

    problems = 0
    for shown, load in _scripts_to_check(scripts):
        try:
            script = load()
        except ScriptError as error:
            tell_problems(error)
            problems += len(error.problems)
            continue
        echo(f"{shown_name(shown)}: ok ({length_text(compile_timeline(script))})")
    if problems:
        raise typer.Exit(1)


@app.command()
def new(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The new script's name, such as my-evening.")
    ],
    from_script: Annotated[
        str | None,
        typer.Option("--from", metavar="SCRIPT", help="Start from a copy of this script."),
    ] = None,
) -> None:
    """Write a new script into your scripts folder, ready to edit."""
    from calm import locations
    from calm.core.safe_text import quoted
    from calm.core.template import template_for

    name = name.removesuffix(".toml")
    if not _NAME.fullmatch(name):
        fail(
            f'{quoted(name)} is not a usable name; use letters, digits, "-" or "_", '
            "such as my-evening",
            USAGE_ERROR,
        )
    folder = locations.user_scripts_dirs()[0]
    target = folder / f"{name}.toml"
    if from_script is not None:
        from calm.core.loader import parse_script_bytes, read_script_file
        from calm.core.problems import ScriptError

        entry = resolve_script(from_script)
        try:
            # The bytes checked are the bytes copied: only a valid script is ever copied.
            content = read_script_file(entry.path, entry.shown_path)
            parse_script_bytes(content, name=name, source=entry.shown_path, path=entry.path)
        except ScriptError as error:
            fail(f"{error.first_line} (--from copies only a script that passes calm validate)")
    else:
        content = template_for(name, target).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot make the scripts folder {folder}: {error.strerror or error}")
    write_new_file(target, content, "script")
    echo(str(target))
    hidden = script_library().get(name)
    if hidden is not None and hidden.hides:
        tell(f"It takes the place of the built-in {name}; delete it to get that back.")
    tell(f"Edit it, then check it with `calm validate {target}` and try `calm start {name}`.")


def _category(value: str) -> Category:
    """The category ``--category`` names; exit 2 with a did-you-mean line for none."""
    from calm.core.script import Category
    from calm.core.suggest import did_you_mean

    category = Category.parse(value)
    if category is not None:
        return category
    names = [category.value for category in Category]
    hint = did_you_mean(value.lower(), names)
    fail(
        f'no category "{value}"; expected one of {", ".join(names)}'
        + (f"; {hint}" if hint else ""),
        USAGE_ERROR,
    )


def _scripts_to_check(wanted: list[str]) -> Iterator[tuple[str, Callable[[], Script]]]:
    """What ``calm validate`` checks, in the order given: each file as named, the
    scripts in each folder, and a name from the library when no such file is
    here. Each comes as the way it is shown, and a load that raises
    ``ScriptError`` for anything wrong, unreadable or missing."""
    from calm.core.loader import load_script
    from calm.core.problems import Problem, ScriptError
    from calm.core.safe_read import ReadError, Why, expanded, files_in, read_error
    from calm.core.suggest import did_you_mean

    def problem(shown: str, message: str) -> Callable[[], Script]:
        def fail() -> Script:
            raise ScriptError([Problem(shown, None, message)])

        return fail

    library: Library | None = None
    for text in wanted:
        try:
            path = expanded(text)
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError, ReadError) as error:
            found = error if isinstance(error, ReadError) else read_error(error)
            library = library or script_library()
            entry = _library_entry(library, text) if found.why is Why.MISSING else None
            if entry is not None:
                yield entry.shown_path, entry.load
            elif found.why is Why.MISSING and not _looks_like_a_path(text):
                hint = did_you_mean(text, library.names)
                yield text, problem(text, "no such file or script" + (f"; {hint}" if hint else ""))
            else:
                # Said for this one (a folder calm may not read, a name too long), and
                # the rest are still checked.
                yield text, problem(text, found.reason)
            continue
        if not is_folder:
            yield text, partial(load_script, path, source=text)
            continue
        scripts, reason = files_in(path, ".toml")
        if reason is not None:
            yield text, problem(text, reason)
        elif not scripts:
            yield text, problem(text, "no .toml scripts in this folder")
        for script_path in scripts:
            yield str(script_path), partial(load_script, script_path)


def _library_entry(library: Library, text: str) -> Entry | None:
    """The library's script named ``text``, also when written as a file name
    (``arrive.toml``), as the README's walk-through does; None for a path."""
    if "/" in text or "\\" in text:
        return None
    return library.get(text.removesuffix(".toml"))


def _looks_like_a_path(text: str) -> bool:
    """Whether ``text`` was meant as a file, not a script's name."""
    return text.endswith(".toml") or "/" in text or "\\" in text
