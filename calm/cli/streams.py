"""The standard streams, made ready before calm writes a word.

Two things can break output that has nothing to do with calm: a stream closed
by the caller (``calm list >&-``) and a terminal whose encoding cannot carry a
character, such as ``·`` under ``LC_ALL=C``. Both are settled here once, at
start-up, so that no command has to think about them.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata

FALLBACK = "calm-fallback"
"""The name of the codec error handler that writes ASCII stand-ins."""

STAND_INS = {
    "·": "-",
    "•": "*",
    "→": "->",
    "←": "<-",
    "…": "...",
    "×": "x",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "░": ".",
    "▒": ":",
    "▓": "+",
    "█": "#",
    "━": "=",
    "─": "-",
    "╸": "=",
    "▏": "|",
    "\u00a0": " ",
}
"""ASCII for the few non-ASCII characters calm itself writes, so that output to a
terminal that cannot show them still reads well: "Box - 4 min", "3 -> 2"."""


def stand_in(char: str) -> str:
    """ASCII that can take the place of ``char``: calm's own stand-in, else its
    letters without accents ("é" as "e"), else "?" ("??" for a character two
    columns wide, such as an emoji, so that columns still line up)."""
    if char in STAND_INS:
        return STAND_INS[char]
    letters = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if letters and letters.isprintable():
        return letters
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return ""  # It takes no column of its own: an accent, or a joiner.
    return "??" if unicodedata.east_asian_width(char) in ("W", "F") else "?"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: stand-ins for the characters that could not be encoded."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    unencodable = error.object[error.start : error.end]
    return "".join(stand_in(char) for char in unencodable), error.end


codecs.register_error(FALLBACK, _fallback)


def prepare_standard_streams() -> None:
    """Make stdin, stdout and stderr safe to use, whatever calm was started with.

    - A closed one (``>&-``) is opened onto the null device. Left closed, the
      next file calm opened (the history, say) would take its number, and
      output meant for the screen would be written into that file.
    - stdout and stderr write a stand-in for any character their encoding
      cannot carry (and for the lone surrogates that bytes which are not
      UTF-8 become), instead of raising ``UnicodeEncodeError``.
    """
    for fd in (0, 1, 2):
        _open_if_closed(fd)
    if sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            fd = 1 if name == "stdout" else 2
            stream = open(fd, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            setattr(sys, name, stream)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=FALLBACK)


def _open_if_closed(fd: int) -> None:
    try:
        os.fstat(fd)
    except OSError:
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
        except OSError:
            return
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
