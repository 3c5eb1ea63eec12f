"""Plain aligned columns for quick listings, without the cost of importing rich.

A table gives its text columns (a title, a note) the room; the other columns,
short figures and words, are never cut. When the text columns cannot have
their least room beside them, the caller lays each row out over more lines
instead (``stacked``), so that no line is ever wider than the terminal.

Every cell is measured in terminal columns, and a cell longer than any line
could show is cut short before it is measured (``shortened``), so a title of
ten megabytes costs no more than one of ten characters.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import IO

from calm.core.safe_text import one_line

BOLD, RED, DIM, RESET = "\x1b[1m", "\x1b[31m", "\x1b[2m", "\x1b[0m"

GAP = 2
"""Spaces between two columns."""

CELL_LIMIT = 10_000
"""The most columns one cell ever shows, even with no terminal to fit: a table is for
reading, and ``--json`` and ``--csv`` keep every character."""

ELLIPSIS = "…"

LINES_AT_ONCE = 1000
"""How many lines ``write_lines`` gathers before writing them: few writes, and a long
table is never held whole."""

WRAPPED_LINES = 2
"""The most lines a wrapped cell is given: more would make a table hard to read."""

KEPT_WIDTH_CHARACTERS = 64
"""Cells up to this long that are not plain ASCII have their widths kept: they repeat
down a table (a tension such as "3 → 1", a title), and measuring one takes a step of
Python for each character."""


def use_colour(stream: IO[str]) -> bool:
    """Whether to colour output: only on a terminal, and never when NO_COLOR is set."""
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, style: str, colour: bool) -> str:
    """``text`` in an ANSI ``style`` when colour is on."""
    return f"{style}{text}{RESET}" if colour and text else text


LEAST_COLUMNS = 40
"""The narrowest width calm lays its tables out for, as calm is made for 40 columns
and up (docs/sessions.md). Narrower, cells shrink to "…" or a letter (at 20, nearly
two hundred in ``calm show pmr``), where a terminal that narrow would rather wrap the
lines, losing nothing. A ``COLUMNS`` below it is taken as this on a terminal, and is
not a width at all in a pipe or a file."""


def columns_setting() -> int | None:
    """``COLUMNS`` as a width to lay a table out for, read as ``shutil.get_terminal_size``
    reads it: None when it is unset, not a whole number, or below ``LEAST_COLUMNS``."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return columns if columns >= LEAST_COLUMNS else None


def output_width() -> int:
    """The terminal's width, never below ``LEAST_COLUMNS``; with output to a pipe or
    file, no limit, so grep finds it all.

    ``COLUMNS`` of at least ``LEAST_COLUMNS`` is obeyed either way: in a pipe, it lays
    the table out as for a terminal that wide (``COLUMNS=80 calm history > notes.txt``).
    A smaller one cuts nothing short in a pipe, where no terminal is that narrow.
    """
    if not sys.stdout.isatty():
        columns = columns_setting()
        return sys.maxsize if columns is None else columns
    return max(shutil.get_terminal_size((100, 24)).columns, LEAST_COLUMNS)


def rich_size() -> tuple[int, int | None]:
    """The width and height for a Rich console (``calm stats``, ``calm show``), by the
    rules of ``output_width``, except that a pipe or file is given a width where Rich
    would take one: a terminal's on stdin or stderr, else 80.

    The height is None, left to Rich, unless ``COLUMNS`` or ``LINES`` holds digits
    that are not decimal ("²"), which Rich would read and fail on.
    """
    if sys.stdout.isatty():
        width = output_width()
    else:
        columns = columns_setting()
        width = _width_beside() if columns is None else columns
    unreadable = any(
        value.isdigit() and not value.isdecimal()
        for value in (os.environ.get("COLUMNS", ""), os.environ.get("LINES", ""))
    )
    return width, shutil.get_terminal_size((80, 25)).lines if unreadable else None


def _width_beside() -> int:
    """The width Rich gives output to a pipe or file with no ``COLUMNS``, at least
    ``LEAST_COLUMNS``."""
    for stream in (sys.stdin, sys.stderr):
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            continue  # not a terminal
        if columns:
            return max(columns, LEAST_COLUMNS)
    return 80


def shortened(text: str, columns: int) -> str:
    """``text`` on one line and safe to print (``calm.core.safe_text.one_line``), no wider than
    ``columns`` (nor ``CELL_LIMIT``); a cut ends in an ellipsis.

    Only a bounded part of ``text`` is looked at, however long it is.
    """
    most = min(columns, CELL_LIMIT)
    # Room for marks that take no column, and for line breaks, which become " / ".
    limit = 2 * most + 16
    if len(text) <= limit:
        return cut(one_line(text), most)
    return cut(one_line(text[:limit]) + ELLIPSIS, most)


