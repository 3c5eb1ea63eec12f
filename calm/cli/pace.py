"""``calm pace``: find a comfortable slow breathing pace, and see the ones found before."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.flag_rules import Apart, Instead, Needs, RuledCommand
from calm.cli.number_option import NumberRange
from calm.cli.options import NoAudioOption, PlainOption, VoiceOption
from calm.cli.output import USAGE_ERROR, echo, fail

if TYPE_CHECKING:
    from calm.practice.pace_results import PaceResult

app = typer.Typer()

NO_PACE_YET = "No preferred pace is saved yet. Find yours with: calm pace"
LADDER_OPTIONS = (
    "--quick",
    "--plain",
    "--from",
    "--to",
    "--step",
    "--rung-minutes",
    "--no-audio",
    "--voice",
    "--demo",
)
"""The options that shape a run of the ladder, which mean nothing beside --show or --history."""


class _PaceCommand(RuledCommand):
    """``calm pace`` runs the ladder, or shows what it found: one at a time."""

    rules = (
        Apart("--show", "--history"),
        Instead("--show", run="runs the ladder", shaping=LADDER_OPTIONS),
        Instead("--history", run="runs the ladder", shaping=LADDER_OPTIONS),
        Needs("--json", "--show", "--history"),
    )


@app.command(cls=_PaceCommand)
def pace(
    quick: Annotated[
        bool, typer.Option("--quick", help="One minute at each pace instead of two.")
    ] = False,
    plain: PlainOption = False,
    start: Annotated[
        float,
        typer.Option(
            "--from",
            metavar="N",
            parser=NumberRange(3, 10),
            help="The first, fastest pace, in breaths a minute.",
        ),
    ] = 6.5,
    end: Annotated[
        float,
        typer.Option(
            "--to", metavar="N", parser=NumberRange(3, 10), help="The last, slowest pace."
        ),
    ] = 4.5,
    step: Annotated[
        float,
        typer.Option(
            "--step", metavar="N", parser=NumberRange(0.1, 7), help="How much slower each pace is."
        ),
    ] = 0.5,
    rung_minutes: Annotated[
        float | None,
        typer.Option(
            "--rung-minutes",
            metavar="M",
            parser=NumberRange(0.05, 10),
            hidden=True,
            help="Minutes at each pace (for tests and demos).",
        ),
    ] = None,
    no_audio: NoAudioOption = False,
    voice: VoiceOption = False,
    demo: Annotated[
        bool, typer.Option("--demo", help="For showing calm to someone: nothing is saved.")
    ] = False,
    show: Annotated[
        bool, typer.Option("--show", help="Show your preferred pace, and run nothing.")
    ] = False,
    history: Annotated[
        bool, typer.Option("--history", help="Show every pace found before, newest first.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --show or --history: print JSON.")
    ] = False,
) -> None:
    """Find your own comfortable slow pace: a few paces from 6.5 down to 4.5 breaths a
    minute, three quick questions after each. It takes about 12 minutes (7 with
    --quick), and stops whenever you like. A comfort-based estimate, not a measurement."""
    from calm import locations

    # Which options go together is the command's rules (_PaceCommand), kept by then.
    if show or history:
        from calm.practice.pace_results import read_results

        results = read_results(locations.history_file())
        (_show_history if history else _show_preferred)(results, as_json=as_json)
        return
    _find(
        start,
        end,
        step,
        rung_minutes if rung_minutes is not None else (1.0 if quick else 2.0),
        plain=plain,
        no_audio=no_audio,
        voice=voice,
        demo=demo,
    )


def _find(
    start: float,
    end: float,
    step: float,
    rung_minutes: float,
    *,
    plain: bool,
    no_audio: bool,
    voice: bool,
    demo: bool,
) -> None:
    """Run the ladder on the screen, or as text on a terminal."""
    import sys

    from calm.cli.starting import run_plain_practice, run_screen, session_options
    from calm.core.timeline import compile_timeline
    from calm.practice.options import SessionFlags
    from calm.practice.pace_finder import PaceFinder
    from calm.practice.pace_ladder import Ladder, LadderError
    from calm.tui.launch import hold_collection, release_collection, terminal_is_interactive

    try:
        finder = PaceFinder(Ladder(start, end, step, rung_minutes))
    except LadderError as error:
        fail(str(error), USAGE_ERROR)
    screen = not plain and terminal_is_interactive()
    if not screen and not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(
            "calm pace asks three questions after each pace, so it needs a terminal to"
            " answer them on",
            USAGE_ERROR,
        )
    if screen:
        hold_collection()
    else:
        release_collection()
    # Its own questions stand in for the check-in.
    flags = SessionFlags(demo=demo, no_audio=no_audio, voice=voice, check_in=False)
    options = session_options(flags, screen=screen)
    timeline = compile_timeline(finder.script)
    code = (
        run_screen(timeline, options, pace=finder)
        if screen
        else run_plain_practice(timeline, options, pace=finder)
    )
    if code:
        raise typer.Exit(code)


def _show_preferred(results: list[PaceResult], *, as_json: bool) -> None:
    """The preferred pace, how it was worked out, and the latest result."""
    from calm.core.pace import DEFAULT_PACE, pace_text
    from calm.practice.pace_results import MEDIAN_OF, preferred_of

    preferred, used = preferred_of(results)
    if as_json:
        latest = results[0] if results else None
        echo(
            json.dumps(
                {
                    "preferred": preferred,
                    "from_results": used,
                    "default": DEFAULT_PACE,
                    "latest": _result_json(latest) if latest is not None else None,
                },
                indent=2,
            )
        )
        return
    if preferred is None:
        echo(NO_PACE_YET)
        if results:
            echo("Your runs so far found no pace that felt easy and free of light-headedness.")
        echo(f'Until then, scripts with pace = "preferred" breathe at {pace_text(DEFAULT_PACE)}.')
        return
    how = (
        "your one result so far"
        if used == 1
        else f"the middle of your last {used} results"
        if used == MEDIAN_OF
        else f"the middle of your {used} results"
    )
    echo(f"Your preferred slow pace: {pace_text(preferred)} breaths a minute ({how}).")
    latest = results[0]
    found = f"found {pace_text(latest.pace)}" if latest.found else "found none"
    echo(f"Latest run: {_when(latest)}, {found}. See them all with: calm pace --history")
    echo('Scripts with pace = "preferred", such as my-pace, breathe at it.')


def _show_history(results: list[PaceResult], *, as_json: bool) -> None:
    """Every result, newest first, with each rung's answers."""
    from calm.core.pace import pace_text

    if as_json:
        echo(json.dumps([_result_json(result) for result in results], indent=2))
        return
    if not results:
        echo(NO_PACE_YET)
        return
    for result in results:
        kept = f"{pace_text(result.pace)} a minute" if result.found else "none found (6 kept)"
        echo(f"{_when(result)}  {kept}")
        for rung in result.answers:
            dizzy = " · light-headed" if rung.light_headed else ""
            echo(f"    {pace_text(rung.pace):>4}  ease {rung.ease} · calm {rung.calm}{dizzy}")


def _when(result: PaceResult) -> str:
    moment = result.found_at.astimezone()
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def _result_json(result: PaceResult) -> dict[str, object]:
    return {
        "found_at": result.found_at.isoformat(),
        "pace": result.pace,
        "found": result.found,
        "answers": [
            {
                "pace": rung.pace,
                "ease": rung.ease,
                "calm": rung.calm,
                "light_headed": rung.light_headed,
            }
            for rung in result.answers
        ],
    }
