"""Players and the session's sound: which backend is chosen, how cues follow a session, and
that sound never breaks one."""

from __future__ import annotations

import array
import collections
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import types
import warnings
import wave
from pathlib import Path
from typing import Any

import pytest

from calm.core.clock import ManualClock
from calm.core.cue_names import CUE_NAMES
from calm.core.loader import parse_script_bytes
from calm.core.problems import ScriptError
from calm.core.session import SessionOutcome, SessionRunner, Status
from calm.core.timeline import Timeline, compile_timeline
from calm.core.trace import TraceWriter
from calm.sound.cues import SessionSound, cue_names, load_clips
from calm.sound.players import (
    BellPlayer,
    Clip,
    CommandPlayer,
    PlaybackError,
    SilentPlayer,
    SimpleaudioPlayer,
    choose_player,
)
from tests.support.scripts import HEADER

CP = shutil.which("cp")
SLEEP = shutil.which("sleep")
"""Found before any test narrows PATH: the fake players call them by full path."""
START = 100.0
"""Where the hand-set clock starts, so that clock readings and session times differ."""
TICK = 0.25
"""How far the hand-set clock moves between polls; every boundary below falls on a tick."""

SCRIPT = """
[[steps]]
say = "Settle"
seconds = 2

[[steps]]
breathe = "Breathe"
cycles = 2
pattern = [
    { phase = "inhale", seconds = 2 },
    { phase = "hold_in", seconds = 1 },
    { phase = "exhale", seconds = 2 },
    { phase = "hold_out", seconds = 1 },
]

[[steps]]
say = "Done"
seconds = 2
"""
"""A 2 s say (0-2), two 6 s breaths of 2 in, 1 hold, 2 out, 1 hold (2-14), a 2 s say (14-16)."""
SCRIPT_CUES = [
    (0.0, "step"),
    (2.0, "inhale"),
    (4.0, "hold"),
    (5.0, "exhale"),
    (7.0, "hold"),
    (8.0, "inhale"),
    (10.0, "hold"),
    (11.0, "exhale"),
    (13.0, "hold"),
    (14.0, "step"),
    (16.0, "end"),
]
"""When each of SCRIPT's cues is due, in seconds since the start, by default."""


# -- helpers -------------------------------------------------------------------------------------


def fake_command(folder: Path, name: str, body: str = "exit 0") -> Path:
    """An executable shell script called ``name`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def clip(name: str = "inhale", count: int = 400, rate: int = 22050) -> Clip:
    """A short clip of a recognisable ramp of samples."""
    samples = array.array("h", ((index * 37) % 2000 - 1000 for index in range(count)))
    if sys.byteorder == "big":
        samples.byteswap()
    return Clip(name=name, pcm=samples.tobytes(), rate=rate)


def write_wav(path: Path, samples: list[int], rate: int = 8000) -> bytes:
    """A 16-bit mono WAV file; the frames written."""
    frames = array.array("h", samples)
    if sys.byteorder == "big":
        frames.byteswap()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.tobytes())
    return frames.tobytes()


def timeline_of(body: str, folder: Path | None = None) -> Timeline:
    """The timeline of a script; written into ``folder`` when given, so cue files resolve."""
    data = (HEADER + body).encode()
    path = None
    if folder is not None:
        path = folder / "t.toml"
        path.write_bytes(data)
    return compile_timeline(parse_script_bytes(data, name="t", source="t.toml", path=path))


def clips_for(timeline: Timeline) -> dict[str, Clip]:
    """A small clip for every cue the timeline may play."""
    return {name: clip(name, count=10) for name in cue_names(timeline)}


class RecordingPlayer:
    """A player that only writes down what it is asked to do."""

    name = "recording"

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    @property
    def played(self) -> list[str]:
        """The clips played, by name, in order."""
        return [name for action, name in self.log if action == "play"]

    def prepare(self, clips: list[Clip]) -> None:
        """Note each clip prepared."""
        self.log += [("prepare", item.name) for item in clips]

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Note the clip."""
        self.log.append(("play", clip.name))

    def loop(self, clip: Clip) -> None:
        """Note the bed."""
        self.log.append(("loop", clip.name))

    def stop_loop(self) -> None:
        """Nothing to stop."""

    def hold(self, held: bool) -> None:
        """Nothing to hold."""

    def settle(self, timeout: float) -> None:
        """Nothing to wait for."""

    def stop(self) -> None:
        """Nothing to stop."""


class FailingPlayer(RecordingPlayer):
    """A player whose device goes away after ``works`` clips, raising ``error``."""

    def __init__(self, works: int, error: Exception | None = None) -> None:
        super().__init__()
        self.works = works
        self.error = error or PlaybackError("the device went away")
        self.attempts = 0

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Play, or fail once the device is gone."""
        self.attempts += 1
        if self.attempts > self.works:
            raise self.error
        super().play(clip)

    def loop(self, clip: Clip) -> None:
        """The device refuses beds."""
        self.attempts += 1
        raise self.error


def run_to_end(runner: SessionRunner, clock: ManualClock, limit: float = 600.0) -> None:
    """Start the session and move the clock a tick at a time until it ends."""
    runner.start()
    while runner.running and clock.now() - START < limit:
        clock.advance(TICK)
        runner.poll()


def cue_records(trace: io.StringIO) -> list[dict[str, Any]]:
    """The cue events in a trace."""
    records = [json.loads(line) for line in trace.getvalue().splitlines()]
    return [record for record in records if record["event"] == "cue"]


@pytest.fixture
def no_simpleaudio(monkeypatch: pytest.MonkeyPatch) -> None:
    """``import simpleaudio`` fails, as when it is not installed."""
    monkeypatch.setitem(sys.modules, "simpleaudio", None)


# -- choosing a player ---------------------------------------------------------------------------


@pytest.mark.usefixtures("no_simpleaudio")
@pytest.mark.parametrize("command", ["paplay", "pw-play", "aplay", "afplay"])
def test_a_system_player_on_path_is_used(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without simpleaudio, a system player on PATH plays, named by its command."""
    fake_command(tmp_path / "bin", command)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    player = choose_player(lambda: None)
    assert isinstance(player, CommandPlayer)
    assert player.name == command


