"""Sounds calm made once and keeps in its cache folder, as 16-bit mono WAV files.

Making a sound can cost far more than reading it back, so a made sound is kept
to be read by later sessions in a few milliseconds. Each file is stamped with
what made it (such as the bed's name and the format of its making) and with a
checksum of its samples, in a chunk of its own that other WAV readers skip.

The cache is only ever a shortcut. A file that is missing, damaged, cut short,
too big or stamped by something else is passed over, to be made and written
afresh; one that cannot be written is simply not kept.
"""

from __future__ import annotations

import contextlib
import struct
import zlib
from pathlib import Path

from calm.core.safe_read import ReadError, read_bytes, replace_file

_STAMP_CHUNK = b"calm"
"""The id of the chunk holding the stamp and checksum."""


def _header(stamp: str, rate: int, size: int, checksum: int) -> bytes:
    """Everything a kept file holds before its ``size`` bytes of samples."""
    mark = stamp.encode("utf-8") + b"\0"
    mark += b"\0" * (len(mark) % 2)  # RIFF chunks are padded to an even size
    mark += struct.pack("<I", checksum)
    chunks = (
        b"fmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + _STAMP_CHUNK
        + struct.pack("<I", len(mark))
        + mark
        + b"data"
        + struct.pack("<I", size)
    )
    return b"RIFF" + struct.pack("<I", 4 + len(chunks) + size) + b"WAVE" + chunks


def header_size(stamp: str) -> int:
    """How many bytes come before the samples in a file kept with ``stamp``."""
    return len(_header(stamp, 0, 0, 0))


def read_kept(path: Path, stamp: str, *, rate: int, limit: int) -> bytes | None:
    """The samples kept at ``path`` with ``stamp`` at ``rate``, as 16-bit little-endian
    bytes; None when there are none, or the file is not exactly as it was written.

    At most ``limit`` bytes of file are read.
    """
    try:
        data = read_bytes(path, limit)
    except ReadError:
        return None
    start = header_size(stamp)
    samples = data[start:]
    if len(data) < start or len(samples) % 2:
        return None
    if data[:start] != _header(stamp, rate, len(samples), zlib.crc32(samples)):
        return None
    return samples


def keep(path: Path, stamp: str, samples: bytes, *, rate: int) -> None:
    """Keep 16-bit little-endian ``samples`` at ``path``, stamped, when a file can be written
    there; a reader never finds half a file."""
    data = _header(stamp, rate, len(samples), zlib.crc32(samples)) + samples
    # Only a shortcut: when it cannot be kept, the sound is made again next time.
    with contextlib.suppress(OSError, ValueError):
        replace_file(path, data)