def cell_width(text: str, limit: int | None = None) -> int:
    """How many terminal columns ``text`` takes: two for a wide East Asian character or
    emoji, none for a combining mark, one for the rest.

    With ``limit``, counting stops once it is passed, and some number above it is given.
    """
    if text.isascii():
        return len(text)
    if len(text) <= KEPT_WIDTH_CHARACTERS:
        return _short_width(text)
    used = 0
    for char in text:
        used += _cells(char)
        if limit is not None and used > limit:
            break
    return used


@functools.lru_cache(maxsize=4096)
def _short_width(text: str) -> int:
    """``cell_width`` of a short text, measured whole."""
    return sum(map(_cells, text))


@functools.lru_cache(maxsize=4096)
def _cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cut(cell: str, width: int) -> str:
    """``cell`` as it is, or cut short with an ellipsis to fit ``width`` columns."""
    if cell.isascii():
        if len(cell) <= width:
            return cell
        return cell[: width - 1] + ELLIPSIS if width > 0 else ""
    if cell_width(cell, width) <= width:
        return cell
    kept: list[str] = []
    used = 0
    for char in cell:
        cells = _cells(char)
        if used + cells > width - 1:
            break
        kept.append(char)
        used += cells
    return "".join(kept) + ELLIPSIS if width > 0 else ""


def fit(cell: str, width: int) -> str:
    """``cell`` padded to ``width`` columns, or cut short with an ellipsis to fit them."""
    shown = cut(cell, width)
    return shown + " " * (width - cell_width(shown))


def widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    text: Sequence[tuple[int, int]] = (),
    wrap: Sequence[int] = (),
) -> list[int] | None:
    """The width of each column for lines at most ``width`` wide; None when they cannot fit.

    Args:
        text: The text columns, each with the least room it may be given (or its
            whole width, when less), in the order they give way; laid out, they
            wrap onto a second line rather than lose their words.
        wrap: Columns that may then wrap too, in the order they give way, down to
            the least width that takes each cell in two lines; once they do, the
            text columns have the room they leave. Every other column keeps its width.
    """
    found = [
        max(cell_width(row[column], width) for row in [headers, *rows])
        for column in range(len(headers))
    ]
    over = sum(found) + GAP * (len(found) - 1) - width
    if over <= 0:
        return found
    whole = list(found)
    for column, floor in text:
        given = min(over, max(found[column] - max(floor, _widest_word(headers, column)), 0))
        found[column] -= given
        over -= given
    if over > 0 and wrap:
        # Wrapping makes rows taller however little it is done, so once it is needed the
        # wrapping columns take their least width, and the text columns have the room.
        for column in wrap:
            least = _least_wrapped(headers, rows, column, found[column])
            over -= found[column] - least
            found[column] = least
        for column, _ in reversed(text):
            given = min(-over, whole[column] - found[column]) if over < 0 else 0
            found[column] += given
            over += given
    return found if over <= 0 else None


def _widest_word(headers: Sequence[str], column: int) -> int:
    """The width of a header's longest word, which its column, wrapping, cannot go below."""
    return max(cell_width(word) for word in headers[column].split(" "))


def _least_wrapped(
    headers: Sequence[str], rows: Sequence[Sequence[str]], column: int, most: int
) -> int:
    """The least width at which every cell of ``column`` wraps onto at most two lines."""
    cells = [row[column] for row in [headers, *rows]]
    longest_word = max(cell_width(word, most) for cell in cells for word in cell.split(" "))
    for tried in range(min(longest_word, most), most):
        if all(len(wrapped(cell, tried, most=len(cell))) <= WRAPPED_LINES for cell in cells):
            return tried
    return most


def lay_out(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    column_widths: Sequence[int],
    *,
    right: Sequence[int] = (),
    wrap: Sequence[int] = (),
) -> list[list[str]]:
    """The header and each row as its lines, each cell fitted to its column; ``right``
    columns (figures) are aligned to the right. A cell wider than its column is cut short
    with an ellipsis, or, in a ``wrap`` column, wraps onto at most ``WRAPPED_LINES`` lines,
    making its row that many lines tall."""
    blocks = []
    for row in [headers, *rows]:
        cells = [
            wrapped(cell, column_widths[column]) if column in wrap else [cell]
            for column, cell in enumerate(row)
        ]
        block = []
        for number in range(max(len(cell) for cell in cells)):
            parts = []
            for column, cell in enumerate(cells):
                part = cell[number] if number < len(cell) else ""
                fitted = fit(part, column_widths[column])
                if column in right and row is not headers:
                    fitted = " " * (len(fitted) - len(fitted.rstrip())) + fitted.rstrip()
                parts.append(fitted)
            block.append((" " * GAP).join(parts).rstrip())
        blocks.append(block)
    return blocks


