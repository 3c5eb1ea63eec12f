"""The figures ``calm stats`` adds up from the history: days, scripts and moods.

The rows that hold values exactly as calm writes them (``CANONICAL``) are added
up inside SQLite, from indexes, which is quick over a hundred thousand sessions;
every other row is read one by one through ``read_record``, so each session is
counted exactly when ``calm history`` lists it, and one it cannot read is left
out of both, with one line (``unreadable``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from calm.practice.history_rows import (
    CANONICAL,
    SELECT_COLUMNS,
    SessionRecord,
    UnreadableRow,
    read_record,
)


@dataclass(frozen=True, slots=True)
class DayTotal:
    """The sessions recorded on one calendar day."""

    day: date
    sessions: int
    seconds: float
    """Seconds practised that day."""


@dataclass(frozen=True, slots=True)
class ScriptTotal:
    """How often one script has been practised."""

    script: str
    title: str
    sessions: int
    seconds: float


@dataclass(frozen=True, slots=True)
class MoodTotal:
    """Averages over the sessions with a check-in both before and after."""

    sessions: int
    before: float | None
    after: float | None


class HistoryFigures:
    """The figures of the history, for ``HistoryStore``, which reads its rows for them."""

    _uncommon_found: tuple[list[SessionRecord], list[str]] | None
    """The sessions SQLite cannot add up, once read: those read, and a line for each of
    the rest; None until they are read, and again after each write."""

    def _read(self, query: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError  # the store reads its own file

    def _rows(self, query: str) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError  # the store reads its own file

    def day_totals(self) -> list[DayTotal]:
        """Each day with a recorded session that can be read, oldest first.

        A session's day is the calendar date where it started, in the local time
        it was recorded in, so travel and daylight-saving changes never move it.
        """
        rows = self._read(
            # The same expression as the sessions_day index, so that the index is used.
            "SELECT substr(started_at, 1, 10) AS day, COUNT(*), SUM(practised_seconds)"
            f" FROM sessions WHERE {CANONICAL} = 1 GROUP BY day"
        )
        days: dict[date, tuple[int, float]] = {
            date.fromisoformat(day): (count, float(seconds)) for day, count, seconds in rows
        }
        for record in self._uncommon_records():
            count, seconds = days.get(record.started_at.date(), (0, 0.0))
            days[record.started_at.date()] = (count + 1, seconds + record.practised_seconds)
        return [DayTotal(day, *days[day]) for day in sorted(days)]

    def script_totals(self) -> list[ScriptTotal]:
        """Each script practised, most sessions first."""
        rows = self._read(
            "SELECT script, MAX(title), COUNT(*), SUM(practised_seconds)"
            f" FROM sessions WHERE {CANONICAL} = 1 GROUP BY script"
        )
        scripts = {script: (title, count, float(seconds)) for script, title, count, seconds in rows}
        for record in self._uncommon_records():
            title, count, seconds = scripts.get(record.script, (record.title, 0, 0.0))
            scripts[record.script] = (
                max(title, record.title),
                count + 1,
                seconds + record.practised_seconds,
            )
        totals = [ScriptTotal(script, *figures) for script, figures in scripts.items()]
        return sorted(totals, key=lambda total: (-total.sessions, -total.seconds, total.script))

    def mood_totals(self) -> MoodTotal:
        """The check-ins of every session with a mood both before and after."""
        ((count, before, after),) = self._read(
            "SELECT COUNT(*), SUM(mood_before), SUM(mood_after) FROM sessions"
            f" WHERE mood_before IS NOT NULL AND mood_after IS NOT NULL AND {CANONICAL} = 1"
        )
        count, before, after = int(count), int(before or 0), int(after or 0)
        for record in self._uncommon_records():
            if record.mood_before is not None and record.mood_after is not None:
                count, before, after = (
                    count + 1,
                    before + record.mood_before,
                    after + record.mood_after,
                )
        if not count:
            return MoodTotal(0, None, None)
        return MoodTotal(count, before / count, after / count)

    def unreadable(self) -> list[str]:
        """A line for each session with a value that cannot be read, which the figures
        leave out, as ``sessions`` does, and in the same order."""
        return list(self._uncommon()[1])

    def _uncommon_records(self) -> list[SessionRecord]:
        """The readable sessions that hold a value not as calm writes it: what the figures
        read one by one, beside the rest added up in SQLite. Most histories have none."""
        return self._uncommon()[0]

    def _uncommon(self) -> tuple[list[SessionRecord], list[str]]:
        """The sessions SQLite cannot add up: those read, and a line for each of the rest.

        Read once for all the figures, and again only after a write.
        """
        if self._uncommon_found is None:
            records: list[SessionRecord] = []
            problems: list[str] = []
            query = (
                f"SELECT {SELECT_COLUMNS} FROM sessions WHERE {CANONICAL} = 0"
                " ORDER BY julianday(started_at) DESC, id DESC"  # as ``sessions`` names them
            )
            for row in self._rows(query):
                try:
                    records.append(read_record(row))
                except UnreadableRow as error:
                    problems.append(str(error))
            self._uncommon_found = (records, problems)
        return self._uncommon_found