@pytest.mark.usefixtures("no_simpleaudio")
@pytest.mark.parametrize(
    ("commands", "chosen"),
    [
        (("aplay", "paplay"), "paplay"),
        (("afplay", "aplay", "pw-play", "paplay"), "paplay"),
        (("afplay", "aplay", "pw-play"), "pw-play"),
        (("afplay", "aplay"), "aplay"),
    ],
)
def test_system_players_are_tried_in_order(
    commands: tuple[str, ...], chosen: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """paplay comes first, then pw-play, aplay and afplay, whatever else is on PATH."""
    for command in commands:
        fake_command(tmp_path / "bin", command)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert choose_player().name == chosen


@pytest.mark.usefixtures("no_simpleaudio")
def test_system_players_are_looked_for_along_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each PATH folder is searched, and a file that cannot be run is passed over."""
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "paplay").write_text("#!/bin/sh\n")  # not executable
    found = fake_command(tmp_path / "second", "aplay")
    monkeypatch.setenv("PATH", os.pathsep.join([str(tmp_path / "first"), str(found.parent)]))
    player = choose_player()
    assert isinstance(player, CommandPlayer)
    assert player.name == "aplay"


@pytest.mark.usefixtures("no_simpleaudio")
@pytest.mark.parametrize("path", ["", "empty"], ids=["no-path", "empty-folder"])
def test_the_bell_when_there_is_no_player(
    path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing on PATH and a terminal to ring, the bell stands in, ringing through ``ring``."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / path) if path else "")
    rings: list[None] = []
    player = choose_player(lambda: rings.append(None))
    assert isinstance(player, BellPlayer)
    player.play(clip("step"))
    assert len(rings) == 1


@pytest.mark.usefixtures("no_simpleaudio")
@pytest.mark.parametrize("path", ["", "empty"], ids=["no-path", "empty-folder"])
def test_silence_when_there_is_nothing_at_all(
    path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing on PATH and no terminal bell, calm stays silent."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / path) if path else "")
    assert isinstance(choose_player(None), SilentPlayer)


def test_simpleaudio_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When simpleaudio can be imported it plays, even with system players on PATH."""
    monkeypatch.setitem(sys.modules, "simpleaudio", types.ModuleType("simpleaudio"))
    fake_command(tmp_path / "bin", "paplay")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    player = choose_player(lambda: None)
    assert isinstance(player, SimpleaudioPlayer)
    assert player.name == "simpleaudio"


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (
            "Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory",
            "no sound device could be opened",
        ),
        ("Error opening PCM device. -- CODE: -16 -- MSG: Device or resource busy", "busy"),
        ("Something else entirely", "Something else entirely"),
    ],
    ids=["no-device", "busy", "other"],
)
def test_simpleaudio_errors_become_playback_errors_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, raised: str, said: str
) -> None:
    """simpleaudio gets the clip as 16-bit mono; its own errors come out as PlaybackError,
    with ALSA's codes put into words."""
    calls: list[tuple[object, ...]] = []

    def play_buffer(*args: object) -> None:
        calls.append(args)
        raise RuntimeError(raised)

    fake = types.ModuleType("simpleaudio")
    fake.play_buffer = play_buffer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "simpleaudio", fake)
    sound = clip("step", rate=22050)
    with pytest.raises(PlaybackError) as failed:
        SimpleaudioPlayer().play(sound)
    assert said in str(failed.value)
    assert "CODE" not in str(failed.value)
    assert calls == [(sound.pcm, 1, 2, 22050)]


# -- the system player ---------------------------------------------------------------------------


def test_command_player_plays_the_clip_as_a_wav_file(tmp_path: Path) -> None:
    """The system player is run on a WAV file holding exactly the clip's samples."""
    copy = tmp_path / "heard.wav"
    command = fake_command(tmp_path / "bin", "aplay", f'{CP} "$1" "{copy}"')
    player = CommandPlayer(str(command))
    sound = clip("exhale", count=1000, rate=16000)
    player.prepare([sound])
    player.play(sound)
    player.settle(10.0)
    with wave.open(str(copy), "rb") as heard:
        assert (heard.getnchannels(), heard.getsampwidth(), heard.getframerate()) == (1, 2, 16000)
        assert heard.readframes(heard.getnframes()) == sound.pcm


