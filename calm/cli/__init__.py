"""The ``calm`` command line. Each command is thin: the work lives in the modules it calls.

Heavy packages (textual, pydub, simpleaudio) are imported inside the commands
that use them, so ``calm --help`` and ``calm list`` stay quick.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from calm import __version__
from calm.cli.number_option import NumberRange

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from rich.console import Console
    from typer._click import Context

    from calm.config import Settings
    from calm.core.library import Entry, Library
    from calm.core.problems import ScriptError
    from calm.core.script import Category, Script
    from calm.core.timeline import Timeline
    from calm.practice.history import HistoryError, HistoryStore
    from calm.practice.recording import SessionRecorder
    from calm.sound.choice import AudioChoice


class ReaderGone(Exception):
    """Whatever read calm's output went away (``calm list | head -3``)."""


class _CalmGroup(typer.core.TyperGroup):
    """The ``calm`` command group: a closed pipe leaves it as ``ReaderGone``, for
    ``main`` to end quietly, rather than as click's own exit 1."""

    def invoke(self, ctx: Context) -> Any:
        """Run the command, turning a closed pipe into ``ReaderGone``."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError as error:
            raise ReaderGone from error


app = typer.Typer(
    cls=_CalmGroup,
    name="calm",
    help="A quiet place to breathe: timed breathing and unwinding scripts in your terminal.",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

USAGE_ERROR = 2
"""Exit status for something typed wrong, as with any Unix tool."""
TABLE_LIMIT = 20
"""How many sessions ``calm history`` lists unless asked for more."""
NOTED_TITLE_COLUMNS = 60
"""How much of a title ``calm history --note`` quotes in its line."""
MAX_LIMIT = 1_000_000_000
"""The largest ``--limit``; SQLite cannot count past 2**63."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A usable script name, matched whole (``fullmatch``: ``$`` would let a final line break in)."""

MinutesOption = Annotated[
    float | None,
    typer.Option(
        "--minutes",
        "-m",
        parser=NumberRange(0.1, 180),
        metavar="M",
        help="Fit the session to about M minutes, from 0.1 to 180.",
    ),
]
CyclesOption = Annotated[
    int | None,
    typer.Option(
        "--cycles",
        "-c",
        parser=NumberRange(1, 10_000, whole=True),
        metavar="N",
        help="Breathe N breaths in all, from 1 to 10000.",
    ),
]
GentleOption = Annotated[
    bool,
    typer.Option("--gentle", help="Leave out every breath hold, keeping the in and out breaths."),
]
DemoOption = Annotated[
    bool,
    typer.Option(
        "--demo",
        help="For showing calm to someone: no caution, nothing recorded, no check-in, "
        "no tip or word about your week; the config's [demo] table can change this.",
    ),
]


def _typed_text(value: str | None) -> str | None:
    """Text typed on the command line, with any bytes in it that are not UTF-8 as
    "\ufffd": Python hands them over as lone surrogates, which can be neither
    stored nor shown."""
    if value is None:
        return None
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def _echo(text: str = "") -> None:
    """Print a line to stdout, shown safely: it may quote a name, a path or a value."""
    from calm.core.safe_text import shown_safely

    sys.stdout.write(shown_safely(text) + "\n")
    sys.stdout.flush()


def _tell(message: str) -> None:
    """Print a notice on stderr as one line, shown safely, whatever it quotes."""
    from calm.core.safe_text import one_line

    try:
        sys.stderr.write(one_line(message) + "\n")
        sys.stderr.flush()
    except BrokenPipeError:
        _write_nowhere()  # Nobody is reading stderr either: nothing more to say.


def _fail(message: str, code: int = 1) -> NoReturn:
    _tell(f"calm: {message}")
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"calm {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    demo: DemoOption = False,
) -> None:
    """A quiet place to breathe: timed breathing and unwinding scripts in your terminal.

    Run `calm` on its own to choose a script; `calm --demo` to show a few to someone.
    """
    if context.invoked_subcommand is not None:
        if demo:
            _fail(
                "--demo goes with calm on its own, or after start: "
                f"calm start --demo, not calm --demo {context.invoked_subcommand}",
                USAGE_ERROR,
            )
        return
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


