"""The voice through a real espeak-ng: each line said once and kept, a damaged kept line
said again, every line fitted before the next cue is over, and a session that goes on
in silence, with one line, when there is no engine or it fails or hangs."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from calm import locations
from calm.cli import app
from calm.core.length_plan import LengthOptions
from calm.core.loader import load_script
from calm.core.timeline import Timeline, compile_timeline
from calm.sound import speech_engine
from calm.sound import voice as voice_module
from calm.sound.cues import Speaking, prepare_sound
from calm.sound.pcm import RATE
from calm.sound.soundtrack import Soundtrack, segment_starts
from calm.sound.speech_engine import Engine
from calm.sound.voice import (
    FASTEST_SHARE,
    NO_ENGINE,
    TEST_LINE,
    line_rooms,
    make_voice,
    prune,
    speak_line,
)
from calm.sound.voice_lines import spoken_lines
from tests.support.sound import RecordingPlayer
from tests.support.tui import make_timeline

HAS_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(
    not HAS_ESPEAK and not os.environ.get("CALM_REQUIRE_AUDIO"),
    reason="espeak-ng is not installed (sudo apt-get install espeak-ng)",
)
"""Away from CI a machine without espeak-ng skips these; .ci/run sets CALM_REQUIRE_AUDIO
and installs espeak-ng, so there a missing engine fails instead."""

SLEEP = shutil.which("sleep", path=os.defpath)
"""A command that takes its time, for an engine that hangs."""
YES = shutil.which("yes", path=os.defpath)
"""A command that writes for ever, for an engine that floods its error output."""
UNTIMED_MS = 20_000
"""How long a prompt that waits for the user lasts here, as a rendered file gives it."""


def cue_lengths() -> dict[str, float]:
    """How long each built-in cue lasts, in seconds, read from the shipped files."""
    lengths = {}
    for path in locations.builtin_audio_dir().glob("*.wav"):
        with wave.open(str(path)) as sound:
            lengths[path.stem] = sound.getnframes() / sound.getframerate()
    return lengths


def body_scan() -> Timeline:
    script = load_script(locations.builtin_scripts_dir() / "body-scan.toml")
    return compile_timeline(script, LengthOptions())


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Every command the speech engine is run with, in order."""
    runs: list[list[str]] = []
    real = subprocess.Popen

    def counted(command: list[str], *args: Any, **kwargs: Any) -> Any:
        runs.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counted)
    yield runs


def fake_engine(folder: Path, body: str) -> None:
    """An ``espeak-ng`` on ``folder`` that runs the shell ``body`` instead of speaking."""
    folder.mkdir(exist_ok=True)
    engine = folder / "espeak-ng"
    engine.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    engine.chmod(engine.stat().st_mode | stat.S_IXUSR)


def sounding(samples: np.ndarray[Any, Any]) -> bool:
    return bool(np.abs(samples.astype(np.int32)).max(initial=0) > 30)


@needs_espeak
def test_a_line_is_said_slowly_at_the_cue_rate_and_the_volume() -> None:
    said = speak_line(TEST_LINE, volume=70)
    assert said.notice is None and said.engine == "espeak-ng"
    clip = said.clips[0]
    assert clip.rate == RATE and clip.name == "voice"
    assert 1.0 < clip.seconds < 4.0
    louder = speak_line(TEST_LINE, volume=100).clips[0]
    quiet = np.abs(np.frombuffer(clip.pcm, "<i2")).max()
    loud = np.abs(np.frombuffer(louder.pcm, "<i2")).max()
    assert loud * 0.6 < quiet < loud * 0.8  # 70 is 3 dB down
    assert loud < 32767 * 0.71  # speech peaks at -3 dBFS at most
    faster = speak_line(TEST_LINE, volume=70, rate_wpm=220).clips[0]
    assert faster.seconds < clip.seconds * 0.8


