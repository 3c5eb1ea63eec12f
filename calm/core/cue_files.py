"""What makes a sound file usable as a cue: its size, length, rate, channels and width.

A sound file comes from outside calm, so it is read through ``calm.core.safe_read`` and
checked here, the same way when a script is validated and when a session loads it:
at most ``MAX_CUE_BYTES`` and ``MAX_CUE_SECONDS``, with a rate, channels and sample
width calm can play. Only the standard library is needed: no sound is decoded here
beyond a WAV file's header and frames.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path

from calm.core.safe_read import ReadError, Why, read_bytes, size_text

MAX_CUE_BYTES = 10_000_000
"""The biggest sound file a script can use as a cue."""
MAX_CUE_SECONDS = 30
"""The longest a cue can play."""
LOWEST_RATE = 8000
HIGHEST_RATE = 192_000
"""The sample rates, in Hz, a cue may have: those of real recordings."""
PLAYABLE_RATES = frozenset({8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000})
"""The rates every player plays as they are; a cue at any other is resampled to ``RATE``."""
SAMPLE_WIDTHS = (1, 2, 3, 4)
"""Bytes per sample calm can read: 8-, 16-, 24- and 32-bit PCM."""


class SoundFileError(Exception):
    """A sound file calm will not use; the message follows the file's name in one line."""


@dataclass(frozen=True, slots=True)
class WavSound:
    """The frames of a WAV file and how to play them."""

    frames: bytes
    width: int
    rate: int
    channels: int


def read_sound_bytes(path: Path) -> bytes:
    """The bytes of a sound file, read only if it is a regular file of at most
    ``MAX_CUE_BYTES``.

    Raises:
        SoundFileError: when it cannot be read, or is too big.
    """
    try:
        return read_bytes(path, MAX_CUE_BYTES)
    except ReadError as error:
        if error.why is Why.TOO_BIG:
            raise SoundFileError(
                f"is over {size_text(MAX_CUE_BYTES)}; a cue can be at most "
                f"{size_text(MAX_CUE_BYTES)} and {MAX_CUE_SECONDS} s"
            ) from None
        raise SoundFileError(error.reason) from None


def wav_sound(data: bytes) -> WavSound:
    """The sound in the bytes of a WAV file, checked to be one calm can play.

    Raises:
        SoundFileError: when it is not a WAV sound, or not one calm can play.
    """
    try:
        with wave.open(io.BytesIO(data), "rb") as sound:
            rate, channels = sound.getframerate(), sound.getnchannels()
            width = sound.getsampwidth()
            check_format(rate, channels, width)
            frames = sound.readframes(sound.getnframes())
    except EOFError:
        raise SoundFileError("is not a WAV sound calm can read: it ends too soon") from None
    except wave.Error as error:
        reason = str(error) or "it is damaged"
        raise SoundFileError(f"is not a WAV sound calm can read: {reason}") from None
    count = len(frames) // (width * channels)
    check_length(count / rate)
    whole = frames[: count * width * channels]
    return WavSound(frames=whole, width=width, rate=rate, channels=channels)


def check_format(rate: int, channels: int, width: int) -> None:
    """Refuse a rate, a number of channels or a sample width calm cannot play.

    Raises:
        SoundFileError: naming what is wrong and what would do.
    """
    if not LOWEST_RATE <= rate <= HIGHEST_RATE:
        raise SoundFileError(
            f"has a sample rate of {rate} Hz; a cue needs {LOWEST_RATE} to {HIGHEST_RATE} Hz"
        )
    if channels not in (1, 2):
        raise SoundFileError(f"has {channels} channels; a cue needs 1 (mono) or 2 (stereo)")
    if width not in SAMPLE_WIDTHS:
        raise SoundFileError(
            f"has {width * 8}-bit samples; a cue needs 8-, 16-, 24- or 32-bit samples"
        )


def check_length(seconds: float) -> None:
    """Refuse a sound with nothing in it, or longer than ``MAX_CUE_SECONDS``.

    Raises:
        SoundFileError: saying how long it is.
    """
    if seconds <= 0:
        raise SoundFileError("has no sound in it")
    if seconds > MAX_CUE_SECONDS:
        raise SoundFileError(
            f"plays for more than {MAX_CUE_SECONDS} s; a cue can be at most {MAX_CUE_SECONDS} s"
        )


def check_sound_file(path: Path) -> None:
    """Refuse a sound file calm would not play, without decoding more than a WAV file.

    A compressed file is only checked for its size here; its length and format are
    known once it is decoded (``calm.sound.decode``), when a session loads it.

    Raises:
        SoundFileError: saying what is wrong with it.
    """
    data = read_sound_bytes(path)
    if path.suffix.lower() == ".wav":
        wav_sound(data)
    elif not data:
        raise SoundFileError("is empty")
