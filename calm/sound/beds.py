"""Ambient beds: soft noise that loops without a seam and sits well under the cues.

A bed is noise made in the frequency domain: every frequency one loop can hold
gets a random amplitude and phase, weighted for the bed's colour, and a single
inverse FFT turns them into samples. Each of those frequencies makes a whole
number of cycles in the loop, so the loop's end runs straight into its start,
with no seam to hide. The randomness comes from a seed fixed by the bed's name,
so the same bed is the same, byte for byte, every time.

numpy is imported only when a bed is made, and a bed made once is kept in the
cache folder, so later sessions read it back in a few milliseconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calm import __version__, locations
from calm.sound.bed_names import BED_NAMES
from calm.sound.kept_sound import header_size, keep, read_kept
from calm.sound.pcm import FULL_SCALE, RATE, pcm_segment

if TYPE_CHECKING:
    from pydub import AudioSegment

LOOP_SECONDS = 12.0
"""How long one pass of a bed lasts before it loops."""
LOOP_SAMPLES = round(LOOP_SECONDS * RATE)
"""How many samples one pass of a bed holds."""
BED_RMS_DBFS = -40.0
"""Beds sit this far down: some 16 dB under the cues."""
FORMAT = 1
"""How beds are made; a kept bed made another way is made again. Change it whenever
what ``synthesise`` makes changes."""

_SLOPES = {"pink": 0.5, "brown": 1.0, "ocean": 1.0}
"""How steeply each bed's amplitude falls with frequency, as the power of 1/f: pink
noise falls 3 dB an octave, brown 6 dB."""
CORNER_HZ = 8.0
"""Below this the noise stops rising and lies flat, as a leaky filter's would, so
that most of a bed is sound and not an inaudible drift."""
OCEAN_WAVES = round(LOOP_SECONDS / 6)
"""How many times the ocean swells and ebbs in one loop: about once every six seconds."""


def synthesise(name: str) -> bytes:
    """One loop of a bed, freshly made: 16-bit little-endian mono samples at ``RATE``,
    at the bed level.

    Raises:
        KeyError: for a name that is not a bed.
    """
    slope = _SLOPES[name]
    import numpy as np

    bins = LOOP_SAMPLES // 2 + 1
    # The seed is the name's own bytes, so each bed has its own noise, always the same.
    generator = np.random.default_rng(int.from_bytes(f"calm-{name}".encode(), "big"))
    spectrum = generator.standard_normal(bins) + 1j * generator.standard_normal(bins)
    hertz = np.arange(bins) * (RATE / LOOP_SAMPLES)
    spectrum *= (hertz**2 + CORNER_HZ**2) ** (-slope / 2)
    spectrum[0] = 0  # no DC: the bed is centred on silence
    samples = np.fft.irfft(spectrum, n=LOOP_SAMPLES)
    if name == "ocean":
        # Whole waves fit the loop, so the swell is as seamless as the noise under it.
        phase = np.arange(LOOP_SAMPLES) * (2 * np.pi * OCEAN_WAVES / LOOP_SAMPLES)
        samples *= 0.35 + 0.65 * (1 - np.cos(phase)) / 2
        samples -= samples.mean()
    # Set by its RMS level, as pydub measures dBFS; noise peaks sit some 13 dB over it,
    # so nothing comes near full scale, and clipping there is only a guard.
    level = (FULL_SCALE + 1) * 10 ** (BED_RMS_DBFS / 20) / np.sqrt(np.mean(samples**2))
    scaled = np.clip(np.rint(samples * level), -FULL_SCALE, FULL_SCALE).astype("<i2")
    pcm: bytes = scaled.tobytes()
    return pcm


def bed_pcm(name: str) -> bytes:
    """One loop of a bed, as ``synthesise`` makes it: kept in the cache folder after it is
    first made, and read from there from then on.

    Raises:
        KeyError: for a name that is not a bed.
    """
    if name not in BED_NAMES:
        raise KeyError(name)
    file = locations.ambient_bed_file(name)
    stamp = f"ambient bed {name}, format {FORMAT}, calm {__version__}"
    kept = read_kept(file, stamp, rate=RATE, limit=header_size(stamp) + 2 * LOOP_SAMPLES)
    if kept is not None and len(kept) == 2 * LOOP_SAMPLES:
        return kept
    made = synthesise(name)
    keep(file, stamp, made, rate=RATE)
    return made


def render_bed(name: str) -> AudioSegment:
    """One ambient bed, one loop long, at the bed level, freshly made.

    Raises:
        KeyError: for a name that is not a bed.
    """
    return pcm_segment(synthesise(name))
