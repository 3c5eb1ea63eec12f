"""How a week went against a care plan, as a kind figure for ``calm stats``: "practised
on 4 of the 5 planned days".

A planned day is one the plan asks for a practice on: every day for a daily rhythm,
its weekdays for named ones, and for "N per week" N days of the week. A practised
day is one on which any of the plan's practices was done. This week counts only
the days so far. The words never count what was missed.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from calm.care.done_today import DoneThisWeek, week_start
from calm.care.plan import Plan
from calm.care.today import history_name
from calm.care.value import Value


class WeekFigure(Value):
    """One plan's week: its planned days and the days practised."""

    __slots__ = ("monday", "plan", "planned", "practised", "so_far")

    def __init__(
        self, plan: Plan, monday: date, planned: int, practised: int, so_far: bool
    ) -> None:
        self.plan = plan
        self.monday = monday
        self.planned = planned
        self.practised = practised
        self.so_far = so_far
        """Whether the week is still going (this week)."""

    @property
    def words(self) -> str:
        """The week, kindly: "practised on 4 of the 5 planned days"."""
        if self.planned == 0:
            return "nothing was planned"
        if self.practised == 0:
            # Nothing counted against anyone: an invitation, or a quiet week let be.
            return (
                "nothing yet, and any day is a good day to start" if self.so_far else "a quiet one"
            )
        days = "day" if self.planned == 1 else "days"
        so_far = " so far" if self.so_far else ""
        if self.practised >= self.planned:
            return f"practised on every planned day{so_far} ({self.planned})"
        return f"practised on {self.practised} of the {self.planned} planned {days}{so_far}"

    def to_json(self) -> dict[str, object]:
        """The week as ``calm stats --json`` gives it."""
        return {
            "plan": self.plan.name,
            "week_of": self.monday.isoformat(),
            "planned_days": self.planned,
            "practised_days": self.practised,
            "so_far": self.so_far,
        }


def week_figure(plan: Plan, monday: date, today: date, done: DoneThisWeek) -> WeekFigure:
    """``plan``'s week beginning ``monday``, up to ``today`` if it is this week."""
    last = min(monday + timedelta(days=6), today)
    days = [monday + timedelta(days=offset) for offset in range((last - monday).days + 1)]
    active = [day for day in days if plan.active_on(day)]
    fixed = {
        day
        for day in active
        for practice in plan.practices
        if practice.when.per_week is None and practice.when.asked_on(day)
    }
    per_week = max((p.when.per_week or 0 for p in plan.practices), default=0)
    planned = max(len(fixed), min(per_week, len(active)))
    scripts = {history_name(practice.script) for practice in plan.practices}
    practised = sum(1 for day in active if any(done.done_on(name, day) for name in scripts))
    return WeekFigure(plan, monday, planned, practised, so_far=last < monday + timedelta(days=6))


def recent_weeks(plans: list[Plan], today: date, done: DoneThisWeek) -> list[WeekFigure]:
    """This week and last, for each plan active in them, newest first."""
    this_monday = week_start(today)
    figures: list[WeekFigure] = []
    for plan in plans:
        for monday in (this_monday, this_monday - timedelta(days=7)):
            figure = week_figure(plan, monday, today, done)
            if figure.planned:
                figures.append(figure)
    return figures


def adherence_lines(figures: list[WeekFigure]) -> list[str]:
    """One line for each plan: this week, then last week."""
    lines: list[str] = []
    for plan in dict.fromkeys(figure.plan for figure in figures):
        weeks = [figure for figure in figures if figure.plan is plan]
        parts = [
            ("this week, " if figure.so_far else "last week, ") + figure.words for figure in weeks
        ]
        lines.append(f"{plan.from_words} ({plan.title}): {'; '.join(parts)}.")
    return lines


def plan_weeks(plans_folder: Path, history: Path, today: date) -> list[WeekFigure]:
    """This week and last for every imported plan; none when none can be read."""
    from calm.care.done_today import read_done
    from calm.care.plan_summaries import imported_plans

    plans = imported_plans(plans_folder)
    done = read_done(history, today, since=week_start(today) - timedelta(days=7))
    return recent_weeks(plans, today, done)
