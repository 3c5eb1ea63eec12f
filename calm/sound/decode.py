"""Compressed cue files (MP3, FLAC, Ogg Vorbis) decoded with no ffmpeg.

A cue file comes from outside calm: it is read through the same size guard as a
WAV file, and decoded a piece at a time, so a small file that would decode to
hours of sound is turned down as soon as it passes a cue's longest, never held
whole in memory.

MP3 and FLAC are decoded by miniaudio. Ogg is decoded by libsndfile (soundfile,
with the reference libvorbis), never by miniaudio: its Vorbis decoder crashes the
whole process on a damaged file (a header claiming more comments than it holds).
miniaudio knows a file by its contents, not its name, so an Ogg file is known the
same way, by the capture pattern every Ogg file starts with.

Raises ImportError on import when miniaudio is not installed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import miniaudio

from calm.core.cue_files import MAX_CUE_SECONDS, SoundFileError, check_format, read_sound_bytes
from calm.sound.pcm import RATE, pcm_segment

if TYPE_CHECKING:
    from pydub import AudioSegment

PIECE_FRAMES = 8192
"""How many samples are decoded at a time."""
OGG_START = b"OggS"
"""The first bytes of every Ogg file."""
NOT_SOUND = "cannot be decoded as sound (an MP3, FLAC or Ogg Vorbis file is needed)"


def decoded_sound(path: Path) -> AudioSegment:
    """A compressed sound file as a mono pydub segment at calm's rate.

    Raises:
        SoundFileError: when it cannot be read, is not sound, or plays too long.
    """
    data = read_sound_bytes(path)
    if not data:
        raise SoundFileError("is empty")
    pcm = _ogg(data) if data.startswith(OGG_START) else _mp3_or_flac(data)
    if not pcm:
        raise SoundFileError("holds no sound")
    return pcm_segment(pcm, RATE)


def _too_long() -> SoundFileError:
    return SoundFileError(f"plays for more than {MAX_CUE_SECONDS} s, a cue's longest")


def _mp3_or_flac(data: bytes) -> bytes:
    """The samples of an MP3 or FLAC file, 16-bit mono at ``RATE``, by miniaudio."""
    limit = MAX_CUE_SECONDS * RATE
    pieces: list[bytes] = []
    frames = 0
    try:
        stream = miniaudio.stream_memory(
            data,
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=RATE,
            frames_to_read=PIECE_FRAMES,
        )
        for piece in stream:
            frames += len(piece)
            if frames > limit:
                raise _too_long()
            pieces.append(piece.tobytes())
    except miniaudio.MiniaudioError:
        # miniaudio says only that its decoder would not start: the file is not
        # MP3 or FLAC it can read, whatever its name says.
        raise SoundFileError(NOT_SOUND) from None
    return b"".join(pieces)


def _ogg(data: bytes) -> bytes:
    """The samples of an Ogg file, 16-bit mono at ``RATE``, by libsndfile."""
    import numpy as np

    from calm.sound.spoken_sound import pcm_of, resampled

    try:
        import soundfile  # type: ignore[import-untyped]
    except (ImportError, OSError):
        raise SoundFileError(f"{NOT_SOUND[:-1]}; soundfile did not load)") from None
    pieces = []
    frames = 0
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate, channels = sound.samplerate, sound.channels
            check_format(rate, channels, 2)
            for block in sound.blocks(PIECE_FRAMES, dtype="int16", always_2d=True):
                frames += len(block)
                if frames > MAX_CUE_SECONDS * rate:
                    raise _too_long()
                pieces.append(block.mean(axis=1).round().astype("<i2"))
    except (RuntimeError, ValueError, TypeError, EOFError):
        # libsndfile's own errors: not an Ogg Vorbis file it can read.
        raise SoundFileError(NOT_SOUND) from None
    if not frames:
        return b""
    return pcm_of(resampled(np.concatenate(pieces).tobytes(), rate))
