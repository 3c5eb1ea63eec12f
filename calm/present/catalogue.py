"""``calm list``: every script in the library, as a table or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calm.core.library import Entry, Library, Origin
from calm.core.problems import ScriptError
from calm.core.safe_text import shown_safely
from calm.core.script import Category, Script
from calm.core.timeline import planned_ms
from calm.present.measures import planned_length_text
from calm.present.steps import words_for
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
    """One script as ``calm list`` shows it: loaded and timed, or broken."""

    entry: Entry
    script: Script | None
    seconds: float | None
    """The planned length as written, for a script that loads."""
    error: ScriptError | None

    @property
    def length(self) -> str:
        """The planned length as people read it."""
        if self.script is None or self.seconds is None:
            return ""
        self_paced = any(words_for(step.kind).self_paced(step) for step in self.script.steps)
        return planned_length_text(self.seconds, self_paced=self_paced)

    @property
    def source(self) -> str:
        """Where the script comes from, and what it hides."""
        hidden = {entry.origin for entry in self.entry.hides}
        if Origin.BUILTIN in hidden:
            return f"{self.entry.origin.value} (hides built-in)"
        if hidden:
            return f"{self.entry.origin.value} (hides another)"
        return self.entry.origin.value


def collect(library: Library, category: Category | None = None) -> list[Row]:
    """Load and time every script, in category order, then by name; broken ones last."""
    rows: list[Row] = []
    for entry in library.entries():
        try:
            script = entry.load()
        except ScriptError as error:
            if category is None:
                rows.append(Row(entry, None, None, error))
            continue
        if category is None or script.category is category:
            # Only the length is needed here: worked out without laying out every breath.
            rows.append(Row(entry, script, planned_ms(script) / 1000, None))
    order = list(Category)

    def sort_key(row: Row) -> tuple[int, str]:
        rank = order.index(row.script.category) if row.script else len(order)
        return rank, row.entry.name

    return sorted(rows, key=sort_key)


def catalogue_json(rows: list[Row]) -> list[dict[str, Any]]:
    """The valid scripts as JSON objects."""
    return [
        {
            "name": row.entry.name,
            "title": row.script.title,
            "category": row.script.category.value,
            "summary": row.script.summary,
            "seconds": row.seconds,
            "source": row.entry.origin.value,
        }
        for row in rows
        if row.script is not None and row.seconds is not None
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
        if row.script is None or row.seconds is None:
            cells.append([name, "invalid", "", "", row.source])
        else:
            title = shortened(row.script.title, width * WRAPPED_LINES)  # what two lines show
            cells.append([name, title, row.script.category.value, row.length, row.source])
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
