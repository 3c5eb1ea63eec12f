"""The practice history as JSON, CSV and a plain table, for ``calm history``."""

from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Container, Iterable, Iterator
from typing import IO, Any, NamedTuple

from calm.practice.history import local_now
from calm.practice.history_rows import COLUMNS, SessionRecord
from calm.practice.table_cells import (
    BREATHS,
    ENDING,
    NOTE,
    NOTE_LINES,
    PACKING,
    PRACTISED,
    TENSION,
    TITLE,
    WHEN,
    WITH_YEAR,
    PackedCells,
)
from calm.present.measures import breaths_text
from calm.present.table import (
    GAP,
    cell_width,
    lay_out,
    output_width,
    plain_row_template,
    row_line,
    stacked,
    widths,
    wrapped,
)

FIELDS = COLUMNS[1:]
"""The fields of one exported session, in order; times are ISO 8601 with their offset."""

NOTE_LABEL = "  note: "
"""How a note on a line of its own begins."""

QUICK_RUN = 1000
"""How many sessions' lines are laid out at once when each is made by one format call."""

TITLE_LEAST = 16
"""The least room a title is given, on two lines, before each session is given lines of
its own."""


_parts = operator.methodcaller("split", PACKING)
"""A packed session's parts."""


def record_json(record: SessionRecord) -> dict[str, Any]:
    """One session as a JSON object with the ``FIELDS``."""
    return {
        "script": record.script,
        "title": record.title,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
        "planned_seconds": round(record.planned_seconds, 3),
        "practised_seconds": round(record.practised_seconds, 3),
        "status": record.status,
        "breaths": record.breaths,
        "mood_before": record.mood_before,
        "mood_after": record.mood_after,
        "note": record.note,
    }


def write_csv(records: list[SessionRecord], stream: IO[str]) -> None:
    """Sessions as CSV with a header row; an empty cell is a missing value."""
    # CSV's own line ending: a field holding a lone carriage return is then quoted too,
    # where with "\n" alone it would split the row for every reader.
    writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {key: "" if value is None else value for key, value in record_json(record).items()}
        )


def table_lines(
    records: Iterable[SessionRecord],
    *,
    width: int | None = None,
    running: Container[int] | None = None,
    this_year: int | None = None,
) -> list[str]:
    """Sessions as aligned columns, as they are listed, never wider than ``width``
    (the terminal's, by default; no limit for a pipe or a file).

    The title is given the room, and wraps onto a second line before it loses a
    word. Notes follow the titles on the same line when every note and title fits
    there whole; otherwise each note has lines of its own beneath its session. In
    a terminal too narrow for the table, each session takes a line for its time
    and title and a line or two for the rest.

    The tension and note columns appear only when some session has one, so a
    history kept without check-ins or notes fits a narrower terminal. A session
    in ``running`` (row ids) is still going somewhere, and reads "in progress".
    The year is left out when every session is from ``this_year`` (now's, by default).
    """
    return list(table_text(records, width=width, running=running, this_year=this_year))


def table_text(
    records: Iterable[SessionRecord],
    *,
    width: int | None = None,
    running: Container[int] | None = None,
    this_year: int | None = None,
) -> Iterator[str]:
    """The lines of ``table_lines`` one at a time, for a history of any length.

    The sessions are read once, each kept only as its cells packed in one string
    (``calm.practice.table_cells``), and when every cell fits its column, as in a
    pipe or a wide terminal, each line is made as it is written, by one format call
    when each of its characters takes a column. ``running`` is asked only about
    interrupted sessions.
    """
    packed = table_cells(width=width, running=running, this_year=this_year)
    for record in records:
        packed.add(record)
    yield from packed_table(packed)


def table_cells(
    *,
    width: int | None = None,
    running: Container[int] | None = None,
    this_year: int | None = None,
) -> PackedCells:
    """Room for the cells of a table as ``table_lines`` lays it out, to be filled with
    sessions (``PackedCells.add``, or ``add_rows`` with rows read straight from SQL)
    and then laid out by ``packed_table``."""
    year = this_year if this_year is not None else local_now().year
    return PackedCells(width or output_width(), running or set(), year)


