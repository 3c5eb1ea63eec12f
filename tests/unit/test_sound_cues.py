"""The cue set and the ambient beds, measured from their samples."""

from __future__ import annotations

import array
import itertools
import math
import sys
import wave
from pathlib import Path

import pytest

from calm.sound.beds import BED_NAMES, LOOP_SECONDS, render_bed
from calm.sound.cues import gain_for
from calm.sound.pcm import RATE, samples_of
from calm.sound.render import render_into
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
