"""Plain aligned columns for quick listings, without the cost of importing rich."""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from typing import IO

BOLD, RED, DIM, RESET = "\x1b[1m", "\x1b[31m", "\x1b[2m", "\x1b[0m"


def use_colour(stream: IO[str]) -> bool:
    """Whether to colour output: only on a terminal, and never when NO_COLOR is set."""
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, style: str, colour: bool) -> str:
    """``text`` in an ANSI ``style`` when colour is on."""
    return f"{style}{text}{RESET}" if colour and text else text


def align(
    headers: list[str],
    rows: list[list[str]],
    *,
    shrink: int | tuple[int, ...],
    width: int | None = None,
) -> list[str]:
    """Lay out rows under headers in columns two spaces apart.

    When the lines would be wider than ``width`` (the terminal's, by default,
    and no limit when output goes to a pipe or a file), the ``shrink`` columns,
    in the order given, are cut short with an ellipsis until the lines fit or
    those columns can give no more.
    """
    width = width or _output_width()
    widths = [
        max(cell_width(row[column]) for row in [headers, *rows]) for column in range(len(headers))
    ]
    for column in (shrink,) if isinstance(shrink, int) else shrink:
        over = sum(widths) + 2 * (len(widths) - 1) - width
        if over <= 0:
            break
        widths[column] = max(widths[column] - over, len(headers[column]), 8)
    lines = []
    for row in [headers, *rows]:
        cells = [_fit(cell, widths[column]) for column, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _output_width() -> int:
    """The terminal's width; with output to a pipe or file, no limit, so grep finds it all.

    ``COLUMNS``, when set, is obeyed either way.
    """
    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        return sys.maxsize
    return shutil.get_terminal_size((100, 24)).columns


def cell_width(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide East Asian character or
    emoji, none for a combining mark, one for the rest."""
    return sum(_cells(char) for char in text)


def _cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _fit(cell: str, width: int) -> str:
    """``cell`` padded to ``width`` columns, or cut short with an ellipsis to fit them."""
    used = cell_width(cell)
    if used > width:
        kept, used = "", 0
        for char in cell:
            cells = _cells(char)
            if used + cells > width - 1:
                break
            kept += char
            used += cells
        cell = kept + "…"
        used += 1
    return cell + " " * (width - used)


def write_lines(lines: list[str], stream: IO[str] | None = None) -> None:
    """Write lines to ``stream``, standard output by default."""
    target = stream or sys.stdout
    target.write("".join(line + "\n" for line in lines))
