"""Reading a care plan file, with one line for every problem, as scripts are read.

A plan is data from outside calm, under the same rules as a script: read with a
size limit, parsed with ``calm.core.safe_toml``'s limits, every text checked so no
markup or escape reaches the terminal, and a script file it names kept to the
plan's own folder. A script name calm does not have gets a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from calm.care.plan import Plan, PlannedPractice, Reminder, same_title
from calm.care.plan_template import FROM_PLACEHOLDER
from calm.care.rhythm import Rhythm, RhythmError, parse_rhythm
from calm.core.library import Library, Origin
from calm.core.problems import Problem, ScriptError
from calm.core.safe_read import ReadError, Why, read_bytes, size_text
from calm.core.safe_toml import TomlError, TomlLimits, parse_toml
from calm.core.suggest import did_you_mean
from calm.core.value_checks import ValueChecks
from calm.core.value_text import describe_value

MAX_PLAN_BYTES = 100_000
"""The biggest plan file calm reads; a real one is a few hundred bytes."""
MAX_ITEMS = 30
"""The most practices, and the most reminders, one plan may hold."""
TEXT_LIMITS = {"title": 120, "from": 120, "note": 2000, "text": 300, "script": 255}
"""The longest each text may be, in characters."""
TOP_KEYS = ("title", "from", "starts", "ends", "note", "practice", "reminder")
PRACTICE_KEYS = ("script", "when")
REMINDER_KEYS = ("text", "when")
PLAN_TOML = TomlLimits(
    depth=4, keys=1_000, items=MAX_ITEMS + 1, chars=max(TEXT_LIMITS.values()) + 1
)
"""What a plan's TOML may ask the parser to build."""


class PlanError(ScriptError):
    """A plan that cannot be used: every problem, one line each, naming file and place."""


def load_plan(path: Path, library: Library, source: str | None = None) -> Plan:
    """Read and check the plan at ``path``; its script files are looked for beside it.

    Raises:
        PlanError: with one problem per line when the plan cannot be used.
    """
    shown = source if source is not None else str(path)
    try:
        data = read_bytes(path, MAX_PLAN_BYTES)
    except ReadError as error:
        raise PlanError([Problem(shown, None, _unread(error))]) from None
    return parse_plan(data, library, source=shown, folder=path.parent, path=path)


def _unread(error: ReadError) -> str:
    if error.why is Why.FOLDER:
        return "is a folder, not a plan file"
    if error.why is Why.TOO_BIG:
        return f"is over {size_text(MAX_PLAN_BYTES)}, too big to be a plan"
    return error.reason


def parse_plan(
    data: bytes, library: Library, *, source: str, folder: Path | None, path: Path | None = None
) -> Plan:
    """The plan in ``data``.

    Raises:
        PlanError: with one problem per line when it cannot be used.
    """
    try:
        document = parse_toml(data, PLAN_TOML, kind="a TOML plan")
    except TomlError as error:
        raise PlanError([Problem(source, error.place, error.message)]) from None
    checker = PlanChecker(source, folder, library)
    plan = checker.plan(document, path)
    if checker.problems or plan is None:
        raise PlanError(checker.problems)
    return plan


