"""How often a care plan asks for something: every day, a few times a week, after work,
before bed, or on named weekdays; and whether today is one of those days.

A rhythm is written in the plan as a therapist would say it (``"daily"``,
``"3 per week"``, ``"before bed"``, ``["mon", "thu"]``) and read here, with one line
that says what was expected when it cannot be.
"""

from __future__ import annotations

import re
from datetime import date

from calm.care.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The weekdays as a plan names them, Monday first, as ``date.weekday`` counts."""
_FULL_DAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
MOMENTS = {"daily": "every day", "after work": "after work", "before bed": "before bed"}
"""The rhythms that ask for something every day, and how each is said."""
EXPECTED = (
    '"daily", "after work", "before bed", "N per week" (1 to 7), '
    'or a list of weekdays such as ["mon", "thu"]'
)
_PER_WEEK = r"(\d{1,2})\s*(?:x\s*)?(?:per|a|times a|times per)\s+week"
""""3 per week", "3 a week", "3 times a week", "3x per week"."""


class RhythmError(ValueError):
    """A rhythm calm cannot read: the message says what was expected."""


class Rhythm(Value):
    """When something in a plan is asked for."""

    __slots__ = ("moment", "per_week", "weekdays")

    def __init__(
        self, moment: str | None = None, per_week: int | None = None, weekdays: tuple[int, ...] = ()
    ) -> None:
        self.moment = moment
        """"daily", "after work" or "before bed": every day, at that moment; else None."""
        self.per_week = per_week
        """So many days a week, any days; else None."""
        self.weekdays = weekdays
        """The weekdays it is asked for (0 is Monday); empty unless named."""

    @property
    def text(self) -> str:
        """The rhythm as calm says it: "every day", "3 days a week", "Mon and Thu"."""
        if self.moment is not None:
            return MOMENTS[self.moment]
        if self.per_week is not None:
            return "1 day a week" if self.per_week == 1 else f"{self.per_week} days a week"
        names = [WEEKDAYS[day].capitalize() for day in self.weekdays]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def to_json(self) -> dict[str, Any]:
        """The rhythm as an imported plan's summary keeps it (``from_json`` reads it)."""
        return {"moment": self.moment, "per_week": self.per_week, "weekdays": list(self.weekdays)}

    @classmethod
    def from_json(cls, value: object) -> Rhythm:
        """A rhythm ``to_json`` wrote.

        Raises:
            RhythmError: when ``value`` is not one.
        """
        if not isinstance(value, dict):
            raise RhythmError("not a rhythm")
        moment, per_week, weekdays = (
            value.get("moment"),
            value.get("per_week"),
            value.get("weekdays"),
        )
        if moment is not None:
            if moment not in MOMENTS:
                raise RhythmError("not a rhythm")
            return cls(moment=moment)
        # ``True`` is an int to Python, but no count a summary writes.
        if type(per_week) is int and 1 <= per_week <= 7:
            return cls(per_week=per_week)
        if (
            isinstance(weekdays, list)
            and weekdays
            and all(type(day) is int and 0 <= day <= 6 for day in weekdays)
        ):
            return cls(weekdays=tuple(sorted(set(weekdays))))
        raise RhythmError("not a rhythm")

    def days_a_week(self) -> int:
        """How many days a week it is planned for."""
        if self.moment is not None:
            return 7
        if self.per_week is not None:
            return self.per_week
        return len(self.weekdays)

    def asked_on(self, day: date, days_done_this_week: int = 0, done_today: bool = False) -> bool:
        """Whether it is asked for on ``day``: always for a daily rhythm, on its weekdays,
        and for a few times a week, while the week's count is not yet reached (a day it
        was already done on counts as asked)."""
        if self.moment is not None:
            return True
        if self.weekdays:
            return day.weekday() in self.weekdays
        assert self.per_week is not None
        return done_today or days_done_this_week < self.per_week


def parse_rhythm(value: object) -> Rhythm:
    """The rhythm a plan wrote as ``value``.

    Raises:
        RhythmError: when it is not one calm can read.
    """
    if isinstance(value, list):
        return _weekdays(value)
    if not isinstance(value, str):
        raise RhythmError(f"expected {EXPECTED}")
    text = " ".join(value.lower().split())
    if text in MOMENTS or text in ("every day", "each day"):
        return Rhythm(moment="daily" if text not in MOMENTS else text)
    matched = re.fullmatch(_PER_WEEK, text)  # compiled once, on first use
    if matched:
        count = int(matched.group(1))
        if not 1 <= count <= 7:
            raise RhythmError(f"a week has 7 days: expected 1 to 7 per week, got {count}")
        return Rhythm(moment="daily") if count == 7 else Rhythm(per_week=count)
    if "," in text or text[:3] in WEEKDAYS:
        return _weekdays([part.strip() for part in text.replace(" and ", ",").split(",")])
    raise RhythmError(f"expected {EXPECTED}")


def _weekdays(names: list[object]) -> Rhythm:
    """Named weekdays: "mon" or "monday", any case, each once."""
    if not names or len(names) > 7:
        raise RhythmError('expected from 1 to 7 weekdays, such as ["mon", "thu"]')
    days: set[int] = set()
    for name in names:
        day = _weekday(name)
        if day is None:
            raise RhythmError(
                f"expected weekdays as mon, tue, wed, thu, fri, sat or sun, got {name!r}"[:160]
            )
        days.add(day)
    return Rhythm(weekdays=tuple(sorted(days)))


def _weekday(name: object) -> int | None:
    if not isinstance(name, str):
        return None
    text = name.strip().lower()
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    if text in _FULL_DAYS:
        return _FULL_DAYS.index(text)
    return None
