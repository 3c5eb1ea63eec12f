"""The ambient beds: made whole by numpy, the same every time, seamless at the loop, and kept
in the cache folder, which is made afresh without a word when it is damaged."""

from __future__ import annotations

import math
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import calm.sound.beds
from calm import locations
from calm.sound.bed_names import BED_NAMES
from calm.sound.beds import (
    BED_RMS_DBFS,
    LOOP_SAMPLES,
    bed_pcm,
    synthesise,
)
from calm.sound.cues import load_bed
from calm.sound.kept_sound import keep
from calm.sound.pcm import RATE


@pytest.fixture(scope="module")
def fresh() -> dict[str, bytes]:
    """Each bed, made once for the module."""
    return {name: synthesise(name) for name in BED_NAMES}


def samples(pcm: bytes) -> np.ndarray:
    """16-bit little-endian bytes as samples."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def dbfs(values: np.ndarray) -> float:
    """The RMS level of some samples, in dB under full scale as pydub counts it."""
    return 20 * math.log10(math.sqrt(float(np.mean(values**2))) / 32768)


def octave_db(values: np.ndarray, low: float) -> float:
    """The power in the octave from ``low`` hertz, in decibels."""
    power = np.abs(np.fft.rfft(values)) ** 2
    hertz = np.fft.rfftfreq(len(values), 1 / RATE)
    return 10 * math.log10(float(power[(hertz >= low) & (hertz < 2 * low)].sum()))


def no_synthesis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any further synthesis fail the test."""

    def refuse(name: str) -> bytes:
        raise AssertionError(f"{name} was made again")

    monkeypatch.setattr(calm.sound.beds, "synthesise", refuse)


# -- the sound ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BED_NAMES)
def test_a_bed_is_one_loop_of_16_bit_samples(name: str, fresh: dict[str, bytes]) -> None:
    """A bed holds exactly one loop of 16-bit samples."""
    assert len(fresh[name]) == 2 * LOOP_SAMPLES


@pytest.mark.parametrize("name", BED_NAMES)
def test_a_bed_is_made_the_same_every_time(name: str, fresh: dict[str, bytes]) -> None:
    """Making a bed again gives the same bytes."""
    assert synthesise(name) == fresh[name]


@pytest.mark.parametrize("name", BED_NAMES)
def test_a_bed_sits_at_its_level_with_no_dc(name: str, fresh: dict[str, bytes]) -> None:
    """A bed's RMS is BED_RMS_DBFS within a tenth of a dB, its mean is within half a step
    of silence, and its peak is far from full scale."""
    values = samples(fresh[name])
    assert abs(dbfs(values) - BED_RMS_DBFS) <= 0.1
    assert abs(float(values.mean())) <= 0.5
    assert float(np.abs(values).max()) <= 32767 * 10 ** (-20 / 20)


