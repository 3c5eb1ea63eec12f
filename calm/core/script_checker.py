"""The checker of a parsed script document: its keys, its steps, and the script they make.

``ScriptChecker`` walks the document top to bottom, checking every value on the
way (``calm.core.value_checks``, ``calm.core.pattern_checks``), and builds the
script when nothing is wrong. Scripts are written by hand by therapists, so
every problem is found in one pass, each said in one line with its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from calm.core.pace import (
    DEFAULT_PACE,
    FASTEST_PACE,
    PREFERRED,
    SLOWEST_PACE,
    breath_at,
    pace_text,
    scaled_to,
)
from calm.core.pattern_checks import PatternChecks, is_pattern_shorthand
from calm.core.script import (
    BreatheStep,
    Category,
    Length,
    MoveStep,
    PhaseSpec,
    PromptStep,
    SayStep,
    Script,
    Step,
    StepKind,
)
from calm.core.suggest import did_you_mean
from calm.core.value_checks import HINTED_LENGTH, whole_ms
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
    StepKind.BREATHE: ("breathe", "pattern", "pace", "cycles", "minutes", "cue", "gentle"),
    StepKind.PROMPT: ("prompt", "timeout", "cue", "gentle"),
    StepKind.MOVE: (
        "move",
        "how",
        "hold",
        "reps",
        "tempo",
        "sides",
        "sets",
        "rest",
        "cue",
        "gentle",
    ),
}
MOST_SETS = 10
"""The most sets a move step may have."""
MOST_REPS = 50
"""The most repetitions in one set."""
MOST_SIDES = 4
MOST_HOLD_SECONDS = 300
"""The longest hold: five minutes, far past any stretching guideline."""
KINDS_TEXT = "say, breathe, prompt or move"


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
                        f"expected a [[steps]] table with {KINDS_TEXT}, got {describe_value(table)}"
                    )
                    continue
                step = self._step(table, script_length)
            if step is not None:
                steps.append(step)
        return tuple(steps)

    def _step(self, table: dict[str, Any], script_length: Length | None) -> Step | None:
        kinds = [kind for kind in StepKind if kind.value in table]
        if not kinds:
            message = f"expected one of {KINDS_TEXT}, found {_keys_text(table)}"
            names = [kind.value for kind in StepKind]
            keys = [key for key in list(table)[:_HINTED_KEYS] if len(key) <= HINTED_LENGTH]
            hints = [] if self._full else (did_you_mean(key, names) for key in keys)
            hint = next((hint for hint in hints if hint), "")
            self._problem(message + (f"; {hint}" if hint else ""))
            return None
        if len(kinds) > 1:
            both = " and ".join(kind.value for kind in kinds)
            self._problem(f"a step is one of {KINDS_TEXT}, found {both}")
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
        if kind is StepKind.MOVE:
            return self._move(table)
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
        paced = "pace" in table
        pace = self._pace(table["pace"]) if paced else None
        if "pattern" in table:
            pattern = self._pattern(table["pattern"])
        elif is_pattern_shorthand(text):
            # `breathe = "4-7-8"` is the shortest way to write a breathing step.
            pattern, text = self._pattern(text), ""
        elif paced:
            pattern = breath_at(DEFAULT_PACE)  # laid out at the pace below
        else:
            self._problem(
                'pattern is missing; expected a shorthand such as "4-7-8", phases, or a pace'
            )
            pattern = None
        if paced and pattern is not None:
            pattern = self._at_pace(pattern, pace)
        length = self._length(table)
        written = self._script_length_written or {"cycles", "minutes"} & set(table)
        if length is None and script_length is None and not written:
            self._problem("expected cycles or minutes for this step, or for the whole script")
        cue = self._cue(table)
        gentle = self._text(table, "gentle") or None
        if pattern is None:
            return None
        return BreatheStep(
            text=text,
            pattern=pattern,
            length=length,
            cue=cue,
            gentle=gentle,
            preferred=pace == PREFERRED,
            paced=paced,
        )

    def _pace(self, value: object) -> float | str | None:
        """Breaths a minute, or "preferred"; None, with a problem, for anything else."""
        if value == PREFERRED:
            return PREFERRED
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and SLOWEST_PACE <= value <= FASTEST_PACE
        ):
            return float(value)
        with self._at("pace"):
            self._problem(
                f"expected breaths a minute from {pace_text(SLOWEST_PACE)} to"
                f' {pace_text(FASTEST_PACE)}, or "{PREFERRED}", got {describe_value(value)}'
            )
        return None

    def _at_pace(
        self, pattern: tuple[PhaseSpec, ...], pace: float | str | None
    ) -> tuple[PhaseSpec, ...] | None:
        """The pattern stretched to one breath at ``pace`` (the preferred pace is laid out
        at 6 a minute until it is known); None when it cannot be."""
        if pace is None:
            return None
        if any(spec.progression is not None for spec in pattern):
            with self._at("pace"):
                self._problem("a pattern that changes breath by breath cannot also have a pace")
            return None
        return scaled_to(pattern, DEFAULT_PACE if pace == PREFERRED else float(pace))

    def _move(self, table: dict[str, Any]) -> MoveStep | None:
        """A stretch held, or a move repeated: on each side, in sets, with rests."""
        text = self._text(table, "move", required=True)
        how = self._text(table, "how") or ""
        has_hold, has_reps = "hold" in table, "reps" in table
        if has_hold == has_reps:
            self._problem("a move step has either hold (seconds) or reps, not both or neither")
        hold = self._seconds(table, "hold", required=False) if has_hold else None
        if hold is not None and hold > MOST_HOLD_SECONDS * 1000:
            self._problem(f"hold must be at most {MOST_HOLD_SECONDS} seconds")
            hold = None
        reps = self._count(table, "reps", 1, MOST_REPS) if has_reps else None
        tempo = self._tempo(table) if has_reps else None
        if "tempo" in table and not has_reps:
            self._problem("tempo goes with reps: how long each repetition's two parts take")
        sides = self._sides(table)
        sets = self._count(table, "sets", 1, MOST_SETS) if "sets" in table else 1
        rest = self._seconds(table, "rest", required=False) if "rest" in table else 0
        cue = self._cue(table)
        gentle = self._text(table, "gentle") or None
        if text is None or sets is None or rest is None or (hold is None and reps is None):
            return None
        if has_reps and (reps is None or tempo is None):
            return None
        return MoveStep(
            text=text,
            how=how,
            hold_ms=hold,
            reps=reps,
            tempo=tempo,
            sides=sides,
            sets=sets,
            rest_ms=rest,
            cue=cue,
            gentle=gentle,
        )

    def _count(self, table: dict[str, Any], key: str, least: int, most: int) -> int | None:
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            self._problem(
                f"{key} must be a whole number from {least} to {most}, got {describe_value(value)}"
            )
            return None
        return value

    def _tempo(self, table: dict[str, Any]) -> tuple[int, int] | None:
        """Each repetition's up and down, in seconds: "2-2" (the default) or [2, 3]."""
        value = table.get("tempo", "2-2")
        parts: object = value.split("-") if isinstance(value, str) else value
        try:
            if not isinstance(parts, list) or len(parts) != 2:
                raise ValueError
            seconds = [float(part) if isinstance(part, str) else part for part in parts]
            if not all(
                isinstance(part, int | float) and not isinstance(part, bool) and 0.5 <= part <= 10
                for part in seconds
            ):
                raise ValueError
        except ValueError:
            self._problem(
                f'tempo must be two times from 0.5 to 10 seconds, up then down, such as "2-2", '
                f"got {describe_value(value)}"
            )
            return None
        return whole_ms(seconds[0]), whole_ms(seconds[1])

    def _sides(self, table: dict[str, Any]) -> tuple[str, ...]:
        if "sides" not in table:
            return ()
        value = table["sides"]
        if (
            not isinstance(value, list)
            or not 1 <= len(value) <= MOST_SIDES
            or not all(isinstance(side, str) and 0 < len(side.strip()) <= 20 for side in value)
        ):
            self._problem(
                f"sides must be a list of 1 to {MOST_SIDES} short names, such as "
                f'["left", "right"], got {describe_value(value)}'
            )
            return ()
        sides = tuple(side.strip() for side in value)
        for number, side in enumerate(sides, start=1):
            if not self._shown_safely(f"sides item {number}", side):
                return ()
        return sides
