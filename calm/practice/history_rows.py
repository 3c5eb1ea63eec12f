"""Reading one row of the practice history, whatever a hand edit has left in it.

The history is a file on the user's own machine, and any column of any row may
have been changed with the sqlite3 shell: infinity in a time, text in a number,
nothing or a blob in a title. ``read_record`` turns a row into a
``SessionRecord`` or says, in one line, which value of which session it cannot
read, so that a caller can leave that session out and go on with the rest.
``quick_record`` reads the rows calm wrote itself, nearly all of them, with a
few cheap checks and no messages, and leaves every other row to ``read_record``:
a long history is listed in a fraction of the time.

``CANONICAL`` is the same test in SQL, narrowed to the exact shapes calm itself
writes. The stats add up the rows it accepts inside SQLite, which is quick over
a hundred thousand sessions, and read every other row through ``read_record``;
so each session is counted exactly when ``calm history`` lists it.
"""

from __future__ import annotations

import itertools
import math
from datetime import datetime
from typing import Any, NamedTuple

MAX_SECONDS = 366 * 24 * 60 * 60
"""The most time one session can be said to take; a longer one was written by hand."""

MAX_BREATHS = 1_000_000_000
"""The most breaths one session can be said to take."""

MOODS = range(1, 6)
"""How tense the user feels at a check-in: 1 is at ease, 5 is very tense."""

