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
    is made as it is written, by one format call when each of its characters takes
    a column. ``running`` is asked only about interrupted sessions.
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
    # Where each shown column's cell is among a packed session's parts.
    fields = [_WITH_YEAR if packed.with_year else 0, 1, 2, 3, 4]
    fields += [_TENSION] if packed.moods else []
    if packed.notes and spare - GAP - packed.widest_note() >= 0:
        found = [*found, packed.widest_note()]
        yield row_line([*headers, "note"], found)
        plain = plain_row_format(found, right, fields=[*fields, _NOTE])
        for row, narrow in zip(packed.rows, packed.narrow, strict=True):
            parts = row.split(PACKING)
            if narrow:
                yield plain.format(*parts).rstrip()
            else:
                yield row_line([*packed.cells(parts), parts[_NOTE]], found, right)
    elif spare >= 0:
        yield row_line(headers, found)
        plain = plain_row_format(found, right, fields=fields)
        for row, narrow in zip(packed.rows, packed.narrow, strict=True):
            parts = row.split(PACKING)
            yield (
                plain.format(*parts).rstrip()
                if narrow
                else row_line(packed.cells(parts), found, right)
            )
            if parts[_NOTE]:
                yield from _note_lines(parts[_NOTE], width)
    else:
        yield from _squeezed(headers, packed, width=width)


_TENSION, _NOTE, _WITH_YEAR = 5, 6, 7
"""Where the tension, the note and the time with its year are among a packed session's
parts; the time without its year is first, then the title, practised, breaths and ending."""


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
        self.narrow = bytearray()
        """For each session, 1 when each character of its cells takes one column."""
        self.titles: dict[str, str] = {}
        self.day = (0, "", "")  # ordinals start at 1
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
        if started.toordinal() != self.day[0]:
            self._new_day(started)
        _, day, dated = self.day
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
        clock = f"{started.hour:02d}:{started.minute:02d}"
        practised, breaths = duration_text(record.practised_seconds), str(record.breaths)
        cells = (f"{day} {clock}", title, practised, breaths, ending, tension, note)
        row = PACKING.join((*cells, f"{dated} {clock}"))
        lengths = list(map(len, cells))
        if row.isascii():
            measured, narrow = lengths, True
        else:  # every width is exact when none is past the line's
            width = self.width
            measured = [len(cell) if cell.isascii() else cell_width(cell, width) for cell in cells]
            narrow = measured == lengths and max(measured) <= width
        widest = self.widest
        for column, cell_columns in enumerate(measured, start=1):
            if cell_columns > widest[column]:
                widest[column] = cell_columns
        # A year's digits and a space go before the time: "%a %d %b %Y %H:%M".
        widest[0] = max(widest[0], measured[0] + len(dated) - len(day))
        self.rows.append(row)
        self.narrow.append(narrow)

    def _new_day(self, started: datetime) -> None:
        """The start's "%a %d %b", and with its year "%a %d %b %Y", made again only when
        the day changes: the sessions come in time order, a few to a day."""
        day = started.strftime("%a %d %b")
        self.day = (started.toordinal(), day, f"{day} {_year_text(started.year)}")
        self.with_year = self.with_year or started.year != self.year

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

    def cells(self, parts: list[str]) -> list[str]:
        """The cells shown of a session's packed ``parts``, its note apart."""
        when = parts[_WITH_YEAR] if self.with_year else parts[0]
        return [when, *parts[1:5], parts[_TENSION]] if self.moods else [when, *parts[1:5]]

    def each(self) -> Iterator[tuple[list[str], str]]:
        """Each session's cells, and its note apart."""
        for row in self.rows:
            parts = row.split(PACKING)
            yield self.cells(parts), parts[_NOTE]


def _squeezed(headers: list[str], packed: _Packed, *, width: int) -> Iterator[str]:
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
