"""The cue set and the ambient beds, measured from their samples."""

from __future__ import annotations

import array
import itertools
import math
import os
import struct
import sys
import wave
from pathlib import Path

import pytest

from calm.core.loader import load_script
from calm.core.problems import ScriptError
from calm.core.timeline import compile_timeline
from calm.sound.beds import BED_NAMES, LOOP_SECONDS, render_bed
from calm.sound.cues import gain_for, load_clips
from calm.sound.pcm import RATE, samples_of
from calm.sound.write_cues import render_into
from tests.conftest import ROOT

AUDIO = ROOT / "audio"
"""The shipped cue files."""
CUES = ("inhale", "exhale", "hold", "step", "end")
FULL_SCALE = 32768
"""0 dBFS for 16-bit samples, as pydub counts it."""
SILENT_DB = -60.0
"""How far under its peak a cue must start and end, and where its silence is taken to end."""
EDGE_SECONDS = 0.002


def read_wav(path: Path) -> tuple[wave._wave_params, array.array[int]]:
    """A WAV file's parameters and its 16-bit samples."""
    with wave.open(str(path), "rb") as handle:
        params = handle.getparams()
        frames = handle.readframes(params.nframes)
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    return params, samples


def cue_samples(name: str) -> array.array[int]:
    """The samples of one shipped cue."""
    return read_wav(AUDIO / f"{name}.wav")[1]


def dbfs(level: float) -> float:
    """A sample level in decibels under full scale."""
    return 20 * math.log10(level / FULL_SCALE) if level > 0 else -math.inf


def rms(samples: array.array[int] | list[int]) -> float:
    """Root-mean-square level of some samples."""
    return math.sqrt(sum(value * value for value in samples) / len(samples))


def peak(samples: array.array[int]) -> int:
    """The largest sample, either way from zero."""
    return max(abs(value) for value in samples)


def audible(samples: array.array[int]) -> array.array[int]:
    """The samples between the first and last that rise above the silence at each end."""
    floor = peak(samples) * 10 ** (SILENT_DB / 20)
    loud = [index for index, value in enumerate(samples) if abs(value) > floor]
    return samples[loud[0] : loud[-1] + 1]


