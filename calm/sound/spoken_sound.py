"""A spoken line's samples made ready to mix: at calm's rate, trimmed, levelled, and
faded where it has to be cut.

Everything here works on floats from -1 to 1 with numpy, imported when first needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calm.sound.pcm import RATE

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

VOICE_RMS_DBFS = -22.0
"""How loud speech is set, before the volume: a little over the cues' -24 dBFS, as
words are harder to follow than tones."""

VOICE_PEAK_DBFS = -3.0
"""The loudest a spoken sample may be, before the volume."""

SILENCE = 10 ** (-50 / 20)
"""Below this share of full scale, a sample is silence, trimmed from a line's ends."""

FADE_SECONDS = 0.06
"""How long a line cut at its limit takes to fade out."""


def resampled(pcm: bytes, rate: int) -> NDArray[np.float32]:
    """16-bit samples at ``rate`` as floats from -1 to 1 at ``RATE``."""
    import numpy as np

    samples = floats(pcm)
    if rate == RATE or not len(samples):
        return samples
    length = round(len(samples) * RATE / rate)
    positions = np.arange(length, dtype=np.float64) * rate / RATE
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def floats(pcm: bytes) -> NDArray[np.float32]:
    """16-bit little-endian samples as floats from -1 to 1."""
    import numpy as np

    return (np.frombuffer(pcm, dtype="<i2") / 32767).astype(np.float32)


def trimmed(samples: NDArray[np.float32]) -> NDArray[np.float32]:
    """``samples`` without the silence at either end, but for a breath of it at the close."""
    import numpy as np

    sounding = np.flatnonzero(np.abs(samples) > SILENCE)
    if not len(sounding):
        return samples[:0]
    first = max(0, int(sounding[0]) - RATE // 200)
    last = min(len(samples), int(sounding[-1]) + 1 + RATE // 30)
    return samples[first:last]


def levelled(samples: NDArray[np.float32]) -> NDArray[np.float32]:
    """``samples`` set to ``VOICE_RMS_DBFS``, with no peak over ``VOICE_PEAK_DBFS``."""
    import numpy as np

    if not len(samples):
        return samples
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    peak = float(np.max(np.abs(samples)))
    if rms <= 0 or peak <= 0:
        return samples[:0]
    scale = min(10 ** (VOICE_RMS_DBFS / 20) / rms, 10 ** (VOICE_PEAK_DBFS / 20) / peak)
    return (samples * scale).astype(np.float32)


def faded(samples: NDArray[np.float32]) -> NDArray[np.float32]:
    """``samples`` with their last ``FADE_SECONDS`` faded smoothly to silence."""
    import numpy as np

    edge = min(len(samples), round(FADE_SECONDS * RATE))
    quieter = samples.copy()
    if edge:
        curve = np.cos(np.linspace(0, np.pi / 2, edge, dtype=np.float32)) ** 2
        quieter[len(quieter) - edge :] *= curve
    return quieter


def pcm_of(samples: NDArray[np.float32], scale: float = 1.0) -> bytes:
    """Floats from -1 to 1, times ``scale``, as 16-bit little-endian samples."""
    import numpy as np

    scaled = np.clip(np.rint(samples * (scale * 32767)), -32767, 32767).astype("<i2")
    data: bytes = scaled.tobytes()
    return data