COLUMNS = (
    "id",
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
"""The columns ``read_record`` reads, in the order it takes them."""

SELECT_COLUMNS = ", ".join(COLUMNS)
"""The columns as a SELECT list."""

SHOWN_CHARACTERS = 40
"""How much of an unreadable value a message quotes."""


class SessionRecord(NamedTuple):
    """One recorded session.

    A named tuple rather than a frozen dataclass: as immutable, and made in a tenth of
    the time, which tells when a history of a hundred thousand sessions is listed.
    """

    id: int
    script: str
    title: str
    started_at: datetime
    ended_at: datetime | None
    planned_seconds: float
    practised_seconds: float
    status: str
    """How it ended: one of ``RECORDED_STATUSES``, spelled as ``Status`` spells them, or
    whatever text a hand edit left there."""
    breaths: int
    mood_before: int | None = None
    mood_after: int | None = None
    note: str | None = None


class UnreadableRow(ValueError):
    """A row holds a value calm cannot read; the message is one line naming the session."""


def read_record(row: tuple[Any, ...]) -> SessionRecord:
    """The session in ``row`` (the ``COLUMNS``, in order).

    Raises:
        UnreadableRow: naming the session and the first value that cannot be read.
    """
    (ident, script, title, started, ended, planned, practised, status, breaths, before,
     after, note) = row  # fmt: skip
    if not isinstance(ident, int) or isinstance(ident, bool):
        raise UnreadableRow(f"a session in the history has an unreadable number: {_shown(ident)}")
    return SessionRecord(
        id=ident,
        script=_text(script, ident, "script name"),
        title=_text(title, ident, "title"),
        started_at=read_moment(started, ident),
        ended_at=None if ended is None or ended in ("", b"") else read_moment(ended, ident),
        planned_seconds=_seconds(planned, ident, "planned time"),
        practised_seconds=_seconds(practised, ident, "practised time"),
        status=_text(status, ident, "status"),
        breaths=_count(breaths, ident),
        mood_before=_mood(before, ident, "tension before"),
        mood_after=_mood(after, ident, "tension after"),
        note=None if note is None else _text(note, ident, "note"),
    )


_TEXT, _WHOLE, _NUMBER = (str,), (int,), (int, float)
_MAYBE_TEXT, _MAYBE_WHOLE = (str, type(None)), (int, type(None))
_COLUMN_TYPES = [_WHOLE, _TEXT, _TEXT, _TEXT, _MAYBE_TEXT, _NUMBER, _NUMBER, _TEXT, _WHOLE]
CALM_SHAPES = frozenset(itertools.product(*_COLUMN_TYPES, _MAYBE_WHOLE, _MAYBE_WHOLE, _MAYBE_TEXT))
"""The types of a row's values (the ``COLUMNS``, in order) as calm writes them; a row of
any other types (a blob, text in a number) goes to ``read_record``."""


def quick_record(row: tuple[Any, ...]) -> SessionRecord | None:
    """The session in ``row`` when it holds values as calm writes them, as ``read_record``
    reads it; None for any other row, which ``read_record`` then reads or explains.

    Every test here is one ``read_record`` makes, made in a cheaper way, so a row this
    accepts gives the same record either way; the checks are only fewer because the
    types are checked at once.
    """
    if tuple(map(type, row)) not in CALM_SHAPES:
        return None
    (ident, script, title, started, ended, planned, practised, status, breaths, before,
     after, note) = row  # fmt: skip
    # A comparison with NaN is false, and infinity is out of range: both fall through.
    if not (
        0 <= planned <= MAX_SECONDS
        and 0 <= practised <= MAX_SECONDS
        and 0 <= breaths <= MAX_BREATHS
        and (before is None or before in MOODS)
        and (after is None or after in MOODS)
    ):
        return None
    try:
        started_at = datetime.fromisoformat(started)
        ended_at = None if ended is None else datetime.fromisoformat(ended)
    except ValueError:  # "" for no end too, which read_record reads as none
        return None
    if started_at.tzinfo is None or (ended_at is not None and ended_at.tzinfo is None):
        return None
    return SessionRecord(
        ident, script, title, started_at, ended_at, float(planned), float(practised), status,
        breaths, before, after, note,
    )  # fmt: skip


def read_moment(value: object, row: object) -> datetime:
    """A stored time with its time zone, or one clear line about the session it belongs to."""
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    if not isinstance(text, str):
        raise UnreadableRow(f"session {row} in the history has an unreadable time: {_shown(value)}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UnreadableRow(
            f"session {row} in the history has an unreadable time: {_shown(text)}"
        ) from None
    if moment.tzinfo is None:
        raise UnreadableRow(
            f"session {row} in the history has a time with no time zone: {_shown(text)}"
        )
    return moment


def _text(value: object, row: int, what: str) -> str:
    """Text as stored; bytes written by another program, or a number, read as text does."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise UnreadableRow(_unreadable(row, what, value))


def _seconds(value: object, row: int, what: str) -> float:
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= MAX_SECONDS
    ):
        return float(value)
    raise UnreadableRow(_unreadable(row, what, value))


def _count(value: object, row: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_BREATHS:
        return value
    raise UnreadableRow(_unreadable(row, "breath count", value))


def _mood(value: object, row: int, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value in MOODS:
        return value
    raise UnreadableRow(_unreadable(row, what, value))


def _unreadable(row: int, what: str, value: object) -> str:
    if value is None:
        return f"session {row} in the history has no {what}"
    return f"session {row} in the history has an unreadable {what}: {_shown(value)}"


def _shown(value: object) -> str:
    """A value as a message quotes it: escaped, and never longer than a line."""
    if isinstance(value, str | bytes) and len(value) > SHOWN_CHARACTERS:
        return repr(value[:SHOWN_CHARACTERS]) + "…"
    return repr(value)


def _stamp_sql(column: str) -> str:
    """Whether ``column`` holds a time exactly as calm writes one, such as
    2026-03-01T09:00:00.123456+01:00, with every part in range."""
    digits = {"Y": "[0-9][0-9][0-9][0-9]", "N": "[0-9][0-9]"}
    shape = f"{digits['Y']}-{digits['N']}-{digits['N']}T{digits['N']}:{digits['N']}:{digits['N']}"
    offset = f"[+-]{digits['N']}:{digits['N']}"
    return (
        f"(typeof({column}) = 'text' AND {column} GLOB '{shape}*'"
        f" AND (substr({column}, 20) GLOB '{offset}'"
        f" OR substr({column}, 20) GLOB '.[0-9][0-9][0-9][0-9][0-9][0-9]{offset}')"
        # Year 0 is beyond Python's calendar. A day past the month's end comes back from
        # SQLite's date arithmetic as another day; the clock's parts are compared as text.
        f" AND substr({column}, 1, 4) <> '0000'"
        f" AND date(substr({column}, 1, 10), '+0 days') = substr({column}, 1, 10)"
        f" AND substr({column}, 12, 2) < '24' AND substr({column}, 15, 2) < '60'"
        f" AND substr({column}, 18, 2) < '60'"
        f" AND substr({column}, -5, 2) < '24' AND substr({column}, -2) < '60')"
    )


def _number_sql(column: str, most: float) -> str:
    return f"(typeof({column}) IN ('integer', 'real') AND {column} BETWEEN 0 AND {most})"


def _mood_sql(column: str) -> str:
    return (
        f"({column} IS NULL OR (typeof({column}) = 'integer'"
        f" AND {column} BETWEEN {MOODS[0]} AND {MOODS[-1]}))"
    )


CANONICAL = (
    "coalesce("
    + " AND ".join(
        [
            "typeof(id) = 'integer'",
            "typeof(script) = 'text'",
            "typeof(title) = 'text'",
            "typeof(status) = 'text'",
            "typeof(note) IN ('null', 'text')",
            _stamp_sql("started_at"),
            f"(ended_at IS NULL OR {_stamp_sql('ended_at')})",
            _number_sql("planned_seconds", MAX_SECONDS),
            _number_sql("practised_seconds", MAX_SECONDS),
            f"(typeof(breaths) = 'integer' AND breaths BETWEEN 0 AND {MAX_BREATHS})",
            _mood_sql("mood_before"),
            _mood_sql("mood_after"),
        ]
    )
    + ", 0)"
)
"""An SQL test, 1 or 0, that a row holds only values as calm writes them. Every row it
accepts, ``read_record`` reads; a row it turns down is read through ``read_record``.

The history's indexes (schema version 5) are built on this very text: a change to it
needs a migration that builds them again, or the stats will read the whole table."""
