"""Plain 16-bit mono sound as lists of samples, and the pydub segments made from them.

pydub is imported here and only here, quietly: on import it warns when ffmpeg
is missing, which calm never needs for WAV files and never shows to the user.
"""

from __future__ import annotations

import array
import sys
import warnings
import wave
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydub import AudioSegment

RATE = 22050
"""Samples per second of every cue and bed."""
FULL_SCALE = 32767
"""The largest 16-bit sample."""


def pydub() -> type[AudioSegment]:
    """pydub's AudioSegment, imported without its ffmpeg and audioop warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment

    segment_type: type[AudioSegment] = AudioSegment
    return segment_type


def to_segment(samples: list[float], rate: int = RATE) -> AudioSegment:
    """Samples from -1 to 1 as a 16-bit mono pydub segment."""
    clipped = array.array(
        "h", (max(-FULL_SCALE, min(FULL_SCALE, round(value * FULL_SCALE))) for value in samples)
    )
    if sys.byteorder == "big":  # WAV and ALSA's S16_LE want little-endian samples.
        clipped.byteswap()
    return pydub()(data=clipped.tobytes(), sample_width=2, frame_rate=rate, channels=1)


def samples_of(segment: AudioSegment) -> array.array[int]:
    """The 16-bit samples of a mono segment."""
    values = array.array("h")
    values.frombytes(segment.raw_data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def read_sound(path: Path) -> AudioSegment:
    """A sound file as a pydub segment.

    WAV files are read with the standard library's ``wave``, which copes with any
    number of metadata chunks and needs no ffmpeg; other formats go to pydub,
    quietly, and need ffmpeg.

    Raises:
        OSError, EOFError, wave.Error: when the file cannot be read as sound.
    """
    if path.suffix.lower() == ".wav":
        with wave.open(str(path), "rb") as sound:
            data = sound.readframes(sound.getnframes())
            width = sound.getsampwidth()
            if width == 1:
                # 8-bit WAV samples are unsigned; pydub expects signed, so widen them.
                widened = array.array("h", ((byte - 128) << 8 for byte in data))
                if sys.byteorder == "big":
                    widened.byteswap()
                data, width = widened.tobytes(), 2
            return pydub()(
                data=data,
                sample_width=width,
                frame_rate=sound.getframerate(),
                channels=sound.getnchannels(),
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with path.open("rb") as handle:
            return pydub().from_file(handle, format=path.suffix[1:].lower())
