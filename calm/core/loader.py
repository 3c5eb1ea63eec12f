"""Reading a script file and turning it into a script, with one clear line for every problem.

The file is read with the limits of ``calm.core.safe_read`` and parsed with those of
``calm.core.safe_toml``; ``calm.core.script_checker`` checks what it holds, and the
timeline that the script must lay out in time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from calm.core.pattern_checks import MAX_PHASES, PHASE_KEYS
from calm.core.problems import Problem, ScriptError
from calm.core.safe_read import ReadError, Why, read_bytes, size_text
from calm.core.safe_toml import TomlError, TomlLimits, parse_toml
from calm.core.script import Script
from calm.core.script_checker import MAX_STEPS, STEP_KEYS, TOP_KEYS, ScriptChecker

MAX_FILE_BYTES = 1_000_000
"""The biggest script file calm reads."""

_MOST_KEYS = len(TOP_KEYS) + MAX_STEPS * (
    1 + max(len(keys) for keys in STEP_KEYS.values()) + MAX_PHASES * len(PHASE_KEYS)
)
SCRIPT_TOML = TomlLimits(keys=_MOST_KEYS)
"""How deep, how many and how long the TOML of a script may be, checked before it is
parsed: room for the most steps, each with the most phases, with every key written."""


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
    checker = ScriptChecker(source, path.parent if path else None)
    script = checker.script(document, name, path)
    if checker.problems or script is None:
        raise ScriptError(checker.problems)
    _check_timing(script, source)
    return script


def _check_timing(script: Script, source: str) -> None:
    """A script must lay out in time as written, and take some time."""
    # Imported here: the timeline builds on the script model, not on loading.
    from calm.core.length_plan import LengthError
    from calm.core.timeline import planned_ms

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


def _parse_toml(data: bytes, source: str) -> dict[str, Any]:
    if len(data) > MAX_FILE_BYTES:
        raise ScriptError([Problem(source, None, _too_big())])
    try:
        return parse_toml(data, SCRIPT_TOML, kind="a TOML script")
    except TomlError as error:
        raise ScriptError([Problem(source, error.place, error.message)]) from None