@pytest.mark.parametrize("name", BED_NAMES)
def test_the_loop_joint_is_an_ordinary_step(name: str, fresh: dict[str, bytes]) -> None:
    """From the last sample to the first is no bigger a step than 99 in 100 steps inside,
    and the bed played twice over has no more high-frequency energy at the joint than
    anywhere else: no click."""
    values = samples(fresh[name])
    steps = np.abs(np.diff(values))
    assert abs(values[0] - values[-1]) <= np.percentile(steps, 99)
    twice = np.concatenate([values, values])
    rough = np.abs(np.diff(twice, n=2))  # a click is a burst of second differences
    window = round(0.005 * RATE)
    energy = np.convolve(rough**2, np.ones(window), mode="valid")
    joint = energy[LOOP_SAMPLES - window // 2]  # the window centred on the joint
    assert joint <= np.percentile(energy[:LOOP_SAMPLES], 99)


def test_pink_is_as_strong_in_every_octave_and_brown_falls(fresh: dict[str, bytes]) -> None:
    """Pink noise holds the same power in each octave, within 1.5 dB, from 160 Hz to 5 kHz;
    brown falls 3 dB an octave, so four octaves up it is 12 dB down, within 2 dB."""
    pink = samples(fresh["pink"])
    levels = [octave_db(pink, low) for low in (160, 320, 640, 1280, 2560)]
    assert max(levels) - min(levels) <= 1.5, levels
    brown = samples(fresh["brown"])
    assert abs(octave_db(brown, 160) - octave_db(brown, 2560) - 12) <= 2


def test_the_ocean_swells_twice_a_loop(fresh: dict[str, bytes]) -> None:
    """The ocean's loudest half seconds are some 6 dB over its quietest, at about 3 s and
    9 s; pink noise stays within 3 dB throughout."""
    size = round(0.5 * RATE)

    def levels(name: str) -> list[float]:
        values = samples(fresh[name])
        return [dbfs(values[start : start + size]) for start in range(0, LOOP_SAMPLES, size)]

    ocean = levels("ocean")
    half = len(ocean) // 2
    for crest, at in ((max(ocean[:half]), 3.0), (max(ocean[half:]), 9.0)):
        assert crest - min(ocean) >= 6
        assert abs(ocean.index(crest) * 0.5 + 0.25 - at) <= 1.5
    pink = levels("pink")
    assert max(pink) - min(pink) <= 3


def test_a_name_that_is_not_a_bed_is_a_key_error() -> None:
    """Neither making nor fetching a bed takes a name that is not one; nothing is written."""
    for name in ("rain", "../pink"):
        with pytest.raises(KeyError):
            synthesise(name)
        with pytest.raises(KeyError):
            bed_pcm(name)
    assert not locations.cache_dir().exists()


# -- the cache ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BED_NAMES)
def test_a_bed_is_kept_and_read_back_as_made(
    name: str, fresh: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first fetch makes the bed and keeps it; the next reads the same bytes back and
    makes nothing."""
    assert bed_pcm(name) == fresh[name]
    assert locations.ambient_bed_file(name).is_file()
    no_synthesis(monkeypatch)
    assert bed_pcm(name) == fresh[name]


def test_a_kept_bed_is_a_plain_wav_file(fresh: dict[str, bytes]) -> None:
    """Any WAV reader finds the kept bed: 16-bit mono at the cue rate, the bed's samples."""
    bed_pcm("ocean")
    with wave.open(str(locations.ambient_bed_file("ocean")), "rb") as kept:
        assert (kept.getnchannels(), kept.getsampwidth(), kept.getframerate()) == (1, 2, RATE)
        assert kept.readframes(kept.getnframes()) == fresh["ocean"]


def test_a_kept_bed_is_read_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once kept, a bed comes back without numpy, which is slow to import."""
    made = bed_pcm("brown")
    monkeypatch.setitem(sys.modules, "numpy", None)  # importing it now fails
    assert bed_pcm("brown") == made


def _flip_a_sample(file: Path) -> None:
    data = bytearray(file.read_bytes())
    data[-1000] ^= 0x40
    file.write_bytes(bytes(data))


def _another_format(file: Path) -> None:
    kept = file.read_bytes()[-2 * LOOP_SAMPLES :]
    file.unlink()
    keep(file, "ambient bed pink, format 0, calm 0.0.0", kept, rate=RATE)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "missing": lambda file: file.unlink(),
    "empty": lambda file: file.write_bytes(b""),
    "garbage": lambda file: file.write_bytes(b"\xff\x00 not a sound" * 100),
    "cut short": lambda file: file.write_bytes(file.read_bytes()[:-2000]),
    "cut inside a sample": lambda file: file.write_bytes(file.read_bytes()[:-1]),
    "too long": lambda file: file.write_bytes(file.read_bytes() + b"\0\0" * 10),
    "a changed sample": _flip_a_sample,
    "another format": _another_format,
    "another rate": lambda file: file.write_bytes(
        file.read_bytes().replace((RATE).to_bytes(4, "little"), (44100).to_bytes(4, "little"), 1)
    ),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_kept_bed_is_made_again_and_kept(
    damage: str, fresh: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever is wrong with the kept file, the bed comes out as made, and is kept afresh."""
    bed_pcm("pink")
    file = locations.ambient_bed_file("pink")
    DAMAGE[damage](file)
    assert bed_pcm("pink") == fresh["pink"]
    no_synthesis(monkeypatch)
    assert bed_pcm("pink") == fresh["pink"]


def test_a_folder_where_the_bed_belongs_costs_only_the_keeping(fresh: dict[str, bytes]) -> None:
    """A folder in the kept file's place is left alone, and the bed is made each time."""
    file = locations.ambient_bed_file("brown")
    file.mkdir(parents=True)
    assert bed_pcm("brown") == fresh["brown"]
    assert bed_pcm("brown") == fresh["brown"]
    assert file.is_dir()


def test_a_cache_folder_that_cannot_be_written_still_gives_a_bed(
    fresh: dict[str, bytes],
) -> None:
    """Where the cache folder should be is a file: the bed is made, and nothing is kept."""
    cache = locations.cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a folder")
    assert bed_pcm("ocean") == fresh["ocean"]
    assert cache.read_text() == "not a folder"


# -- at the session's volume ----------------------------------------------------------------------


def test_the_bed_is_played_at_the_session_volume(fresh: dict[str, bytes]) -> None:
    """At full volume the bed plays as made; at half, 6 dB down; at zero, not at all."""
    full = load_bed("pink", 100)
    half = load_bed("pink", 50)
    assert full is not None and half is not None
    assert (full.name, full.rate, full.pcm) == ("ambient pink", RATE, fresh["pink"])
    assert abs(dbfs(samples(half.pcm)) - (BED_RMS_DBFS - 6.02)) <= 0.1
    assert load_bed("pink", 0) is None