def test_command_player_writes_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prepare writes a WAV file per clip; playing again reuses the file without rewriting it."""
    written: list[str] = []
    original = Clip.wav

    def counting(self: Clip) -> bytes:
        written.append(self.name)
        return original(self)

    monkeypatch.setattr(Clip, "wav", counting)
    log = tmp_path / "played.txt"
    command = fake_command(tmp_path / "bin", "aplay", f'printf \'%s\\n\' "$1" >> "{log}"')
    player = CommandPlayer(str(command))
    inhale, exhale = clip("inhale"), clip("exhale")
    player.prepare([inhale, exhale])
    assert written == ["inhale", "exhale"]
    player.play(inhale)
    player.play(exhale)
    player.play(inhale)
    player.settle(10.0)
    assert written == ["inhale", "exhale"]
    # The three players run side by side, so their lines may come in any order.
    files = collections.Counter(log.read_text().splitlines())
    assert sorted((Path(file).name, count) for file, count in files.items()) == [
        ("exhale.wav", 1),
        ("inhale.wav", 2),
    ]


def test_command_player_does_not_wait_for_the_sound(tmp_path: Path) -> None:
    """play returns at once, although the system player takes two seconds."""
    command = fake_command(tmp_path / "bin", "aplay", f"exec {SLEEP} 2")
    player = CommandPlayer(str(command))
    sound = clip("step")
    player.prepare([sound])
    try:
        began = time.monotonic()
        player.play(sound)
        took = time.monotonic() - began
    finally:
        player.stop()
    assert took < 1.0


def test_command_player_that_cannot_run_raises_playback_error(tmp_path: Path) -> None:
    """A system player that has gone missing is a PlaybackError, not an OSError."""
    player = CommandPlayer(str(tmp_path / "gone" / "aplay"))
    with pytest.raises(PlaybackError):
        player.play(clip("step"))


# -- the terminal bell ---------------------------------------------------------------------------


def test_bell_rings_only_for_step_and_end() -> None:
    """The bell rings for the step and end cues; breath cues, files and beds stay silent."""
    rings: list[None] = []
    player = BellPlayer(lambda: rings.append(None))
    rung = []
    for name in (*CUE_NAMES, "bell.wav"):
        before = len(rings)
        player.play(clip(name))
        if len(rings) > before:
            rung.append(name)
    player.loop(clip("step"))
    assert rung == ["step", "end"]
    assert len(rings) == 2


# -- the session's sound -------------------------------------------------------------------------


def test_cues_follow_the_session() -> None:
    """Say steps ring "step", each phase plays its cue, and a finished session ends "end"."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    run_to_end(runner, clock)
    assert runner.status is Status.COMPLETED
    assert player.played == [name for _, name in SCRIPT_CUES]


def test_clips_are_prepared_before_the_first_cue() -> None:
    """Every clip is handed to the player to prepare before anything plays."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    clips = clips_for(timeline)
    sound = SessionSound(player, clips, timeline=timeline)
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    prepared = [name for action, name in player.log[: len(clips)] if action == "prepare"]
    assert sorted(prepared) == sorted(clips)
    assert player.log[len(clips)] == ("play", "step")


def test_the_bed_waits_for_the_session_to_begin() -> None:
    """A bed handed over early loops only from the session's first moment, and only once."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, bed=clip("ambient pink"))
    assert ("loop", "ambient pink") not in player.log
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    loops = [entry for entry in player.log if entry[0] == "loop"]
    assert loops == [("loop", "ambient pink")]
    assert player.log.index(("loop", "ambient pink")) < player.log.index(("play", "step"))


def test_a_bed_that_arrives_late_loops_at_once_under_a_session_under_way() -> None:
    """A bed made after the rest of the sound joins a running session as it arrives."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    runner.start()
    assert ("loop", "ambient pink") not in player.log
    sound.bed_arrived(clip("ambient pink"))
    assert player.log[-1] == ("loop", "ambient pink")


def test_a_bed_that_arrives_early_waits_for_the_first_moment() -> None:
    """A late-made bed that still comes before the session begins waits for it, as a bed
    handed over with the sound does."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    sound.bed_arrived(clip("ambient pink"))
    assert ("loop", "ambient pink") not in player.log
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    assert [entry for entry in player.log if entry[0] == "loop"] == [("loop", "ambient pink")]
    assert player.log.index(("loop", "ambient pink")) < player.log.index(("play", "step"))


@pytest.mark.parametrize("how", ["ended", "stopped"])
def test_a_bed_that_arrives_after_the_session_never_plays(how: str) -> None:
    """A bed still being made when its session ended, or its sound was stopped, stays silent."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    if how == "ended":
        runner.start()
        runner.finish()
    else:
        sound.stop()
    sound.bed_arrived(clip("ambient pink"))
    assert not [entry for entry in player.log if entry[0] == "loop"]


def test_a_plain_check_in_is_answered_before_the_bed_begins() -> None:
    """With --ambient and --check-in, the question is asked in quiet; the bed comes after."""
    from calm.plain.runner import run_plain
    from calm.practice.options import SessionOptions
    from calm.practice.service import Practice

    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, bed=clip("ambient pink"))
    heard_at_question: list[tuple[str, str]] = []

    def check_in() -> int:
        heard_at_question.extend(player.log)
        return 3

    clock = ManualClock(START)
    practice = Practice(SessionOptions(volume=70), make_sound=lambda *_: sound)
    practice.prepare_sound(timeline)  # as the plain view does, before its opening lines
    run_plain(
        timeline,
        practice,
        out=io.StringIO(),
        stdin=io.StringIO(),
        clock=clock,
        sleep=clock.advance,
        check_in=check_in,
    )
    assert heard_at_question and ("loop", "ambient pink") not in heard_at_question
    assert ("loop", "ambient pink") in player.log


def test_cue_events_are_traced() -> None:
    """Each cue is written to the trace as {"event": "cue", "name", "t"} at its boundary."""
    timeline = timeline_of(SCRIPT)
    trace = io.StringIO()
    sound = SessionSound(
        RecordingPlayer(), clips_for(timeline), timeline=timeline, trace=TraceWriter(trace)
    )
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    records = cue_records(trace)
    assert [set(record) for record in records] == [{"event", "name", "t"}] * len(SCRIPT_CUES)
    assert [record["name"] for record in records] == [name for _, name in SCRIPT_CUES]
    for record, (due, _) in zip(records, SCRIPT_CUES, strict=True):
        assert record["t"] == pytest.approx(due, abs=0.5)
        assert record["t"] >= due


def test_a_script_can_name_its_own_cues(tmp_path: Path) -> None:
    """A step's or a phase's own cue, built in or a file, plays instead of the usual one."""
    write_wav(tmp_path / "chime.wav", [0, 1000, 0, -1000] * 50)
    timeline = timeline_of(
        """
