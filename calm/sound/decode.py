"""Compressed cue files (MP3, FLAC, Ogg Vorbis) decoded by miniaudio, with no ffmpeg.

A cue file comes from outside calm: it is read through the same size guard as a
WAV file, and decoded a piece at a time, so a small file that would decode to
hours of sound is turned down as soon as it passes a cue's longest, never held
whole in memory.

Raises ImportError on import when miniaudio is not installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import miniaudio

from calm.core.cue_files import MAX_CUE_SECONDS, SoundFileError, read_sound_bytes
from calm.sound.pcm import RATE, pcm_segment

if TYPE_CHECKING:
    from pydub import AudioSegment

PIECE_FRAMES = 8192
"""How many samples are decoded at a time."""


def decoded_sound(path: Path) -> AudioSegment:
    """A compressed sound file as a mono pydub segment at calm's rate.

    Raises:
        SoundFileError: when it cannot be read, is not sound, or plays too long.
    """
    data = read_sound_bytes(path)
    if not data:
        raise SoundFileError("is empty")
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
                raise SoundFileError(f"plays for more than {MAX_CUE_SECONDS} s, a cue's longest")
            pieces.append(piece.tobytes())
    except miniaudio.MiniaudioError:
        # miniaudio says only that its decoder would not start: the file is not
        # MP3, FLAC or Ogg Vorbis it can read, whatever its name says.
        raise SoundFileError(
            "cannot be decoded as sound (an MP3, FLAC or Ogg Vorbis file is needed)"
        ) from None
    if not frames:
        raise SoundFileError("holds no sound")
    return pcm_segment(b"".join(pieces), RATE)
