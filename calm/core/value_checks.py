"""The checks of each kind of value in a script, and the problems they find.

``ValueChecks`` keeps the problems of one document, each with the place it was
found (``step 2 > pattern > inhale``), and words the first ``MAX_PROBLEMS`` of
them; past those it only counts. Its checks read one value each (a text, a
number of seconds, a length, a cue) and say in one line what was expected, what
was found, and what was probably meant. ``calm.core.pattern_checks`` and
``calm.core.script_checker`` build on it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from calm.core.cue_names import COMPRESSED_SUFFIXES
from calm.core.cue_names import CUE_NAMES as BUILTIN_CUES
from calm.core.problems import Problem
from calm.core.safe_read import ReadError, Why, leaves_folder
from calm.core.safe_text import first_control
from calm.core.script import MAX_CYCLES, MAX_MINUTES, MAX_SECONDS, MIN_SECONDS, Length
from calm.core.suggest import did_you_mean
from calm.core.value_text import describe_value, number_text

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
    "move": 120,
    "how": 2000,
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
HINTED_LENGTH = 60
"""Keys longer than this get no did-you-mean: no key calm knows is anything like them."""


def whole_ms(seconds: float) -> int:
    """Seconds as the whole milliseconds a script's times are kept in."""
    return round(seconds * 1000)


def _unusable_sound(folder: Path, cue: str) -> str | None:
    """Why the sound file a script names as a cue cannot be used, or None when it can."""
    # Imported here: only a script that names a sound file needs them.
    from calm.core.cue_files import SoundFileError, check_sound_file
    from calm.core.safe_read import is_there, within

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


class ValueChecks:
    """The problems found in one document so far, and the checks that find them."""

    LIMITS: ClassVar[Mapping[str, int]] = MAX_CHARS
    """The longest each text may be, in characters, by its key: a script's."""

    def __init__(self, source: str, folder: Path | None) -> None:
        """Check a document read from ``source``; a cue file is looked for in ``folder``."""
        self.source = source
        self.folder = folder
        self._found: list[Problem] = []
        self._untold = 0
        """Problems found past ``MAX_PROBLEMS``, counted but not worded."""
        self._places: list[str] = []

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
            hint = did_you_mean(key, allowed) if len(key) <= HINTED_LENGTH else ""
            message = f"unknown key {describe_value(key)}"
            message += f", {hint}" if hint else f"; expected one of {', '.join(allowed)}"
            self._problem(message)

    def _too_long(self, key: str, value: str) -> None:
        self._problem(f"{key} must be at most {self.LIMITS[key]} characters, got {len(value)}")

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
        if len(value) > self.LIMITS.get(key, len(value)):
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
            self._problem(f"{key} must be > 0, got {number_text(value)}")
            return None
        if value < MIN_SECONDS:
            self._problem(f"{key} must be at least {MIN_SECONDS}, got {number_text(value)}")
            return None
        if value > MAX_SECONDS:
            self._problem(
                f"{key} must be at most {MAX_SECONDS:g} (one hour), got {number_text(value)}"
            )
            return None
        return whole_ms(value)

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
                self._problem(f"cycles must be from 1 to {MAX_CYCLES}, got {number_text(cycles)}")
                return None
            return Length(cycles=cycles)
        if has_minutes:
            minutes = table["minutes"]
            if isinstance(minutes, bool) or not isinstance(minutes, int | float):
                self._problem(f"minutes must be a number, got {describe_value(minutes)}")
                return None
            if not minutes > 0:
                self._problem(f"minutes must be > 0, got {number_text(minutes)}")
                return None
            if minutes > MAX_MINUTES:
                self._problem(
                    f"minutes must be at most {MAX_MINUTES:g}, got {number_text(minutes)}"
                )
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