def pitch(samples: array.array[int], rate: int) -> float:
    """The pitch of a short window in Hz, from the lag of its strongest autocorrelation."""
    best_lag, best = 0, -math.inf
    for lag in range(rate // 800, rate // 100 + 1):
        count = len(samples) - lag
        score = sum(samples[index] * samples[index + lag] for index in range(count)) / count
        if score > best:
            best_lag, best = lag, score
    return rate / best_lag


def windows(samples: array.array[int], size: int) -> list[array.array[int]]:
    """Consecutive whole windows of ``size`` samples."""
    return [samples[start : start + size] for start in range(0, len(samples) - size + 1, size)]


# -- the cue set ---------------------------------------------------------------------------------


def test_the_set_is_exactly_the_five_cues() -> None:
    """audio/ holds inhale, exhale, hold, step and end as WAV files, and no other sound."""
    sounds = {path.name for path in AUDIO.iterdir() if path.name != "README.md"}
    assert sounds == {f"{name}.wav" for name in CUES}


@pytest.mark.parametrize("name", CUES)
def test_each_cue_is_16_bit_mono_wav(name: str) -> None:
    """Each cue is a 16-bit mono WAV file that says so in its header."""
    params, samples = read_wav(AUDIO / f"{name}.wav")
    assert (params.nchannels, params.sampwidth, params.comptype) == (1, 2, "NONE")
    assert params.framerate == RATE
    assert len(samples) == params.nframes > 0


@pytest.mark.parametrize("name", CUES)
def test_each_cue_starts_and_ends_without_a_click(name: str) -> None:
    """The first and last 2 ms of each cue are at least 60 dB under its peak."""
    _, samples = read_wav(AUDIO / f"{name}.wav")
    edge = round(EDGE_SECONDS * RATE)
    top = dbfs(peak(samples))
    assert dbfs(peak(samples[:edge])) <= top + SILENT_DB
    assert dbfs(peak(samples[-edge:])) <= top + SILENT_DB


@pytest.mark.parametrize("name", CUES)
def test_each_cue_peaks_at_most_minus_3_dbfs(name: str) -> None:
    """No cue comes within 3 dB of full scale."""
    assert dbfs(peak(cue_samples(name))) <= -3.0


def test_cues_are_equally_loud() -> None:
    """The RMS levels of the cues' audible parts lie within 2 dB of one another."""
    levels = {name: dbfs(rms(audible(cue_samples(name)))) for name in CUES}
    assert max(levels.values()) - min(levels.values()) <= 2.0, levels


@pytest.mark.parametrize(("name", "rises"), [("inhale", True), ("exhale", False)])
def test_inhale_rises_and_exhale_falls(name: str, rises: bool) -> None:
    """Inhale's pitch rises over two semitones from early to late; exhale's falls as far."""
    sound = audible(cue_samples(name))
    size = round(0.08 * RATE)
    early_start = round(0.15 * len(sound))
    late_end = round(0.85 * len(sound))
    early = pitch(sound[early_start : early_start + size], RATE)
    late = pitch(sound[late_end - size : late_end], RATE)
    two_semitones = 2 ** (2 / 12)
    if rises:
        assert late >= early * two_semitones, (early, late)
    else:
        assert late <= early / two_semitones, (early, late)


def test_files_are_what_the_generator_renders(tmp_path: Path) -> None:
    """Rendering the cue set afresh gives byte for byte the files in audio/."""
    written = render_into(tmp_path / "fresh")
    assert sorted(path.name for path in written) == sorted(f"{name}.wav" for name in CUES)
    for path in written:
        assert path.read_bytes() == (AUDIO / path.name).read_bytes(), path.name


def test_step_cue_is_a_decaying_bell() -> None:
    """Every 100 ms of the step cue is quieter than the last, and by 1 s it has fallen 12 dB."""
    size = round(0.1 * RATE)
    levels = [dbfs(rms(window)) for window in windows(audible(cue_samples("step")), size)]
    assert len(levels) > 10
    assert all(later < earlier for earlier, later in itertools.pairwise(levels)), levels
    assert levels[10] <= levels[0] - 12.0, levels


# -- ambient beds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def beds() -> dict[str, bytes]:
    """Each bed, rendered once for the module, as raw 16-bit samples."""
    return {name: render_bed(name).raw_data for name in BED_NAMES}


def bed_samples(data: bytes) -> array.array[int]:
    """Raw little-endian 16-bit bytes as samples."""
    samples = array.array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


@pytest.mark.parametrize("name", BED_NAMES)
def test_bed_is_one_loop_long(name: str) -> None:
    """A bed is 16-bit mono at the cue rate and exactly LOOP_SECONDS long."""
    segment = render_bed(name)
    assert (segment.channels, segment.sample_width, segment.frame_rate) == (1, 2, RATE)
    assert len(samples_of(segment)) == round(LOOP_SECONDS * RATE)


@pytest.mark.parametrize("name", BED_NAMES)
def test_bed_loops_without_a_jump(name: str, beds: dict[str, bytes]) -> None:
    """Last sample to first is no bigger a step than the 99.9th percentile of steps inside."""
    samples = bed_samples(beds[name])
    steps = sorted(abs(after - before) for before, after in itertools.pairwise(samples))
    ordinary = steps[math.ceil(0.999 * len(steps)) - 1]
    assert abs(samples[0] - samples[-1]) <= ordinary


@pytest.mark.parametrize("name", BED_NAMES)
def test_bed_level_carries_across_the_loop(name: str, beds: dict[str, bytes]) -> None:
    """The last 200 ms of a bed and its first 200 ms are within 3 dB of each other."""
    samples = bed_samples(beds[name])
    size = round(0.2 * RATE)
    assert abs(dbfs(rms(samples[-size:])) - dbfs(rms(samples[:size]))) <= 3.0


@pytest.mark.parametrize("name", BED_NAMES)
def test_bed_sits_well_under_the_cues(name: str, beds: dict[str, bytes]) -> None:
    """A bed's RMS level is at least 12 dB under the quietest cue's."""
    quietest = min(dbfs(rms(audible(cue_samples(cue)))) for cue in CUES)
    assert dbfs(rms(bed_samples(beds[name]))) <= quietest - 12.0


@pytest.mark.parametrize("name", BED_NAMES)
def test_bed_rendering_is_deterministic(name: str, beds: dict[str, bytes]) -> None:
    """Rendering a bed again gives the same bytes."""
    assert render_bed(name).raw_data == beds[name]


def test_beds_differ(beds: dict[str, bytes]) -> None:
    """Each bed name gives its own sound, not one noise under three names."""
    assert len(set(beds.values())) == len(BED_NAMES)


def test_unknown_bed_is_a_key_error() -> None:
    """A name that is not a bed raises KeyError, as documented."""
    with pytest.raises(KeyError):
        render_bed("rain")


# -- volume --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("volume", "gain"), [(100, 0.0), (50, pytest.approx(-6.02, abs=0.05)), (0, None)]
)
def test_gain_for_volume(volume: int, gain: object) -> None:
    """Volume 100 is 0 dB, 50 is about -6 dB, and 0 is silence (None)."""
    assert gain_for(volume) == gain


