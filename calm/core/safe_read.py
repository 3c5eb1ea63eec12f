"""Reading a file from outside calm: a regular file only, never more than a set size, and
one plain reason when it cannot be read.

Every file calm reads comes through here: scripts, ``config.toml``, the next-tip mark and
sound cues. A named pipe, a device or a folder is refused before it is opened for reading,
so none can make calm wait for ever or fill its memory. A path calm cannot look into (a
folder it may not read, a name too long for the system, ``~someone`` who is not a user)
is a reason in words, never a traceback: on Python 3.11 even ``Path.is_file()`` raises
for a path inside a folder it may not read, so calm asks through the helpers here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from enum import Enum
from pathlib import Path, PurePath


class Why(Enum):
    """The kind of reason a file could not be read, for callers that word it their way."""

    MISSING = "missing"
    FOLDER = "folder"
    NOT_REGULAR = "not regular"
    TOO_BIG = "too big"
    OUTSIDE = "outside"
    UNREADABLE = "unreadable"


class ReadError(Exception):
    """A file calm could not read, and why, as a few plain words to follow its name."""

    def __init__(self, why: Why, reason: str) -> None:
        self.why = why
        self.reason = reason
        """Words that follow the file's name, such as "cannot be read: permission denied"."""
        super().__init__(reason)


_OPEN_FLAGS = (
    os.O_RDONLY
    # Opening a named pipe for reading waits for a writer, unless it does not block.
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, which must hold at most ``limit`` of them.

    Only ``limit + 1`` bytes are ever read, so a file that grows while it is read, or
    claims a false size, still costs no more.

    Raises:
        ReadError: when ``path`` is missing, is not a regular file, is too big, or cannot
            be read for any other reason.
    """
    try:
        # Looked at before it is opened: opening a device can have effects of its own.
        _check_kind(os.stat(path).st_mode)
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as error:
        raise read_error(error) from None
    try:
        info = os.fstat(descriptor)
        _check_kind(info.st_mode)  # the path may have been swapped since it was looked at
        if info.st_size > limit:
            raise ReadError(Why.TOO_BIG, f"is over {size_text(limit)}")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise read_error(error) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise ReadError(Why.TOO_BIG, f"is over {size_text(limit)}")
    return data


def replace_file(path: Path, text: str | bytes) -> None:
    """Keep ``text`` (or bytes) at ``path`` as a new file put in place of whatever was there.

    Whatever sits at the path (a named pipe, a link) is never opened for writing, and a
    reader never sees half a file. The folder is made when it is missing.

    Raises:
        OSError: when the file cannot be written; nothing is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _check_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReadError(Why.FOLDER, "is a folder, not a file")
    problem = not_regular(mode)
    if problem is not None:
        raise ReadError(Why.NOT_REGULAR, problem)


def not_regular(mode: int) -> str | None:
    """What a path whose ``st_mode`` is ``mode`` is, such as "is a named pipe, not a
    regular file", when it is not a regular file; None when it is one."""
    if stat.S_ISREG(mode):
        return None
    return f"is {_kind_name(mode)}, not a regular file"


def _kind_name(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_error(error: OSError | ValueError) -> ReadError:
    """What an error from the system means for a file calm wanted to read, in plain words."""
    if isinstance(error, ValueError):
        # os functions refuse a path holding a NUL character with a ValueError.
        return ReadError(Why.UNREADABLE, "cannot be read: its name holds a NUL character")
    number = error.errno
    if number == errno.ENOENT:
        return ReadError(Why.MISSING, "no such file")
    if number == errno.ENOTDIR:
        return ReadError(Why.MISSING, "no such file: a part of its path is a file, not a folder")
    if number == errno.EISDIR:
        return ReadError(Why.FOLDER, "is a folder, not a file")
    plain = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "its name is longer than the system allows",
        errno.ELOOP: "its symbolic links go round in a loop",
        errno.ENXIO: "it is not a file calm can read",
    }
    reason = plain.get(number or 0) or _lower_first(error.strerror or str(error))
    return ReadError(Why.UNREADABLE, f"cannot be read: {reason}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def size_text(count: int) -> str:
    """A number of bytes as people say it: "64 bytes", "100 kB", "10 MB"."""
    if count < 1000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1000:g} kB"
    return f"{count / 1_000_000:g} MB"


def expanded(text: str) -> Path:
    """``text`` as a path, a leading ``~`` or ``~user`` expanded where it can be.

    Raises:
        ReadError: for ``~someone`` when there is no such user, or no home to expand to.
    """
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:
        user = text.split("/", 1)[0].split(os.sep, 1)[0][1:]
        reason = f'there is no user "{user}" on this system' if user else "there is no home folder"
        raise ReadError(Why.MISSING, reason) from None


def expanded_or_as_written(text: str) -> Path:
    """``text`` as a path, ``~`` expanded where it can be and left as written where not;
    a path left as written is then simply not found."""
    try:
        return expanded(text)
    except ReadError:
        return Path(text)


def is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; False, never an error, when it cannot be looked at."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder; False, never an error, when it cannot be looked at."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_there(path: Path) -> bool:
    """Whether something is at ``path``, even something calm may not look at; False only
    when nothing is, or when the path cannot name anything."""
    try:
        os.lstat(path)
    except (OSError, ValueError) as error:
        number = getattr(error, "errno", None)
        return number not in (errno.ENOENT, errno.ENOTDIR, None)
    return True


def files_in(folder: Path, suffix: str) -> tuple[list[Path], str | None]:
    """The files in ``folder`` whose names end in ``suffix``, sorted by name, and why the
    folder could not be read, or None when it could (or simply is not there).

    A folder, a named pipe or a device with such a name is left out, as is a link to
    nothing; a link calm may not follow is kept, so that reading it says why.
    """
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(suffix))
    except FileNotFoundError:
        if str(folder).startswith("~"):
            return [], _no_such_user(str(folder))
        return [], None
    except NotADirectoryError:
        return [], "is a file, not a folder"
    except (OSError, ValueError) as error:
        return [], read_error(error).reason
    return [folder / name for name in names if _listable(folder / name)], None


def _no_such_user(text: str) -> str | None:
    try:
        expanded(text)
    except ReadError as error:
        return error.reason
    return None


def _listable(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return True


def leaves_folder(name: str) -> bool:
    """Whether ``name``, written in a file to name another beside it, leads out of its
    folder as written: an absolute path, a drive, ``~`` or a ``..`` part."""
    written = PurePath(name)
    return (
        written.is_absolute()
        or bool(written.drive)
        or ".." in written.parts
        or name.startswith("~")
    )


def within(folder: Path, name: str) -> Path:
    """The file ``name`` names inside ``folder``, which it must not leave.

    ``..``, an absolute path, and a link that leads out of the folder are all refused,
    so a shared script can only ever reach the files that came with it.

    Raises:
        ReadError: when ``name`` would leave ``folder``, or cannot be looked at.
    """
    outside = ReadError(Why.OUTSIDE, "is outside the script's folder")
    if leaves_folder(name):
        raise outside
    path = folder / name
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError) as error:
        if isinstance(error, RuntimeError):  # Python 3.11 says a link loop this way
            error = OSError(errno.ELOOP, "loop")
        raise read_error(error) from None
    if not inside:
        raise outside
    return path