def packed_table(packed: PackedCells) -> Iterator[str]:
    """The lines of the table of the sessions in ``packed``; none when it holds none."""
    if not packed.rows:
        return
    width = packed.width
    headers = ["when", "script", "practised", "breaths", "how it ended"]
    if packed.moods:
        headers.append("tension")
    right = (headers.index("breaths"),)
    found = _widths(packed, headers)
    spare = width - sum(found) - GAP * (len(found) - 1)
    # Where each shown column's cell is among a packed session's parts.
    fields = [WITH_YEAR if packed.with_year else WHEN, TITLE, PRACTISED, BREATHS, ENDING]
    fields += [TENSION] if packed.moods else []
    widest_note = max(cell_width("note"), packed.widest[NOTE])
    if packed.notes and spare - GAP - widest_note >= 0:
        found = [*found, widest_note]
        yield row_line([*headers, "note"], found)
        fields.append(NOTE)
    elif spare >= 0:
        yield row_line(headers, found)
    else:
        yield from _squeezed(headers, packed, width=width)
        return
    plain = _Plain(plain_row_template(found, right), operator.itemgetter(*fields))
    yield from _whole_rows(packed, plain, found, right, beside=NOTE in fields)


class _Plain(NamedTuple):
    """How a line is made by one printf-style call from a packed session's parts."""

    template: str
    """``plain_row_template`` for the columns shown."""
    shown: Callable[[list[str]], tuple[str, ...]]
    """The parts shown, in the order of the columns."""


def _whole_rows(
    packed: PackedCells, plain: _Plain, found: list[int], right: tuple[int], *, beside: bool
) -> Iterator[str]:
    """The lines of the sessions when every cell fits its column: each note ``beside``
    its title, or on lines of its own beneath its session.

    A run of sessions each of whose characters takes a column, with no note beneath
    any, is laid out by the ``plain`` template with no step of Python for each line.
    """
    rows, flags = packed.rows, packed.narrow
    beneath = packed.notes and not beside
    for begin in range(0, len(rows), QUICK_RUN):
        run, narrow = rows[begin : begin + QUICK_RUN], flags[begin : begin + QUICK_RUN]
        if 0 not in narrow and not beneath:
            made = map(plain.template.__mod__, map(plain.shown, map(_parts, run)))
            yield from map(str.rstrip, made)
            continue
        for row, quick in zip(run, narrow, strict=True):
            parts = row.split(PACKING)
            if quick:
                yield (plain.template % plain.shown(parts)).rstrip()
            else:
                cells = packed.cells(parts)
                yield row_line([*cells, parts[NOTE]] if beside else cells, found, right)
            if beneath and parts[NOTE]:
                yield from _note_lines(parts[NOTE], packed.width)


def _widths(packed: PackedCells, headers: list[str]) -> list[int]:
    """Each column's width, to show its widest cell and its header whole."""
    widest = packed.widest
    when = widest[WITH_YEAR] if packed.with_year else widest[WHEN]
    cells = [when, *widest[TITLE : TENSION + 1]][: len(headers)]
    return [
        max(cell_width(header, packed.width), most)
        for header, most in zip(headers, cells, strict=True)
    ]


def _squeezed(headers: list[str], packed: PackedCells, *, width: int) -> Iterator[str]:
    """The table in a terminal too narrow for every cell whole: the titles and statuses
    wrap, and the notes have lines of their own; narrower still, ``_stacked``."""
    rows, notes = [], []
    for cells, note in packed.each():
        rows.append(cells)
        notes.append(note)
    title, ending = headers.index("script"), headers.index("how it ended")
    # A status written by hand gives way before the title.
    text = [(ending, len(headers[ending])), (title, TITLE_LEAST)]
    found = widths(headers, rows, width=width, text=text)
    if found is None:
        yield from _stacked(rows, notes, width=width)
        return
    right = (headers.index("breaths"),)
    header, *blocks = lay_out(headers, rows, found, right=right, wrap=(title, ending))
    yield from header
    for block, note in zip(blocks, notes, strict=True):
        yield from block
        if note:
            yield from _note_lines(note, width)


def _stacked(rows: list[list[str]], notes: list[str], *, width: int) -> list[str]:
    """Each session over a few short lines, for a terminal too narrow for the table."""
    lines = []
    for row, note in zip(rows, notes, strict=True):
        when, title, practised, breaths, ending, *tension = row
        parts = [practised, breaths_text(int(breaths)), ending]
        if tension and tension[0]:
            parts.append(f"tension {tension[0]}")
        lines += stacked([((when, title), parts)], width=width)
        if note:
            lines += _note_lines(note, width)
    return lines


def _note_lines(note: str, width: int) -> list[str]:
    """A note on lines of its own under its session, wrapped to the terminal."""
    lines = wrapped(note.strip(), max(width - len(NOTE_LABEL), 1), most=NOTE_LINES)
    return [NOTE_LABEL + lines[0]] + [" " * len(NOTE_LABEL) + line for line in lines[1:]]
