"""Ambient beds: soft noise that loops without a seam and sits well under the cues.

Beds are made on demand, from a fixed seed, so the same bed always sounds the
same. Each is rendered a little longer than its loop, and the extra tail is
cross-faded into the start, so the loop's end flows into its beginning.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from calm.sound.pcm import RATE, to_segment

if TYPE_CHECKING:
    from pydub import AudioSegment

BED_NAMES = ("pink", "brown", "ocean")
"""The ambient beds, as named to ``--ambient``."""
LOOP_SECONDS = 12.0
"""How long one pass of a bed lasts before it loops."""
FADE_SECONDS = 1.5
"""How much of a bed's tail is cross-faded into its start to hide the loop."""
BED_RMS_DBFS = -40.0
"""Beds sit this far down: some 16 dB under the cues."""


def _pink(count: int, rng: random.Random) -> list[float]:
    # Paul Kellet's economy filter: white noise shaped to fall 3 dB an octave.
    b0 = b1 = b2 = 0.0
    out = []
    for _ in range(count):
        white = rng.uniform(-1, 1)
        b0 = 0.99765 * b0 + white * 0.0990460
        b1 = 0.96300 * b1 + white * 0.2965164
        b2 = 0.57000 * b2 + white * 1.0526913
        out.append(b0 + b1 + b2 + white * 0.1848)
    return out


def _brown(count: int, rng: random.Random) -> list[float]:
    # Integrated white noise, leaking slowly back to zero so it never drifts away.
    level = 0.0
    out = []
    for _ in range(count):
        level = 0.998 * level + rng.uniform(-1, 1) * 0.05
        out.append(level)
    return out


def _ocean(count: int, rng: random.Random) -> list[float]:
    # Brown noise that swells and ebbs like waves, about once every six seconds;
    # whole waves fit the loop, so the swell is seamless too.
    waves = round(LOOP_SECONDS / 6)
    base = _brown(count, rng)
    loop = round(LOOP_SECONDS * RATE)
    return [
        value * (0.35 + 0.65 * (1 - math.cos(2 * math.pi * waves * index / loop)) / 2)
        for index, value in enumerate(base)
    ]


_MAKERS: dict[str, Callable[[int, random.Random], list[float]]] = {
    "pink": _pink,
    "brown": _brown,
    "ocean": _ocean,
}


def seamless(samples: list[float], loop: int) -> list[float]:
    """``loop`` samples whose end runs into their start: the tail past ``loop`` is
    cross-faded over the beginning with equal-power curves."""
    fade = len(samples) - loop
    out = samples[:loop]
    for index in range(fade):
        mix = index / fade
        out[index] = samples[loop + index] * math.cos(mix * math.pi / 2) + out[index] * math.sin(
            mix * math.pi / 2
        )
    return out


def render_bed(name: str) -> AudioSegment:
    """One ambient bed, one loop long, at the bed level.

    Raises:
        KeyError: for a name that is not a bed.
    """
    loop = round(LOOP_SECONDS * RATE)
    fade = round(FADE_SECONDS * RATE)
    raw = _MAKERS[name](loop + fade, random.Random(f"calm-{name}"))
    peak = max(abs(value) for value in raw) or 1.0
    segment = to_segment([value / peak * 0.5 for value in seamless(raw, loop)])
    return segment.apply_gain(BED_RMS_DBFS - segment.dBFS)
