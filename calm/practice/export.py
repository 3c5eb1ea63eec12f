"""The practice history as JSON, CSV and a plain table, for ``calm history``."""

from __future__ import annotations

import csv
from typing import IO, Any

from calm.core.session import Status
from calm.practice.history import local_now
from calm.practice.history_rows import COLUMNS, SessionRecord
from calm.present.measures import breaths_text, duration_text
from calm.present.table import (
    CELL_LIMIT,
    WRAPPED_LINES,
    lay_out,
    output_width,
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
    records: list[SessionRecord],
    *,
    width: int | None = None,
    running: set[int] | None = None,
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
    width = width or output_width()
    # What a title or status could show on its two lines, or a note on its own lines.
    room = min(width, CELL_LIMIT) * WRAPPED_LINES
    going = running or set()
    year = this_year if this_year is not None else local_now().year
    with_year = any(record.started_at.year != year for record in records)
    moods = any(
        record.mood_before is not None or record.mood_after is not None for record in records
    )
    headers = ["when", "script", "practised", "breaths", "how it ended"]
    if moods:
        headers.append("tension")
    rows = []
    for record in records:
        row = [
            _when(record, with_year=with_year),
            shortened(record.title, room),
            duration_text(record.practised_seconds),
            str(record.breaths),
            _ending(record, going, room),
        ]
        if moods:
            row.append(_tension(record))
        rows.append(row)
    most = min(width, CELL_LIMIT) * NOTE_LINES
    notes = [shortened(record.note, most) if record.note else "" for record in records]
    right = (headers.index("breaths"),)
    if any(notes):
        # Beside the titles when every note and title can be read whole there.
        with_notes = [[*row, note] for row, note in zip(rows, notes, strict=True)]
        headers_and_note = [*headers, "note"]
        beside = widths(headers_and_note, with_notes, width=width)
        if beside is not None:
            blocks = lay_out(headers_and_note, with_notes, beside, right=right)
            return [line for block in blocks for line in block]
    title, ending = headers.index("script"), headers.index("how it ended")
    # A status written by hand gives way before the title.
    text = [(ending, len(headers[ending])), (title, TITLE_LEAST)]
    found = widths(headers, rows, width=width, text=text)
    if found is None:
        return _stacked(rows, notes, records, width=width)
    header, *blocks = lay_out(headers, rows, found, right=right, wrap=(title, ending))
    shown = list(header)
    for block, note in zip(blocks, notes, strict=True):
        shown += block
        if note:
            shown += _note_lines(note, width)
    return shown


def _stacked(
    rows: list[list[str]], notes: list[str], records: list[SessionRecord], *, width: int
) -> list[str]:
    """Each session over a few short lines, for a terminal too narrow for the table."""
    lines = []
    for row, note, record in zip(rows, notes, records, strict=True):
        when, title, practised, _, ending, *tension = row
        parts = [practised, breaths_text(record.breaths), ending]
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


def _when(record: SessionRecord, *, with_year: bool) -> str:
    return record.started_at.strftime("%a %d %b %Y %H:%M" if with_year else "%a %d %b %H:%M")


def _ending(record: SessionRecord, going: set[int], room: int) -> str:
    """How a session ended in words; a status written by hand is shown as it is, safely."""
    if record.id in going and record.status == Status.INTERRUPTED:
        return "in progress"
    return STATUS_WORDS.get(record.status) or shortened(record.status, room)


def _tension(record: SessionRecord) -> str:
    before = "" if record.mood_before is None else str(record.mood_before)
    after = "" if record.mood_after is None else str(record.mood_after)
    if not before and not after:
        return ""
    return f"{before or '-'} → {after or '-'}"
