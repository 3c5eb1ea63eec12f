"""Lines printed straight to a terminal, outside any screen, wrapped between words."""

from __future__ import annotations

import shutil
import textwrap
from typing import IO


def wrapped(line: str, out: IO[str]) -> str:
    """``line`` wrapped between words to the width of the terminal ``out`` is, keeping
    its indent (and two more for each line after the first); unchanged for a pipe or
    a file, so a line read by another program stays one line."""
    try:
        terminal = out.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        terminal = False
    if not terminal or not line.strip():
        return line
    width = shutil.get_terminal_size().columns
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.fill(
        line.strip(), max(width, 20), initial_indent=indent, subsequent_indent=indent + "  "
    )