class PlanChecker(ValueChecks):
    """Walks a parsed plan, building it and collecting every problem."""

    LIMITS = TEXT_LIMITS

    def __init__(self, source: str, folder: Path | None, library: Library) -> None:
        super().__init__(source, folder)
        self.library = library
        self._own = {
            entry.name: own[0]
            for entry in library.entries()
            if (own := [item for item in (entry, *entry.hides) if item.origin is not Origin.PLAN])
        }
        """The library's scripts but those that came with plans (this one's among them,
        once imported): a plan names only calm's and the user's, or a file of its own."""
        self._practised: dict[str, int] = {}
        """Each practice's script as the history names it, with the first practice that
        named it: two practices of one script could not be told apart there."""
        self._reminded: dict[str, int] = {}
        """Each reminder's words, with the first reminder that said them: a tick is
        kept by its words."""

    def plan(self, document: dict[str, Any], path: Path | None) -> Plan | None:
        """The plan ``document`` holds; None when it has any problem."""
        self._unknown_keys(document, TOP_KEYS)
        title = self._line(document, "title", required=True)
        author = self._line(document, "from")
        if author is not None and same_title(author, FROM_PLACEHOLDER):
            with self._at("from"):
                self._problem("still the template's words; put your name or practice")
        note = self._text(document, "note")
        starts = self._date(document, "starts")
        ends = self._date(document, "ends")
        if starts is not None and ends is not None and ends < starts:
            self._problem(f"ends ({ends}) comes before starts ({starts})")
        practices = [
            practice
            for index, table in enumerate(self._tables(document, "practice"), start=1)
            if (practice := self._practice(index, table)) is not None
        ]
        reminders = [
            reminder
            for index, table in enumerate(self._tables(document, "reminder"), start=1)
            if (reminder := self._reminder(index, table)) is not None
        ]
        if not practices and not reminders and not self.problems:
            self._problem("has no [[practice]] and no [[reminder]]: nothing to suggest")
        if self.problems or title is None:
            return None
        return Plan(
            title=title,
            author=author,
            practices=tuple(practices),
            reminders=tuple(reminders),
            starts=starts,
            ends=ends,
            note=note,
            path=path,
        )

    # -- parts -------------------------------------------------------------------

    def _tables(self, document: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = document.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self._problem(f"{key} must be tables written [[{key}]], got {describe_value(value)}")
            return []
        if len(value) > MAX_ITEMS:
            self._problem(f"a plan can have at most {MAX_ITEMS} [[{key}]], got {len(value)}")
            return []
        return value

    def _practice(self, index: int, table: dict[str, Any]) -> PlannedPractice | None:
        with self._at(f"practice {index}"):
            self._unknown_keys(table, PRACTICE_KEYS)
            when = self._when(table)
            name = self._line(table, "script", required=True)
            if name is None:
                return None
            found = self._script(name)
            if found is None or when is None:
                return None
            title, path = found
            kept_as = Path(name).stem if path is not None else name
            first = self._practised.setdefault(kept_as, index)
            if first != index:
                with self._at("script"):
                    self._problem(
                        f"practice {first} is {describe_value(kept_as)} too; give one"
                        " practice a script once, with one rhythm"
                    )
                return None
            return PlannedPractice(script=name, when=when, title=title, path=path)

    def _reminder(self, index: int, table: dict[str, Any]) -> Reminder | None:
        with self._at(f"reminder {index}"):
            self._unknown_keys(table, REMINDER_KEYS)
            text = self._text(table, "text", required=True)
            when = self._when(table)
            if text is None or when is None:
                return None
            words = " ".join(text.split())
            first = self._reminded.setdefault(words.casefold(), index)
            if first != index:
                with self._at("text"):
                    self._problem(f"reminder {first} says the same; say each reminder once")
                return None
            return Reminder(text=words, when=when)

    def _script(self, name: str) -> tuple[str, Path | None] | None:
        """The title of the script ``name`` and its file beside the plan, if it is one."""
        with self._at("script"):
            if name.endswith(".toml"):
                return self._script_file(name)
            entry = self._own.get(name)
            if entry is None:
                hint = did_you_mean(name, sorted(self._own))
                advice = f"; {hint}" if hint else "; run `calm list` to see them all"
                self._problem(f"calm has no script named {describe_value(name)}{advice}")
                return None
            error = entry.error
            if error is not None:
                self._problem(f"script {name} has problems: {error.first_line}")
                return None
            return entry.load().title, None

    def _script_file(self, name: str) -> tuple[str, Path | None] | None:
        """A script file that comes with the plan: in its folder, and a good script."""
        from calm.core.loader import load_script
        from calm.core.safe_read import is_file, within

        if self.folder is None:
            self._problem("a script file must come beside a plan file")
            return None
        try:
            path = within(self.folder, name)
        except ReadError as error:
            outside = error.why is Why.OUTSIDE
            self._problem("must be in the plan's folder" if outside else error.reason)
            return None
        if not is_file(path):
            self._problem(f"{describe_value(name)} {_not_there(path)}")
            return None
        if path.stem in self._own:
            # The history knows a session by its script's name alone.
            self._problem(
                f"{describe_value(name)} has the name of calm's own {path.stem} script,"
                " so your history could not tell them apart; give the file another name"
            )
            return None
        try:
            script = load_script(path, source=name)
        except ScriptError as error:
            self._problem(f"the script has problems: {error.first_line}")
            return None
        return script.title, path

    # -- values ------------------------------------------------------------------

    def _line(self, table: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        """One line of text: a title, a name."""
        value = self._text(table, key, required=required)
        if value is not None and len(value.splitlines()) > 1:
            self._problem(f"{key} must be one line, got {len(value.splitlines())} lines")
            return None
        if value is not None and not value and not required:
            return None
        return value

    def _when(self, table: dict[str, Any]) -> Rhythm | None:
        if "when" not in table:
            self._problem('when is missing; expected a rhythm such as "daily"')
            return None
        try:
            return parse_rhythm(table["when"])
        except RhythmError as error:
            with self._at("when"):
                self._problem(str(error))
            return None

    def _date(self, table: dict[str, Any], key: str) -> dt.date | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self._problem(f"{key} must be a date such as 2027-01-31, got {describe_value(value)}")
        return None


def _not_there(path: Path) -> str:
    """Why no script file is at ``path``: not found, or something that is not a file."""
    import os
    import stat

    from calm.core.safe_read import not_regular

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return "was not found beside the plan"
    if stat.S_ISDIR(mode):
        return "is a folder, not a script file"
    return not_regular(mode) or "was not found beside the plan"