[[steps]]
say = "Settle"
seconds = 1
cue = "chime.wav"

[[steps]]
breathe = "Breathe"
cue = "hold"
cycles = 1
pattern = [
    { phase = "inhale", seconds = 1, cue = "exhale" },
    { phase = "exhale", seconds = 1 },
    { phase = "hold_out", seconds = 1, cue = "chime.wav" },
]
""",
        tmp_path,
    )
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    assert player.played == ["chime.wav", "hold", "exhale", "exhale", "chime.wav", "end"]


@pytest.mark.parametrize("ending", ["finish", "next_step"])
def test_no_end_cue_when_the_session_is_cut_short(ending: str) -> None:
    """Ending a session early, by finishing or by skipping past the last step, plays no end cue."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    runner.start()
    clock.advance(3.0)
    runner.poll()
    if ending == "finish":
        runner.finish()
    else:
        runner.next_step()  # into the last step
        runner.next_step()  # past it
    assert runner.status is Status.ENDED_EARLY
    assert "end" not in player.played
    assert player.played[:2] == ["step", "inhale"]


def test_end_cue_after_a_closing_prompt() -> None:
    """Moving on from a closing prompt completes the session, so the end cue plays."""
    timeline = timeline_of('[[steps]]\nsay = "a"\nseconds = 1\n\n[[steps]]\nprompt = "Ready?"\n')
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    runner.start()
    clock.advance(2.0)
    runner.poll()
    runner.continue_prompt()
    assert runner.status is Status.COMPLETED
    assert player.played == ["step", "step", "end"]


def test_muted_plays_nothing_until_unmuted() -> None:
    """While muted no cue plays or is traced; unmuting brings the cues back."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    trace = io.StringIO()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, trace=TraceWriter(trace))
    assert sound.toggle_mute() is True
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    runner.start()
    clock.advance(13.5)
    runner.poll()
    assert player.played == []
    assert cue_records(trace) == []
    assert sound.toggle_mute() is False
    while runner.running:
        clock.advance(TICK)
        runner.poll()
    assert player.played == ["step", "end"]
    assert [record["name"] for record in cue_records(trace)] == ["step", "end"]


def test_a_cue_that_could_not_be_loaded_is_skipped() -> None:
    """A cue with no clip is passed over quietly; the others still play."""
    timeline = timeline_of(SCRIPT)
    clips = clips_for(timeline)
    del clips["hold"]
    player = RecordingPlayer()
    sound = SessionSound(player, clips, timeline=timeline)
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    assert player.played == [name for _, name in SCRIPT_CUES if name != "hold"]


def test_a_failing_device_silences_the_session_with_one_notice() -> None:
    """A device failing mid-session: the session runs on, one notice, later cues silent."""
    timeline = timeline_of(SCRIPT)
    player = FailingPlayer(works=2)
    notices: list[str] = []
    trace = io.StringIO()
    sound = SessionSound(
        player,
        clips_for(timeline),
        timeline=timeline,
        trace=TraceWriter(trace),
        notify=notices.append,
    )
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    run_to_end(runner, clock)
    assert runner.status is Status.COMPLETED
    assert player.played == ["step", "inhale"]
    assert player.attempts == 3
    assert isinstance(sound.player, SilentPlayer)
    assert len(notices) == 1
    assert "\n" not in notices[0]
    assert [record["name"] for record in cue_records(trace)][:2] == ["step", "inhale"]


def test_a_player_bug_silences_the_session_with_one_notice() -> None:
    """A player's own error, not a PlaybackError, also gives one notice and silence."""
    timeline = timeline_of(SCRIPT)
    player = FailingPlayer(works=1, error=RuntimeError("player bug"))
    notices: list[str] = []
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, notify=notices.append)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    run_to_end(runner, clock)
    assert runner.status is Status.COMPLETED
    assert player.played == ["step"]
    assert player.attempts == 2
    assert len(notices) == 1