@needs_espeak
def test_each_line_is_said_once_and_then_read_back(engine_runs: list[list[str]]) -> None:
    """The first session says each distinct line once; the next runs no engine at all and
    hears the same sound, byte for byte."""
    timeline = make_timeline()
    lines = spoken_lines(timeline)
    first = make_voice(timeline, volume=70, cue_lengths=cue_lengths())
    assert first.notice is None
    assert set(first.clips) == set(lines)
    assert len(engine_runs) == len(set(lines.values()))
    engine_runs.clear()
    again = make_voice(timeline, volume=70, cue_lengths=cue_lengths())
    assert engine_runs == []
    assert again.clips == first.clips
    # Any volume is served by the same kept lines.
    make_voice(timeline, volume=30, cue_lengths=cue_lengths())
    assert engine_runs == []


@needs_espeak
def test_a_damaged_kept_line_is_said_again(engine_runs: list[list[str]]) -> None:
    first = speak_line(TEST_LINE, volume=70)
    (kept,) = locations.voice_cache_dir().glob("*.wav")
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF
    kept.write_bytes(bytes(data))
    engine_runs.clear()
    again = speak_line(TEST_LINE, volume=70)
    assert len(engine_runs) == 1
    assert again.clips == first.clips
    engine_runs.clear()
    speak_line(TEST_LINE, volume=70)
    assert engine_runs == []  # made whole again


@needs_espeak
def test_the_engine_never_reads_the_words_as_options(engine_runs: list[list[str]]) -> None:
    """Words starting with "-" are spoken: they reach the engine in a file, never as
    arguments, and SSML is never switched on."""
    said = speak_line("-w /tmp/elsewhere.wav -m --stdout", volume=70)
    assert said.notice is None and said.clips[0].seconds > 1.0
    (command,) = engine_runs
    assert "-m" not in command and "--stdout" not in command
    assert command[-2] == "-f" and Path(command[-1]).name == "line.txt"


