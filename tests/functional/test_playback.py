"""Real sound through simpleaudio and ALSA, with no sound card: ALSA's file plugin
captures every stream, and the test checks what was played, in what order, and when.
miniaudio comes first when it is installed, so these ask for simpleaudio by name
(``CALM_PLAYER``); tests/functional/test_stream_playback.py has miniaudio's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calm.sound.cues import builtin_cue, gain_for
from tests.support.alsa import capture_home

if not os.environ.get("CALM_REQUIRE_AUDIO"):
    # Away from CI, a machine without simpleaudio skips these; .ci/run sets
    # CALM_REQUIRE_AUDIO so that there a missing simpleaudio fails instead.
    pytest.importorskip("simpleaudio", reason="simpleaudio is installed by .[audio]")
pytestmark = pytest.mark.slow

SCRIPT = """\
title = "Cues"
summary = "One of each cue."
category = "breathing"

[[steps]]
say = "Arrive."
seconds = 0.4

[[steps]]
breathe = "Breathe."
pattern = "0.5-0.3-0.5"
cycles = 1

[[steps]]
say = "Done."
seconds = 0.4
"""
VOLUME = 70
CUE_LATENESS = 0.015
"""How late a cue may start after its boundary was due, in seconds."""


def captured_streams(folder: Path) -> list[bytes]:
    """The captured streams, in the order ALSA opened them."""

    def order(path: Path) -> int:
        suffix = path.name.removeprefix("out.raw").lstrip(".")
        return int(suffix) if suffix else 0

    return [path.read_bytes() for path in sorted(folder.glob("out.raw*"), key=order)]


def expected_pcm(name: str) -> bytes:
    """A built-in cue exactly as calm sends it to the device at VOLUME."""
    gain = gain_for(VOLUME)
    assert gain is not None
    return bytes(builtin_cue(name).apply_gain(gain).raw_data)


def test_cues_are_played_in_order_and_on_time(tmp_path: Path) -> None:
    """Each boundary plays its cue: the captured streams are the right cues, in order, on time."""
    home = capture_home(tmp_path / "home")
    script = tmp_path / "cues.toml"
    script.write_text(SCRIPT, encoding="utf-8")
    trace = tmp_path / "trace.jsonl"
    env = dict(os.environ, HOME=str(home), CALM_TRACE=str(trace), CALM_PLAYER="simpleaudio")
    result = subprocess.run(
        [sys.executable, "-m", "calm", "start", str(script), "--plain", "--volume", str(VOLUME)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""

    events = [json.loads(line) for line in trace.read_text().splitlines()]
    cues = [event for event in events if event["event"] == "cue"]
    names = [cue["name"] for cue in cues]
    assert names == ["step", "inhale", "hold", "exhale", "step", "end"]

    streams = captured_streams(home)
    assert len(streams) == len(names)
    for name, stream in zip(names, streams, strict=True):
        assert stream == expected_pcm(name), name

    # Each cue follows the boundary that called for it, within CUE_LATENESS of its schedule.
    for cue in cues:
        boundary = max(
            (e for e in events if e["event"] != "cue" and e["t"] <= cue["t"]),
            key=lambda e: e["t"],
        )
        assert boundary["scheduled"] is not None
        assert 0 <= cue["t"] - boundary["scheduled"] <= CUE_LATENESS, (cue, boundary)


def test_no_audio_plays_nothing(tmp_path: Path) -> None:
    """--no-audio opens no sound stream at all."""
    home = capture_home(tmp_path / "home")
    script = tmp_path / "cues.toml"
    script.write_text(SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "calm", "start", str(script), "--plain", "--no-audio"],
        env=dict(os.environ, HOME=str(home)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert captured_streams(home) == []


def test_a_missing_sound_device_leaves_the_session_running(tmp_path: Path) -> None:
    """When ALSA has no usable device, the session still completes, with one notice at most."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(
        "pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n", encoding="utf-8"
    )
    script = tmp_path / "cues.toml"
    script.write_text(SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "calm", "start", str(script), "--plain"],
        env=dict(os.environ, HOME=str(home)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    assert "Traceback" not in result.stderr
    notices = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notices) <= 1, notices