def test_gain_grows_with_volume() -> None:
    """Each step up in volume is louder, and none goes above 0 dB."""
    gains = [gain_for(volume) for volume in range(1, 101)]
    assert all(gain is not None and gain <= 0.0 for gain in gains)
    assert all(a < b for a, b in itertools.pairwise(gains))  # type: ignore[operator]


# -- cue files from a script's folder -------------------------------------------------------------

SCRIPT_HEAD = 'title = "Mine"\nsummary = "A test."\ncategory = "reset"\n'


def cue_script(folder: Path, cue: str) -> Path:
    """A script in ``folder`` with one say step that plays ``cue``."""
    path = folder / "mine.toml"
    path.write_text(SCRIPT_HEAD + f'[[steps]]\nsay = "a"\nseconds = 1\ncue = "{cue}"\n')
    return path


def wav_bytes(*, rate: int = 8000, channels: int = 1, width: int = 2, frames: int = 800) -> bytes:
    """A PCM WAV file with any header values, as an editor or a prankster might write it."""
    data = b"\x00" * (frames * channels * width)
    fmt = struct.pack(
        "<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, width * 8
    )
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def cue_problems(folder: Path, name: str) -> list[str]:
    """The problems validating a script with the cue file ``name`` gives."""
    with pytest.raises(ScriptError) as caught:
        load_script(cue_script(folder, name), source="mine.toml")
    return caught.value.lines()


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"rate": 12}, "has a sample rate of 12 Hz; a cue needs 8000 to 192000 Hz"),
        ({"rate": 1}, "has a sample rate of 1 Hz; a cue needs 8000 to 192000 Hz"),
        ({"rate": 0}, "has a sample rate of 0 Hz; a cue needs 8000 to 192000 Hz"),
        ({"rate": 384_000}, "has a sample rate of 384000 Hz; a cue needs 8000 to 192000 Hz"),
        ({"channels": 3}, "has 3 channels; a cue needs 1 (mono) or 2 (stereo)"),
        ({"frames": 0}, "has no sound in it"),
        ({"width": 1, "frames": 8000 * 31}, "plays for more than 30 s; a cue can be at most 30 s"),
    ],
    ids=["12-hz", "1-hz", "0-hz", "384-khz", "3-channels", "empty", "31-seconds"],
)
def test_a_cue_calm_cannot_play_is_refused_when_validating(
    tmp_path: Path, params: dict[str, int], reason: str
) -> None:
    """A cue with a rate, channels or length calm cannot play is one problem naming the
    file, found by `calm validate`, not a silent session later."""
    (tmp_path / "bell.wav").write_bytes(wav_bytes(**params))
    assert cue_problems(tmp_path, "bell.wav") == [
        f'mine.toml: step 1: cue file "bell.wav" {reason}'
    ]


