"""The practice history as JSON, CSV and a plain table, for ``calm history``."""

from __future__ import annotations

import csv
import functools
from collections.abc import Container, Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

from calm.core.session import Status
from calm.practice.history import local_now
from calm.practice.history_rows import COLUMNS, MOODS, SessionRecord
from calm.present.measures import breaths_text, duration_text
from calm.present.table import (
    CELL_LIMIT,
    GAP,
    WRAPPED_LINES,
    cell_width,
    lay_out,
    output_width,
    plain_row_format,
    row_line,
    shortened,
    stacked,
    widths,
    wrapped,
)

FIELDS = COLUMNS[1:]
"""The fields of one exported session, in order; times are ISO 8601 with their offset."""

STATUS_WORDS: dict[str, str] = {
    Status.COMPLETED: "completed",
    Status.ENDED_EARLY: "ended early",
    Status.INTERRUPTED: "interrupted",
}
"""How each status the history records reads in the table; "interrupted" means calm
never saw the end."""

NOTE_LABEL = "  note: "
"""How a note on a line of its own begins."""

NOTE_LINES = 3
"""The most lines a note on lines of its own takes; more is cut short with an ellipsis."""

PACKING = "\x00"
"""What parts the cells of a session kept for the table: never in a cell, as every
cell from the history has been through ``one_line``, which hides control characters."""

KEPT_TITLES = 1000
"""How many titles, each shown once, the table keeps to show again without more work."""

TITLE_LEAST = 16
"""The least room a title is given, on two lines, before each session is given lines of
its own."""


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

    The sessions are read once, each kept only as its cells packed in one string,
    and when every cell fits its column, as in a pipe or a wide terminal, each line
    is made as it is written. ``running`` is asked only about interrupted sessions.
    """
    width = width or output_width()
    packed = _Packed(width, running or set(), this_year)
    for record in records:
        packed.add(record)
    if not packed.rows:
        return
    headers = ["when", "script", "practised", "breaths", "how it ended"]
    if packed.moods:
        headers.append("tension")
    right = (headers.index("breaths"),)
    found = packed.widths(headers)
    spare = width - sum(found) - GAP * (len(found) - 1)
    if packed.notes and spare - GAP - packed.widest_note() >= 0:
        found = [*found, packed.widest_note()]
        yield row_line([*headers, "note"], found)
        plain = plain_row_format(found, right)
        for cells, note, ascii_only in packed.each():
            cells.append(note)
            yield plain.format(*cells).rstrip() if ascii_only else row_line(cells, found, right)
    elif spare >= 0:
        yield row_line(headers, found)
        plain = plain_row_format(found, right)
        for cells, note, ascii_only in packed.each():
            yield plain.format(*cells).rstrip() if ascii_only else row_line(cells, found, right)
            if note:
                yield from _note_lines(note, width)
    else:
        yield from _squeezed(headers, packed, width=width)


class _Packed:
    """Each session's cells, packed in one string, and the widest cell of each column."""

    def __init__(self, width: int, going: Container[int], this_year: int | None) -> None:
        self.width = width
        # What a title or status could show on its two lines, or a note on its own lines.
        self.room = min(width, CELL_LIMIT) * WRAPPED_LINES
        self.note_room = min(width, CELL_LIMIT) * NOTE_LINES
        self.going = going
        self.year = this_year if this_year is not None else local_now().year
        self.rows: list[str] = []
        self.titles: dict[str, str] = {}
        self.day = (0, "")  # ordinals start at 1
        self.endings: dict[str, str] = {}
        self.tensions = {
            (before, after): _tension_text(before, after)
            for before in (None, *MOODS)
            for after in (None, *MOODS)
        }
        self.with_year = self.moods = self.notes = False
        self.widest = [0] * 8
        # Columns: when with its year, when without, then one for each cell ``add`` packs.

    def add(self, record: SessionRecord) -> None:
        """Pack ``record``'s cells, and widen the columns they need."""
        started = record.started_at
        year = _year_text(started.year)
        self.with_year = self.with_year or started.year != self.year
        before, after = record.mood_before, record.mood_after
        self.moods = self.moods or before is not None or after is not None
        note = shortened(record.note, self.note_room) if record.note else ""
        self.notes = self.notes or bool(note)
        # Titles, statuses and tensions repeat: each is made and measured once.
        title = self.titles.get(record.title)
        if title is None:
            title = shortened(record.title, self.room)
            if len(self.titles) < KEPT_TITLES:
                self.titles[record.title] = title
        ending = self.endings.get(record.status)
        if ending is None:
            ending = _ending(record, self.going, self.room)
            if record.status != Status.INTERRUPTED:  # which may be "in progress"
                self.endings[record.status] = ending
        tension = self.tensions.get((before, after))
        if tension is None:
            tension = _tension(record)
        cells = (
            f"{self._day(started)} {started.hour:02d}:{started.minute:02d}",
            title,
            duration_text(record.practised_seconds),
            str(record.breaths),
            ending,
            tension,
            note,
        )
        row = PACKING.join((*cells, year))
        measured = list(map(len, cells) if row.isascii() else map(self._measured, cells))
        widest = self.widest
        for column, cell_columns in enumerate(measured, start=1):
            if cell_columns > widest[column]:
                widest[column] = cell_columns
        # A year's digits and a space go before the time: "%a %d %b %Y %H:%M".
        widest[0] = max(widest[0], measured[0] + len(year) + 1)
        self.rows.append(row)

    def _day(self, started: datetime) -> str:
        """The start's "%a %d %b", made again only when the day changes: the sessions
        come in time order, a few to a day."""
        key = started.toordinal()
        if key != self.day[0]:
            self.day = (key, started.strftime("%a %d %b"))
        return self.day[1]

    def _measured(self, cell: str) -> int:
        """``cell``'s width in columns, as ``widths`` measures it."""
        return cell_width(cell, self.width)

    def widths(self, headers: list[str]) -> list[int]:
        """Each column's width, to show its widest cell and its header whole."""
        when = self.widest[0] if self.with_year else self.widest[1]
        cells = [when, *self.widest[2:6], self.widest[6]][: len(headers)]
        return [
            max(cell_width(header, self.width), most)
            for header, most in zip(headers, cells, strict=True)
        ]

    def widest_note(self) -> int:
        return max(cell_width("note"), self.widest[7])

    def each(self) -> Iterator[tuple[list[str], str, bool]]:
        """Each session's cells, its note apart, and whether they are all ASCII."""
        for row in self.rows:
            when, *cells, tension, note, year = row.split(PACKING)
            if self.with_year:
                when = f"{when[:-5]}{year} {when[-5:]}"
            cells.insert(0, when)
            if self.moods:
                cells.append(tension)
            yield cells, note, row.isascii()


