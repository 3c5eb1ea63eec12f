"""What the active plans suggest today, what of it is done, and one gentle line.

The words follow the therapist's note: no streak guilt and no "you missed". A day
with nothing done is met with an invitation, a day with something done with a
word that it counts, and a day with everything done with rest.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from calm.care.done_today import DoneThisWeek
from calm.care.plan import Plan
from calm.care.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NO_PLAN = "No care plan yet. If your therapist gives you one: calm plan import FILE"
RESTING = "Your plan rests today: it has not begun yet, or it has come to its end."
NOTHING_TODAY = "Nothing in your plan today. Rest is part of it too."
ALL_DONE = "That is everything in your plan for today. Rest well."
SOME_DONE = "You have made a start today. The rest can wait until it suits you."
NONE_DONE = "Whenever you are ready: even a couple of minutes counts."


class TodayItem(Value):
    """One thing a plan suggests today."""

    __slots__ = ("command", "done", "from_file", "kind", "number", "plan", "script", "text", "when")

    def __init__(
        self,
        plan: Plan,
        kind: str,
        text: str,
        when: str,
        done: bool,
        *,
        number: int | None = None,
        command: str | None = None,
        script: str | None = None,
        from_file: bool = False,
    ) -> None:
        self.plan = plan
        self.kind = kind
        """"practice" or "reminder"."""
        self.text = text
        """The script's title, or the reminder in the therapist's words."""
        self.when = when
        """The rhythm, as calm says it."""
        self.done = done
        self.number = number
        """A reminder's number, for ``calm today done N``."""
        self.command = command
        """What to type to start a practice."""
        self.script = script
        """A practice's script, as the history names it."""
        self.from_file = from_file
        """Whether a practice is a script file that came with its plan, not the library's."""

    def to_json(self) -> dict[str, Any]:
        """The item as ``calm today --json`` gives it."""
        shown: dict[str, Any] = {
            "plan": self.plan.name,
            "kind": self.kind,
            "text": self.text,
            "when": self.when,
            "done": self.done,
        }
        if self.number is not None:
            shown["number"] = self.number
        if self.command is not None:
            shown["command"] = self.command
            shown["script"] = self.script
        return shown


class Today(Value):
    """Today's suggestions from every active plan, in plan order."""

    __slots__ = ("day", "imported", "items", "plans")

    def __init__(
        self, day: date, plans: tuple[Plan, ...], items: tuple[TodayItem, ...], imported: int = 0
    ) -> None:
        self.day = day
        self.plans = plans
        """The plans active today."""
        self.items = items
        self.imported = imported
        """How many plans there are, active today or not."""

    @property
    def line(self) -> str:
        """The one gentle line under the list."""
        if not self.plans:
            return RESTING if self.imported else NO_PLAN
        if not self.items:
            return NOTHING_TODAY
        done = sum(item.done for item in self.items)
        if done == len(self.items):
            return ALL_DONE
        return SOME_DONE if done else NONE_DONE

    @property
    def reminders(self) -> list[TodayItem]:
        """Today's reminders, in their numbered order."""
        return [item for item in self.items if item.kind == "reminder"]

    def next_undone(self) -> TodayItem | None:
        """The first thing not yet done today, practices first."""
        for kind in ("practice", "reminder"):
            for item in self.items:
                if item.kind == kind and not item.done:
                    return item
        return None

    def to_json(self) -> dict[str, Any]:
        """Today as ``calm today --json`` gives it."""
        return {
            "date": self.day.isoformat(),
            "plans": [
                {"name": plan.name, "title": plan.title, "from": plan.author} for plan in self.plans
            ],
            "items": [item.to_json() for item in self.items],
            "line": self.line,
        }


def planned_in_picker(today: Today) -> dict[str, bool]:
    """Today's practices, for the picker's "Your plan": each script's name (a script
    file that came with a plan is in the library by its name too), and whether it is
    done today, in the plans' order."""
    planned: dict[str, bool] = {}
    for item in today.items:
        if item.kind == "practice" and item.script:
            planned[item.script] = planned.get(item.script, False) or item.done
    return planned


def history_name(script: str) -> str:
    """The name a practice's script is written into the history under."""
    return Path(script).stem if script.endswith(".toml") else script


def today_in(plans: list[Plan], day: date, done: DoneThisWeek) -> Today:
    """What ``plans`` suggest on ``day``, given what ``done`` says was done."""
    active = tuple(plan for plan in plans if plan.active_on(day))
    items: list[TodayItem] = []
    number = 0
    for plan in active:
        for practice in plan.practices:
            name = history_name(practice.script)
            done_today = done.done_on(name, day)
            if practice.when.asked_on(day, done.days_done(name, day), done_today):
                items.append(
                    TodayItem(
                        plan,
                        "practice",
                        practice.title,
                        practice.when.text,
                        done_today,
                        command=practice.start_command,
                        script=name,
                        from_file=practice.path is not None,
                    )
                )
        for reminder in plan.reminders:
            key = (plan.name, reminder.text)
            ticked = key in done.ticked
            earlier = sum(1 for when in done.ticked_days.get(key, set()) if when < day)
            if reminder.when.asked_on(day, earlier, ticked):
                number += 1
                items.append(
                    TodayItem(
                        plan, "reminder", reminder.text, reminder.when.text, ticked, number=number
                    )
                )
    return Today(day, active, tuple(items), imported=len(plans))
