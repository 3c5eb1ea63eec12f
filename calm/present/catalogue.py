"""``calm list``: every script in the library, as a table or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calm import locations
from calm.core.library import Entry, Library, Origin
from calm.core.problems import ScriptError
from calm.core.safe_text import shown_safely
from calm.core.script import Category, Script
from calm.present.measures import planned_length_text
from calm.present.script_headers import Header, HeaderCache, header_of
from calm.present.table import (
    BOLD,
    RED,
    WRAPPED_LINES,
    cut,
    lay_out,
    output_width,
    paint,
    shortened,
    stacked,
    widths,
)

TITLE_LEAST = 20
"""The least room a title is given, on two lines, before the length and the source wrap."""


@dataclass(frozen=True, slots=True)
class Row:
    """One script as ``calm list`` shows it: its header, or its problems when it is broken."""

    entry: Entry
    header: Header | None
    """What the listing shows of a script that loads, perhaps kept from an earlier run."""
    error: ScriptError | None

    @property
    def script(self) -> Script | None:
        """The checked script, loaded on first use; None for a broken one."""
        if self.header is None:
            return None
        try:
            return self.entry.load()
        except ScriptError:  # changed since its header was kept, and broken now
            return None

    @property
    def seconds(self) -> float | None:
        """The planned length as written, for a script that loads."""
        return None if self.header is None else self.header.seconds

    @property
    def length(self) -> str:
        """The planned length as people read it."""
        if self.header is None:
            return ""
        return planned_length_text(self.header.seconds, self_paced=self.header.self_paced)

    @property
    def source(self) -> str:
        """Where the script comes from, and what it hides."""
        hidden = {entry.origin for entry in self.entry.hides}
        if Origin.BUILTIN in hidden:
            return f"{self.entry.shown_origin} (hides built-in)"
        if hidden:
            return f"{self.entry.shown_origin} (hides another)"
        return self.entry.shown_origin


def collect(
    library: Library, category: Category | None = None, *, headers_file: Path | None = None
) -> list[Row]:
    """Every script's row, in category order, then by name; broken ones last.

    A script's header comes from ``headers_file`` (the cache folder's, by default)
    while its file is unchanged; any other script is loaded and checked, and the
    file then keeps its header for next time.
    """
    headers = HeaderCache.open(headers_file or locations.script_headers_file())
    rows: list[Row] = []
    for entry in library.entries():
        header = headers.get(entry.path)
        if header is None:
            try:
                script = entry.load()
            except ScriptError as error:
                if category is None:
                    rows.append(Row(entry, None, error))
                continue
            header = header_of(script)
            headers.put(entry.path, script, header)
        if category is None or header.category is category:
            rows.append(Row(entry, header, None))
    headers.save()
    order = list(Category)

    def sort_key(row: Row) -> tuple[int, str]:
        rank = order.index(row.header.category) if row.header else len(order)
        return rank, row.entry.name

    return sorted(rows, key=sort_key)


def catalogue_json(rows: list[Row]) -> list[dict[str, Any]]:
    """The valid scripts as JSON objects."""
    return [
        {
            "name": row.entry.name,
            "title": row.header.title,
            "category": row.header.category.value,
            "summary": row.header.summary,
            "seconds": row.header.seconds,
            "source": row.entry.origin.value,
        }
        for row in rows
        if row.header is not None
    ]


def catalogue_lines(
    rows: list[Row], *, colour: bool = False, width: int | None = None
) -> list[str]:
    """The scripts as aligned columns; a broken one is marked invalid, its problem beneath.

    No line is wider than ``width`` (the terminal's, by default). Names and
    lengths are never cut: the title gives way first, down to ``TITLE_LEAST``
    columns, wrapping onto a second line rather than losing a word; then the
    length and the source wrap too, and the title has the room they leave. A
    terminal too narrow even for that gets each script over a few lines.
    """
    if not rows:
        return ["No scripts found."]
    width = width or output_width()
    headers = ["name", "title", "category", "length", "source"]
    cells: list[list[str]] = []
    for row in rows:
        name = shortened(row.entry.name, width)
        if row.header is None:
            cells.append([name, "invalid", "", "", row.source])
        else:
            title = shortened(row.header.title, width * WRAPPED_LINES)  # what two lines show
            cells.append([name, title, row.header.category.value, row.length, row.source])
    wrap = (headers.index("length"), headers.index("source"))
    found = widths(headers, cells, width=width, text=[(1, TITLE_LEAST)], wrap=wrap)
    lines: list[str] = []
    if found is None:
        for row, (name, title, *rest) in zip(rows, cells, strict=True):
            block = stacked([((name, title), rest)], width=width)
            lines += _marked(row, block, colour, width)
        return lines
    header, *blocks = lay_out(headers, cells, found, wrap=(1, *wrap))
    lines += [paint(line, BOLD, colour) for line in header]
    for row, block in zip(rows, blocks, strict=True):
        lines += _marked(row, block, colour, width)
    return lines


def _marked(row: Row, block: list[str], colour: bool, width: int) -> list[str]:
    """A script's lines, and, for a broken one, in red with its first problem beneath."""
    if row.error is None:
        return block
    problem = "  " + cut(shown_safely(row.error.first_line), max(width - 2, 1))
    return [paint(line, RED, colour) for line in [*block, problem]]
