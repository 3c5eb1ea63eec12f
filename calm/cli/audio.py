"""``calm audio``: the cues and beds, a test of how calm plays sound, and the cue files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.options import VolumeOption
from calm.cli.output import USAGE_ERROR, echo, fail, tell
from calm.cli.settings import read_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from calm.sound.players import Clip, Player

app = typer.Typer(help="Sound cues and ambient beds.", no_args_is_help=True)


@app.command("list")
def audio_list() -> None:
    """List the sound cues and the ambient beds."""
    from calm.core.cue_names import CUE_DESCRIPTIONS
    from calm.sound.bed_names import BED_NAMES

    echo("cues")
    for name, what in CUE_DESCRIPTIONS.items():
        echo(f"  {name:<8} {what}")
    echo("ambient beds (--ambient NAME)")
    for name in BED_NAMES:
        echo(f"  {name}")


@app.command("test")
def audio_test(
    volume: VolumeOption = None,
    voice: Annotated[
        bool, typer.Option("--voice", help="Speak a line through the speech engine instead.")
    ] = False,
) -> None:
    """Say which way calm plays sound, then play each cue in turn, naming it; with
    --voice, speak one line as a session's voice would."""

    from calm.core.cue_names import CUE_NAMES
    from calm.plain.bell import terminal_bell
    from calm.sound.cues import builtin_cue, clip_of, gain_for
    from calm.sound.players import choose_player, cues_heard, player_notice

    settings = read_settings()
    level = volume if volume is not None else settings.volume
    gain = gain_for(level)
    wrong_player = player_notice()
    if wrong_player:
        tell(wrong_player)
    player = choose_player(terminal_bell())
    heard = cues_heard(player, CUE_NAMES)
    echo(f"Playing through: {player.name}")
    if gain is None:
        echo("The volume is 0, so there is nothing to hear.")
        return
    if not heard:
        echo("No sound device or player was found, so sessions are silent.")
        return
    if voice:
        _speak_test_line(player, level, settings.voice_rate)
        return
    if heard != CUE_NAMES:
        # Only the cues it can play are named: the bell has one sound, not a breath's.
        silent = [name for name in CUE_NAMES if name not in heard]
        echo(
            f"The {player.name} has one sound: it rings for {_and(heard)}, "
            f"and {_and(silent)} are silent."
        )
    for name in heard:
        echo(f"  {name}")
        _play_through(player, clip_of(name, builtin_cue(name), gain))
    player.stop()


@app.command("render")
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
        fail(NEEDS_FOLDER, USAGE_ERROR)
    if target.exists() and not target.is_dir():
        fail(f"{target} is a file; name a folder to write the cues into", USAGE_ERROR)
    try:
        written = render_into(target)
    except OSError as error:
        fail(f"cannot write into {target}: {error.strerror or error}")
    for path in written:
        echo(str(path))


def _speak_test_line(player: Player, volume: int, rate_wpm: int) -> None:
    """Say ``TEST_LINE`` through ``player`` as a session's voice would; with no speech
    engine, one line saying what to install, as a session says it."""

    from calm.sound.players import cues_heard
    from calm.sound.voice import TEST_LINE, speak_line

    said = speak_line(TEST_LINE, volume=volume, rate_wpm=rate_wpm)
    clip = said.clips.get(0)
    if said.notice:
        echo(said.notice)
    if clip is None:
        return
    if not cues_heard(player, (clip.name,)):
        echo(f"The {player.name} cannot speak, so sessions have no voice.")
        return
    echo(f"Speaking through: {said.engine}, at {rate_wpm} words a minute")
    echo(f"  {TEST_LINE}")
    _play_through(player, clip)
    player.stop()


def _play_through(player: Player, clip: Clip) -> None:
    """Play ``clip`` and wait for it to end; a player that fails is one line, exit 1."""
    import time

    from calm.sound.players import PlaybackError

    try:
        player.prepare([clip])
        player.play(clip)
    except PlaybackError as error:
        fail(f"{error}, so sessions will be silent")
    time.sleep(clip.seconds + 0.3)


def _and(words: Sequence[str]) -> str:
    """Words as a list in a sentence: "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