def test_a_bed_the_device_refuses_silences_the_session_with_one_notice() -> None:
    """A bed that cannot be played turns sound off with one notice; the cues then stay quiet."""
    timeline = timeline_of(SCRIPT)
    player = FailingPlayer(works=100)
    notices: list[str] = []
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, notify=notices.append)
    sound.play_bed(clip("ambient pink"))
    clock = ManualClock(START)
    run_to_end(SessionRunner(timeline, clock, listeners=[sound]), clock)
    assert len(notices) == 1
    assert player.played == []
    assert isinstance(sound.player, SilentPlayer)


def test_a_player_bug_in_the_bed_silences_the_session_with_one_notice() -> None:
    """A player's own error starting a bed turns sound off with one notice, not a raise."""
    timeline = timeline_of(SCRIPT)
    player = FailingPlayer(works=100, error=RuntimeError("player bug"))
    notices: list[str] = []
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, notify=notices.append)
    sound.play_bed(clip("ambient pink"))
    assert len(notices) == 1
    assert isinstance(sound.player, SilentPlayer)


class UnpreparedPlayer(RecordingPlayer):
    """A player that cannot get its clips ready, as when its temporary folder is full."""

    def prepare(self, clips: list[Clip]) -> None:
        """Fail as a full disk does."""
        raise OSError(28, "No space left on device")


def test_a_player_that_cannot_prepare_leaves_the_session_silent() -> None:
    """A player that fails to prepare its clips gives one notice and a silent session."""
    timeline = timeline_of(SCRIPT)
    notices: list[str] = []
    sound = SessionSound(
        UnpreparedPlayer(), clips_for(timeline), timeline=timeline, notify=notices.append
    )
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    run_to_end(runner, clock)
    assert runner.status is Status.COMPLETED
    assert len(notices) == 1
    assert isinstance(sound.player, SilentPlayer)


# -- loading clips -------------------------------------------------------------------------------


def test_a_wav_cue_next_to_the_script_is_loaded(tmp_path: Path) -> None:
    """cue = "bell.wav" loads the file beside the script, unchanged at volume 100."""
    frames = write_wav(tmp_path / "bell.wav", [0, 3000, 6000, 3000, 0, -3000, -6000, -3000] * 20)
    timeline = timeline_of('[[steps]]\nsay = "a"\nseconds = 1\ncue = "bell.wav"\n', tmp_path)
    clips, notices = load_clips(timeline, 100)
    assert notices == []
    assert set(clips) == {"bell.wav", "step", "end"}
    assert clips["bell.wav"].pcm == frames
    assert clips["bell.wav"].rate == 8000


def test_volume_scales_the_clips(tmp_path: Path) -> None:
    """At volume 50 a cue's samples are half what they are at 100."""
    write_wav(tmp_path / "bell.wav", [0, 3000, 6000, 3000, 0, -3000, -6000, -3000] * 20)
    timeline = timeline_of('[[steps]]\nsay = "a"\nseconds = 1\ncue = "bell.wav"\n', tmp_path)
    loud = array.array("h", load_clips(timeline, 100)[0]["bell.wav"].pcm)
    soft = array.array("h", load_clips(timeline, 50)[0]["bell.wav"].pcm)
    assert len(loud) == len(soft)
    assert all(abs(quiet - full / 2) <= 1 for quiet, full in zip(soft, loud, strict=True))