@app.command("list")
def list_scripts(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            metavar="C",
            help="Only this category: breathing, unwinding, grounding, reset or demo.",
        ),
    ] = None,
) -> None:
    """List the scripts you can start."""
    from calm.present.catalogue import catalogue_json, catalogue_lines, collect
    from calm.present.table import use_colour, write_lines

    rows = collect(_library(), _category(category) if category is not None else None)
    if as_json:
        for row in rows:
            if row.error is not None:
                _tell(row.error.first_line)
        _echo(json.dumps(catalogue_json(rows), indent=2))
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

    entry, timeline = _compile(script, minutes, cycles, gentle)
    if as_json:
        _echo(json.dumps(timeline_json(entry, timeline), indent=2))
        return
    _console().print(preview(entry, timeline))


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
            _print_problems(error)
            problems += len(error.problems)
            continue
        _echo(f"{shown_name(shown)}: ok ({length_text(compile_timeline(script))})")
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
        _fail(
            f'{quoted(name)} is not a usable name; use letters, digits, "-" or "_", '
            "such as my-evening",
            USAGE_ERROR,
        )
    folder = locations.user_scripts_dirs()[0]
    target = folder / f"{name}.toml"
    if from_script is not None:
        from calm.core.loader import parse_script_bytes, read_script_file
        from calm.core.problems import ScriptError

        entry = _resolve(from_script)
        try:
            # The bytes checked are the bytes copied: only a valid script is ever copied.
            content = read_script_file(entry.path, entry.shown_path)
            parse_script_bytes(content, name=name, source=entry.shown_path, path=entry.path)
        except ScriptError as error:
            _fail(f"{error.first_line} (--from copies only a script that passes calm validate)")
    else:
        content = template_for(name, target).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"cannot make the scripts folder {folder}: {error.strerror or error}")
    try:
        with target.open("xb") as handle:
            handle.write(content)
    except FileExistsError:
        _fail(f"{target} already exists; calm never overwrites a script. Pick another name.")
    except OSError as error:
        _fail(f"cannot write {target}: {error.strerror or error}")
    _echo(str(target))
    hidden = _library().get(name)
    if hidden is not None and hidden.hides:
        _tell(f"It takes the place of the built-in {name}; delete it to get that back.")
    _tell(f"Edit it, then check it with `calm validate {target}` and try `calm start {name}`.")


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
    volume: Annotated[
        int | None,
        typer.Option(
            "--volume",
            parser=NumberRange(0, 100, whole=True),
            metavar="0-100",
            help="Cue volume.",
        ),
    ] = None,
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
        _fail("name a script to start, or run calm in a terminal to choose one", USAGE_ERROR)
    # No script: the screen opens on the picker.
    timeline = _compile(script, minutes, cycles, gentle)[1] if script is not None else None
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


