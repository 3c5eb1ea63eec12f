"""``calm start`` and bare ``calm``: a session, on the screen or as plain text.

The flags are resolved once into ``SessionOptions``; the practice service runs
the session, and the plain or screen view shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.options import CyclesOption, DemoOption, GentleOption, MinutesOption, VolumeOption
from calm.cli.output import USAGE_ERROR, fail, tell
from calm.cli.script_lookup import compile_script, script_library
from calm.cli.settings import read_settings

if TYPE_CHECKING:
    from calm.core.timeline import Timeline
    from calm.practice.options import SessionFlags, SessionOptions

app = typer.Typer()


@app.command()
def start(
    script: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCRIPT]", help="A script name or a .toml file; none to choose one."
        ),
    ] = None,
    minutes: MinutesOption = None,
    cycles: CyclesOption = None,
    gentle: GentleOption = False,
    plain: Annotated[bool, typer.Option("--plain", help="Print lines of text, no screen.")] = False,
    no_audio: Annotated[bool, typer.Option("--no-audio", help="No sound cues.")] = False,
    volume: VolumeOption = None,
    ambient: Annotated[
        str | None,
        typer.Option("--ambient", metavar="NAME", help="A sound bed: pink, brown or ocean."),
    ] = None,
    theme: Annotated[
        str | None, typer.Option("--theme", metavar="NAME", help="A colour theme, such as nord.")
    ] = None,
    reduced_motion: Annotated[
        bool, typer.Option("--reduced-motion", help="A still bar instead of the moving orb.")
    ] = False,
    skip_caution: Annotated[
        bool, typer.Option("--skip-caution", help="Do not show the script's caution first.")
    ] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not record this session, as for a demo.")
    ] = False,
    check_in: Annotated[
        bool | None,
        typer.Option(
            "--check-in/--no-check-in",
            help="Note how tense you feel, before and after; or not, this once, "
            "whatever the config says.",
            show_default=False,
        ),
    ] = None,
    demo: DemoOption = False,
) -> None:
    """Start a session. With no script, choose one first."""
    from calm.practice.options import SessionFlags
    from calm.tui.launch import hold_collection, release_collection, terminal_is_interactive

    screen = not plain and terminal_is_interactive()
    if screen:
        hold_collection()
    else:
        release_collection()
    flags = SessionFlags(
        demo=demo,
        theme=theme,
        ambient=ambient,
        volume=volume,
        no_audio=no_audio,
        reduced_motion=reduced_motion,
        skip_caution=skip_caution,
        no_history=no_history,
        check_in=check_in,
    )
    options = _options(flags, screen=screen)
    if script is None and not screen:
        fail("name a script to start, or run calm in a terminal to choose one", USAGE_ERROR)
    # No script: the screen opens on the picker.
    timeline = compile_script(script, minutes, cycles, gentle)[1] if script is not None else None
    if screen:
        _run_screen(timeline, options)
        return
    assert timeline is not None  # a plain session always names its script, checked above
    _run_plain(timeline, options)


def choose_and_start(context: typer.Context, *, demo: bool) -> None:
    """Bare ``calm``: choose a script on the screen and start it; with no terminal, the help."""
    from calm.practice.options import SessionFlags
    from calm.tui.launch import hold_collection, terminal_is_interactive

    if not terminal_is_interactive():
        typer.echo(context.get_help())
        return
    hold_collection()
    _run_screen(None, _options(SessionFlags(demo=demo), screen=True))


def _options(flags: SessionFlags, *, screen: bool) -> SessionOptions:
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
    from calm.plain.runner import run
    from calm.practice.service import Practice

    practice = Practice.open(options, notify=tell)
    try:
        run(timeline, practice)
    finally:
        practice.close()


def _run_screen(timeline: Timeline | None, options: SessionOptions) -> None:
    """The session on the full screen, on the practice service; with no timeline, the
    list to choose from first.

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
    practice = Practice.opening_later(options, notify=tell, told=told)
    rows = None
    if timeline is None:
        from calm.present.catalogue import collect

        rows = collect(script_library())
    try:
        code = launch(practice, timeline=timeline, rows=rows, notices=list(options.notices))
    finally:
        practice.close()
    if code:
        raise typer.Exit(code)