def _squeezed(headers: list[str], packed: _Packed, *, width: int) -> Iterator[str]:
    """The table in a terminal too narrow for every cell whole: the titles and statuses
    wrap, and the notes have lines of their own; narrower still, ``_stacked``."""
    rows, notes = [], []
    for cells, note, _ in packed.each():
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


@functools.lru_cache(maxsize=64)
def _year_text(year: int) -> str:
    """A year as ``strftime`` writes it in "%Y"."""
    return date(year, 1, 1).strftime("%Y")


def _note_lines(note: str, width: int) -> list[str]:
    """A note on lines of its own under its session, wrapped to the terminal."""
    lines = wrapped(note.strip(), max(width - len(NOTE_LABEL), 1), most=NOTE_LINES)
    return [NOTE_LABEL + lines[0]] + [" " * len(NOTE_LABEL) + line for line in lines[1:]]


def _ending(record: SessionRecord, going: Container[int], room: int) -> str:
    """How a session ended in words; a status written by hand is shown as it is, safely."""
    if record.status == Status.INTERRUPTED and record.id in going:
        return "in progress"
    return STATUS_WORDS.get(record.status) or shortened(record.status, room)


def _tension(record: SessionRecord) -> str:
    return _tension_text(record.mood_before, record.mood_after)


def _tension_text(mood_before: int | None, mood_after: int | None) -> str:
    before = "" if mood_before is None else str(mood_before)
    after = "" if mood_after is None else str(mood_after)
    if not before and not after:
        return ""
    return f"{before or '-'} → {after or '-'}"
