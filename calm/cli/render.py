"""``calm render``: a whole session's sound written to a file to take home.

The session's timeline is built as ``calm show`` and ``calm start`` build it, its
soundtrack mixed a second at a time, and the file written by
``calm.sound.render_file`` under a temporary name and renamed into place once
whole. Nothing heavy is imported until the command runs: ``calm --help`` joins
this module too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.number_option import NumberRange
from calm.cli.options import CyclesOption, GentleOption, MinutesOption, VoiceOption, VolumeOption
from calm.cli.output import USAGE_ERROR, echo, fail, tell

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from calm.core.library import Entry
    from calm.core.timeline import Timeline
    from calm.practice.options import SessionOptions
    from calm.sound.render_file import FileFormat
    from calm.sound.soundtrack import Soundtrack

DEFAULT_PROMPT_SECONDS = 10.0
"""How long a prompt that waits for the user lasts in a file, unless told otherwise."""
TO_STDOUT = "-"
"""``-o -``: WAV on standard output, for a pipe."""

app = typer.Typer()


@app.command()
def render(
    script: Annotated[
        str | None,
        typer.Argument(
            metavar="SCRIPT", help="A script name, or a path to a .toml file.", show_default=False
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write; its extension chooses the format: .wav, .flac, .mp3 or "
            ".ogg. - writes WAV to standard output.",
        ),
    ] = None,
    minutes: MinutesOption = None,
    cycles: CyclesOption = None,
    gentle: GentleOption = False,
    ambient: Annotated[
        str | None,
        typer.Option("--ambient", metavar="NAME", help="A sound bed: pink, brown or ocean."),
    ] = None,
    volume: VolumeOption = None,
    voice: VoiceOption = False,
    prompt_seconds: Annotated[
        float,
        typer.Option(
            "--prompt-seconds",
            parser=NumberRange(1, 600),
            metavar="S",
            help="How long a prompt that waits for you lasts in the file: 10 s, or S "
            "from 1 to 600.",
            show_default=False,
        ),
    ] = DEFAULT_PROMPT_SECONDS,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    list_formats: Annotated[
        bool, typer.Option("--list-formats", help="Say which formats this install can write.")
    ] = False,
) -> None:
    """Write a session's sound to a file to take home: its cues, its bed, its voice."""
    if list_formats:
        _list_formats()
        return
    if script is None or output is None:
        fail(
            "name a script and the file to write, such as: calm render box -o box.mp3", USAGE_ERROR
        )
    kind = _format_of(output)
    if volume == 0:
        fail("a file at volume 0 would be silence; give --volume from 1 to 100", USAGE_ERROR)
    from calm.cli.script_lookup import compile_script

    entry, timeline = compile_script(script, minutes, cycles, gentle)
    options = _sound_options(ambient, volume, voice)
    target = None if output == TO_STDOUT else Path(output)
    if target is not None:
        _check_target(target, force=force)
    untimed_ms = _prompt_ms(timeline, prompt_seconds)
    from calm.practice.take_home import session_soundtrack

    track = session_soundtrack(timeline, options, untimed_ms=untimed_ms, tell=tell)
    from calm.practice.signals import ENDING_SIGNALS, handling

    try:
        # A kill or a closing terminal stops the render as Ctrl+C does, so the half
        # written file is removed on the way out rather than left behind.
        with handling(ENDING_SIGNALS, _stop):
            if target is None:
                _to_stdout(track)
                return
            size = _write(track, target, kind, _tags(entry, timeline, track), force=force)
    except _Stopped as stopped:
        raise typer.Exit(128 + stopped.signum) from None
    from calm.core.safe_text import shown_name

    echo(f"{shown_name(str(target))} ({_length(track)}, {_size_text(size)})")


