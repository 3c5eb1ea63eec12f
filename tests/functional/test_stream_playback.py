"""Real sound from a plain install: miniaudio, with no simpleaudio and no system player,
through ALSA to its file plugin. One stream carries the whole session; each cue is in it
where the timeline puts it, the bed runs under them with no gap and no click, and the
end chime is there to its last sample."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from calm.sound.cues import builtin_cue, gain_for
from calm.sound.soundtrack import cue_times
from tests.support.alsa import capture_home
from tests.support.tui import make_timeline

pytest.importorskip("miniaudio")
pytestmark = pytest.mark.slow

RATE = 22050
VOLUME = 70
STEPS = """
[[steps]]
say = "Arrive."
seconds = 2

[[steps]]
breathe = "Breathe."
pattern = "1.2-0.5-1.4"
cycles = 1

[[steps]]
say = "Done."
seconds = 2
"""
"""Each cue ends before the next begins, so each can be found in the capture exactly."""
SCRIPT = f'title = "Cues"\nsummary = "One of each cue."\ncategory = "breathing"\n{STEPS}'
CUE_LATENESS = 0.015


def run_calm(
    tmp_path: Path, *options: str, script: str = SCRIPT, keep_path: bool = False
) -> tuple[np.ndarray, list[Path]]:
    """A plain session of ``script``, on miniaudio alone; the one stream it captured."""
    home = capture_home(tmp_path / "home")
    script_file = tmp_path / "cues.toml"
    script_file.write_text(script, encoding="utf-8")
    # No simpleaudio and no system player to fall back on: miniaudio or nothing (the
    # voice's engine aside, which is found on PATH).
    path = os.environ.get("PATH", "") if keep_path else str(tmp_path / "bin")
    env = dict(os.environ, HOME=str(home), PATH=path)
    env.pop("CALM_PLAYER", None)
    (tmp_path / "bin").mkdir()
    blocker = tmp_path / "no_simpleaudio"
    blocker.mkdir()
    (blocker / "simpleaudio.py").write_text("raise ImportError('not installed')\n")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(blocker), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "calm", "start", str(script_file), "--plain"]
    result = subprocess.run(
        [*command, "--volume", str(VOLUME), *options],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=200,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    streams = sorted(home.glob("out.raw*"))
    return np.frombuffer(streams[0].read_bytes(), dtype="<i2"), streams


def cue_samples(name: str) -> np.ndarray:
    """A built-in cue as calm mixes it at VOLUME."""
    gain = gain_for(VOLUME)
    assert gain is not None
    return np.frombuffer(builtin_cue(name).apply_gain(gain).raw_data, dtype="<i2")


def find(samples: np.ndarray, part: np.ndarray, near: int, within: int) -> int | None:
    """Where ``part`` lies in ``samples``, sample for sample, within ``within`` of ``near``."""
    first = int(np.flatnonzero(part)[0])
    for at in np.flatnonzero(samples[max(near - within, 0) : near + within] == part[first]):
        start = max(near - within, 0) + int(at) - first
        if start >= 0 and np.array_equal(samples[start : start + len(part)], part):
            return start
    return None


def test_one_stream_carries_every_cue_where_the_timeline_puts_it(tmp_path: Path) -> None:
    """One stream, and in it each cue, whole and unchanged, at its boundary's place
    to within 15 ms, counted from the first cue."""
    samples, streams = run_calm(tmp_path)
    assert len(streams) == 1
    expected = cue_times(make_timeline(STEPS))
    first = find(samples, cue_samples(expected[0][1]), 0, RATE)
    assert first is not None, "the first cue is not in the stream"
    for ms, name in expected:
        near = first + ms * RATE // 1000
        found = find(samples, cue_samples(name), near, round(0.1 * RATE))
        assert found is not None, f"{name} at {ms} ms is not in the stream"
        # Counted from the first cue, which may itself have left up to CUE_LATENESS late
        # (each alone is checked against the clock in tests/unit/test_stream_player.py).
        assert abs(found - near) / RATE <= CUE_LATENESS, name


def test_the_bed_has_no_gap_no_click_and_the_end_chime_is_whole(tmp_path: Path) -> None:
    """With a bed: sound all through, from the bed's fade in to the chime's end; no
    jump from one sample to the next beyond what the cues themselves make; and the end
    chime's last two seconds, after the bed has faded, exactly as made."""
    samples, streams = run_calm(tmp_path, "--ambient", "pink")
    assert len(streams) == 1
    sounding = np.flatnonzero(samples)
    span = samples[sounding[0] : sounding[-1] + 1]
    # No gap: never 5 ms of silence between the first sound and the last.
    silent = np.concatenate([[0], (span == 0).astype(np.int8), [0]])
    runs = np.flatnonzero(np.diff(silent) == -1) - np.flatnonzero(np.diff(silent) == 1)
    assert runs.max(initial=0) < 0.005 * RATE
    # No click: no step bigger than the cues' own biggest, with the bed's on top.
    steepest = max(
        int(np.abs(np.diff(cue_samples(n).astype(np.int32))).max())
        for n in ("step", "inhale", "hold", "exhale", "end")
    )
    assert int(np.abs(np.diff(span.astype(np.int32))).max()) <= steepest + 2000
    chime = cue_samples("end")
    tail = chime[RATE:]
    expected_end = len(samples) - len(tail)
    assert find(samples, tail, expected_end, round(0.5 * RATE)) is not None


