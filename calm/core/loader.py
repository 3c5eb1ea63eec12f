"""Reading a script file and checking it, with one clear line for every problem.

Scripts are written by hand by therapists, so the checks try hard to say what
was expected, what was found, and where, and to guess what was meant.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from calm.core.cue_names import COMPRESSED_SUFFIXES
from calm.core.cue_names import CUE_NAMES as BUILTIN_CUES
from calm.core.problems import Problem, ScriptError
from calm.core.safe_read import ReadError, Why, leaves_folder, read_bytes, size_text
from calm.core.safe_text import first_control
from calm.core.safe_toml import TomlError, TomlLimits, parse_toml
from calm.core.script import (
    MAX_CYCLES,
    MAX_MINUTES,
    MAX_SECONDS,
    MIN_SECONDS,
    BreatheStep,
    Category,
    Length,
    Phase,
    PhaseSpec,
    Progression,
    PromptStep,
    SayStep,
    Script,
    Step,
    StepKind,
)
from calm.core.suggest import did_you_mean

MAX_FILE_BYTES = 1_000_000
"""The biggest script file calm reads."""
MAX_STEPS = 200
"""The most steps a script can have."""
MAX_PHASES = 16
"""The most phases one breathing pattern can have."""

CUE_FILE_SUFFIXES = (".wav", *COMPRESSED_SUFFIXES)
"""The sound files a script can name as a cue."""

MAX_CHARS = {
    "title": 120,
    "summary": 300,
    "caution": 2000,
    "reminder": 2000,
    "say": 2000,
    "prompt": 2000,
    "breathe": 2000,
    "gentle": 2000,
    "text": 300,
    "tags": 60,
    "sources": 500,
    "cue": 255,
}
"""The longest each text may be, in characters; for tags and sources, each item.
Longer is not a title or a step any screen could show, and only costs time."""
MAX_ITEMS = {"tags": 20, "sources": 30}
"""The most items each list of texts may have."""
MAX_PROBLEMS = 20
"""The most problems reported for one file; past these, one line counts the rest."""
_HINTED_LENGTH = 60
"""Keys longer than this get no did-you-mean: no key calm knows is anything like them."""
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
PHASE_KEYS = ("phase", "seconds", "text", "cue", "per_cycle", "limit")

_MOST_KEYS = len(TOP_KEYS) + MAX_STEPS * (
    1 + max(len(keys) for keys in STEP_KEYS.values()) + MAX_PHASES * len(PHASE_KEYS)
)
SCRIPT_TOML = TomlLimits(keys=_MOST_KEYS)
"""How deep, how many and how long the TOML of a script may be, checked before it is
parsed: room for the most steps, each with the most phases, with every key written."""

# The order of phases a shorthand such as "4-7-8" stands for, by how many numbers it has.
SHORTHAND_PHASES = {
    2: (Phase.INHALE, Phase.EXHALE),
    3: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE),
    4: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE, Phase.HOLD_OUT),
}
# Hyphens, and the en and em dashes that word processors put in their place.
_SHORTHAND = re.compile(r"^\s*\d+(?:\.\d+)?(?:\s*[-\u2013\u2014]\s*\d+(?:\.\d+)?)+\s*$")
_DASHES = re.compile(r"\s*[-\u2013\u2014]\s*")


def load_script(path: Path, name: str | None = None, source: str | None = None) -> Script:
    """Read and check the script at ``path``.

    Args:
        path: The TOML file.
        name: The name the script is started by; the file's stem by default.
        source: How to name the file in problems; the path as given by default.

    Raises:
        ScriptError: with one problem per line when the file cannot be used.
    """
    shown = source if source is not None else str(path)
    data = read_script_file(path, shown)
    return parse_script_bytes(data, name=name or path.stem, source=shown, path=path)


def read_script_file(path: Path, source: str) -> bytes:
    """The bytes of the script file at ``path``, read as ``load_script`` reads them: only
    a regular file of at most ``MAX_FILE_BYTES``.

    Raises:
        ScriptError: naming ``source`` and why it cannot be read.
    """
    try:
        return read_bytes(path, MAX_FILE_BYTES)
    except ReadError as error:
        raise ScriptError([Problem(source, None, _unread(error))]) from None


def _unread(error: ReadError) -> str:
    """Why a script file could not be read, worded for a script."""
    if error.why is Why.FOLDER:
        return "is a folder, not a script file"
    if error.why is Why.TOO_BIG:
        return _too_big()
    return error.reason


def _too_big() -> str:
    return f"is over {size_text(MAX_FILE_BYTES)}, too big to be a script"


def parse_script_bytes(data: bytes, *, name: str, source: str, path: Path | None = None) -> Script:
    """Check raw file contents and turn them into a script.

    Raises:
        ScriptError: with one problem per line when the contents cannot be used.
    """
    document = _parse_toml(data, source)
    return parse_script_document(document, name=name, source=source, path=path)


def parse_script_document(
    document: dict[str, Any], *, name: str, source: str, path: Path | None = None
) -> Script:
    """Check an already-parsed TOML document and turn it into a script.

    Raises:
        ScriptError: with one problem per line when the document cannot be used.
    """
    checker = _Checker(source, path.parent if path else None)
    script = checker.script(document, name, path)
    if checker.problems or script is None:
        raise ScriptError(checker.problems)
    _check_timing(script, source)
    return script


def _check_timing(script: Script, source: str) -> None:
    """A script must lay out in time as written, and take some time."""
    # Imported here: the timeline builds on the script model, not on loading.
    from calm.core.timeline import LengthError, planned_ms

    try:
        length = planned_ms(script)
    except LengthError as error:
        raise ScriptError([Problem(source, None, str(error))]) from None
    if length == 0:
        message = (
            "the session takes no time: every step waits for Enter; "
            "add a say step, or a timeout to a prompt"
        )
        raise ScriptError([Problem(source, None, message)])


def is_pattern_shorthand(text: str) -> bool:
    """Whether ``text`` looks like a pattern shorthand such as ``"4-7-8"``."""
    return bool(_SHORTHAND.match(text))


def _parse_toml(data: bytes, source: str) -> dict[str, Any]:
    if len(data) > MAX_FILE_BYTES:
        raise ScriptError([Problem(source, None, _too_big())])
    try:
        return parse_toml(data, SCRIPT_TOML, kind="a TOML script")
    except TomlError as error:
        raise ScriptError([Problem(source, error.place, error.message)]) from None


def describe_value(value: object) -> str:
    """How a TOML value is named in a problem: its kind, and the value when it is short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"' if shown else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _number(value: float) -> str:
    if isinstance(value, int):
        if value.bit_length() > 128:
            # str() of a number this long may not even be allowed; its size says enough.
            return "a number with more than 38 digits"
        text = str(value)
        return text if len(text) <= 20 else text[:17] + "..."
    if math.isnan(value) or math.isinf(value):
        return str(value)
    # As written: the shortest text that reads back as the same number, so 3600.0001 is
    # never "3600" and 0.0 is never "0", unless a shorter form reads back the same.
    text, short = repr(value), f"{value:g}"
    return short if len(text) > 12 and float(short) == value else text