@needs_espeak
def test_every_line_of_a_body_scan_is_over_before_the_next_cue_is(tmp_path: Path) -> None:
    """In a body scan's soundtrack each spoken line starts with its step and is silent
    again by the next cue's onset plus that cue's own length."""
    timeline = body_scan()
    lengths = cue_lengths()
    voice = make_voice(timeline, volume=70, untimed_ms=UNTIMED_MS, cue_lengths=lengths)
    assert voice.notice is None
    lines = spoken_lines(timeline)
    assert set(voice.clips) == set(lines)
    rooms = line_rooms(timeline, untimed_ms=UNTIMED_MS, cue_lengths=lengths)
    track = Soundtrack(timeline, {}, rate=RATE, untimed_ms=UNTIMED_MS, voice=voice.clips)
    samples = track.samples(0, track.length)
    starts = segment_starts(timeline, untimed_ms=UNTIMED_MS)
    voiced = sorted(voice.clips)
    for index, after in zip(voiced, [*voiced[1:], None], strict=True):
        start = starts[index] * RATE // 1000
        room = rooms[index]
        assert room is not None
        assert sounding(samples[start : start + RATE // 5]), lines[index]
        assert not sounding(samples[start - RATE // 100 : start]), lines[index]
        over = start + round(room.limit * RATE)
        silent_until = starts[after] * RATE // 1000 if after is not None else len(samples)
        assert not sounding(samples[over:silent_until]), lines[index]


@needs_espeak
def test_a_line_too_long_for_its_step_is_said_faster_then_faded_at_its_limit(
    engine_runs: list[list[str]],
) -> None:
    steps = """
[[steps]]
say = "Let your whole body settle, from the crown of your head to the soles of your feet."
seconds = 3.5

[[steps]]
say = "Notice, one by one and without hurrying at all, each of the places where your body meets the chair, the floor, the air around it, and the clothes that you are wearing today."
seconds = 1.5
"""  # noqa: E501
    timeline = make_timeline(steps)
    lengths = {"step": 0.5, "end": 1.0}
    rooms = line_rooms(timeline, cue_lengths=lengths)
    voice = make_voice(timeline, volume=70, cue_lengths=lengths)
    assert voice.notice is None
    rates = [int(command[command.index("-s") + 1]) for command in engine_runs]
    assert rates[0] == 135 and rates[2] == 135
    assert 135 < rates[1] <= 135 * FASTEST_SHARE and rates[3] == int(135 * FASTEST_SHARE)
    fitted, cut = voice.clips[0], voice.clips[1]
    first_room, second_room = rooms[0], rooms[1]
    assert first_room is not None and second_room is not None
    assert fitted.seconds <= first_room.target
    assert len(cut.pcm) // 2 == int(second_room.limit * RATE)
    tail = np.frombuffer(cut.pcm, "<i2")[-20:]
    assert np.abs(tail).max() < 300  # faded, not chopped


@needs_espeak
def test_every_breath_named_even_when_it_is_short() -> None:
    """Quick breaths have their names said quickly; none overruns its limit, and a phase
    too short to hold a word says nothing."""
    steps = """
[[steps]]
breathe = "Quick."
pattern = "0.2-0.1-0.2"
cycles = 3
"""
    timeline = make_timeline(steps)
    lengths = cue_lengths()
    voice = make_voice(timeline, volume=70, phases="every", cue_lengths=lengths)
    rooms = line_rooms(timeline, cue_lengths=lengths)
    assert voice.notice is None and voice.clips
    for index, clip in voice.clips.items():
        room = rooms[index]
        assert room is not None and clip.seconds <= room.limit + 1 / RATE
    # A 0.2 s breath in with a 0.15 s tick after it has no room; the rest have some.
    assert sorted(voice.clips) == [1, 2, 4, 5, 7, 8]


def test_with_no_engine_the_voice_is_one_line_and_the_session_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    voice = make_voice(make_timeline(), volume=70)
    assert voice.clips == {} and voice.notice == NO_ENGINE
    assert "espeak-ng" in NO_ENGINE and "\n" not in NO_ENGINE


def test_with_no_volume_nothing_is_said(engine_runs: list[list[str]]) -> None:
    voice = make_voice(make_timeline(), volume=0)
    assert voice.clips == {} and voice.notice is None and engine_runs == []


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("printf '\\033]0;owned\\007broken voice data\\n' >&2; exit 3", "failed (status 3)"),
        ('while [ "$1" != -w ]; do shift; done; printf "RIFF junk" > "$2"', "cannot read"),
        ("exit 0", "wrote no sound"),
        (f"exec {SLEEP} 30", "took over 0.5 s"),
        # A flood of errors is stopped at once, not written on into /tmp until the timeout.
        (f"exec {YES} flood >&2", "wrote too much for one line"),
    ],
)
def test_an_engine_that_fails_costs_its_lines_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, said: str
) -> None:
    """A failing, lying or hanging engine: every line is silent, one line says why, its
    own words shown safely, and nothing waits longer than the time allowed a line."""
    fake_engine(tmp_path / "bin", body)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(speech_engine, "LINE_TIMEOUT", 0.5)
    voice = make_voice(make_timeline("[[steps]]\nsay = 'Hello.'\nseconds = 2\n"), volume=70)
    assert voice.clips == {}
    assert voice.notice is not None and said in voice.notice
    assert voice.notice.startswith("calm: the voice could not say a line")
    assert "\x1b" not in voice.notice and "\x07" not in voice.notice


def test_a_session_waits_for_its_voice_only_so_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_runs: list[list[str]]
) -> None:
    """A live session cannot begin before its voice is made: a hanging engine is given up
    on after the session's wait, not the far longer time a single line may take."""
    fake_engine(tmp_path / "bin", f"exec {SLEEP} 30")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(speech_engine, "LINE_TIMEOUT", 20.0)
    monkeypatch.setattr(voice_module, "SESSION_WAIT_SECONDS", 0.5)
    sound = prepare_sound(
        make_timeline(),
        volume=70,
        ambient=None,
        trace=None,
        ring=None,
        notify=(said := []).append,
        voice=Speaking(135, "first"),
    )
    sound.stop()
    assert len(engine_runs) == 1
    notices = [notice for notice in said if "voice" in notice]
    assert len(notices) == 1 and "took over 0.5 s to say a line" in notices[0]