VOICE_STEPS = """
[[steps]]
say = "Let your shoulders soften."
seconds = 3

[[steps]]
say = "Notice your hands."
seconds = 3
"""


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CALM_REQUIRE_AUDIO"),
    reason="espeak-ng speaks the voice; .ci/run installs it",
)
def test_the_voice_speaks_each_step_as_it_starts(tmp_path: Path) -> None:
    """--voice: each step's words, rendered by espeak-ng before the session, are in the
    one stream where their step starts, within 15 ms, whole."""
    from calm.sound.voice import make_voice

    script = f'title = "Voice"\nsummary = "Spoken."\ncategory = "unwinding"\n{VOICE_STEPS}'
    samples, streams = run_calm(tmp_path, "--voice", script=script, keep_path=True)
    assert len(streams) == 1
    timeline = make_timeline(VOICE_STEPS)
    cues = {name: cue_samples(name) for name in ("step", "end")}
    lines = make_voice(
        timeline,
        volume=VOLUME,
        cue_lengths={name: len(pcm) / RATE for name, pcm in cues.items()},
    ).clips
    assert sorted(lines) == [0, 1]
    # The end chime, which nothing overlaps, places the session in the stream.
    end_ms = cue_times(timeline)[-1][0]
    chime = find(samples, cues["end"], len(samples) - len(cues["end"]), 2 * RATE)
    assert chime is not None
    first = chime - end_ms * RATE // 1000
    for index, clip in lines.items():
        # Each step begins with its bell and its words at once: the stream holds their sum.
        spoken = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64)
        bell = cues["step"].astype(np.float64)
        expected = np.zeros(max(len(spoken), len(bell)))
        expected[: len(spoken)] += spoken
        expected[: len(bell)] += bell
        # The chime and the line are each within CUE_LATENESS of their moments, so the
        # line is within that much either side of where the chime puts it.
        slack = round(CUE_LATENESS * RATE)
        near = first + timeline.segments[index].start_ms * RATE // 1000 - slack
        window = samples[near : near + 2 * slack + len(expected)].astype(np.float64)
        # Where the two fit best, sample for sample: they must fit all but rounding.
        misfit = [
            np.abs(window[lag : lag + len(expected)] - expected).max()
            for lag in range(len(window) - len(expected) + 1)
        ]
        lag = int(np.argmin(misfit))
        assert misfit[lag] <= 2, f"line {index} is not whole in the stream"
        assert 0 < lag < 2 * slack, f"line {index} is not where its step starts"


LONG_BED = """title = "Long bed"
summary = "Two minutes over the ocean."
category = "unwinding"

[[steps]]
say = "Rest."
seconds = 120
"""


def test_the_bed_runs_two_minutes_without_a_seam(tmp_path: Path) -> None:
    """A 2-minute capture: between the step bell and the end chime the stream is the bed
    itself, sample for sample, looped on and on: no gap, no jump, nothing restarted."""
    from calm.sound.beds import bed_pcm

    samples, streams = run_calm(tmp_path, "--ambient", "ocean", script=LONG_BED)
    assert len(streams) == 1
    from calm.sound.pcm import pcm_segment

    gain = gain_for(VOLUME)
    assert gain is not None
    bed = np.frombuffer(pcm_segment(bed_pcm("ocean")).apply_gain(gain).raw_data, dtype="<i2")
    step = cue_samples("step")
    sounding = int(np.flatnonzero(samples)[0])
    # From after the step bell to before the end chime: the bed alone.
    first, last = sounding + len(step) + RATE, sounding + 119 * RATE
    span = samples[first:last]
    # Where in the bed the span begins: the one place its first samples match.
    places = [
        at
        for at in np.flatnonzero(bed == span[0])
        if np.array_equal(bed[np.arange(at, at + 64) % len(bed)], span[:64])
    ]
    assert len(places) == 1, "the stream is not the bed where only the bed plays"
    looped = bed[np.arange(places[0], places[0] + len(span)) % len(bed)]
    assert np.array_equal(span, looped), "the bed has a seam, a gap or a jump"