@app.command()
def history(
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            parser=NumberRange(0, MAX_LIMIT, whole=True),
            metavar="N",
            help="The latest N sessions; 0 for all.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            metavar="TEXT",
            help="Add a note to your latest session.",
            callback=lambda value: _typed_text(value),
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Forget every recorded session.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Clear without asking.")] = False,
) -> None:
    """Your recorded sessions, newest first. They never leave this machine."""
    from calm import locations
    from calm.practice.history import HistoryError

    flags = {"--json": as_json, "--csv": as_csv, "--note": note is not None, "--clear": clear}
    chosen = [flag for flag, on in flags.items() if on]
    if len(chosen) > 1:
        _fail(f"{' and '.join(chosen)} cannot be used together", USAGE_ERROR)
    if yes and not clear:
        _fail("--yes only goes with --clear", USAGE_ERROR)
    if limit is not None and (note is not None or clear):
        _fail(f"--limit does not go with {chosen[0]}", USAGE_ERROR)
    recording = _say_if_not_recording()
    store = _history_store(writing=clear or note is not None)
    try:
        if clear:
            _clear_history(store, locations.history_file(), yes=yes)
        elif note is not None:
            _note_latest(store, note)
        else:
            _print_history(store, limit, as_json=as_json, as_csv=as_csv, recording=recording)
    except HistoryError as error:
        _history_failed(store, error)
    finally:
        if store is not None:
            store.close()


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your practice so far: time, streaks, a twelve-week calendar and favourites."""
    from calm.practice.history import HistoryError, MoodTotal, local_now
    from calm.practice.stats import compute, gather

    today = local_now().date()
    recording = _say_if_not_recording()
    store = _history_store()
    if store is None:
        figures = compute([], [], MoodTotal(0, None, None), today)
    else:
        try:
            figures = gather(store, today)
            # Counted nowhere, and said so, as `calm history` says it.
            _say_left_out(store.unreadable())
        except HistoryError as error:
            _history_failed(store, error)
        finally:
            store.close()
    if as_json:
        typer.echo(json.dumps(figures.to_json(), indent=2))
        return
    from calm.cli.stats_view import stats_renderable

    _console().print(stats_renderable(figures, recording=recording))


audio_app = typer.Typer(help="Sound cues and ambient beds.", no_args_is_help=True)
app.add_typer(audio_app, name="audio")


@audio_app.command("list")
def audio_list() -> None:
    """List the sound cues and the ambient beds."""
    from calm.core.cue_names import CUE_DESCRIPTIONS
    from calm.sound.beds import BED_NAMES

    _echo("cues")
    for name, what in CUE_DESCRIPTIONS.items():
        _echo(f"  {name:<8} {what}")
    _echo("ambient beds (--ambient NAME)")
    for name in BED_NAMES:
        _echo(f"  {name}")


@audio_app.command("test")
def audio_test(
    volume: Annotated[
        int | None,
        typer.Option(
            "--volume",
            parser=NumberRange(0, 100, whole=True),
            metavar="0-100",
            help="Cue volume.",
        ),
    ] = None,
) -> None:
    """Say which way calm plays sound, then play each cue in turn, naming it."""
    import time

    from calm.core.cue_names import CUE_NAMES
    from calm.sound.cues import builtin_cue, clip_of, gain_for
    from calm.sound.players import PlaybackError, choose_player, cues_heard

    level = volume if volume is not None else _settings().volume
    gain = gain_for(level)
    player = choose_player(_terminal_bell())
    heard = cues_heard(player, CUE_NAMES)
    _echo(f"Playing through: {player.name}")
    if gain is None:
        _echo("The volume is 0, so there is nothing to hear.")
        return
    if not heard:
        _echo("No sound device or player was found, so sessions are silent.")
        return
    if heard != CUE_NAMES:
        # Only the cues it can play are named: the bell has one sound, not a breath's.
        silent = [name for name in CUE_NAMES if name not in heard]
        _echo(
            f"The {player.name} has one sound: it rings for {_and(heard)}, "
            f"and {_and(silent)} are silent."
        )
    for name in heard:
        clip = clip_of(name, builtin_cue(name), gain)
        _echo(f"  {name}")
        try:
            player.prepare([clip])
            player.play(clip)
        except PlaybackError as error:
            _fail(f"{error}, so sessions will be silent")
        time.sleep(clip.seconds + 0.3)
    player.stop()


@audio_app.command("render")
def audio_render(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="[FOLDER]", help="Where to write; in a source checkout, audio/ by default."
        ),
    ] = None,
) -> None:
    """Synthesize the cue set into WAV files, exactly as calm ships them."""
    from calm import locations
    from calm.sound.write_cues import NEEDS_FOLDER, render_into

    target = folder or locations.source_audio_dir()
    if target is None:
        _fail(NEEDS_FOLDER, USAGE_ERROR)
    if target.exists() and not target.is_dir():
        _fail(f"{target} is a file; name a folder to write the cues into", USAGE_ERROR)
    try:
        written = render_into(target)
    except OSError as error:
        _fail(f"cannot write into {target}: {error.strerror or error}")
    for path in written:
        _echo(str(path))


# -- shared helpers ----------------------------------------------------------


def _settings() -> Settings:
    from calm import locations
    from calm.config import load_settings

    settings, notices = load_settings(locations.config_file())
    for notice in notices:
        _tell(f"calm: {notice}")
    return settings


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

    settings = _settings()
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
    from calm.core.loader import describe_value
    from calm.core.suggest import did_you_mean
    from calm.sound.beds import BED_NAMES
    from calm.sound.choice import AudioChoice

    bed: str | None = ambient if ambient is not None else settings.ambient
    if bed and bed not in BED_NAMES:
        hint = did_you_mean(bed, BED_NAMES)
        beds = ", ".join(BED_NAMES)
        if ambient is not None:
            message = f'no ambient bed "{bed}"' + (f" ({hint})" if hint else "")
            _fail(f"{message}; expected one of {beds}", USAGE_ERROR)
        # From the config: worded by the config's one rule, and no bed, its default.
        advice = f" {hint[:1].upper()}{hint[1:]}" if hint else f" Beds: {beds}."
        _tell(
            f"calm: {locations.config_file()}: ambient: {describe_value(bed)} is not a sound "
            f"bed calm has; using the default, none.{advice}"
        )
        bed = None
    level = volume if volume is not None else settings.volume
    if no_audio or not settings.sound:
        level = 0
    return AudioChoice(volume=level, ambient=bed or None)


def _and(words: Sequence[str]) -> str:
    """Words as a list in a sentence: "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _terminal_bell() -> Callable[[], None] | None:
    if not sys.stdout.isatty():
        return None

    def ring() -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()

    return ring


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
        _tell(message)
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
        _tell(notice)
    sound = None
    if audio.volume:
        from calm.sound.cues import prepare_sound

        sound = prepare_sound(
            timeline,
            volume=audio.volume,
            ambient=audio.ambient,
            trace=trace,
            ring=_terminal_bell(),
            notify=_tell,
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
        _echo()
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
    rows = collect(_library()) if timeline is None else None
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
        _fail(str(error), USAGE_ERROR)
    finally:
        if trace is not None:
            trace.close()
        if recorder is not None:
            # The screen is gone: anything the last writes have to say goes to stderr.
            recorder.notify = _tell
            recorder.close()
    if code:
        raise typer.Exit(code)


def _say_if_not_recording() -> bool:
    """Whether new sessions are recorded; when not, a reminder on stderr."""
    if _settings().history:
        return True
    typer.echo(
        "calm: new sessions are not being recorded (history = false in the config)", err=True
    )
    return False


def _history_store(*, writing: bool = False) -> HistoryStore | None:
    """The history, opened to read (or, ``writing``, to change); None when there is none.

    A damaged history is kept aside, said so in one line, and read as empty. One
    on a full disk or in a read-only file is read, with one line saying why it
    cannot be written. Any other problem exits with one line.
    """
    from calm import locations
    from calm.practice.history import HistoryDamaged, HistoryError, open_existing

    try:
        store = open_existing(locations.history_file(), writing=writing)
    except HistoryDamaged as error:
        _tell(f"calm: {_keep_damaged(error)}")
        return None
    except HistoryError as error:
        _fail(str(error))
    for notice in store.notices if store is not None else []:
        _tell(f"calm: {notice}")
    return store


def _history_failed(store: HistoryStore | None, error: HistoryError) -> NoReturn:
    """One line for a history that failed part way; a damaged one is kept aside first."""
    from calm.practice.history import HistoryDamaged

    if not isinstance(error, HistoryDamaged):
        _fail(str(error))
    if store is not None:
        store.close()
    _fail(_keep_damaged(error))


def _keep_damaged(error: HistoryError) -> str:
    """Move the damaged history aside, and say where it is kept."""
    from calm import locations
    from calm.practice.history import set_aside

    try:
        aside = set_aside(locations.history_file())
    except OSError:
        _fail(str(error))
    return f"the history file is damaged; it is kept as {aside}, and a new one will start"


def _print_history(
    store: HistoryStore | None, limit: int | None, *, as_json: bool, as_csv: bool, recording: bool
) -> None:
    from calm.core.safe_text import shown_safely
    from calm.practice.export import record_json, table_lines, write_csv

    shown = TABLE_LIMIT if limit is None and not (as_json or as_csv) else limit
    left_out: list[str] = []
    records = store.sessions(shown or None, left_out=left_out) if store is not None else []
    _say_left_out(left_out)
    if as_json:
        typer.echo(json.dumps([record_json(record) for record in records], indent=2))
    elif as_csv:
        text = io.StringIO()
        write_csv(records, text)
        # Straight to stdout: typer.echo would drop escape codes from a note in a file.
        # On a terminal, as ls does, control characters show as "?" instead.
        sys.stdout.write(shown_safely(text.getvalue()) if sys.stdout.isatty() else text.getvalue())
    elif not records:
        later = " They will appear here after `calm start`." if recording else ""
        typer.echo(f"No sessions recorded yet.{later}")
    else:
        from calm import locations
        from calm.practice.running_marks import running_rows
        from calm.present.table import write_lines

        unfinished = [record.id for record in records if record.status == "interrupted"]
        running = running_rows(locations.history_file(), unfinished)
        write_lines(table_lines(records, running=running))
        total = store.count() if store is not None else 0
        if len(records) + len(left_out) < total:
            typer.echo(f"The latest {len(records)} of {total}; `calm history --limit 0` shows all.")


def _say_left_out(left_out: list[str]) -> None:
    """One line for each session that cannot be read, which is left out."""
    for problem in left_out:
        # Every other session is still listed: one damaged row never locks the rest away.
        _tell(f"calm: {problem}; it is left out")


def _clear_history(store: HistoryStore | None, path: Path, *, yes: bool) -> None:
    count = store.count() if store is not None else 0
    if not count:
        typer.echo("There are no recorded sessions to clear.")
        _mention_kept_copies(path)
        return
    if not yes:
        if not sys.stdin.isatty():
            _fail("--clear asks before it forgets anything; add --yes to clear without asking")
        which = "the 1 recorded session" if count == 1 else f"all {count} recorded sessions"
        try:
            sure = typer.confirm(f"Forget {which}? This cannot be undone.")
        except typer.Abort:
            sure = False  # Ctrl+C or end of input is a no.
            typer.echo("")
        if not sure:
            typer.echo("Nothing was cleared.")
            return
    assert store is not None
    store.clear()
    typer.echo(f"Cleared {count} {'session' if count == 1 else 'sessions'} from {path}.")
    _mention_kept_copies(path)


def _mention_kept_copies(path: Path) -> None:
    """Clearing never touches the damaged copies calm kept, so say they are there."""
    if any(path.parent.glob(f"{path.name}.corrupt-*")):
        typer.echo(
            f"Damaged history files calm kept earlier are still in {path.parent}; "
            "delete them yourself if you want them gone."
        )


def _note_latest(store: HistoryStore | None, note: str) -> None:
    """Note on the session recorded last: the one just finished, whatever time it carries.

    A session still running in another terminal is passed over for the one before it.
    """
    from calm import locations
    from calm.practice.running_marks import running_rows
    from calm.present.table import shortened

    left_out: list[str] = []
    found = None
    if store is not None:
        recorded = store.latest_recorded(left_out=left_out)
        for record in recorded:
            found = found or record
            if not running_rows(locations.history_file(), [record.id]):
                found = record
                break
        recorded.close()  # done reading before writing
    _say_left_out(left_out)
    if store is None or found is None:
        _fail("there is no session yet to add a note to")
    store.set_note(found.id, note)
    title = shortened(found.title, NOTED_TITLE_COLUMNS)
    session = f"{title}, {found.started_at.strftime('%a %d %b %H:%M')}"
    if note.strip():
        typer.echo(f"Noted on {session}.")
    elif found.note:
        typer.echo(f"Note removed from {session}.")
    else:
        typer.echo(f"There was no note on {session}.")


def _console() -> Console:
    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 itself; calm ends every closed pipe the same way.
            self.quiet = True
            raise ReaderGone

    return QuietConsole(highlight=False)


_told_about_folders: set[str] = set()
"""The scripts-folder notices already said in this run: a command may look twice."""


def _library() -> Library:
    """Every script calm can start; a scripts folder that cannot be read is one line, once."""
    from calm.core.library import Library

    library = Library.discover()
    for notice in library.notices:
        if notice not in _told_about_folders:
            _told_about_folders.add(notice)
            _tell(f"calm: {notice}")
    return library


def _category(value: str) -> Category:
    from calm.core.script import Category
    from calm.core.suggest import did_you_mean

    category = Category.parse(value)
    if category is not None:
        return category
    names = [category.value for category in Category]
    hint = did_you_mean(value.lower(), names)
    _fail(
        f'no category "{value}"; expected one of {", ".join(names)}'
        + (f"; {hint}" if hint else ""),
        USAGE_ERROR,
    )


def _resolve(wanted: str) -> Entry:
    from calm.core.library import UnknownScriptError

    try:
        return _library().resolve(wanted)
    except UnknownScriptError as error:
        _fail(error.message, USAGE_ERROR)


def _compile(
    wanted: str, minutes: float | None, cycles: int | None, gentle: bool
) -> tuple[Entry, Timeline]:
    from calm.core.problems import ScriptError
    from calm.core.timeline import LengthError, LengthOptions, compile_timeline

    entry = _resolve(wanted)
    try:
        script = entry.load()
    except ScriptError as error:
        _print_problems(error)
        if entry.hides:
            hidden = entry.hides[-1].shown_path
            _tell(f"calm: this file hides {hidden}; fix it, or move it away.")
        raise typer.Exit(1) from None
    try:
        options = LengthOptions(minutes=minutes, cycles=cycles, gentle=gentle)
        return entry, compile_timeline(script, options)
    except LengthError as error:
        _fail(str(error), USAGE_ERROR)


def _print_problems(error: ScriptError) -> None:
    for line in error.lines():
        _tell(line)


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
            library = library or _library()
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
    return text.endswith(".toml") or "/" in text or "\\" in text


_OPTION_PROBLEM = r"Invalid value for '(?P<option>--[\w-]+)'(?: / '-\w')?: (?P<problem>must .+)"
"""click's frame around a problem calm's own number type words: the option and the words
are kept, click's "Invalid value for" is dropped."""


def plain_usage(message: str) -> str:
    """A usage error in calm's words: "--minutes must be a number, got 'abc'"."""
    found = re.fullmatch(_OPTION_PROBLEM, message, re.DOTALL)
    return f"{found['option']} {found['problem']}" if found else message


def main() -> None:
    """Run the ``calm`` command, turning every usage error into one line.

    When whatever reads calm's output goes away (``calm list | head -3``, or
    ``| true``), calm stops writing and exits 0, however far it had got: the
    reader chose to stop, and the exit status no longer depends on how much it
    read before it did.
    """
    from calm.cli.streams import prepare_standard_streams

    prepare_standard_streams()
    try:
        code = app(standalone_mode=False)
        # Flushed here, not at exit, so a closed pipe or a full disk is caught below.
        sys.stdout.flush()
    except (BrokenPipeError, ReaderGone):
        _write_nowhere()
        sys.exit(0)
    except typer.TyperException as error:
        message = plain_usage(error.format_message())
        context = getattr(error, "ctx", None)
        # With no arguments, typer has already printed the help and has nothing to add.
        if message:
            hint = ""
            if context is not None and getattr(error, "exit_code", 1) == USAGE_ERROR:
                hint = f" (see `{context.command_path} --help`)"
            _tell(f"calm: {message}{hint}")
        sys.exit(getattr(error, "exit_code", 1))
    except typer.Abort:
        sys.exit(1)
    except Exception as error:
        from calm.crash import OUTPUT_DEVICE_ERRORS, report_exception, write_nowhere

        if isinstance(error, OSError) and error.errno in OUTPUT_DEVICE_ERRORS:
            # A full disk or a failing device is the machine's trouble, not a bug in calm.
            write_nowhere(sys.stdout)
            _tell(f"calm: could not write: {error.strerror}")
            sys.exit(1)
        # The last line of defence: a bug in calm is one line and a log, never a wall of text.
        report_exception(error)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _write_nowhere() -> None:
    """The reader went away: what is left to say goes nowhere, quietly."""
    from calm.crash import write_nowhere

    write_nowhere(sys.stdout, sys.stderr)


if __name__ == "__main__":
    main()
