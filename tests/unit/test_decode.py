"""Compressed cue files decoded by miniaudio, with no ffmpeg anywhere: MP3, FLAC and Ogg
Vorbis play, and a file that is not sound, or would play too long, is one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from calm.core.cue_files import MAX_CUE_SECONDS, SoundFileError
from calm.sound.pcm import RATE

soundfile = pytest.importorskip("soundfile")
decode = pytest.importorskip("calm.sound.decode")

FORMATS = {".flac": "FLAC", ".ogg": "OGG", ".mp3": "MP3"}


def write(path: Path, seconds: float, rate: int = 44100, channels: int = 2) -> None:
    """A quarter-scale 440 Hz tone, written by libsndfile in the path's format."""
    times = np.arange(round(seconds * rate)) / rate
    tone = 0.25 * np.sin(2 * np.pi * 440 * times)
    data = np.stack([tone] * channels, axis=1) if channels > 1 else tone
    soundfile.write(path, data, rate, format=FORMATS[path.suffix])


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_a_compressed_cue_is_decoded_to_calm_s_rate_in_mono(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stereo at 44.1 kHz in, mono at calm's rate out, the same length and level."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no ffmpeg to fall back on
    path = tmp_path / f"bell{suffix}"
    write(path, 0.5)
    segment = decode.decoded_sound(path)
    assert segment.channels == 1
    assert segment.frame_rate == RATE
    assert segment.sample_width == 2
    # MP3 pads its start and end by a frame or so.
    assert abs(len(segment) - 500) <= 60
    peak = max(abs(sample) for sample in segment.get_array_of_samples())
    assert 0.2 * 32767 < peak < 0.3 * 32767


@pytest.mark.parametrize("suffix", [".flac", ".ogg"])
def test_a_cue_that_plays_too_long_is_turned_down_without_decoding_it_all(
    suffix: str, tmp_path: Path
) -> None:
    """A file past a cue's longest is refused as soon as decoding passes it."""
    path = tmp_path / f"long{suffix}"
    write(path, MAX_CUE_SECONDS + 5, rate=8000, channels=1)
    with pytest.raises(SoundFileError, match=f"more than {MAX_CUE_SECONDS} s"):
        decode.decoded_sound(path)


@pytest.mark.parametrize(
    "data",
    [b"", b"ID3\x03\x00\x00\x00\x00\x00\x00junk", b"fLaC" + bytes(200), b"OggS" + bytes(100)],
)
def test_a_file_that_is_not_sound_is_one_line(data: bytes, tmp_path: Path) -> None:
    """Empty, or a header with nothing behind it: a SoundFileError of one line."""
    path = tmp_path / "x.mp3"
    path.write_bytes(data)
    with pytest.raises(SoundFileError) as raised:
        decode.decoded_sound(path)
    assert "\n" not in str(raised.value)


BAD_COMMENTS_OGG = bytes.fromhex(
    "4f67675300020000000000000000dcc3ba3200000000b39ba218011e01766f72"
    "6269730000000001225600000000000037b0000000000000a9014f6767530000"
    "0000000000000000dcc3ba3201000000b0eeebd50e5affffffffffffffffffff"
    "ffffc503766f7262697334000000586970682e4f7267206c6962566f72626973"
    "204920323032303037303420285265647563696e6720456e7669726f6e6d656e"
    "74299a00000012000000454e434f4445523d6c6962736e6466696c650105766f"
    "726269732242435601004000001842102a05ad638e3ac815218c19a2a042ca29"
    "c71d42d021a32443883ac635c7186347b9648a42c981d0"
)
"""The start of an Ogg Vorbis file whose comment header claims 154 comments and holds
one: miniaudio's Vorbis decoder frees a pointer it never set and takes the process down."""


@pytest.mark.parametrize("name", ["bad.ogg", "bad.mp3"])
def test_a_damaged_ogg_file_is_one_line_not_a_crash(name: str, tmp_path: Path) -> None:
    """A damaged Ogg file, whatever its name says, is refused in one line; calm lives on.
    Decoded in a process of its own, as a crash would take pytest with it."""
    path = tmp_path / name
    path.write_bytes(BAD_COMMENTS_OGG)
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from calm.core.cue_files import SoundFileError\n"
        "from calm.sound.decode import decoded_sound\n"
        "try:\n"
        "    decoded_sound(Path(sys.argv[1]))\n"
        "except SoundFileError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "cannot be decoded as sound (an MP3, FLAC or Ogg Vorbis file is needed)"
    )
