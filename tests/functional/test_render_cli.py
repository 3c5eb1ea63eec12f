"""``calm render``, end to end: the file it writes, read back; what it says; and every way it
refuses, each in one line with the exit status ``calm show`` would give."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner, Result

from calm.cli import app
from calm.sound import render_file
from calm.sound.pcm import RATE
from tests.support.scripts import tiny_script
from tests.support.terminal import Terminal, tmux_server

QUICK = tiny_script(say="Arrive.", prompt="Open your eyes.")
"""Half a second of session with an untimed prompt in it."""

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CALM_REQUIRE_AUDIO"),
    reason="espeak-ng is not installed (CI installs it and sets CALM_REQUIRE_AUDIO)",
)


def invoke(*args: str) -> Result:
    """Run ``calm ARGS`` in-process, stdout and stderr apart."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def run_calm(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``calm`` in a subprocess, its output piped."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        cwd=cwd,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def quick(tmp_path: Path) -> Path:
    """The tiny script with a prompt, as a file."""
    path = tmp_path / "quick.toml"
    path.write_text(QUICK, encoding="utf-8")
    return path


@pytest.mark.slow  # real work: seconds of encoding
def test_box_for_ten_minutes_to_mp3_lasts_ten_minutes(tmp_path: Path) -> None:
    """`calm render box --minutes 10 -o x.mp3` writes ten minutes of box breathing,
    with the end chime after them, tagged, and says where, how long and how big."""
    target = tmp_path / "x.mp3"
    result = invoke("render", "box", "--minutes", "10", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    info = soundfile.info(str(target))
    assert info.samplerate == RATE and info.channels == 1
    assert 10 * 60 <= info.frames / RATE <= 10 * 60 + 15
    assert result.stdout.startswith(f"{target} (10 min")
    assert re.fullmatch(r".* \(10 min \d+ s, \d+ kB\)\n", result.stdout)
    with soundfile.SoundFile(target) as back:
        assert (back.title, back.album) == ("Box breathing", "box")
        assert back.comment.startswith("10 min")
    assert result.stderr == ""


def test_the_length_options_shape_the_file(tmp_path: Path) -> None:
    """--cycles and --gentle shape the file as they shape a session."""
    short, gentle = tmp_path / "short.flac", tmp_path / "gentle.flac"
    assert invoke("render", "box", "--cycles", "2", "-o", str(short)).exit_code == 0
    assert invoke("render", "box", "--cycles", "2", "--gentle", "-o", str(gentle)).exit_code == 0
    # 8 s, two breaths of 16 s, 8 s, then the chime; gentle breaths have no holds.
    assert 48 < soundfile.info(str(short)).duration < 48 + 5
    assert 32 < soundfile.info(str(gentle)).duration < 32 + 5


def test_a_prompt_that_waits_is_given_a_length_and_says_so(quick: Path, tmp_path: Path) -> None:
    """A prompt with no time limit lasts 10 s, or --prompt-seconds, said in one line."""
    first, second = tmp_path / "a.wav", tmp_path / "b.wav"
    result = invoke("render", str(quick), "-o", str(first))
    assert result.exit_code == 0
    assert result.stderr == (
        "calm: the prompt that waits for you lasts 10 s in the file (--prompt-seconds)\n"
    )
    again = invoke("render", str(quick), "-o", str(second), "--prompt-seconds", "2.5")
    assert "lasts 2.5 s in the file" in again.stderr
    gained = soundfile.info(str(first)).frames - soundfile.info(str(second)).frames
    assert gained == 7.5 * RATE


def test_an_extension_calm_cannot_write_names_those_it_can(tmp_path: Path) -> None:
    """An unknown extension is one line naming the file and the formats, exit 2."""
    result = invoke("render", "box", "-o", str(tmp_path / "box.aiff"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"calm: {tmp_path / 'box.aiff'} is not a sound file calm writes; "
        "name one ending in .wav, .flac, .mp3, .ogg or .oga\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_list_formats_says_what_this_install_writes() -> None:
    """--list-formats lists each format with its extensions."""
    result = invoke("render", "--list-formats")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "WAV (.wav)",
        "FLAC (.flac)",
        "MP3 (.mp3)",
        "Ogg Vorbis (.ogg, .oga)",
    ]


def test_a_file_already_there_is_kept_without_force(tmp_path: Path) -> None:
    """An existing file is never replaced without --force; with it, it is."""
    target = tmp_path / "box.wav"
    target.write_bytes(b"mine")
    refused = invoke("render", "box", "--cycles", "1", "-o", str(target))
    assert refused.exit_code == 1
    assert refused.stderr == f"calm: {target} already exists; add --force to replace it\n"
    assert target.read_bytes() == b"mine"
    forced = invoke("render", "box", "--cycles", "1", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert soundfile.info(str(target)).format == "WAV"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_folder_by_the_file_s_name_is_refused_before_mixing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named like a sound file cannot be replaced, even with --force: one line
    at once, exit 1, rather than after the whole session is mixed."""
    folder = tmp_path / "box.mp3"
    folder.mkdir()

    def never(*args: object, **kwargs: object) -> int:
        raise AssertionError("mixed for a file that cannot be written")

    monkeypatch.setattr(render_file, "write_file", never)
    for force in ([], ["--force"]):
        result = invoke("render", "box", "--cycles", "1", "-o", str(folder), *force)
        assert result.exit_code == 1
        assert result.stderr == f"calm: {folder} is a folder; name a file to write\n"
    assert folder.is_dir() and list(tmp_path.iterdir()) == [folder]


def test_a_folder_that_is_not_there_is_named(tmp_path: Path) -> None:
    """A missing folder is one line naming it, exit 1."""
    result = invoke("render", "box", "-o", str(tmp_path / "gone" / "box.wav"))
    assert result.exit_code == 1
    assert result.stderr == f"calm: there is no folder {tmp_path / 'gone'}\n"


def test_a_folder_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    """A folder calm may not write in is one line naming it and why, exit 1; so is one
    where no file can be made at all, such as /proc, which says "no such file"."""
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    # root may write in any folder of its own, but in neither of these.
    folders = [Path("/sys"), Path("/proc")] if os.geteuid() == 0 else [folder]
    for folder in folders:
        result = invoke("render", "box", "--cycles", "1", "-o", str(folder / "box.wav"))
        assert result.exit_code == 1
        assert result.stderr.startswith(f"calm: cannot write in {folder}: ")
        assert len(result.stderr.splitlines()) == 1


def test_a_file_name_too_long_or_strange_is_one_safe_line(tmp_path: Path) -> None:
    """A name longer than the file system allows is one line, exit 1; a name with an
    escape sequence in it is written, and shown with the escape hidden."""
    too_long = invoke("render", "box", "-o", str(tmp_path / ("a" * 300 + ".wav")))
    assert too_long.exit_code == 1
    assert too_long.stderr.endswith(".wav: File name too long\n")
    strange = tmp_path / "red\x1b[31m.wav"
    result = invoke("render", "box", "--cycles", "1", "-o", str(strange))
    assert result.exit_code == 0 and strange.exists()
    assert result.stdout.startswith(f"{tmp_path}/red?[31m.wav (")


@pytest.mark.parametrize("args", [["nosuch"], ["bad.toml"]], ids=["unknown", "invalid"])
def test_a_script_is_refused_as_calm_show_refuses_it(args: list[str], tmp_path: Path) -> None:
    """A script that does not exist or is invalid gets calm show's lines and status."""
    (tmp_path / "bad.toml").write_text('title = "Broken"\nsummary = 3\n', encoding="utf-8")
    named = [str(tmp_path / arg) if arg.endswith(".toml") else arg for arg in args]
    shown = invoke("show", *named)
    rendered = invoke("render", *named, "-o", str(tmp_path / "out.wav"))
    assert (rendered.exit_code, rendered.stderr) == (shown.exit_code, shown.stderr)
    assert shown.exit_code in (1, 2) and shown.stderr
    assert not (tmp_path / "out.wav").exists()


def test_volume_zero_is_refused(tmp_path: Path) -> None:
    """A file of silence helps nobody: --volume 0 is one line, exit 2."""
    result = invoke("render", "box", "--volume", "0", "-o", str(tmp_path / "box.wav"))
    assert result.exit_code == 2
    assert (
        result.stderr == "calm: a file at volume 0 would be silence; give --volume from 1 to 100\n"
    )


def test_a_config_with_the_sound_off_needs_a_volume(tmp_path: Path) -> None:
    """`sound = false` in the config silences sessions; a render says so and asks for
    a volume, and with one typed it renders."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("sound = false\n", encoding="utf-8")
    target = tmp_path / "box.wav"
    refused = invoke("render", "box", "-o", str(target))
    assert refused.exit_code == 2
    assert "your config turns the sound off" in refused.stderr
    assert (
        invoke("render", "box", "--cycles", "1", "--volume", "50", "-o", str(target)).exit_code == 0
    )


def test_an_unknown_bed_is_refused_as_start_refuses_it(tmp_path: Path) -> None:
    """--ambient takes the beds calm start takes, with its words."""
    result = invoke("render", "box", "--ambient", "rain", "-o", str(tmp_path / "box.wav"))
    assert result.exit_code == 2
    assert result.stderr.startswith('calm: no ambient bed "rain"')


def test_a_script_and_a_file_are_needed() -> None:
    """With no script or no file, one line says what to give, exit 2."""
    for args in (["render"], ["render", "box"]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("calm: name a script and the file to write")


def test_wav_goes_down_a_pipe_and_nothing_extra_is_printed(tmp_path: Path) -> None:
    """`-o -` writes WAV to standard output; piped, stderr has only the closing line."""
    result = run_calm("render", "box", "--cycles", "1", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout[:4] == b"RIFF"
    (tmp_path / "piped.wav").write_bytes(result.stdout)
    info = soundfile.info(str(tmp_path / "piped.wav"))
    assert info.frames == (len(result.stdout) - 44) // 2
    assert result.stderr.decode().splitlines() == [
        f"calm: wrote WAV to standard output ({info.duration:.0f} s, "
        f"{len(result.stdout) / 1_000_000:.1f} MB)"
    ]


def test_a_long_render_to_a_pipe_prints_only_its_last_line(tmp_path: Path) -> None:
    """A render of a second or more with its output piped shows no progress: stdout has
    the one closing line and stderr nothing."""
    result = run_calm("render", "box", "--minutes", "10", "-o", "box.ogg", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout.decode().startswith("box.ogg (10 min")
    assert len(result.stdout.decode().splitlines()) == 1


@pytest.mark.slow  # real work: seconds of encoding
def test_a_long_render_on_a_terminal_shows_its_progress(tmp_path: Path) -> None:
    """On a terminal, a render that takes seconds shows a progress bar while it works,
    and leaves only the closing line."""
    with tmux_server("render", folder=tmp_path) as socket:
        terminal = Terminal(socket, "calm")
        terminal.run("render", "box", "--minutes", "10", "-o", "box.mp3")
        terminal.wait_for(lambda screen: "Writing box.mp3" in screen and "%" in screen)
        assert terminal.exit_status() == 0
        screen = terminal.screen()
    assert "box.mp3 (10 min" in screen
    assert "Writing box.mp3" not in screen


@needs_espeak
def test_the_voice_speaks_in_the_file(tmp_path: Path) -> None:
    """--voice mixes the spoken steps in, the first from its start; the file lasts as long."""
    plain, spoken = tmp_path / "plain.wav", tmp_path / "spoken.wav"
    script = tmp_path / "words.toml"
    script.write_text(tiny_script(say="Let your shoulders drop.", say_seconds=4), encoding="utf-8")
    assert invoke("render", str(script), "-o", str(plain)).exit_code == 0
    result = invoke("render", str(script), "--voice", "-o", str(spoken))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    without, with_voice = soundfile.read(plain)[0], soundfile.read(spoken)[0]
    assert len(without) == len(with_voice)
    voice = np.flatnonzero(np.abs(with_voice - without) > 0.01)
    assert len(voice) and voice[0] < RATE // 2


def test_with_no_speech_engine_the_file_is_written_without_the_voice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No engine: one line says what to install, and the file has the cues alone."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    target = tmp_path / "box.wav"
    result = invoke("render", "box", "--cycles", "1", "--voice", "-o", str(target))
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 1
    assert "espeak-ng" in result.stderr
    assert target.exists()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_ctrl_c_mid_render_leaves_no_file(tmp_path: Path, stop: signal.Signals) -> None:
    """Interrupted halfway through writing (Ctrl+C, a kill, the terminal closing), calm
    exits 128 and the signal's number and leaves no file, whole or half, under either
    name."""
    render = subprocess.Popen(
        [sys.executable, "-m", "calm", "render", "box", "--minutes", "10", "-o", "box.mp3"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not any(path.stat().st_size > 50_000 for path in tmp_path.glob(".calm-render-*")):
        assert time.monotonic() < deadline and render.poll() is None, "no render under way"
        time.sleep(0.02)
    render.send_signal(stop)
    _, stderr = render.communicate(timeout=30)
    assert render.returncode == 128 + stop, stderr
    assert list(tmp_path.iterdir()) == []
