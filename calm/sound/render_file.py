"""A soundtrack written to a sound file: WAV, FLAC, MP3 or Ogg Vorbis, chosen by the
file's extension, tagged, written in blocks, and never left half written.

soundfile is imported here only, and only when a file is written or the formats are
listed: its wheels bundle libsndfile with every encoder, so no system tool is needed.
The file is written under a temporary name in the same folder and renamed into
place when it is whole, so a failed or interrupted render leaves nothing behind, and
a file that is already there is never replaced unless that is asked for.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from calm.core.safe_text import one_line

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from calm.sound.soundtrack import Soundtrack

BLOCK_SECONDS = 1
"""How much sound is mixed and written at a time: libsndfile's Vorbis encoder has been
seen to crash when handed ten minutes in one call, and a second at a time costs nothing."""
TAG_LIMIT = 200
"""The most characters a tag may hold: titles come from script files, which are outside data."""

WAV_HEADER_SIZE = 44
"""The bytes before a plain WAV file's samples."""

Progress = Callable[[int, int], None]
"""Told how many samples are written so far, and how many there are in all."""


class RenderError(Exception):
    """The file cannot be written; the message is one line for the user."""


@dataclass(frozen=True)
class FileFormat:
    """A kind of sound file calm can write."""

    name: str
    """How it is named to the user: "WAV", "Ogg Vorbis"."""
    suffixes: tuple[str, ...]
    """The file extensions that choose it, in lower case."""
    container: str
    """libsndfile's name for the file format."""
    subtype: str
    """libsndfile's name for the encoding inside it."""
    ascii_tags: bool = False
    """Whether its tags keep only ASCII: libsndfile writes an MP3's through LAME, whose
    ID3 tags say Latin-1 while holding UTF-8, which players show garbled."""

    @property
    def shown(self) -> str:
        """The format and its extensions, such as "Ogg Vorbis (.ogg, .oga)"."""
        return f"{self.name} ({', '.join(self.suffixes)})"


FORMATS = (
    FileFormat("WAV", (".wav",), "WAV", "PCM_16"),
    FileFormat("FLAC", (".flac",), "FLAC", "PCM_16"),
    FileFormat("MP3", (".mp3",), "MP3", "MPEG_LAYER_III", ascii_tags=True),
    FileFormat("Ogg Vorbis", (".ogg", ".oga"), "OGG", "VORBIS"),
)
"""Every format calm writes: 16-bit mono for the lossless two, compressed for the others."""


def format_for(path: str | Path) -> FileFormat | None:
    """The format a file's extension chooses, in any case; None for one calm does not write."""
    suffix = Path(path).suffix.lower()
    return next((kind for kind in FORMATS if suffix in kind.suffixes), None)


def writable_formats() -> list[FileFormat]:
    """The formats this install can write: MP3 needs libsndfile 1.1 or later.

    Raises:
        RenderError: when soundfile or its libsndfile cannot be loaded at all.
    """
    soundfile = _soundfile()
    return [kind for kind in FORMATS if soundfile.check_format(kind.container, kind.subtype)]


@dataclass(frozen=True)
class Tags:
    """What a file says about itself, where its format keeps tags."""

    title: str
    album: str
    """The script's name, so a player groups a script's renders together."""
    comment: str
    artist: str = "calm"

    def cleaned(self, *, ascii_only: bool = False) -> dict[str, str]:
        """Each tag on one line with nothing a terminal would act on, and at most
        ``TAG_LIMIT`` characters: every one is outside data."""
        return {name: tag_text(value, ascii_only=ascii_only) for name, value in vars(self).items()}


_PLAIN_PUNCTUATION = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})
"""Punctuation that has a plain ASCII form, for tags that keep only ASCII."""


def tag_text(text: str, *, ascii_only: bool = False) -> str:
    """``text`` fit for a tag: one line, shown safely, lone surrogates and control
    characters hidden, and cut to ``TAG_LIMIT`` characters with an ellipsis; with
    ``ascii_only``, accents are dropped and what has no ASCII form is "?"."""
    line = one_line(text).strip()
    if len(line) > TAG_LIMIT:
        line = line[: TAG_LIMIT - 1].rstrip() + "…"
    if ascii_only:
        plain = unicodedata.normalize("NFKD", line.translate(_PLAIN_PUNCTUATION))
        plain = "".join(char for char in plain if not unicodedata.combining(char))
        line = plain.encode("ascii", "replace").decode("ascii")[:TAG_LIMIT]
    return line


