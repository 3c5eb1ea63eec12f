"""The practice history as JSON, CSV and a plain table, for ``calm history``."""

from __future__ import annotations

import csv
from typing import IO, Any

from calm.columns import align
from calm.history import SessionRecord
from calm.wording import duration_text, one_line

FIELDS = (
    "script",
    "title",
    "started_at",
    "ended_at",
    "planned_seconds",
    "practised_seconds",
    "status",
    "breaths",
    "mood_before",
    "mood_after",
    "note",
)
"""The fields of one exported session, in order; times are ISO 8601 with their offset."""

STATUS_WORDS = {
    "completed": "completed",
    "ended_early": "ended early",
    "interrupted": "interrupted",
}
"""How each status reads in the table; "interrupted" means calm never saw the end."""


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
    writer = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {key: "" if value is None else value for key, value in record_json(record).items()}
        )


def table_lines(
    records: list[SessionRecord], *, width: int | None = None, running: set[int] | None = None
) -> list[str]:
    """Sessions as aligned columns, one line each, as they are listed.

    The tension and note columns appear only when some session has one, so a
    history kept without check-ins or notes fits a narrower terminal. A session
    in ``running`` (row ids) is still going somewhere, and reads "in progress".
    """
    going = running or set()
    headers = ["when", "script", "practised", "breaths", "how it ended", "tension", "note"]
    rows = [
        [
            record.started_at.strftime("%a %d %b %Y %H:%M"),
            one_line(record.title),
            duration_text(record.practised_seconds),
            str(record.breaths),
            "in progress"
            if record.id in going and record.status == "interrupted"
            else STATUS_WORDS.get(record.status, record.status),
            _tension(record),
            one_line(record.note or ""),
        ]
        for record in records
    ]
    optional = (headers.index("tension"), headers.index("note"))
    kept = [
        column
        for column in range(len(headers))
        if column not in optional or any(row[column] for row in rows)
    ]
    headers = [headers[column] for column in kept]
    rows = [[row[column] for column in kept] for row in rows]
    # The note gives way first, then the title.
    shrink = (len(headers) - 1, 1) if "note" in headers else (1,)
    return align(headers, rows, shrink=shrink, width=width)


def _tension(record: SessionRecord) -> str:
    before = "" if record.mood_before is None else str(record.mood_before)
    after = "" if record.mood_after is None else str(record.mood_after)
    if not before and not after:
        return ""
    return f"{before or '-'} → {after or '-'}"
