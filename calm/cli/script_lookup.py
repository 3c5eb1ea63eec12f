"""Finding the script a command names, and compiling it to the length asked for.

A name that matches nothing, a file with problems and a length that cannot fit
are each said in calm's own lines, with the exit status for each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calm.cli.output import USAGE_ERROR, fail, tell

if TYPE_CHECKING:
    from calm.core.library import Entry, Library
    from calm.core.problems import ScriptError
    from calm.core.timeline import Timeline


_told_about_folders: set[str] = set()
"""The scripts-folder notices already said in this run: a command may look twice."""


def script_library() -> Library:
    """Every script calm can start, those that came with care plans among them; a
    scripts folder that cannot be read is one line, once."""
    from calm import locations
    from calm.care.plan_summaries import plan_script_files
    from calm.core.library import Library

    plan_scripts = plan_script_files(locations.plans_dir())
    library = Library.discover(pace=_saved_pace, plan_scripts=plan_scripts)
    for notice in library.notices:
        if notice not in _told_about_folders:
            _told_about_folders.add(notice)
            tell(f"calm: {notice}")
    return library


def _saved_pace() -> float | None:
    """The user's preferred pace, read for a script that breathes at it."""
    from calm import locations
    from calm.practice.pace_results import preferred_pace

    return preferred_pace(locations.history_file())


def resolve_script(wanted: str) -> Entry:
    """The library's entry for a name or a path; exit 2 with one line when there is none."""
    from calm.core.library import UnknownScriptError

    try:
        return script_library().resolve(wanted)
    except UnknownScriptError as error:
        fail(error.message, USAGE_ERROR)


def compile_script(
    wanted: str, minutes: float | None, cycles: int | None, gentle: bool
) -> tuple[Entry, Timeline]:
    """The script ``wanted`` and its timeline at the length asked for.

    A script with problems exits 1 after saying each; a length it cannot take exits 2.
    """
    from calm.core.length_plan import LengthError, LengthOptions
    from calm.core.problems import ScriptError
    from calm.core.timeline import compile_timeline

    entry = resolve_script(wanted)
    try:
        script = entry.load()
    except ScriptError as error:
        tell_problems(error)
        if entry.hides:
            hidden = entry.hides[-1].shown_path
            tell(f"calm: this file hides {hidden}; fix it, or move it away.")
        import typer  # only a failure needs it: `calm start NAME` runs without typer

        raise typer.Exit(1) from None
    if script.pace_used is not None and not script.pace_used.saved:
        tell(
            "calm: no preferred pace is saved yet, so this breathes at 6 a minute;"
            " find yours with calm pace"
        )
    try:
        options = LengthOptions(minutes=minutes, cycles=cycles, gentle=gentle)
        return entry, compile_timeline(script, options)
    except LengthError as error:
        fail(str(error), USAGE_ERROR)


def tell_problems(error: ScriptError) -> None:
    """Each of a script's problems on stderr, one line each."""
    for line in error.lines():
        tell(line)
