"""What ``calm pace`` has found before, read back from the history.

Read with ``sqlite3`` alone, read-only: a script that breathes at the preferred pace
reads it as it loads. A history that is missing, locked, damaged or older counts
as nothing saved, and every row is checked as it is read, since the file is data.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from calm.core.pace import FASTEST_PACE, SLOWEST_PACE
from calm.practice.pace_choice import SCALE, RungAnswers
from calm.practice.quick_reading import open_quickly

MEDIAN_OF = 3
"""The preferred pace is the median of this many of the latest results that found one."""
MOST_RESULTS = 1_000
"""The most results read back, newest first."""
MOST_RUNGS_READ = 50
MOST_ANSWERS_CHARS = 4_096
"""The longest answers text read: 50 rungs as calm writes them take under 2,000, and
a row longer than this is left in the file, unread, rather than decoded into memory."""
MOST_MOMENT_CHARS = 64
"""The longest moment read, as a moment calm writes takes 32."""


@dataclass(frozen=True, slots=True)
class PaceResult:
    """One run of ``calm pace``: when, the pace kept, and the answers."""

    found_at: datetime
    pace: float
    found: bool
    """False when no rung counted and 6 a minute was kept instead."""
    answers: tuple[RungAnswers, ...]


def answers_json(answers: tuple[RungAnswers, ...]) -> str:
    """The answers as the history keeps them."""
    return json.dumps(
        [[rung.pace, rung.ease, rung.calm, rung.light_headed] for rung in answers],
        separators=(",", ":"),
    )


def read_results(history: Path, limit: int = MOST_RESULTS) -> list[PaceResult]:
    """The results kept in ``history``, newest first; rows that cannot be read are
    left out, and a history that cannot be read has none."""
    connection = open_quickly(history)
    if connection is None:
        return []
    import sqlite3  # loaded already, by open_quickly

    try:
        rows = connection.execute(
            "SELECT CASE WHEN length(found_at) <= ? THEN found_at END, pace, found,"
            " CASE WHEN length(answers) <= ? THEN answers END FROM pace_results"
            " ORDER BY julianday(found_at) DESC, id DESC LIMIT ?",
            (MOST_MOMENT_CHARS, MOST_ANSWERS_CHARS, max(min(limit, MOST_RESULTS), 0)),
        ).fetchall()
    except sqlite3.Error:
        return []  # locked, damaged, from before calm pace, or never ending
    finally:
        connection.close()
    return [result for row in rows if (result := _result(row)) is not None]


def preferred_pace(history: Path) -> float | None:
    """The preferred pace kept in ``history`` (``preferred_of``); None when there is none."""
    return preferred_of(read_results(history))[0]


def preferred_of(results: list[PaceResult]) -> tuple[float | None, int]:
    """The preferred pace from ``results`` (newest first): the median of the latest
    ``MEDIAN_OF`` that found one, since a pace found differs from day to day; and how
    many results it is the median of. None and 0 when none found one."""
    found = [result.pace for result in results if result.found][:MEDIAN_OF]
    return (statistics.median(found) if found else None), len(found)


def _result(row: tuple[object, ...]) -> PaceResult | None:
    found_at, pace, found, answers = row
    if not isinstance(found_at, str) or not _is_pace(pace) or found not in (0, 1):
        return None
    try:
        moment = datetime.fromisoformat(found_at)
        moment.astimezone()  # a moment with no local time (year 1 at +14:00) cannot be shown
        rungs = _answers(json.loads(answers)) if isinstance(answers, str) else None
    except (ValueError, OverflowError, OSError, RecursionError):
        return None
    if rungs is None or moment.tzinfo is None:
        return None
    assert isinstance(pace, int | float)
    return PaceResult(moment, float(pace), bool(found), rungs)


def _answers(value: object) -> tuple[RungAnswers, ...] | None:
    if not isinstance(value, list) or len(value) > MOST_RUNGS_READ:
        return None
    rungs = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 4):
            return None
        pace, ease, calm, light_headed = item
        scale_ok = all(type(answer) is int and answer in SCALE for answer in (ease, calm))
        if not (_is_pace(pace) and scale_ok and isinstance(light_headed, bool)):
            return None
        rungs.append(RungAnswers(float(pace), ease, calm, light_headed))
    return tuple(rungs)


def _is_pace(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and SLOWEST_PACE <= value <= FASTEST_PACE
    )
