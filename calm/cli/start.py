"""``calm start`` and bare ``calm``: the typer command, whose session ``calm.cli.starting``
starts, on the screen or as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calm.cli.options import (
    CyclesOption,
    DemoOption,
    GentleOption,
    MinutesOption,
    NoAudioOption,
    PlainOption,
    VoiceOption,
    VolumeOption,
)
from calm.cli.starting import run_screen, session_options, start_session

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
    plain: PlainOption = False,
    no_audio: NoAudioOption = False,
    volume: VolumeOption = None,
    ambient: Annotated[
        str | None,
        typer.Option("--ambient", metavar="NAME", help="A sound bed: pink, brown or ocean."),
    ] = None,
    voice: VoiceOption = False,
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
    follow: Annotated[
        str | None,
        typer.Option(
            "--follow",
            metavar="LOG",
            hidden=True,
            help="Follow the shared session whose log calm serve --together keeps.",
        ),
    ] = None,
) -> None:
    """Start a session. With no script, choose one first."""
    from calm.practice.options import SessionFlags

    followed = _followed_log(follow, script, plain) if follow is not None else None

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
        voice=voice,
        follow=followed,
    )
    code = start_session(script, minutes, cycles, gentle, plain=plain, flags=flags)
    if code:
        raise typer.Exit(code)


def _followed_log(follow: str, script: str | None, plain: bool) -> Path:
    """The log of the shared session a page of ``calm serve --together`` follows,
    checked: it is on the screen, with a script, and the log is a file already."""
    from calm.cli.output import USAGE_ERROR, fail
    from calm.core.safe_text import shown_name

    if plain or script is None:
        fail("--follow follows a named script on the full screen", USAGE_ERROR)
    log = Path(follow)
    if not log.is_file():
        fail(f"--follow: {shown_name(follow)} is not a shared session's log", USAGE_ERROR)
    return log.resolve()


def choose_and_start(context: typer.Context, *, demo: bool) -> None:
    """Bare ``calm``: choose a script on the screen and start it; with no terminal, the help."""
    from calm.practice.options import SessionFlags
    from calm.tui.launch import hold_collection, terminal_is_interactive

    if not terminal_is_interactive():
        typer.echo(context.get_help())
        return
    hold_collection()
    code = run_screen(None, session_options(SessionFlags(demo=demo), screen=True))
    if code:
        raise typer.Exit(code)
