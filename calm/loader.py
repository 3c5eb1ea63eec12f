"""Reading a script file and checking it, with one clear line for every problem.

Scripts are written by hand by therapists, so the checks try hard to say what
was expected, what was found, and where, and to guess what was meant.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from calm.problems import Problem, ScriptError
from calm.script import (
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
from calm.sound.kinds import COMPRESSED_SUFFIXES
from calm.sound.kinds import CUE_NAMES as BUILTIN_CUES
from calm.suggest import did_you_mean
from calm.wording import first_control

MAX_FILE_BYTES = 1_000_000
MAX_STEPS = 200
"""The most steps a script can have."""
MAX_PHASES = 16
"""The most phases one breathing pattern can have."""

CUE_FILE_SUFFIXES = (".wav", *COMPRESSED_SUFFIXES)
"""The sound files a script can name as a cue."""

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

# The order of phases a shorthand such as "4-7-8" stands for, by how many numbers it has.
SHORTHAND_PHASES = {
    2: (Phase.INHALE, Phase.EXHALE),
    3: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE),
    4: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE, Phase.HOLD_OUT),
}
# Hyphens, and the en and em dashes that word processors put in their place.
_SHORTHAND = re.compile(r"^\s*\d+(?:\.\d+)?(?:\s*[-\u2013\u2014]\s*\d+(?:\.\d+)?)+\s*$")
_DASHES = re.compile(r"\s*[-\u2013\u2014]\s*")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


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
    if path.exists() and not path.is_file() and not path.is_dir():
        # A named pipe or a device would wait for input for ever.
        raise ScriptError([Problem(shown, None, "is not a regular file")])
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScriptError([Problem(shown, None, "no such file")]) from None
    except IsADirectoryError:
        raise ScriptError([Problem(shown, None, "is a folder, not a script file")]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ScriptError([Problem(shown, None, f"cannot be read: {reason}")]) from None
    return parse_script_bytes(data, name=name or path.stem, source=shown, path=path)


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
    from calm.timeline import LengthError, planned_ms

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
        limit = MAX_FILE_BYTES // 1000
        raise ScriptError([Problem(source, None, f"is over {limit} kB, too big to be a script")])
    if b"\x00" in data:
        raise ScriptError([Problem(source, None, "looks like a binary file, not a TOML script")])
    if data.startswith(b"\xef\xbb\xbf"):
        # Windows editors like to start UTF-8 files with a byte-order mark.
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        message = f"expected UTF-8 text, found the byte 0x{byte:02x}; save the file as UTF-8"
        raise ScriptError([Problem(source, f"line {line}", message)]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScriptError([_toml_problem(source, str(error))]) from None
    except ValueError:
        # tomllib lets Python's limit on the digits of an integer escape as a ValueError.
        message = "TOML: a number has too many digits to read"
        raise ScriptError([Problem(source, None, message)]) from None
    except RecursionError:
        message = "TOML: lists or tables are nested too deeply to read"
        raise ScriptError([Problem(source, None, message)]) from None


def _toml_problem(source: str, message: str) -> Problem:
    found = _TOML_POSITION.search(message)
    place = None
    if found:
        place = f"line {found.group(1)}, column {found.group(2)}"
        message = message[: found.start()]
    message = message.strip() or "invalid TOML"
    return Problem(source, place, "TOML syntax: " + message[0].lower() + message[1:])


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
    return f"{value:g}"


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _unreadable_sound(path: Path) -> str | None:
    """Why a cue file cannot be used, or None when it can."""
    if not path.is_file():
        return "was not found next to the script"
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if path.suffix.lower() == ".wav":
        import wave

        try:
            with wave.open(str(path), "rb") as sound:
                sound.getnframes()
        except (wave.Error, EOFError, OSError) as error:
            return f"is not a WAV sound calm can read ({error})"
    elif not head:
        return "is empty"
    return None


class _Checker:
    """Walks a parsed document, building the script and collecting every problem."""

    def __init__(self, source: str, folder: Path | None) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []
        self._places: list[str] = []

    # -- bookkeeping ---------------------------------------------------------

    @contextmanager
    def _at(self, place: str) -> Iterator[None]:
        self._places.append(place)
        try:
            yield
        finally:
            self._places.pop()

    def _problem(self, message: str) -> None:
        place = " > ".join(self._places) or None
        self.problems.append(Problem(self.source, place, message))

    def _unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed)
            message = f'unknown key "{key}"'
            message += f", {hint}" if hint else f"; expected one of {', '.join(allowed)}"
            self._problem(message)

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
        if not self._shown_safely(key, value):
            return None
        return value.strip()

    def _shown_safely(self, key: str, value: str) -> bool:
        """Whether ``value`` can be printed as it is; a script must never drive the terminal."""
        control = first_control(value)
        if control is not None:
            self._problem(
                f"{key} holds a control character (U+{ord(control):04X}) that a terminal "
                "would act on; remove it"
            )
        return control is None

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
        found: list[str] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self._problem(f"{key} item {index} must be text, got {describe_value(item)}")
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
        if not cue.lower().endswith(CUE_FILE_SUFFIXES):
            hint = did_you_mean(cue, BUILTIN_CUES)
            expected = f"one of {', '.join(BUILTIN_CUES)} or a .wav file"
            message = f'cue must be {expected}, got "{cue}"'
            self._problem(message + (f"; {hint}" if hint else ""))
            return None
        if self.folder is not None:
            problem = _unreadable_sound(self.folder / cue)
            if problem:
                self._problem(f'cue file "{cue}" {problem}')
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
            found = ", ".join(table) or "nothing"
            message = f"expected one of say, breathe or prompt, found {found}"
            names = [kind.value for kind in StepKind]
            hints = [did_you_mean(key, names) for key in table]
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
        if length is None and script_length is None and not {"cycles", "minutes"} & set(table):
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
            self._problem(f'expected numbers joined by dashes, such as "4-7-8", got "{text}"')
            return None
        numbers = [float(part) for part in _DASHES.split(text.strip())]
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
