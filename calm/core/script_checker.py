"""The checker of a parsed script document: its keys, its steps, and the script they make.

``ScriptChecker`` walks the document top to bottom, checking every value on the
way (``calm.core.value_checks``, ``calm.core.pattern_checks``), and builds the
script when nothing is wrong. Scripts are written by hand by therapists, so
every problem is found in one pass, each said in one line with its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from calm.core.pattern_checks import PatternChecks, is_pattern_shorthand
from calm.core.script import (
    BreatheStep,
    Category,
    Length,
    PromptStep,
    SayStep,
    Script,
    Step,
    StepKind,
)
from calm.core.suggest import did_you_mean
from calm.core.value_checks import HINTED_LENGTH
from calm.core.value_text import describe_value

MAX_STEPS = 200
"""The most steps a script can have."""
_HINTED_KEYS = 20
"""How many keys of a step with no kind are looked at for a did-you-mean."""
_LISTED_KEYS = 5
"""How many keys of a table a problem lists before counting the rest."""


TOP_KEYS = (
    "title",
    "summary",
    "category",
    "tags",
    "minutes",
    "cycles",
    "sources",
    "caution",
    "reminder",
    "steps",
)
STEP_KEYS = {
    StepKind.SAY: ("say", "seconds", "cue", "gentle"),
    StepKind.BREATHE: ("breathe", "pattern", "cycles", "minutes", "cue", "gentle"),
    StepKind.PROMPT: ("prompt", "timeout", "cue", "gentle"),
}


def _keys_text(table: dict[str, Any]) -> str:
    """The keys of a table as a problem names them: the first few, each cut short."""
    if not table:
        return "nothing"
    keys = list(table)
    shown = [key if len(key) <= 40 else key[:37] + "..." for key in keys[:_LISTED_KEYS]]
    if len(keys) > _LISTED_KEYS:
        shown.append(f"and {len(keys) - _LISTED_KEYS} more")
    return ", ".join(shown)


class ScriptChecker(PatternChecks):
    """Walks a parsed document, building the script and collecting every problem."""

    def __init__(self, source: str, folder: Path | None) -> None:
        """Check a document read from ``source``; a cue file is looked for in ``folder``."""
        super().__init__(source, folder)
        self._script_length_written = False

    def script(self, document: dict[str, Any], name: str, path: Path | None) -> Script | None:
        """The script ``document`` holds, named ``name``; None when it has any problem."""
        self._unknown_keys(document, TOP_KEYS)
        title = self._one_line(document, "title")
        summary = self._one_line(document, "summary")
        category = self._category(document)
        tags = self._texts(document, "tags")
        sources = self._texts(document, "sources")
        caution = self._text(document, "caution")
        reminder = self._text(document, "reminder")
        length = self._length(document)
        # A script length written wrongly has its own problem; no step needs to add one.
        self._script_length_written = "cycles" in document or "minutes" in document
        steps = self._steps(document, length)
        if self.problems or title is None or summary is None or category is None:
            return None
        return Script(
            name=name,
            title=title,
            summary=summary,
            category=category,
            steps=steps,
            tags=tags,
            length=length,
            sources=sources,
            caution=caution or None,
            reminder=reminder or None,
            path=path,
        )

    def _category(self, document: dict[str, Any]) -> Category | None:
        value = self._text(document, "category", required=True)
        if value is None:
            return None
        category = Category.parse(value)
        if category is not None:
            return category
        names = [category.value for category in Category]
        hint = did_you_mean(value.lower(), names)
        message = f"category must be one of {', '.join(names)}, got {describe_value(value)}"
        self._problem(message + (f"; {hint}" if hint else ""))
        return None

    def _steps(self, document: dict[str, Any], script_length: Length | None) -> tuple[Step, ...]:
        if "steps" not in document:
            self._problem("steps is missing; a script needs at least one [[steps]] table")
            return ()
        raw = document["steps"]
        if not isinstance(raw, list):
            self._problem(f"steps must be [[steps]] tables, got {describe_value(raw)}")
            return ()
        if not raw:
            self._problem("steps is empty; a script needs at least one step")
            return ()
        if len(raw) > MAX_STEPS:
            self._problem(f"a script can have at most {MAX_STEPS} steps, got {len(raw)}")
            return ()
        steps: list[Step] = []
        for number, table in enumerate(raw, start=1):
            with self._at(f"step {number}"):
                if not isinstance(table, dict):
                    self._problem(
                        f"expected a [[steps]] table with say, breathe or prompt, "
                        f"got {describe_value(table)}"
                    )
                    continue
                step = self._step(table, script_length)
            if step is not None:
                steps.append(step)
        return tuple(steps)

    def _step(self, table: dict[str, Any], script_length: Length | None) -> Step | None:
        kinds = [kind for kind in StepKind if kind.value in table]
        if not kinds:
            message = f"expected one of say, breathe or prompt, found {_keys_text(table)}"
            names = [kind.value for kind in StepKind]
            keys = [key for key in list(table)[:_HINTED_KEYS] if len(key) <= HINTED_LENGTH]
            hints = [] if self._full else (did_you_mean(key, names) for key in keys)
            hint = next((hint for hint in hints if hint), "")
            self._problem(message + (f"; {hint}" if hint else ""))
            return None
        if len(kinds) > 1:
            both = " and ".join(kind.value for kind in kinds)
            self._problem(f"a step is one of say, breathe or prompt, found {both}")
            return None
        kind = kinds[0]
        if kind is StepKind.BREATHE and "seconds" in table:
            self._problem("a breathe step lasts for cycles or minutes, not seconds")
            table = {key: value for key, value in table.items() if key != "seconds"}
        self._unknown_keys(table, STEP_KEYS[kind])
        if kind is StepKind.SAY:
            return self._say(table)
        if kind is StepKind.BREATHE:
            return self._breathe(table, script_length)
        return self._prompt(table)

    def _say(self, table: dict[str, Any]) -> SayStep | None:
        text = self._text(table, "say", required=True)
        ms = self._seconds(table, "seconds", required=True)
        cue = self._cue(table)
        gentle = self._text(table, "gentle") or None
        if text is None or ms is None:
            return None
        return SayStep(text=text, ms=ms, cue=cue, gentle=gentle)

    def _prompt(self, table: dict[str, Any]) -> PromptStep | None:
        text = self._text(table, "prompt", required=True)
        timeout = self._seconds(table, "timeout", required=False)
        cue = self._cue(table)
        gentle = self._text(table, "gentle") or None
        if text is None:
            return None
        return PromptStep(text=text, timeout_ms=timeout, cue=cue, gentle=gentle)

    def _breathe(self, table: dict[str, Any], script_length: Length | None) -> BreatheStep | None:
        text = self._text(table, "breathe") or ""
        if "pattern" in table:
            pattern = self._pattern(table["pattern"])
        elif is_pattern_shorthand(text):
            # `breathe = "4-7-8"` is the shortest way to write a breathing step.
            pattern, text = self._pattern(text), ""
        else:
            self._problem('pattern is missing; expected a shorthand such as "4-7-8" or phases')
            pattern = None
        length = self._length(table)
        written = self._script_length_written or {"cycles", "minutes"} & set(table)
        if length is None and script_length is None and not written:
            self._problem("expected cycles or minutes for this step, or for the whole script")
        cue = self._cue(table)
        gentle = self._text(table, "gentle") or None
        if pattern is None:
            return None
        return BreatheStep(text=text, pattern=pattern, length=length, cue=cue, gentle=gentle)
