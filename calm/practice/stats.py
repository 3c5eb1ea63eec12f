"""Practice figures worked out from the history: totals, this week, streaks and the heat map days.

A *streak* is a run of days with practice. One missed day between two practice
days does not end it (``GRACE_DAYS``), two missed days in a row do. A streak's
length counts only the days that had practice: a missed day keeps the streak
going but adds nothing to it.

Everything here is pure and quick, and nothing here draws: ``calm.cli.stats_view``
turns the figures into what ``calm stats`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from calm.practice.history import HistoryStore
from calm.practice.history_figures import DayTotal, MoodTotal, ScriptTotal
from calm.present.measures import duration_text

GRACE_DAYS = 1
"""Missed days in a row that a streak survives: one missed day is allowed, two are not."""

HEAT_MAP_WEEKS = 12
"""How many calendar weeks the heat map shows, ending with this week."""

FAVOURITE_COUNT = 3
"""How many of the most practised scripts the stats name."""

STREAK_WORTH_MENTIONING = 2
"""The shortest current streak the summary sentence speaks of."""


@dataclass(frozen=True, slots=True)
class Streaks:
    """The current and the longest streak, each in days with practice."""

    current: int
    """The streak still going today; 0 when the last practice was too long ago."""
    longest: int
    """The longest streak ever, the current one included."""


def streaks(days: Iterable[date], today: date) -> Streaks:
    """The current and longest streak over the days that had practice.

    A streak is a run of practice days in which each one comes at most
    ``GRACE_DAYS + 1`` days after the one before; its length is the number of
    practice days in it. The current streak is the run whose last day is
    recent enough that practising today would carry it on, so it is still
    alive on the day after a missed day.

    Args:
        days: The days with practice, in any order; repeats are fine, and
            days after ``today`` (a clock set wrong) are left out.
        today: The day the streaks are measured on.
    """
    practised = sorted({day for day in days if day <= today})
    if not practised:
        return Streaks(current=0, longest=0)
    longest = run = 1
    for previous, day in pairwise(practised):
        run = run + 1 if _within_grace(previous, day) else 1
        longest = max(longest, run)
    current = run if _within_grace(practised[-1], today) else 0
    return Streaks(current=current, longest=longest)


def _within_grace(earlier: date, later: date) -> bool:
    """Whether practice on ``later`` carries on a streak whose last day is ``earlier``."""
    return (later - earlier).days <= GRACE_DAYS + 1


def week_start(today: date) -> date:
    """The Monday of the ISO week ``today`` falls in."""
    return today - timedelta(days=today.weekday())


def heat_map_start(today: date) -> date:
    """The first day the heat map shows: a Monday, ``HEAT_MAP_WEEKS - 1`` weeks before this one."""
    return week_start(today) - timedelta(weeks=HEAT_MAP_WEEKS - 1)


@dataclass(frozen=True, slots=True)
class PracticeStats:
    """What the history says about the user's practice, as of one day."""

    today: date
    sessions: int
    """Every recorded session, however it ended."""
    seconds: float
    """All the time practised."""
    week_seconds: float
    """Time practised from this week's Monday through today."""
    current_streak: int
    longest_streak: int
    days: dict[date, float]
    """Seconds practised on each day of the heat map, from its first Monday through today,
    oldest first, days without practice included as 0."""
    favourites: list[ScriptTotal]
    """The most practised scripts, most sessions first."""
    mood: MoodTotal

    def to_json(self) -> dict[str, Any]:
        """The figures in plain JSON types, for ``calm stats --json``.

        Times are in minutes rounded to 1 decimal; mood averages and their
        change are rounded to 2 decimals, and are null without check-ins.
        ``days`` lists every day of the heat map window, oldest first, from a
        Monday ``HEAT_MAP_WEEKS - 1`` weeks back through today (not the rest
        of this week, which has not happened), so it holds 84 days on a Sunday.
        """
        before, after = self.mood.before, self.mood.after
        change = after - before if before is not None and after is not None else None
        return {
            "today": self.today.isoformat(),
            "sessions": self.sessions,
            "minutes": _minutes(self.seconds),
            "week_minutes": _minutes(self.week_seconds),
            "current_streak_days": self.current_streak,
            "longest_streak_days": self.longest_streak,
            "grace_days": GRACE_DAYS,
            "days": [
                {"date": day.isoformat(), "minutes": _minutes(seconds)}
                for day, seconds in self.days.items()
            ],
            "favourites": [
                {
                    "script": favourite.script,
                    "title": favourite.title,
                    "sessions": favourite.sessions,
                    "minutes": _minutes(favourite.seconds),
                }
                for favourite in self.favourites
            ],
            "mood": {
                "check_ins": self.mood.sessions,
                "average_before": _mood(before),
                "average_after": _mood(after),
                "average_change": _mood(change),
            },
        }


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def _mood(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


MAX_ZONE_DAYS = 1
"""How far ahead of here, in calendar days, a session recorded in another time zone can be
dated; one dated later than that was recorded by a clock set wrong."""


def compute(
    days: Sequence[DayTotal], scripts: Sequence[ScriptTotal], mood: MoodTotal, today: date
) -> PracticeStats:
    """The practice figures from the history's day, script and mood totals, as of ``today``.

    A day counts towards a streak only when some time was practised on it, so
    a session cut off before it began does not. A session dated the day after
    ``today`` was recorded further east (the user has since flown west): it is
    counted as today's, so that it is never left out of the week.
    """
    ahead = today + timedelta(days=MAX_ZONE_DAYS)
    days = [replace(total, day=today) if today < total.day <= ahead else total for total in days]
    first_shown = heat_map_start(today)
    shown = {
        first_shown + timedelta(days=offset): 0.0
        for offset in range((today - first_shown).days + 1)
    }
    this_monday = week_start(today)
    week_seconds = 0.0
    for total in days:
        if total.day in shown:
            shown[total.day] += total.seconds
        if this_monday <= total.day <= today:
            week_seconds += total.seconds
    found = streaks((total.day for total in days if total.seconds > 0), today)
    return PracticeStats(
        today=today,
        sessions=sum(total.sessions for total in days),
        seconds=sum(total.seconds for total in days),
        week_seconds=week_seconds,
        current_streak=found.current,
        longest_streak=found.longest,
        days=shown,
        favourites=list(scripts[:FAVOURITE_COUNT]),
        mood=mood,
    )


def gather(store: HistoryStore, today: date) -> PracticeStats:
    """The practice figures for everything in ``store``, as of ``today``."""
    return compute(store.day_totals(), store.script_totals(), store.mood_totals(), today)


def progress_sentence(stats: PracticeStats) -> str:
    """The one kind sentence for the session summary, such as "That's 12 min of practice this week."

    It names the current streak only when today is part of it and it is at
    least ``STREAK_WORTH_MENTIONING`` days long; it never speaks of a streak
    ending, so a quiet week reads as plainly as a busy one. The week's time
    reads exactly as ``calm stats`` shows it.
    """
    week = practice_time_text(stats.week_seconds)
    practised_today = stats.days.get(stats.today, 0.0) > 0
    if practised_today and stats.current_streak >= STREAK_WORTH_MENTIONING:
        return f"That's a {stats.current_streak}-day streak, and {week} this week."
    if stats.week_seconds > 0:
        return f"That's {week} of practice this week."
    return "Your practice adds up here, a little at a time."


def practice_time_text(seconds: float) -> str:
    """Time practised, as the stats and the summary's sentence both say it: "5 min 33 s",
    and "0 min" for none at all, which reads better than "0 s" for a total."""
    return duration_text(seconds) if seconds > 0 else "0 min"