class _Stopped(BaseException):
    """A signal that ends calm arrived mid-render; a BaseException, as Ctrl+C is, so
    that nothing on the way out mistakes it for a failure to write."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _list_formats() -> None:
    """``--list-formats``: each format this install writes, and each it cannot."""
    from calm.sound.render_file import FORMATS, RenderError, writable_formats

    try:
        writable = writable_formats()
    except RenderError as error:
        fail(str(error))
    for kind in FORMATS:
        if kind in writable:
            echo(kind.shown)
    missing = [kind.name for kind in FORMATS if kind not in writable]
    if missing:
        tell(f"calm: this install's libsndfile cannot write {', '.join(missing)}")


def _format_of(output: str) -> FileFormat:
    """The format ``output``'s extension chooses (WAV for ``-``); exit 2 for one this
    install cannot write, naming the ones it can."""
    from calm.sound.render_file import FORMATS, RenderError, format_for, writable_formats

    kind = FORMATS[0] if output == TO_STDOUT else format_for(output)
    try:
        writable = writable_formats()
    except RenderError as error:
        fail(str(error))
    if kind is None or kind not in writable:
        *others, last = [suffix for each in writable for suffix in each.suffixes]
        choices = f"{', '.join(others)} or {last}" if others else last
        fail(f"{output} is not a sound file calm writes; name one ending in {choices}", USAGE_ERROR)
    if output == TO_STDOUT and sys.stdout.isatty():
        fail("-o - writes sound to standard output, not to a terminal: add > FILE.wav", USAGE_ERROR)
    return kind


def _sound_options(ambient: str | None, volume: int | None, voice: bool) -> SessionOptions:
    """The volume, the bed and the voice, from the flags over the config, as
    ``calm start`` takes them; a typed volume holds even where the config turns
    sessions' sound off, and with neither there is nothing to render, as a file of
    silence helps nobody."""
    from dataclasses import replace

    from calm.cli.starting import session_options
    from calm.practice.options import SessionFlags

    flags = SessionFlags(ambient=ambient, volume=volume, voice=voice)
    options = session_options(flags, screen=False)
    level = volume if volume is not None else options.volume
    if not level:
        fail(
            "your config turns the sound off, so the file would be silent; "
            "give --volume from 1 to 100 to render it anyway",
            USAGE_ERROR,
        )
    return replace(options, volume=level)


def _check_target(target: Path, *, force: bool) -> None:
    """Before any mixing, the file is checked as it will be written: a name already
    taken without ``--force``, a folder by that name (never replaced), or a folder
    that is not there or cannot be written in, is one line, exit 1."""
    import stat

    from calm.sound.render_file import RenderError, already_there, check_folder

    try:
        status = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        pass  # free to write, if its folder is there: checked next
    except OSError as error:  # a name too long, say
        fail(f"cannot write {target}: {error.strerror or error}")
    else:
        if stat.S_ISDIR(status.st_mode):
            fail(f"{target} is a folder; name a file to write")
        if not force:
            fail(already_there(target))
    try:
        check_folder(target)
    except RenderError as error:
        fail(str(error))


def _prompt_ms(timeline: Timeline, seconds: float) -> int:
    """How long each prompt that waits for the user lasts in the file, said in one line
    when there is such a prompt."""
    from calm.present.measures import seconds_text

    waiting = sum(1 for segment in timeline.segments if segment.untimed)
    shown = seconds_text(seconds)
    if waiting == 1:
        tell(f"calm: the prompt that waits for you lasts {shown} in the file (--prompt-seconds)")
    elif waiting:
        tell(
            f"calm: the {waiting} prompts that wait for you last {shown} each in the file "
            "(--prompt-seconds)"
        )
    return round(seconds * 1000)


def _tags(entry: Entry, timeline: Timeline, track: Soundtrack) -> dict[str, str]:
    """The file's title, album (the script's name) and comment (its length)."""
    return {
        "title": timeline.script.title,
        "album": entry.name,
        "comment": f"{_length(track)}, {entry.name}, rendered by calm",
    }


def _write(
    track: Soundtrack, target: Path, kind: FileFormat, tags: dict[str, str], *, force: bool
) -> int:
    """Write the file, with a progress bar on a terminal for a render that takes a
    while; the size written. What stops it is one line, exit 1."""
    from calm.sound.render_file import RenderError, Tags, write_file

    with _ProgressBar(target.name) as progress:
        try:
            return write_file(track, target, kind, Tags(**tags), replace=force, progress=progress)
        except RenderError as error:
            fail(str(error))
        except OSError as error:
            fail(f"cannot write {target}: {error.strerror or error}")
        except RuntimeError as error:  # libsndfile's own errors
            fail(f"cannot write {target}: {error}")


def _to_stdout(track: Soundtrack) -> None:
    """``-o -``: WAV down the pipe, and the line saying what was written on stderr."""
    from calm.sound.render_file import write_wav_stream

    with _ProgressBar("standard output") as progress:
        size = write_wav_stream(track, sys.stdout.buffer, progress=progress)
    sys.stdout.flush()
    tell(f"calm: wrote WAV to standard output ({_length(track)}, {_size_text(size)})")


class _ProgressBar:
    """A rich progress bar on stderr, shown only on a terminal and only once a render
    looks like taking more than about a second: piped, nothing extra is printed."""

    SHOW_AFTER = 0.25
    """Seconds of rendering before the time it will take is judged."""
    WORTH_SHOWING = 1.0
    """A render expected to take longer than this many seconds shows its progress."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._terminal = sys.stderr.isatty()

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, done: int, total: int) -> None:
        """``done`` samples of ``total`` are written."""
        if not self._terminal:
            return
        if self._bar is None:
            elapsed = time.monotonic() - self._started
            if elapsed < self.SHOW_AFTER or elapsed * total / max(done, 1) < self.WORTH_SHOWING:
                return
            self._start(total)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.markup import escape
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

        from calm.core.safe_text import one_line

        self._bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True, highlight=False),
            transient=True,
        )
        # The file's name is outside data, and rich would read a "[" in it as markup.
        self._task = self._bar.add_task(escape(f"Writing {one_line(self._what)}"), total=total)
        self._bar.start()


def _length(track: Soundtrack) -> str:
    """How long the file plays, as people say it."""
    from calm.present.measures import duration_text

    return duration_text(track.length / track.rate)


def _size_text(size: int) -> str:
    """A file's size to two figures, such as "860 kB" or "3.3 MB"."""
    from calm.core.safe_read import size_text

    return size_text(int(float(f"{size:.2g}")))