def _keys_text(table: dict[str, Any]) -> str:
    """The keys of a table as a problem names them: the first few, each cut short."""
    if not table:
        return "nothing"
    keys = list(table)
    shown = [key if len(key) <= 40 else key[:37] + "..." for key in keys[:_LISTED_KEYS]]
    if len(keys) > _LISTED_KEYS:
        shown.append(f"and {len(keys) - _LISTED_KEYS} more")
    return ", ".join(shown)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _unusable_sound(folder: Path, cue: str) -> str | None:
    """Why the sound file a script names as a cue cannot be used, or None when it can."""
    # Imported here: only a script that names a sound file needs them.
    from calm.core.safe_read import is_there, within
    from calm.sound.pcm import SoundFileError, check_sound_file

    try:
        path = within(folder, cue)
    except ReadError as error:
        return _outside() if error.why is Why.OUTSIDE else error.reason
    if not is_there(path):
        return "was not found next to the script"
    try:
        check_sound_file(path)
    except SoundFileError as error:
        return str(error)
    return None


def _outside() -> str:
    return "must be in the script's folder or a folder inside it"


class _Checker:
    """Walks a parsed document, building the script and collecting every problem."""

    def __init__(self, source: str, folder: Path | None) -> None:
        self.source = source
        self.folder = folder
        self._found: list[Problem] = []
        self._untold = 0
        """Problems found past ``MAX_PROBLEMS``, counted but not worded."""
        self._places: list[str] = []
        self._script_length_written = False

    @property
    def problems(self) -> list[Problem]:
        """The problems found, the first ``MAX_PROBLEMS`` of them, then one line for the rest."""
        if not self._untold:
            return list(self._found)
        more = "problem" if self._untold == 1 else "problems"
        rest = f"and {self._untold} more {more}; fix these and check again"
        return [*self._found, Problem(self.source, None, rest)]

    @property
    def _full(self) -> bool:
        """Whether no more problems will be worded, so that hints need not be looked for."""
        return len(self._found) >= MAX_PROBLEMS

    # -- bookkeeping ---------------------------------------------------------

    @contextmanager
    def _at(self, place: str) -> Iterator[None]:
        self._places.append(place)
        try:
            yield
        finally:
            self._places.pop()

    def _problem(self, message: str) -> None:
        if self._full:
            self._untold += 1
            return
        place = " > ".join(self._places) or None
        self._found.append(Problem(self.source, place, message))

    def _unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key in allowed:
                continue
            if self._full:
                self._untold += 1  # a hint costs time, and this line will not be shown
                continue
            hint = did_you_mean(key, allowed) if len(key) <= _HINTED_LENGTH else ""
            message = f"unknown key {describe_value(key)}"
            message += f", {hint}" if hint else f"; expected one of {', '.join(allowed)}"
            self._problem(message)

    def _too_long(self, key: str, value: str) -> None:
        self._problem(f"{key} must be at most {MAX_CHARS[key]} characters, got {len(value)}")

    # -- values ---------------------------------------------------------------

    def _text(self, table: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        if key not in table:
            if required:
                self._problem(f"{key} is missing; expected text")
            return None
        value = table[key]
        if not isinstance(value, str):
            self._problem(f"{key} must be text in quotes, got {describe_value(value)}")
            return None
        if required and not value.strip():
            self._problem(f"{key} must not be empty")
            return None
        if len(value) > MAX_CHARS.get(key, len(value)):
            self._too_long(key, value)
            return None
        if not self._shown_safely(key, value):
            return None
        return value.strip()

    def _shown_safely(self, key: str, value: str) -> bool:
        """Whether ``value`` can be printed as it is; a script must never drive the terminal
        or disguise its own words."""
        control = first_control(value)
        if control is None:
            return True
        code = f"U+{ord(control):04X}"
        if unicodedata.category(control) == "Cc":
            what = f"a control character ({code}) that a terminal would act on"
        elif unicodedata.bidirectional(control) in ("LRO", "RLO", "LRE", "RLE", "PDF"):
            what = f"a direction override ({code}) that reorders the text after it"
        elif unicodedata.bidirectional(control) in ("LRI", "RLI", "FSI", "PDI"):
            what = f"a direction isolate ({code}) that reorders the text around it"
        else:
            what = f"a format character ({code}) that changes how the text around it reads"
        self._problem(f"{key} holds {what}; remove it")
        return False

    def _one_line(self, table: dict[str, Any], key: str) -> str | None:
        value = self._text(table, key, required=True)
        if value is not None and len(value.splitlines()) > 1:
            self._problem(f"{key} must be one line, got {len(value.splitlines())} lines")
            return None
        return value

    def _texts(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self._problem(f"{key} must be a list of texts, got {describe_value(value)}")
            return ()
        if len(value) > MAX_ITEMS[key]:
            self._problem(f"{key} can have at most {MAX_ITEMS[key]} items, got {len(value)}")
            return ()
        found: list[str] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self._problem(f"{key} item {index} must be text, got {describe_value(item)}")
            elif len(item) > MAX_CHARS[key]:
                self._problem(
                    f"{key} item {index} must be at most {MAX_CHARS[key]} characters, "
                    f"got {len(item)}"
                )
            elif item.strip() and self._shown_safely(f"{key} item {index}", item):
                found.append(item.strip())
        return tuple(found)

    def _seconds(self, table: dict[str, Any], key: str, *, required: bool) -> int | None:
        if key not in table:
            if required:
                self._problem(f"{key} is missing; expected a number of seconds")
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._problem(f"{key} must be a number of seconds, got {describe_value(value)}")
            return None
        if not value > 0:
            self._problem(f"{key} must be > 0, got {_number(value)}")
            return None
        if value < MIN_SECONDS:
            self._problem(f"{key} must be at least {MIN_SECONDS}, got {_number(value)}")
            return None
        if value > MAX_SECONDS:
            self._problem(f"{key} must be at most {MAX_SECONDS:g} (one hour), got {_number(value)}")
            return None
        return _ms(value)

    def _length(self, table: dict[str, Any]) -> Length | None:
        has_cycles, has_minutes = "cycles" in table, "minutes" in table
        if has_cycles and has_minutes:
            self._problem("use cycles or minutes, not both")
            return None
        if has_cycles:
            cycles = table["cycles"]
            if isinstance(cycles, bool) or not isinstance(cycles, int):
                self._problem(f"cycles must be a whole number, got {describe_value(cycles)}")
                return None
            if not 1 <= cycles <= MAX_CYCLES:
                self._problem(f"cycles must be from 1 to {MAX_CYCLES}, got {_number(cycles)}")
                return None
            return Length(cycles=cycles)
        if has_minutes:
            minutes = table["minutes"]
            if isinstance(minutes, bool) or not isinstance(minutes, int | float):
                self._problem(f"minutes must be a number, got {describe_value(minutes)}")
                return None
            if not minutes > 0:
                self._problem(f"minutes must be > 0, got {_number(minutes)}")
                return None
            if minutes > MAX_MINUTES:
                self._problem(f"minutes must be at most {MAX_MINUTES:g}, got {_number(minutes)}")
                return None
            return Length.of_minutes(minutes)
        return None

    def _cue(self, table: dict[str, Any]) -> str | None:
        if "cue" not in table:
            return None
        value = table["cue"]
        if not isinstance(value, str) or not value.strip():
            self._problem(f"cue must be a cue name or a sound file, got {describe_value(value)}")
            return None
        cue = value.strip()
        if cue in BUILTIN_CUES:
            return cue
        if len(cue) > MAX_CHARS["cue"] or not self._shown_safely("cue", cue):
            if len(cue) > MAX_CHARS["cue"]:
                self._too_long("cue", cue)
            return None
        if not cue.lower().endswith(CUE_FILE_SUFFIXES):
            hint = did_you_mean(cue, BUILTIN_CUES)
            files = ", ".join(CUE_FILE_SUFFIXES[:-1]) + f" or {CUE_FILE_SUFFIXES[-1]}"
            expected = f"one of {', '.join(BUILTIN_CUES)}, or a sound file ({files})"
            message = f"cue must be {expected}, got {describe_value(cue)}"
            self._problem(message + (f"; {hint}" if hint else ""))
            return None
        if leaves_folder(cue):
            self._problem(f"cue file {describe_value(cue)} {_outside()}")
            return None
        if self.folder is not None:
            problem = _unusable_sound(self.folder, cue)
            if problem:
                self._problem(f"cue file {describe_value(cue)} {problem}")
                return None
        return cue

    # -- structure -------------------------------------------------------------

    def script(self, document: dict[str, Any], name: str, path: Path | None) -> Script | None:
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
            keys = [key for key in list(table)[:_HINTED_KEYS] if len(key) <= _HINTED_LENGTH]
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

    def _pattern(self, raw: object) -> tuple[PhaseSpec, ...] | None:
        with self._at("pattern"):
            if isinstance(raw, str):
                specs = self._shorthand(raw)
            elif isinstance(raw, list):
                specs = self._phase_list(raw)
            else:
                self._problem(
                    f'expected a shorthand such as "4-7-8" or a list of phases, '
                    f"got {describe_value(raw)}"
                )
                return None
            if specs is None:
                return None
            phases = {spec.phase for spec in specs}
            if Phase.INHALE not in phases or Phase.EXHALE not in phases:
                found = ", ".join(spec.phase.value for spec in specs) or "nothing"
                self._problem(f"expected at least one inhale and one exhale, got {found}")
                return None
            return specs

    def _shorthand(self, text: str) -> tuple[PhaseSpec, ...] | None:
        if not text.strip():
            self._problem('pattern is empty; expected a shorthand such as "4-7-8"')
            return None
        if not is_pattern_shorthand(text):
            self._problem(
                f'expected numbers joined by dashes, such as "4-7-8", got {describe_value(text)}'
            )
            return None
        # Whole numbers stay whole, so a problem quotes "0" as written, never "0.0".
        numbers = [
            int(part) if part.isdigit() else float(part) for part in _DASHES.split(text.strip())
        ]
        order = SHORTHAND_PHASES.get(len(numbers))
        if order is None:
            self._problem(f'expected 2 to 4 numbers, such as "4-7-8", got {len(numbers)}')
            return None
        specs: list[PhaseSpec] = []
        ok = True
        for phase, seconds in zip(order, numbers, strict=True):
            if seconds == 0 and phase.is_hold:
                continue  # "4-0-4-0" means no holds.
            with self._at(phase.value):
                ms = self._seconds({"seconds": seconds}, "seconds", required=True)
            if ms is None:
                ok = False
            else:
                specs.append(PhaseSpec(phase=phase, ms=ms))
        return tuple(specs) if ok else None

    def _phase_list(self, raw: list[Any]) -> tuple[PhaseSpec, ...] | None:
        if not raw:
            self._problem("pattern is empty; expected at least an inhale and an exhale")
            return None
        if len(raw) > MAX_PHASES:
            self._problem(f"a pattern can have at most {MAX_PHASES} phases, got {len(raw)}")
            return None
        specs: list[PhaseSpec] = []
        ok = True
        seen: dict[str, int] = {}
        for number, entry in enumerate(raw, start=1):
            label = self._phase_label(entry, number, seen)
            with self._at(label):
                spec = self._phase(entry)
            if spec is None:
                ok = False
            else:
                specs.append(spec)
        return tuple(specs) if ok else None

    @staticmethod
    def _phase_label(entry: object, number: int, seen: dict[str, int]) -> str:
        if isinstance(entry, dict):
            name = entry.get("phase")
            if isinstance(name, str) and name in Phase.__members__.values():
                seen[name] = seen.get(name, 0) + 1
                return name if seen[name] == 1 else f"{name} #{seen[name]}"
        return f"phase {number}"

    def _phase(self, entry: object) -> PhaseSpec | None:
        if not isinstance(entry, dict):
            self._problem(
                f'expected a table such as {{ phase = "inhale", seconds = 4 }}, '
                f"got {describe_value(entry)}"
            )
            return None
        self._unknown_keys(entry, PHASE_KEYS)
        phase = self._phase_name(entry)
        ms = self._seconds(entry, "seconds", required=True)
        text = self._text(entry, "text")
        cue = self._cue(entry)
        progression = self._progression(entry, ms)
        if phase is None or ms is None:
            return None
        return PhaseSpec(phase=phase, ms=ms, text=text or None, cue=cue, progression=progression)

    def _phase_name(self, entry: dict[str, Any]) -> Phase | None:
        names = [phase.value for phase in Phase]
        value = entry.get("phase")
        if value is None:
            self._problem(f"phase is missing; expected one of {', '.join(names)}")
            return None
        if isinstance(value, str) and value in names:
            return Phase(value)
        hint = did_you_mean(str(value), names) if isinstance(value, str) else ""
        message = f"phase must be one of {', '.join(names)}, got {describe_value(value)}"
        self._problem(message + (f"; {hint}" if hint else ""))
        return None

    def _progression(self, entry: dict[str, Any], ms: int | None) -> Progression | None:
        has_step, has_limit = "per_cycle" in entry, "limit" in entry
        if not has_step and not has_limit:
            return None
        if not has_step:
            self._problem("limit needs per_cycle, the seconds added each cycle")
            return None
        change = entry["per_cycle"]
        if isinstance(change, bool) or not isinstance(change, int | float):
            self._problem(f"per_cycle must be a number of seconds, got {describe_value(change)}")
            return None
        if isinstance(change, float) and math.isnan(change):
            self._problem(f"per_cycle must be a number of seconds, got {_number(change)}")
            return None
        if change == 0:
            self._problem("per_cycle must be a non-zero number of seconds, got 0")
            return None
        if not abs(change) <= MAX_SECONDS:
            self._problem(
                f"per_cycle must be at most {MAX_SECONDS:g} seconds either way, "
                f"got {_number(change)}"
            )
            return None
        if _ms(change) == 0:
            self._problem(
                f"per_cycle must be at least 0.001 seconds either way, got {_number(change)}"
            )
            return None
        if not has_limit:
            self._problem("per_cycle needs a limit, the seconds the phase stops at")
            return None
        limit = self._seconds(entry, "limit", required=True)
        if limit is None or ms is None:
            return None
        if change > 0 and limit < ms:
            self._problem(
                f"limit must be at least the phase's seconds ({ms / 1000:g}) when per_cycle "
                f"is positive, got {limit / 1000:g}"
            )
            return None
        if change < 0 and limit > ms:
            self._problem(
                f"limit must be at most the phase's seconds ({ms / 1000:g}) when per_cycle "
                f"is negative, got {limit / 1000:g}"
            )
            return None
        return Progression(per_cycle_ms=_ms(change), limit_ms=limit)
