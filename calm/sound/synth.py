"""The cue set, synthesized from sine waves: no samples are downloaded or recorded.

- inhale: a soft tone gliding up a fifth;
- exhale: the same tone gliding down;
- hold: a quiet, low, short tick;
- step: a small bell of inharmonic partials, each decaying exponentially;
- end: three bell notes rising, a gentle chime.

Every cue starts and ends in silence, peaks below -3 dBFS, and is brought to the
same RMS loudness as the others, so none startles.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from calm.core.cue_names import CUE_NAMES
from calm.sound.pcm import RATE, to_segment

if TYPE_CHECKING:
    from pydub import AudioSegment

TARGET_RMS_DBFS = -24.0
"""Every cue's loudness."""
BELL_PARTIALS = ((1.0, 1.0, 1.0), (2.756, 0.5, 0.6), (5.404, 0.25, 0.4), (8.933, 0.12, 0.25))
"""(frequency ratio, amplitude, decay-time ratio) of a small bell's partials."""


def _raised_cosine(position: float) -> float:
    """0 at 0, 1 at 1, smooth at both ends."""
    return (1 - math.cos(math.pi * min(max(position, 0.0), 1.0))) / 2


def _envelope(index: int, total: int, attack: int, release: int) -> float:
    """Rises over ``attack`` samples and falls over the last ``release``, from and to silence."""
    rise = _raised_cosine(index / attack) if attack else 1.0
    fall = _raised_cosine((total - 1 - index) / release) if release else 1.0
    return rise * fall


def glide(start_hz: float, end_hz: float, seconds: float) -> list[float]:
    """A soft sine gliding from one pitch to another, with a gentle second harmonic."""
    total = round(seconds * RATE)
    ratio = end_hz / start_hz
    phase = 0.0
    samples = []
    for index in range(total):
        frequency = start_hz * ratio ** (index / total)
        phase += 2 * math.pi * frequency / RATE
        tone = math.sin(phase) + 0.15 * math.sin(2 * phase)
        samples.append(tone * _envelope(index, total, round(0.18 * RATE), round(0.4 * RATE)))
    return samples


def bell(frequency: float, seconds: float, decay: float) -> list[float]:
    """A bell note: inharmonic partials, each fading away exponentially."""
    total = round(seconds * RATE)
    attack, release = round(0.005 * RATE), round(0.08 * RATE)
    samples = []
    for index in range(total):
        time = index / RATE
        value = sum(
            amplitude
            * math.exp(-time / (decay * decay_ratio))
            * math.sin(2 * math.pi * frequency * ratio * time)
            for ratio, amplitude, decay_ratio in BELL_PARTIALS
        )
        samples.append(value * _envelope(index, total, attack, release))
    return samples


def tick(frequency: float, seconds: float) -> list[float]:
    """A short, low knock that fades almost at once."""
    total = round(seconds * RATE)
    attack, release = round(0.005 * RATE), round(0.03 * RATE)
    return [
        math.sin(2 * math.pi * frequency * index / RATE)
        * math.exp(-index / (0.035 * RATE))
        * _envelope(index, total, attack, release)
        for index in range(total)
    ]


def chime(notes: tuple[float, ...], spacing: float, seconds: float) -> list[float]:
    """Bell notes one after another, each ringing on under the next."""
    total = round(seconds * RATE)
    mixed = [0.0] * total
    for number, frequency in enumerate(notes):
        offset = round(number * spacing * RATE)
        for index, value in enumerate(bell(frequency, seconds - number * spacing, 0.7)):
            mixed[offset + index] += value / len(notes) * 1.5
    return mixed


_RECIPES: dict[str, Callable[[], list[float]]] = {
    "inhale": lambda: glide(261.63, 392.0, 1.0),
    "exhale": lambda: glide(392.0, 261.63, 1.2),
    "hold": lambda: tick(164.81, 0.14),
    "step": lambda: bell(523.25, 1.8, 0.45),
    "end": lambda: chime((392.0, 493.88, 587.33), 0.35, 3.0),
}


SILENCE_SECONDS = 0.005
"""Silence at each end of a cue, so that every player starts and stops on nothing."""


def render(name: str) -> AudioSegment:
    """One cue, brought to the shared loudness.

    Raises:
        KeyError: for a name that is not in the cue set.
    """
    pad = [0.0] * round(SILENCE_SECONDS * RATE)
    sound = to_segment(_RECIPES[name]())
    # Loudness is measured on the sound itself, before the silence is added.
    level = TARGET_RMS_DBFS - sound.dBFS
    return to_segment(pad) + sound.apply_gain(level) + to_segment(pad)


def render_all() -> dict[str, AudioSegment]:
    """The whole cue set, by name."""
    return {name: render(name) for name in CUE_NAMES}
