"""Starting a session once its command line is read: on the screen or as plain text.

Kept apart from the typer command in ``calm.cli.start`` and free of typer, so that
``calm start NAME`` read by ``calm.cli.quick_start`` starts without building it.
The flags are resolved once into ``SessionOptions``; the practice service runs the
session, and the plain or screen view shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calm.cli.output import USAGE_ERROR, fail, tell
from calm.cli.script_lookup import compile_script, script_library
from calm.cli.settings import read_settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from calm.core.timeline import Timeline
    from calm.practice.options import SessionFlags, SessionOptions
    from calm.practice.pace_finder import PaceFinder


def start_session(
    script: str | None,
    minutes: float | None,
    cycles: int | None,
    gentle: bool,
    *,
    plain: bool,
    flags: SessionFlags,
) -> int:
    """``calm start``: the named script, or the list to choose from; the exit status."""
    from calm.tui.launch import hold_collection, release_collection, terminal_is_interactive

    screen = not plain and terminal_is_interactive()
    if screen:
        hold_collection()
    else:
        release_collection()
    options = session_options(flags, screen=screen)
    if script is None and not screen:
        fail("name a script to start, or run calm in a terminal to choose one", USAGE_ERROR)
    # No script: the screen opens on the picker.
    timeline = compile_script(script, minutes, cycles, gentle)[1] if script is not None else None
    if screen:
        return run_screen(timeline, options)
    assert timeline is not None  # a plain session always names its script, checked above
    _run_plain(timeline, options)
    return 0


def session_options(flags: SessionFlags, *, screen: bool) -> SessionOptions:
    """The session's options, resolved once; what the config got wrong is said here,
    and a flag naming something calm lacks is a usage error."""
    from calm import locations
    from calm.practice.options import OptionError, resolve_options

    themes = None
    if screen:
        from calm.tui.theme import theme_names

        themes = theme_names()
    try:
        options = resolve_options(
            flags, read_settings(), config_file=locations.config_file(), themes=themes
        )
    except OptionError as error:
        fail(str(error), USAGE_ERROR)
    for notice in options.notices:
        tell(f"calm: {notice}")
    return options


def _run_plain(timeline: Timeline, options: SessionOptions) -> None:
    """A session as lines of text, on the practice service."""
    run_plain_practice(timeline, options)


def run_plain_practice(
    timeline: Timeline, options: SessionOptions, *, pace: PaceFinder | None = None
) -> int:
    """A session as lines of text, on the practice service; ``pace`` for a run of
    ``calm pace``. The exit status."""
    from calm.plain.runner import run
    from calm.practice.service import Practice

    practice = Practice.open(options, notify=tell, plan_line=_plan_line(options))
    practice.pace_finder = pace
    try:
        run(timeline, practice)
    finally:
        practice.close()
    return 0


def run_screen(
    timeline: Timeline | None, options: SessionOptions, *, pace: PaceFinder | None = None
) -> int:
    """The session on the full screen, on the practice service; with no timeline, the
    list to choose from first. The exit status.

    The history and the trace open once the first screen is up (see ``CalmApp``):
    what they found is said on the screen, ahead of the config's notices, so that a
    damaged history is never pushed out of sight by a misspelt setting, and on
    stderr once the screen is gone.
    """
    from calm import locations
    from calm.practice.service import Practice
    from calm.practice.told import ToldOnce
    from calm.tui.launch import launch

    told = ToldOnce(locations.told_sound_file())
    practice = Practice.opening_later(
        options, notify=tell, told=told, plan_line=_plan_line(options)
    )
    practice.pace_finder = pace
    rows = None
    if timeline is None:
        from calm.present.catalogue import collect

        rows = collect(script_library())
    try:
        return launch(
            practice,
            timeline=timeline,
            rows=rows,
            notices=list(options.notices),
            # The plans and the history are read once the list is on the screen.
            planned_later=_planned_today if timeline is None else None,
        )
    finally:
        practice.close()


def _plan_line(options: SessionOptions) -> Callable[[], str | None] | None:
    """The care plan's next reminder for today, for the summary (a demo's summary says
    only the script's own: see ``Practice.afterwards``); None for a page that follows a
    shared session, whose summary is the client's, not this machine's user's."""
    if options.follow is not None:
        return None

    def plan_line() -> str | None:
        from calm import locations
        from calm.care.closing_words import plan_reminder

        return plan_reminder(locations.plans_dir(), locations.history_file())

    return plan_line


def _planned_today() -> dict[str, bool] | None:
    """Today's practices from the care plans, for the list's "Your plan"; None without."""
    from calm import locations
    from calm.care.closing_words import planned_today

    return planned_today(locations.plans_dir(), locations.history_file()) or None
