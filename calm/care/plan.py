"""A care plan: what a therapist suggests between appointments, as calm holds it.

A plan is a small TOML file a therapist writes by hand (``calm plan new`` gives a
commented template) and hands to the client, who imports it. It holds practices
(scripts from calm's library, or script files that come with the plan), each with
a rhythm, and self-care reminders in the therapist's own words, each with a rhythm.
``calm.care.plan_checker`` reads one, with a line for every problem.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from calm.care.rhythm import Rhythm
from calm.care.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SUMMARY_FORMAT = 1
"""The format of an imported plan's summary file."""


class PlannedPractice(Value):
    """A script to practise, and how often."""

    __slots__ = ("path", "script", "title", "when")

    def __init__(self, script: str, when: Rhythm, title: str, path: Path | None = None) -> None:
        self.script = script
        """A script's name in calm's library, or a script file's name beside the plan."""
        self.when = when
        self.title = title
        """The script's own title, read when the plan was checked."""
        self.path = path
        """The script file beside the plan, when it is one; None for the library's."""

    @property
    def start_command(self) -> str:
        """What to type to start it, quoted for a shell where a path needs it."""
        if self.path is None:
            return f"calm start {self.script}"
        import shlex

        return f"calm start {shlex.quote(str(self.path))}"


class Reminder(Value):
    """A piece of self-care, in the therapist's words, and how often."""

    __slots__ = ("text", "when")

    def __init__(self, text: str, when: Rhythm) -> None:
        self.text = text
        self.when = when


class Plan(Value):
    """A therapist's care plan for a client."""

    __slots__ = (
        "author",
        "ends",
        "given_name",
        "imported",
        "note",
        "path",
        "practices",
        "reminders",
        "starts",
        "title",
    )

    def __init__(
        self,
        title: str,
        author: str | None,
        practices: tuple[PlannedPractice, ...],
        reminders: tuple[Reminder, ...],
        starts: date | None = None,
        ends: date | None = None,
        note: str | None = None,
        path: Path | None = None,
        imported: date | None = None,
        given_name: str | None = None,
    ) -> None:
        self.title = title
        self.author = author
        """Who it is from: the therapist's name or practice, as they wrote it."""
        self.practices = practices
        self.reminders = reminders
        self.starts = starts
        self.ends = ends
        self.note = note
        self.path = path
        """The file it was read from."""
        self.imported = imported
        """The day it was imported, for an imported plan: it asks nothing before then."""
        self.given_name = given_name
        """The name its import gave it (its folder's), which may differ from its title's
        slug when another plan had that; None for a plan file not imported."""

    @property
    def name(self) -> str:
        """The plan's name for ``calm plan show`` and ``remove``, and the history's key
        for its reminders: the name its import gave it, or else its title as a slug."""
        return self.given_name or plan_name(self.title)

    def active_on(self, day: date) -> bool:
        """Whether the plan runs on ``day``: between its start and end dates, and not
        before it was imported."""
        began = (self.starts is None or self.starts <= day) and (
            self.imported is None or self.imported <= day
        )
        return began and (self.ends is None or day <= self.ends)

    @property
    def from_words(self) -> str:
        """ "Your plan from Sam", or "Your plan" when it does not say who it is from."""
        return f"Your plan from {self.author}" if self.author else "Your plan"


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The checked plan as its summary file keeps it, for ``calm nudge`` to read quickly."""
    return {
        "format": SUMMARY_FORMAT,
        "title": plan.title,
        "from": plan.author,
        "starts": plan.starts.isoformat() if plan.starts else None,
        "ends": plan.ends.isoformat() if plan.ends else None,
        "imported": plan.imported.isoformat() if plan.imported else None,
        "practices": [
            {
                "script": item.script,
                "title": item.title,
                "when": item.when.to_json(),
                "path": str(item.path) if item.path else None,
            }
            for item in plan.practices
        ],
        "reminders": [{"text": item.text, "when": item.when.to_json()} for item in plan.reminders],
    }


def plan_from_json(document: object, path: Path) -> Plan:
    """A plan its summary file holds, as ``plan_to_json`` wrote it.

    Raises:
        ValueError: when ``document`` is not such a summary; it is then read from the
            plan file itself.
    """
    if not isinstance(document, dict) or document.get("format") != SUMMARY_FORMAT:
        raise ValueError("not a plan summary")
    try:
        practices = tuple(
            PlannedPractice(
                script=_text(item["script"]),
                title=_text(item["title"]),
                when=Rhythm.from_json(item["when"]),
                path=Path(_text(item["path"])) if item.get("path") else None,
            )
            for item in document["practices"]
        )
        reminders = tuple(
            Reminder(_text(item["text"]), Rhythm.from_json(item["when"]))
            for item in document["reminders"]
        )
        starts, ends = document.get("starts"), document.get("ends")
        imported = document.get("imported")
        author = document.get("from")
        return Plan(
            title=_text(document["title"]),
            author=_text(author) if author is not None else None,
            practices=practices,
            reminders=reminders,
            starts=date.fromisoformat(_text(starts)) if starts else None,
            ends=date.fromisoformat(_text(ends)) if ends else None,
            imported=date.fromisoformat(_text(imported)) if imported else None,
            path=path,
            given_name=path.parent.name,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError("not a plan summary") from error


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.isprintable() or len(value) > 2000:
        raise ValueError("not text calm wrote")
    return value


def same_title(first: str, second: str) -> bool:
    """Whether two titles are the same plan's: alike but for case and spacing, as the
    checker compares reminders."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def plan_name(title: str) -> str:
    """A title as a plan's name: lower case letters, digits and hyphens."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:60].strip("-") or "plan"
