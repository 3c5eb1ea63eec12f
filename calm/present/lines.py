"""Lines printed straight to a terminal, outside any screen, wrapped between words."""

from __future__ import annotations

import shutil
import textwrap
from typing import IO


def wrapped(line: str, out: IO[str]) -> str:
    """``line`` wrapped between words to the width of the terminal ``out`` is, keeping
    its indent (and two more for each line after the first); unchanged for a pipe or
    a file, so a line read by another program stays one line."""
    width = terminal_width(out)
    if width is None or not line.strip():
        return line
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.fill(
        line.strip(), width, initial_indent=indent, subsequent_indent=indent + "  "
    )


def terminal_width(out: IO[str]) -> int | None:
    """The width to wrap lines to on the terminal ``out`` is, never below 20; None
    when ``out`` is no terminal (a pipe, a file, a closed stream)."""
    try:
        terminal = out.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return None
    return max(shutil.get_terminal_size().columns, 20) if terminal else None
