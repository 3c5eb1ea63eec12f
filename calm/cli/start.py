"""``calm start`` and bare ``calm``: a session, on the screen or as plain text.

The session wiring (settings for one session, sound, recorder, trace, check-in)
is here as it was in the one-file CLI, for the practice-session service to take over.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.options import CyclesOption, DemoOption, GentleOption, MinutesOption, VolumeOption
from calm.cli.output import USAGE_ERROR, echo, fail, tell, terminal_bell
from calm.cli.script_lookup import compile_script, script_library
from calm.cli.settings import read_settings

if TYPE_CHECKING:
    from calm.config import Settings
    from calm.core.timeline import Timeline
    from calm.practice.recording import SessionRecorder
    from calm.sound.choice import AudioChoice

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
    from calm.tui.launch import terminal_is_interactive

    screen = not plain and terminal_is_interactive()
    settings = _session_settings(
        demo=demo, check_in=check_in, skip_caution=skip_caution, no_history=no_history
    )
    audio = _audio(settings, no_audio=no_audio, volume=volume, ambient=ambient)
    if script is None and not screen:
        fail("name a script to start, or run calm in a terminal to choose one", USAGE_ERROR)
    # No script: the screen opens on the picker.
    timeline = compile_script(script, minutes, cycles, gentle)[1] if script is not None else None
    if screen:
        _run_screen(
            timeline,
            settings,
            audio,
            no_history=not settings.history,
            theme=theme,
            reduced_motion=reduced_motion,
            skip_caution=settings.skip_caution,
            check_in=settings.check_in,
            demo=demo,
        )
        return
    assert timeline is not None  # a plain session always names its script, checked above
    _run_plain(
        timeline,
        audio,
        _recorder(settings, no_history=not settings.history),
        check_in=settings.check_in,
        skip_caution=settings.skip_caution,
    )


def choose_and_start(context: typer.Context, *, demo: bool) -> None:
    """Bare ``calm``: choose a script on the screen and start it; with no terminal, the help."""
    from calm.tui.launch import terminal_is_interactive

    if not terminal_is_interactive():
        typer.echo(context.get_help())
        return
    settings = _session_settings(demo=demo)
    audio = _audio(settings, no_audio=False, volume=None, ambient=None)
    _run_screen(
        None,
        settings,
        audio,
        no_history=False,
        theme=None,
        reduced_motion=False,
        skip_caution=settings.skip_caution,
        check_in=settings.check_in,
        demo=demo,
    )


def _session_settings(
    *,
    demo: bool,
    check_in: bool | None = None,
    skip_caution: bool = False,
    no_history: bool = False,
) -> Settings:
    """The settings for one session, resolved once: the config, its ``[demo]`` table
    for ``--demo``, then the flags typed this time, which always win."""
    from dataclasses import replace

    settings = read_settings()
    if demo:
        settings = settings.for_demo()
    if check_in is not None:
        settings = replace(settings, check_in=check_in)
    if skip_caution:
        settings = replace(settings, skip_caution=True)
    if no_history:
        settings = replace(settings, history=False)
    return settings


def _audio(
    settings: Settings, *, no_audio: bool, volume: int | None, ambient: str | None
) -> AudioChoice:
    from calm import locations
    from calm.core.suggest import did_you_mean
    from calm.core.value_text import describe_value
    from calm.sound.beds import BED_NAMES
    from calm.sound.choice import AudioChoice

    bed: str | None = ambient if ambient is not None else settings.ambient
    if bed and bed not in BED_NAMES:
        hint = did_you_mean(bed, BED_NAMES)
        beds = ", ".join(BED_NAMES)
        if ambient is not None:
            message = f'no ambient bed "{bed}"' + (f" ({hint})" if hint else "")
            fail(f"{message}; expected one of {beds}", USAGE_ERROR)
        # From the config: worded by the config's one rule, and no bed, its default.
        advice = f" {hint[:1].upper()}{hint[1:]}" if hint else f" Beds: {beds}."
        tell(
            f"calm: {locations.config_file()}: ambient: {describe_value(bed)} is not a sound "
            f"bed calm has; using the default, none.{advice}"
        )
        bed = None
    level = volume if volume is not None else settings.volume
    if no_audio or not settings.sound:
        level = 0
    return AudioChoice(volume=level, ambient=bed or None)


def _recorder(
    settings: Settings, *, no_history: bool, notices: list[str] | None = None
) -> SessionRecorder | None:
    """The history recorder for a session, unless recording is off.

    A notice from opening the history goes to stderr, and into ``notices`` when
    given, for the screen to show too.
    """
    if no_history or not settings.history:
        return None
    from calm import locations
    from calm.practice.recording import SessionRecorder

    def notify(message: str) -> None:
        tell(message)
        if notices is not None:
            notices.append(message)

    return SessionRecorder.open(locations.history_file(), notify=notify)


def _run_plain(
    timeline: Timeline,
    audio: AudioChoice,
    recorder: SessionRecorder | None,
    *,
    check_in: bool,
    skip_caution: bool = False,
) -> None:
    from calm.core.session import Status
    from calm.core.trace import trace_from_environment
    from calm.plain.runner import run_plain
    from calm.practice import check_in as questions

    trace, notice = trace_from_environment()
    if notice:
        tell(notice)
    sound = None
    if audio.volume:
        from calm.sound.cues import prepare_sound

        sound = prepare_sound(
            timeline,
            volume=audio.volume,
            ambient=audio.ambient,
            trace=trace,
            ring=terminal_bell(),
            notify=tell,
        )
    try:
        outcome = run_plain(
            timeline,
            trace=trace,
            sound=sound,
            recorder=recorder,
            check_in=(
                lambda: questions.ask_mood(
                    questions.BEFORE, sys.stdin, sys.stdout, may_go_back=True
                )
            )
            if check_in
            else None,
            skip_caution=skip_caution,
        )
        if sound is not None:
            sound.finish()
        if check_in and outcome.status is not Status.READY:
            _closing_check_in(recorder)
    finally:
        if sound is not None:
            sound.stop()
        if trace is not None:
            trace.close()
        if recorder is not None:
            recorder.close()


def _closing_check_in(recorder: SessionRecorder | None) -> None:
    """Ask how tense the user feels now, after a plain session."""
    from calm.practice import check_in as questions

    try:
        mood = questions.ask_mood(questions.AFTER, sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        mood = None  # Ctrl+C at the last question only skips it.
        echo()
    if mood is not None and recorder is not None:
        recorder.mood_after(mood)


def _run_screen(
    timeline: Timeline | None,
    settings: Settings,
    audio: AudioChoice,
    *,
    no_history: bool,
    theme: str | None,
    reduced_motion: bool,
    skip_caution: bool,
    check_in: bool,
    demo: bool = False,
) -> None:
    from calm.core.trace import trace_from_environment
    from calm.present.catalogue import collect
    from calm.tui.launch import ThemeError, launch

    notices: list[str] = []
    recorder = _recorder(settings, no_history=no_history, notices=notices)
    rows = collect(script_library()) if timeline is None else None
    trace, trace_notice = trace_from_environment()
    if trace_notice:
        notices.append(trace_notice)
    try:
        code = launch(
            timeline=timeline,
            rows=rows,
            settings=settings,
            notices=notices,
            trace=trace,
            audio=audio,
            recorder=recorder,
            theme=theme,
            reduced_motion=reduced_motion,
            skip_caution=skip_caution,
            check_in=check_in,
            demo=demo,
        )
    except ThemeError as error:
        fail(str(error), USAGE_ERROR)
    finally:
        if trace is not None:
            trace.close()
        if recorder is not None:
            # The screen is gone: anything the last writes have to say goes to stderr.
            recorder.notify = tell
            recorder.close()
    if code:
        raise typer.Exit(code)