def not_sound_cue(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Timeline:
    """A script whose cue ``name`` is a compressed file that is not sound, with no
    ffmpeg on PATH to fall back on."""
    (tmp_path / name).write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00not really sound")
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return timeline_of(f'[[steps]]\nsay = "a"\nseconds = 1\ncue = "{name}"\n', tmp_path)


@pytest.mark.parametrize("name", ["x.mp3", "x.ogg"])
def test_a_compressed_cue_that_is_not_sound_says_so(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compressed cue that is not sound: no clip, one line naming it."""
    timeline = not_sound_cue(name, tmp_path, monkeypatch)
    clips, notices = load_clips(timeline, 100)
    assert name not in clips
    assert set(clips) == {"step", "end"}
    assert len(notices) == 1
    assert "\n" not in notices[0]
    assert f"{name} cannot be decoded as sound" in notices[0]


@pytest.mark.parametrize("name", ["x.mp3", "x.ogg"])
def test_a_compressed_cue_without_miniaudio_or_ffmpeg_says_so(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With neither miniaudio nor ffmpeg: no clip, one line saying what is needed."""
    timeline = not_sound_cue(name, tmp_path, monkeypatch)
    monkeypatch.setitem(sys.modules, "miniaudio", None)
    monkeypatch.delitem(sys.modules, "calm.sound.decode", raising=False)
    clips, notices = load_clips(timeline, 100)
    assert name not in clips
    assert len(notices) == 1
    assert "\n" not in notices[0]
    assert name in notices[0]
    assert "miniaudio or ffmpeg" in notices[0]


def test_an_unreadable_wav_cue_is_a_validation_error(tmp_path: Path) -> None:
    """A .wav cue that is not sound is a script problem that names the file."""
    (tmp_path / "broken.wav").write_bytes(b"this is not a wave file")
    with pytest.raises(ScriptError, match=r"broken\.wav"):
        timeline_of('[[steps]]\nsay = "a"\nseconds = 1\ncue = "broken.wav"\n', tmp_path)


@pytest.mark.filterwarnings("ignore:Couldn't find")
def test_a_wav_cue_spoilt_after_checking_is_named(tmp_path: Path) -> None:
    """A .wav cue spoilt after checking gives no clip and one line naming the file."""
    write_wav(tmp_path / "broken.wav", [0, 100, 0, -100] * 10)
    timeline = timeline_of('[[steps]]\nsay = "a"\nseconds = 1\ncue = "broken.wav"\n', tmp_path)
    (tmp_path / "broken.wav").write_bytes(b"this is not a wave file")
    clips, notices = load_clips(timeline, 100)
    assert "broken.wav" not in clips
    assert len(notices) == 1
    assert "broken.wav" in notices[0]
    assert "\n" not in notices[0]


def write_chunky_wav(path: Path, samples: list[int], extra_chunks: int = 10) -> bytes:
    """A valid 16-bit mono WAV file with metadata chunks between its format and its data,
    as recorders and editors write them; the frames written."""
    frames = array.array("h", samples)
    if sys.byteorder == "big":
        frames.byteswap()
    pcm = frames.tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    for _ in range(extra_chunks):
        body += b"JUNK" + struct.pack("<I", 4) + b"    "
    body += b"data" + struct.pack("<I", len(pcm)) + pcm
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return pcm


CHUNKY_SCRIPT = '[[steps]]\nsay = "a"\nseconds = 1\ncue = "chunky.wav"\n'


def test_a_wav_with_metadata_chunks_passes_validation(tmp_path: Path) -> None:
    """A WAV file with metadata chunks before its data is a valid cue."""
    frames = write_chunky_wav(tmp_path / "chunky.wav", [0, 2000, 0, -2000] * 50)
    timeline = timeline_of(CHUNKY_SCRIPT, tmp_path)
    assert timeline.spans[0].step.cue == "chunky.wav"
    with wave.open(str(tmp_path / "chunky.wav"), "rb") as sound:
        assert sound.readframes(sound.getnframes()) == frames


@pytest.mark.filterwarnings("ignore:Couldn't find")
def test_a_wav_with_metadata_chunks_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid WAV cue with metadata chunks loads as its frames, without ffmpeg."""
    frames = write_chunky_wav(tmp_path / "chunky.wav", [0, 2000, 0, -2000] * 50)
    timeline = timeline_of(CHUNKY_SCRIPT, tmp_path)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    clips, notices = load_clips(timeline, 100)
    assert notices == []
    assert clips["chunky.wav"].pcm == frames


def test_no_pydub_warning_while_loading_a_cue_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading a cue file raises no pydub warning about ffmpeg or ffprobe."""
    write_chunky_wav(tmp_path / "chunky.wav", [0, 2000, 0, -2000] * 50)
    timeline = timeline_of(CHUNKY_SCRIPT, tmp_path)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_clips(timeline, 100)
    assert [str(item.message) for item in caught if "Couldn't find" in str(item.message)] == []


def test_volume_zero_loads_nothing(tmp_path: Path) -> None:
    """At volume 0 no clip is loaded and nothing is reported, not even a cue that would fail."""
    (tmp_path / "x.mp3").write_bytes(b"not sound")
    timeline = timeline_of('[[steps]]\nsay = "a"\nseconds = 1\ncue = "x.mp3"\n', tmp_path)
    assert load_clips(timeline, 0) == ({}, [])


# -- pydub's warning -----------------------------------------------------------------------------


def run_calm(args: list[str], home: Path, bin_folder: Path) -> subprocess.CompletedProcess[str]:
    """calm in a fresh interpreter that shows every warning, with no ffmpeg on PATH."""
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": str(bin_folder),
        "PYTHONWARNINGS": "default",
    }
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def quiet_home(isolated_home: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A home whose ALSA default device writes to a file, a PATH folder with no ffmpeg in it,
    and a tiny script."""
    (isolated_home / ".asoundrc").write_text(
        "pcm.!default {\n"
        "    type file\n"
        '    slave.pcm "null"\n'
        f'    file "{tmp_path / "out.raw"}"\n'
        '    format "raw"\n'
        "    truncate false\n"
        "}\n"
    )
    (tmp_path / "bin").mkdir()
    script = tmp_path / "tiny.toml"
    script.write_text(HEADER + '[[steps]]\nsay = "Rest"\nseconds = 0.3\n')
    return isolated_home, tmp_path / "bin", script


CALM_RUNS = {
    "audio-list": ["audio", "list"],
    "no-audio": ["start", "SCRIPT", "--plain", "--no-audio"],
    "audio": ["start", "SCRIPT", "--plain"],
}
"""calm commands run with every warning on: one that never touches sound, a session with
sound off, and a session with sound on, whose cues go to ALSA's file plugin."""


RUN_PARAMS = [
    pytest.param(run, marks=pytest.mark.slow) if run == "audio" else run for run in CALM_RUNS
]
"""The runs, the one with sound among the slow tests: its end chime rings out in real time."""


@pytest.mark.parametrize("run", RUN_PARAMS)
def test_pydub_ffmpeg_warning_never_shows(run: str, quiet_home: tuple[Path, Path, Path]) -> None:
    """With every warning on and no ffmpeg, calm runs and its stderr never mentions ffmpeg."""
    home, bin_folder, script = quiet_home
    args = [str(script) if arg == "SCRIPT" else arg for arg in CALM_RUNS[run]]
    result = run_calm(args, home, bin_folder)
    assert result.returncode == 0, result.stderr
    assert "ffmpeg" not in result.stderr
    assert "Couldn't find" not in result.stderr


@pytest.mark.parametrize("run", RUN_PARAMS)
def test_no_warning_reaches_stderr(run: str, quiet_home: tuple[Path, Path, Path]) -> None:
    """With every warning on and no ffmpeg, calm's stderr holds no Warning of any kind."""
    home, bin_folder, script = quiet_home
    args = [str(script) if arg == "SCRIPT" else arg for arg in CALM_RUNS[run]]
    result = run_calm(args, home, bin_folder)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr


def test_an_eight_bit_wav_cue_keeps_its_level(tmp_path: Path) -> None:
    """An 8-bit WAV (unsigned samples) loads as a quiet sine centred on zero, not noise."""
    import math
    import wave

    from calm.sound.cues import file_cue
    from calm.sound.pcm import samples_of

    path = tmp_path / "soft.wav"
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(8000)
        sound.writeframes(
            bytes(128 + round(20 * math.sin(2 * math.pi * 440 * i / 8000)) for i in range(800))
        )
    samples = samples_of(file_cue(path))
    assert max(samples) <= 21 * 256 and min(samples) >= -21 * 256
    assert abs(sum(samples) / len(samples)) < 256


def test_a_bed_whose_player_fails_at_once_does_not_spin(tmp_path: Path) -> None:
    """A system player that exits at once replays the bed once per bed length, not in a loop."""
    import time

    from calm.sound.players import Clip, CommandPlayer

    count = tmp_path / "count"
    command = fake_command(tmp_path, "aplay", f'echo x >> "{count}"; exit 1')
    player = CommandPlayer(str(command))
    bed = Clip(name="bed", pcm=b"\x00\x00" * 22050 * 10, rate=22050)  # ten seconds
    player.loop(bed)
    deadline = time.monotonic() + 10
    while not (count.exists() and count.read_text()) and time.monotonic() < deadline:
        time.sleep(0.01)  # until the first pass has run, however loaded the machine
    time.sleep(0.5)  # a player restarted in a loop would have run again by now
    player.stop()
    assert count.read_text().count("x") == 1


def test_skipping_while_paused_plays_no_cue_until_resumed() -> None:
    """n and b while paused move the session silently; resuming carries on with the cues."""
    timeline = timeline_of(SCRIPT)
    player = RecordingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    runner.start()
    runner.pause()
    runner.next_step()  # into the breathing: its inhale cue would play
    runner.next_step()  # on to the closing say: its bell would ring
    runner.previous_step()
    assert player.played == ["step"]
    runner.resume()  # at the start of the breathing, whose inhale was passed while paused
    clock.advance(2.0)
    runner.poll()
    assert player.played == ["step", "hold"]


@pytest.mark.parametrize(
    ("status", "left_at_once", "waits"),
    [
        (Status.COMPLETED, False, True),
        (Status.ENDED_EARLY, False, False),
        (Status.COMPLETED, True, False),
    ],
    ids=["completed", "ended-early", "ctrl-c"],
)
def test_the_screen_lets_the_end_chime_ring_out_only_after_a_completed_session(
    status: Status, left_at_once: bool, waits: bool
) -> None:
    """Leaving the summary at once must not cut the chime off; Ctrl+C still stops at once."""
    from calm.practice.options import SessionOptions
    from calm.practice.service import Practice
    from calm.tui.launch import CHIME_SECONDS

    timeline = timeline_of(SCRIPT)
    player = SettlingPlayer()
    sound = SessionSound(player, clips_for(timeline), timeline=timeline)
    practice = Practice(SessionOptions(volume=70), make_sound=lambda *_: sound)
    practice.begin(timeline)
    outcome = SessionOutcome(status, practised_seconds=16, planned_seconds=16, breaths=2)
    practice.ring_out(outcome, timeout=CHIME_SECONDS, left_at_once=left_at_once)
    assert player.settled == waits


class SettlingPlayer(RecordingPlayer):
    """Notes whether it was asked to wait for its sounds to end."""

    settled = False

    def settle(self, timeout: float) -> None:
        """Note the wait."""
        self.settled = timeout > 0


def test_a_system_player_that_fails_is_reported_at_the_next_cue(tmp_path: Path) -> None:
    """aplay finding no device: the next cue raises its first line of complaint."""
    complaint = "aplay: main:831: audio open error: No such device"
    command = fake_command(tmp_path / "bin", "aplay", f"echo '{complaint}' >&2\nexit 1")
    player = CommandPlayer(str(command))
    sound = clip("inhale")
    player.prepare([sound])
    player.play(sound)
    player.settle(10.0)
    with pytest.raises(PlaybackError) as raised:
        player.play(sound)
    assert str(raised.value) == f"aplay: {complaint}"


def test_a_system_player_that_fails_silently_is_reported_with_its_status(tmp_path: Path) -> None:
    """A player that says nothing still gives one line: its exit status."""
    command = fake_command(tmp_path / "bin", "paplay", "exit 3")
    player = CommandPlayer(str(command))
    sound = clip("inhale")
    player.play(sound)
    player.settle(10.0)
    with pytest.raises(PlaybackError) as raised:
        player.play(sound)
    assert str(raised.value) == "paplay stopped with status 3"


def test_a_failing_system_player_silences_the_session_with_one_notice(tmp_path: Path) -> None:
    """Through SessionSound: one notice, then silence, and the session carries on."""
    command = fake_command(tmp_path / "bin", "aplay", "echo 'no device' >&2\nexit 1")
    timeline = timeline_of(SCRIPT)
    notices: list[str] = []
    player = CommandPlayer(str(command))
    sound = SessionSound(player, clips_for(timeline), timeline=timeline, notify=notices.append)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock, listeners=[sound])
    runner.start()
    player.settle(10.0)  # until the first player has exited
    while runner.running:
        clock.advance(TICK)
        runner.poll()
    assert notices == ["Sound stopped: aplay: no device."]
    assert runner.status is Status.COMPLETED


# -- beds that loop without a gap ------------------------------------------------------------------


def test_a_bed_pass_fades_in_and_out_with_equal_power() -> None:
    """Each pass rises from silence and falls back to it over the overlap; where one pass's
    fall lies over the next one's rise, their powers add up to the full level."""
    import array

    from calm.sound.bed_loop import BED_OVERLAP_SECONDS
    from calm.sound.players import Clip, overlapping

    rate, level = 1000, 20000
    steady = Clip(name="bed", pcm=array.array("h", [level] * 3000).tobytes(), rate=rate)
    faded = array.array("h", overlapping(steady).pcm)
    edge = round(BED_OVERLAP_SECONDS * rate)
    assert len(faded) == 3000
    assert abs(faded[0]) < level / 100 and abs(faded[-1]) < level / 100
    assert list(faded[edge : len(faded) - edge]) == [level] * (len(faded) - 2 * edge)
    rising = faded[:edge]
    assert list(rising) == sorted(rising)
    for index in range(edge):
        falling = faded[len(faded) - edge + index]
        power = (rising[index] ** 2 + falling**2) / level**2
        assert power == pytest.approx(1.0, abs=0.002), index


def test_bed_passes_start_before_the_last_one_ends_on_a_fixed_beat() -> None:
    """Passes begin every clip length less the overlap, counted from the first pass, and
    stop once looping is cleared."""
    import threading

    from calm.sound.bed_loop import BED_OVERLAP_SECONDS, repeat

    clock = ManualClock(100.0)
    starts: list[float] = []
    looping = threading.Event()
    done = threading.Event()

    def start_pass() -> None:
        starts.append(clock.now())
        clock.advance(0.01)  # starting a stream takes a moment of its own
        if len(starts) == 4:
            looping.clear()
            done.set()

    repeat(looping, start_pass, 10.0, clock=clock.now, sleep=clock.advance)
    assert done.wait(10)
    every = 10.0 - BED_OVERLAP_SECONDS
    assert starts == pytest.approx([100.0 + n * every for n in range(4)], abs=0.06)


def test_a_bed_far_behind_its_beat_carries_on_from_now() -> None:
    """After a long stall (a laptop asleep), the late pass starts a new beat: the next one
    comes a whole beat later, never two at once or a rush through the passes missed."""
    import threading

    from calm.sound.bed_loop import BED_OVERLAP_SECONDS, repeat

    clock = ManualClock(0.0)
    starts: list[float] = []
    looping = threading.Event()
    done = threading.Event()

    asleep = [60.0]

    def start_pass() -> None:
        starts.append(clock.now())
        if len(starts) == 3:
            looping.clear()
            done.set()

    def sleep(seconds: float) -> None:
        # The first wait is where the laptop sleeps, for a minute.
        clock.advance(asleep.pop() if asleep else seconds)

    repeat(looping, start_pass, 10.0, clock=clock.now, sleep=sleep)
    assert done.wait(10)
    every = 10.0 - BED_OVERLAP_SECONDS
    assert starts == pytest.approx([0.0, 60.0, 60.0 + every], abs=0.06)


def test_a_command_bed_player_that_failed_is_not_run_again(tmp_path: Path) -> None:
    """When the system player for a pass of the bed failed, the bed ends there."""
    import threading

    from calm.sound.players import Clip, CommandPlayer

    count = tmp_path / "count"
    command = fake_command(tmp_path, "aplay", f'echo x >> "{count}"; exit 1')
    player = CommandPlayer(str(command))
    bed = Clip(name="bed", pcm=b"\x00\x00" * 800, rate=1000)  # a pass every 0.55 s
    before = set(threading.enumerate())
    player.loop(bed)
    (ambient,) = [thread for thread in set(threading.enumerate()) - before]
    ambient.join(5)  # it ends by itself at the second pass, when it finds the first failed
    assert not ambient.is_alive()
    player.stop()
    assert count.read_text().count("x") == 1


def test_a_bed_stopped_and_started_at_once_runs_once(tmp_path: Path) -> None:
    """m pressed twice quickly: the old bed's thread stops, and only the new one plays on."""
    import threading
    import time

    from calm.sound.players import Clip, CommandPlayer

    command = fake_command(tmp_path, "aplay", "sleep 5")
    player = CommandPlayer(str(command))
    bed = Clip(name="bed", pcm=b"\x00\x00" * 1000, rate=1000)  # a pass every 0.75 s
    before = set(threading.enumerate())
    player.loop(bed)
    player.stop_loop()
    player.loop(bed)

    def alive() -> list[threading.Thread]:
        return [thread for thread in set(threading.enumerate()) - before if thread.is_alive()]

    deadline = time.monotonic() + 10
    while len(alive()) > 1 and time.monotonic() < deadline:
        time.sleep(0.01)  # until the old thread has seen it was stopped
    found = alive()
    player.stop()
    assert [thread.name for thread in found] == ["calm-ambient"]
