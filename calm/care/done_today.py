"""What the history says was done this week: the scripts practised each day, and the
plan's reminders ticked off today.

Read with ``sqlite3`` alone, read-only, in one query each, so that ``calm nudge``
(which runs at every shell prompt) stays quick. A history that is missing, locked,
damaged or from another calm counts as nothing done: a nudge is never worth an error.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from calm.care.value import Value
from calm.practice.quick_reading import open_quickly

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is left unimported at run time (see calm.care.value)
    import sqlite3

COUNTS_AS_DONE_SECONDS = 60.0
"""A session stopped early still counts once it has lasted this long (or half its plan)."""


class DoneThisWeek(Value):
    """What was done this week, Monday to today."""

    __slots__ = ("days", "ticked", "ticked_days")

    def __init__(self) -> None:
        self.days: dict[str, set[date]] = {}
        """For each script name, the days it was practised."""
        self.ticked: set[tuple[str, str]] = set()
        """The reminders ticked off today, as (plan name, reminder text)."""
        self.ticked_days: dict[tuple[str, str], set[date]] = {}
        """For each reminder, as (plan name, text), the days this week it was ticked off."""

    def done_on(self, script: str, day: date) -> bool:
        """Whether ``script`` was practised on ``day``."""
        return day in self.days.get(script, set())

    def days_done(self, script: str, before: date) -> int:
        """On how many days this week, before ``before``, ``script`` was practised."""
        return sum(1 for day in self.days.get(script, set()) if day < before)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def read_done(history: Path, today: date, since: date | None = None) -> DoneThisWeek:
    """What ``history`` says was done from ``since`` (this week's Monday by default) to
    ``today``."""
    done = DoneThisWeek()
    connection = open_quickly(history)
    if connection is None:
        return done
    import sqlite3  # loaded already, by open_quickly: the list needs none without a history

    try:
        _read_sessions(connection, since or week_start(today), today, done)
        _read_ticks(connection, since or week_start(today), today, done)
    except sqlite3.Error:
        pass  # locked, damaged, or older: what could be read counts
    finally:
        connection.close()
    return done


def _read_sessions(
    connection: sqlite3.Connection, since: date, today: date, done: DoneThisWeek
) -> None:
    monday = datetime.combine(since, datetime.min.time()).astimezone()
    rows = connection.execute(
        "SELECT script, substr(started_at, 1, 10), practised_seconds, planned_seconds, status"
        " FROM sessions WHERE julianday(started_at) >= julianday(?) LIMIT 10000",
        (monday.isoformat(),),
    )
    for script, day_text, practised, planned, status in rows:
        if not isinstance(script, str) or not isinstance(day_text, str):
            continue
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            continue
        if day < since or day > today or not counts_as_done(practised, planned, status):
            continue
        done.days.setdefault(script, set()).add(day)


def counts_as_done(practised: object, planned: object, status: object) -> bool:
    """Whether a session counts as the practice done: finished, or long enough."""
    if status == "completed":
        return True
    if not isinstance(practised, int | float) or not isinstance(planned, int | float):
        return False
    return practised >= min(COUNTS_AS_DONE_SECONDS, planned / 2) and practised > 0


def _read_ticks(
    connection: sqlite3.Connection, since: date, today: date, done: DoneThisWeek
) -> None:
    import sqlite3  # already loaded by read_done, which opened the connection

    try:
        rows = connection.execute(
            "SELECT plan, reminder, day FROM reminders_done WHERE day BETWEEN ? AND ? LIMIT 10000",
            (since.isoformat(), today.isoformat()),
        ).fetchall()
    except sqlite3.OperationalError:
        return  # a history from before reminders could be ticked
    for plan, text, day_text in rows:
        if not isinstance(plan, str) or not isinstance(text, str) or not isinstance(day_text, str):
            continue
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            continue
        done.ticked_days.setdefault((plan, text), set()).add(day)
        if day == today:
            done.ticked.add((plan, text))