def test_an_engine_is_found_in_order_and_say_only_on_macos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bin"
    for name in ("say", "espeak", "spd-say"):
        fake_engine(folder, "exit 0")
        (folder / "espeak-ng").rename(folder / name)
    monkeypatch.setenv("PATH", str(folder))
    found: Callable[[str], Engine | None] = speech_engine.find_engine
    assert (found("linux") or pytest.fail("none")).name == "espeak"
    assert (found("darwin") or pytest.fail("none")).name == "espeak"
    (folder / "espeak").unlink()
    assert found("linux") is None  # spd-say cannot write a file
    assert (found("darwin") or pytest.fail("none")).name == "say"


def test_the_cache_keeps_the_most_recently_used_lines(tmp_path: Path) -> None:
    for number in range(5):
        path = tmp_path / f"{number}.wav"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1000 + number, 1000 + number))
    (tmp_path / "other.txt").write_bytes(b"x" * 5000)
    prune(tmp_path, 2500)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["3.wav", "4.wav", "other.txt"]


def audio_test_voice(monkeypatch: pytest.MonkeyPatch, player: RecordingPlayer) -> Result:
    """``calm audio test --voice`` through ``player``, without the pauses between sounds."""
    monkeypatch.setattr("calm.sound.players.choose_player", lambda *args, **kwargs: player)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    return CliRunner().invoke(app, ["audio", "test", "--voice"])


@needs_espeak
def test_audio_test_speaks_a_line_through_the_player(monkeypatch: pytest.MonkeyPatch) -> None:
    player = RecordingPlayer()
    result = audio_test_voice(monkeypatch, player)
    assert result.exit_code == 0, result.output
    assert "Speaking through: espeak-ng, at 135 words a minute" in result.output
    assert TEST_LINE in result.output
    assert player.played == ["voice"]


def test_audio_test_with_no_engine_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As with no sound device: one line, and no failure, since nothing is broken."""
    monkeypatch.setenv("PATH", str(tmp_path))
    player = RecordingPlayer()
    result = audio_test_voice(monkeypatch, player)
    assert result.exit_code == 0, result.output
    assert NO_ENGINE in result.output
    assert player.played == []


def test_an_engine_that_hangs_is_waited_for_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_runs: list[list[str]]
) -> None:
    """A session of many lines waits for a hanging engine once, not once a line."""
    fake_engine(tmp_path / "bin", f"exec {SLEEP} 30")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(speech_engine, "LINE_TIMEOUT", 0.5)
    voice = make_voice(make_timeline(), volume=70)
    assert voice.clips == {} and len(engine_runs) == 1
    lines = len(set(spoken_lines(make_timeline()).values()))
    assert voice.notice is not None
    assert voice.notice.startswith(f"calm: the voice could not say {lines} lines")


@needs_espeak
def test_a_line_that_cannot_be_said_faster_is_said_at_its_own_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the slow rate works: a long line is said at it and cut, with no notice, since
    nothing is missing."""
    real = shutil.which("espeak-ng")
    fake_engine(tmp_path / "bin", f'case "$*" in *"-s 135 "*) exec {real} "$@";; esac; exit 4')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    timeline = make_timeline("[[steps]]\nsay = 'One two three four five six.'\nseconds = 0.8\n")
    voice = make_voice(timeline, volume=70, cue_lengths={"end": 0.5})
    assert voice.notice is None
    assert len(voice.clips[0].pcm) // 2 == int(1.3 * RATE)


@needs_espeak
def test_a_cache_folder_that_cannot_be_written_costs_only_the_keeping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    said = speak_line(TEST_LINE, volume=70)
    assert said.notice is None and said.clips[0].seconds > 1.0


def test_no_room_for_the_engine_to_work_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.TemporaryDirectory", full)
    monkeypatch.setattr("calm.sound.voice.find_engine", lambda: Engine("espeak-ng", "/x", "1"))
    said = speak_line(TEST_LINE, volume=70)
    assert said.clips == {}
    assert said.notice == "calm: no voice: no room to make it (No space left on device)"
