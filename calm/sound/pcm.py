"""Plain 16-bit mono sound as lists of samples, and the pydub segments made from them.

pydub is imported here and only here, quietly: on import it warns when ffmpeg
is missing, which calm never needs for WAV files and never shows to the user.

A sound file comes from outside calm: ``calm.core.cue_files`` checks it before it is read.
"""

from __future__ import annotations

import array
import io
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from calm.core.cue_files import (
    MAX_CUE_SECONDS,
    SoundFileError,
    check_format,
    check_length,
    read_sound_bytes,
    wav_sound,
)

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
    return pcm_segment(clipped.tobytes(), rate)


def pcm_segment(data: bytes, rate: int = RATE) -> AudioSegment:
    """16-bit little-endian mono samples as a pydub segment."""
    return pydub()(data=data, sample_width=2, frame_rate=rate, channels=1)


def samples_of(segment: AudioSegment) -> array.array[int]:
    """The 16-bit samples of a mono segment."""
    values = array.array("h")
    values.frombytes(segment.raw_data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def read_sound(path: Path) -> AudioSegment:
    """A sound file as a pydub segment, checked as ``check_sound_file`` checks it.

    WAV files are read with the standard library's ``wave``, which copes with any
    number of metadata chunks and needs no ffmpeg; other formats go to pydub,
    quietly, and need ffmpeg, which is asked for no more than a cue can be.

    Raises:
        SoundFileError: when the file cannot be read, or is not a sound calm can play.
    """
    data = read_sound_bytes(path)
    if path.suffix.lower() == ".wav":
        sound = wav_sound(data)
        frames, width = sound.frames, sound.width
        if width == 1:
            # 8-bit WAV samples are unsigned; pydub expects signed, so widen them.
            widened = array.array("h", ((byte - 128) << 8 for byte in frames))
            if sys.byteorder == "big":
                widened.byteswap()
            frames, width = widened.tobytes(), 2
        return pydub()(
            data=frames, sample_width=width, frame_rate=sound.rate, channels=sound.channels
        )
    if not data:
        raise SoundFileError("is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A second more than a cue may last, so that a longer one is known to be too long.
        segment = pydub().from_file(
            io.BytesIO(data), format=path.suffix[1:].lower(), duration=MAX_CUE_SECONDS + 1
        )
    check_format(segment.frame_rate, segment.channels, segment.sample_width)
    check_length(len(segment) / 1000)
    return segment
