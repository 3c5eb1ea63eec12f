"""``calm list``: every script in the library, as a table or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text

from calm.library import Entry, Library, Origin
from calm.problems import ScriptError
from calm.script import Category, Script
from calm.timeline import Timeline, compile_timeline
from calm.wording import length_text


@dataclass(frozen=True, slots=True)
class Row:
    """One script as ``calm list`` shows it: loaded and timed, or broken."""

    entry: Entry
    script: Script | None
    timeline: Timeline | None
    error: ScriptError | None

    @property
    def source(self) -> str:
        """Where the script comes from, and what it hides."""
        if self.entry.origin is Origin.USER and self.entry.shadows:
            return "user (hides built-in)"
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
            rows.append(Row(entry, script, compile_timeline(script), None))
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
            "seconds": row.timeline.total_seconds,
            "source": row.entry.origin.value,
        }
        for row in rows
        if row.script is not None and row.timeline is not None
    ]


def catalogue_table(rows: list[Row]) -> Table:
    """The scripts as a table, broken ones marked invalid with their first problem."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("category", no_wrap=True)
    table.add_column("length", no_wrap=True)
    table.add_column("source", no_wrap=True, style="dim")
    for row in rows:
        if row.script is None or row.timeline is None:
            message = row.error.first_line if row.error else "invalid"
            table.add_row(
                Text(row.entry.name, style="red"),
                Text(f"invalid: {message}", style="red"),
                "",
                "",
                row.source,
            )
            continue
        table.add_row(
            row.entry.name,
            row.script.title,
            row.script.category.value,
            length_text(row.timeline),
            row.source,
        )
    if not rows:
        table.add_row(Text("no scripts found", style="dim"), "", "", "", "")
    return table