@pytest.mark.parametrize("name", ["huge.wav", "huge.mp3", "huge.flac"])
def test_a_cue_file_over_ten_megabytes_is_refused_from_its_size(tmp_path: Path, name: str) -> None:
    """A 2 GB cue (sparse, so it costs no disk) is refused at once, never decoded."""
    with (tmp_path / name).open("wb") as handle:
        handle.truncate(2 * 1024**3)
    assert cue_problems(tmp_path, name) == [
        f'mine.toml: step 1: cue file "{name}" is over 10 MB; a cue can be at most 10 MB and 30 s'
    ]


def test_a_damaged_wav_never_gives_empty_brackets(tmp_path: Path) -> None:
    """Every cut of a WAV file short of its first frame is one problem with a reason in
    words: never "()"."""
    whole = wav_bytes()
    for size in range(44 + 2):  # the header, and one 16-bit frame
        (tmp_path / "cut.wav").write_bytes(whole[:size])
        (line,) = cue_problems(tmp_path, "cut.wav")
        assert line.startswith('mine.toml: step 1: cue file "cut.wav" ')
        assert "()" not in line and not line.endswith(": "), line


def test_an_odd_rate_in_range_plays_at_a_rate_every_player_takes(tmp_path: Path) -> None:
    """A 12 kHz cue, which simpleaudio would refuse and silence the session over, is
    resampled when it is loaded."""
    (tmp_path / "bell.wav").write_bytes(wav_bytes(rate=12_000, frames=1200))
    timeline = compile_timeline(load_script(cue_script(tmp_path, "bell.wav")))
    clips, notices = load_clips(timeline, 100)
    assert notices == []
    assert clips["bell.wav"].rate == RATE
    assert abs(clips["bell.wav"].seconds - 0.1) < 0.01


def test_a_cue_spoilt_after_validation_costs_only_that_cue(tmp_path: Path) -> None:
    """A cue made too long after the script was checked is one notice naming it; the
    session's other cues are still made ready."""
    (tmp_path / "bell.wav").write_bytes(wav_bytes())
    timeline = compile_timeline(load_script(cue_script(tmp_path, "bell.wav")))
    (tmp_path / "bell.wav").write_bytes(wav_bytes(width=1, frames=8000 * 31))
    clips, notices = load_clips(timeline, 100)
    assert notices == [
        "calm: no sound for bell.wav: bell.wav plays for more than 30 s; a cue can be at most 30 s"
    ]
    assert set(clips) == {"step", "end"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_cue_swapped_for_a_named_pipe_is_not_waited_on(tmp_path: Path) -> None:
    """A cue replaced by a named pipe after checking is one notice, at once."""
    (tmp_path / "bell.wav").write_bytes(wav_bytes())
    timeline = compile_timeline(load_script(cue_script(tmp_path, "bell.wav")))
    (tmp_path / "bell.wav").unlink()
    os.mkfifo(tmp_path / "bell.wav")
    clips, notices = load_clips(timeline, 100)
    assert notices == ["calm: no sound for bell.wav: bell.wav is a named pipe, not a regular file"]
    assert "bell.wav" not in clips


def test_a_cue_moved_out_of_the_folder_at_playback_is_refused(tmp_path: Path) -> None:
    """A cue swapped for a link out of the script's folder after checking is not played."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "bell.wav").write_bytes(wav_bytes())
    timeline = compile_timeline(load_script(cue_script(folder, "bell.wav")))
    (tmp_path / "outside.wav").write_bytes(wav_bytes())
    (folder / "bell.wav").unlink()
    (folder / "bell.wav").symlink_to(tmp_path / "outside.wav")
    clips, notices = load_clips(timeline, 100)
    assert notices == ["calm: no sound for bell.wav: bell.wav is outside the script's folder"]
    assert "bell.wav" not in clips
