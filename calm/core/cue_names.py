"""The names of calm's built-in cues, and the kinds of sound file it can read.

Kept apart from the synthesis so that checking a script needs none of it.
"""

CUE_DESCRIPTIONS = {
    "inhale": "a soft tone gliding up, as a breath in begins",
    "exhale": "a soft tone gliding down, as a breath out begins",
    "hold": "a quiet, low tick, as a hold begins",
    "step": "a small bell, as a new step begins",
    "end": "a gentle three-note chime at the end",
}
CUE_NAMES = tuple(CUE_DESCRIPTIONS)
"""The built-in cues a script can name."""

COMPRESSED_SUFFIXES = (".mp3", ".ogg", ".flac")
"""Compressed sound files, which need ffmpeg to decode; WAV files need nothing."""