def row_line(cells: Sequence[str], column_widths: Sequence[int], right: Sequence[int] = ()) -> str:
    """One row as ``lay_out`` lays out a row whose cells all fit their columns: each cell
    padded to its column, ``right`` columns aligned to the right."""
    parts = []
    for column, cell in enumerate(cells):
        room = column_widths[column]
        # Plain ASCII takes a column a character: padded by its length, quickly.
        if cell.isascii() and len(cell) <= room:
            fitted = cell.ljust(room)
        else:
            used = cell_width(cell, room)
            fitted = cell + " " * (room - used) if used <= room else fit(cell, room)
        if column in right:
            fitted = fitted.rstrip().rjust(len(fitted))
        parts.append(fitted)
    return (" " * GAP).join(parts).rstrip()


def plain_row_template(column_widths: Sequence[int], right: Sequence[int] = ()) -> str:
    """A printf-style template (``template % cells``) that, with ``.rstrip()``, lays out a
    row as ``row_line`` does, when each character of every cell takes one column (plain
    ASCII does), every cell fits its column, and a ``right`` cell ends in no space.

    One such call is much quicker than fitting each cell, which tells for a long table,
    and quicker than ``str.format``, which reads more into its template.
    """
    return (" " * GAP).join(
        f"%{'' if column in right else '-'}{room}s" for column, room in enumerate(column_widths)
    )


def wrapped(cell: str, width: int, most: int = WRAPPED_LINES) -> list[str]:
    """``cell`` as at most ``most`` lines, each at most ``width`` columns wide, broken
    between words, or inside a word wider than a line; text left over is marked with an
    ellipsis at the end of the last line."""
    if cell_width(cell, width) <= width:
        return [cell]
    width = max(width, 1)
    lines: list[str] = []
    line = ""
    for word in cell.split(" "):
        joined = f"{line} {word}" if line else word
        if cell_width(joined, width) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        while cell_width(word, width) > width and len(lines) <= most:
            head = cut(word, width + 1)[:-1]  # as much of it as the line holds
            if not head:
                break
            lines.append(head)
            word = word[len(head) :]
        line = word
        if len(lines) > most:
            break
    lines.append(line)
    lines = [kept for kept in lines if kept]
    if len(lines) > most:
        last = lines[most - 1]
        marked = last if last.endswith(ELLIPSIS) else last + ELLIPSIS
        if cell_width(marked) > width:
            marked = cut(last + ELLIPSIS * 2, width)  # cut, so it ends in one
        lines = [*lines[: most - 1], marked]
    return [cut(kept, width) for kept in lines]


def stacked(
    rows: Sequence[tuple[Sequence[str], Sequence[str]]], *, width: int, indent: int = 2
) -> list[str]:
    """Rows too wide for one line each. A row's head (its first cells, two spaces apart)
    is its first line, or, too wide for one, a line for each cell, indented after the
    first. Its other parts follow beneath, indented, joined with " · " and wrapped
    between parts. A cell or part wider than its line is cut to fit."""
    lines = []
    room = max(width - indent, 1)
    for head, parts in rows:
        joined_head = (" " * GAP).join(head)
        if cell_width(joined_head, width) <= width:
            lines.append(joined_head)
        else:
            lines.append(cut(head[0], width))
            lines += [" " * indent + cut(cell, room) for cell in head[1:]]
        line = ""
        for part in (cut(part, room) for part in parts if part):
            joined = f"{line} · {part}" if line else part
            if line and cell_width(joined) > room:
                lines.append(" " * indent + line)
                joined = part
            line = joined
        if line:
            lines.append(" " * indent + line)
    return lines


def write_lines(lines: Iterable[str], stream: IO[str] | None = None) -> None:
    """Write lines to ``stream``, standard output by default, a batch at a time as they come."""
    target = stream or sys.stdout
    coming = iter(lines)
    while batch := list(itertools.islice(coming, LINES_AT_ONCE)):
        target.write("\n".join(batch) + "\n")