def write_file(
    track: Soundtrack,
    target: Path,
    kind: FileFormat,
    tags: Tags,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write ``track`` to ``target`` as ``kind``, tagged; the size of the file written.

    Raises:
        RenderError: when the folder cannot be written in, or ``target`` is already
            there and ``replace`` is false.
    """
    soundfile = _soundfile()
    temporary = _temporary_beside(target)
    try:
        with soundfile.SoundFile(
            str(temporary),
            "w",
            samplerate=track.rate,
            channels=1,
            format=kind.container,
            subtype=kind.subtype,
        ) as out:
            for name, value in tags.cleaned(ascii_only=kind.ascii_tags).items():
                setattr(out, name, value)  # before the first sample: some formats need it
            for block in _blocks(track, progress):
                out.write(block)
        _put_in_place(temporary, target, replace=replace)
    except BaseException:
        # Ctrl+C, a full disk or a refusal: no half file, under either name.
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return target.stat().st_size


def write_wav_stream(
    track: Soundtrack, stream: BinaryIO, *, progress: Progress | None = None
) -> int:
    """Write ``track`` to ``stream`` as 16-bit mono WAV; the number of bytes written.

    The stream need not be able to seek (a pipe): the length is known before the
    first sample, so the header is written whole, first, and never gone back to.
    """
    data_size = 2 * track.length
    stream.write(
        struct.pack(
            "<4sI4s4sIHHIIHH4sI",
            b"RIFF",
            36 + data_size,
            b"WAVE",
            b"fmt ",
            16,  # the size of the format chunk
            1,  # PCM
            1,  # one channel
            track.rate,
            2 * track.rate,  # bytes a second
            2,  # bytes a frame
            16,  # bits a sample
            b"data",
            data_size,
        )
    )
    for block in _blocks(track, progress):
        stream.write(block.astype("<i2").tobytes())
    return WAV_HEADER_SIZE + data_size


def _blocks(track: Soundtrack, progress: Progress | None) -> Iterator[NDArray[np.int16]]:
    """The soundtrack's samples a block at a time, telling ``progress`` after each."""
    step = BLOCK_SECONDS * track.rate
    for start in range(0, track.length, step):
        stop = min(start + step, track.length)
        yield track.samples(start, stop)
        if progress is not None:
            progress(stop, track.length)


def check_folder(target: Path) -> None:
    """Make sure a file can be made in ``target``'s folder, before the work of mixing.

    Raises:
        RenderError: when the folder is not there or cannot be written in.
    """
    _temporary_beside(target).unlink()


def _temporary_beside(target: Path) -> Path:
    """A new, empty file in ``target``'s folder, made with the user's usual permissions,
    to write into before it takes ``target``'s name.

    Raises:
        RenderError: when the folder is not there or cannot be written in.
    """
    folder = target.parent
    for _ in range(10):
        # A short name of calm's own: the target's may already be as long as names go.
        temporary = folder / f".calm-render-{secrets.token_hex(4)}.part"
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as error:
            raise RenderError(_folder_problem(folder, error)) from None
        return temporary
    raise RenderError(f"cannot make a file in {folder}")  # pragma: no cover - ten clashes


def _folder_problem(folder: Path, error: OSError) -> str:
    """Why nothing can be written in ``folder``, in one line naming it."""
    if error.errno in (errno.ENOENT, errno.ENOTDIR) and not folder.is_dir():
        return f"there is no folder {folder}"
    return f"cannot write in {folder}: {error.strerror or error}"


def _put_in_place(temporary: Path, target: Path, *, replace: bool) -> None:
    """Give the finished file ``target``'s name, replacing a file there only if ``replace``.

    Raises:
        RenderError: when ``target`` is there and may not be replaced.
    """
    if replace:
        os.replace(temporary, target)
        return
    try:
        # A link fails if the name is taken, at the moment it is made: no race with
        # another program writing the same name since it was first looked at.
        os.link(temporary, target)
    except FileExistsError:
        raise RenderError(already_there(target)) from None
    except OSError:
        # A file system with no hard links: look, then rename.
        if target.exists() or target.is_symlink():
            raise RenderError(already_there(target)) from None
        os.replace(temporary, target)
        return
    temporary.unlink()


def already_there(target: Path) -> str:
    """The line that says ``target`` will not be overwritten."""
    return f"{target} already exists; add --force to replace it"


def _soundfile() -> Any:
    """The soundfile module, loaded now.

    Raises:
        RenderError: when it, or the libsndfile it bundles, cannot be loaded.
    """
    try:
        import soundfile  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise RenderError(f"cannot write sound files: soundfile did not load ({error})") from None
    return soundfile
