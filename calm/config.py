"""``config.toml``: the user's settings, read once at start-up.

The file lives in calm's config folder (see ``locations.config_file``). Every
key is optional. A key calm does not know, or a value of the wrong kind, gives
one notice line naming the key, and the default is used instead; a broken
config never stops a session.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from calm.loader import describe_value
from calm.safe_read import ReadError, Why, read_bytes, size_text
from calm.safe_toml import TomlError, TomlLimits, parse_toml
from calm.suggest import did_you_mean


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can set in ``config.toml``."""

    theme: str = "calm"
    """The colour theme: "calm", or one of Textual's themes such as "nord"."""
    reduced_motion: bool = False
    """Show a still bar instead of the moving breath visual."""
    skip_caution: bool = False
    """Start sessions without showing the script's caution first, as for a demo."""
    sound: bool = True
    """Play sound cues when sound is available."""
    volume: int = 70
    """Cue volume, from 0 to 100."""
    ambient: str = ""
    """An ambient sound bed to play under the session; empty for none."""
    history: bool = True
    """Keep a private record of sessions on this machine."""
    check_in: bool = False
    """Ask how tense you feel before and after a session."""


CONFIG_BYTES = 100_000
"""The biggest config file calm reads; a real one is a few hundred bytes."""
_RANGES = {"volume": (0, 100)}
_WHEN_UNCLEAR = {"history": False}
"""Keys whose value, when it cannot be read, is not the default: a privacy switch set to
something unclear (``history = "no"``) must not go on recording."""


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """Read settings from ``path``, with a notice line for each problem found.

    A missing file is not a problem: it means every default.
    """
    try:
        data = read_bytes(path, CONFIG_BYTES)
    except ReadError as error:
        if error.why is Why.MISSING:
            return Settings(), []
        if error.why is Why.TOO_BIG:
            reason = f"is over {size_text(CONFIG_BYTES)}, too big to be a config file"
        else:
            reason = error.reason
        return Settings(), [f"{path}: {reason}; using defaults"]
    try:
        # A config is a few short settings; its limits are still far above any real one.
        document = parse_toml(data, TomlLimits(keys=1000, chars=2000), kind="TOML settings")
    except TomlError as error:
        detail = error.message.removeprefix("TOML syntax: ").removeprefix("TOML: ")
        place = f"{error.place}: " if error.place else ""
        return Settings(), [f"{path}: not valid TOML ({place}{detail}); using defaults"]
    return settings_from(document, str(path))


def settings_from(document: dict[str, Any], source: str) -> tuple[Settings, list[str]]:
    """Turn a parsed config into settings, keeping the default for every bad key."""
    defaults = Settings()
    known = {field.name: getattr(defaults, field.name) for field in fields(Settings)}
    chosen: dict[str, Any] = {}
    notices: list[str] = []
    for key, value in document.items():
        if key not in known:
            hint = did_you_mean(key, known)
            notices.append(
                f'{source}: unknown key "{key}"' + (f", {hint}" if hint else "") + "; ignored"
            )
            continue
        problem = _check(key, value, known[key])
        if problem:
            meant = _plain_meaning(value) if isinstance(known[key], bool) else None
            # "true" in quotes means true: only a value with no clear meaning falls back.
            fallback = meant if meant is not None else _WHEN_UNCLEAR.get(key, known[key])
            chosen[key] = fallback
            notices.append(f"{source}: {key} {problem}; using {describe_value(fallback)}")
        else:
            chosen[key] = value
    return replace(defaults, **chosen), notices


_YES = frozenset({"true", "yes", "on", "1"})
_NO = frozenset({"false", "no", "off", "0"})


def _plain_meaning(value: object) -> bool | None:
    """What a switch written as text or a number clearly means ("yes", 0); None if unclear."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        word = str(value).strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    return None


def _check(key: str, value: object, default: object) -> str | None:
    if isinstance(default, bool):
        return (
            None
            if isinstance(value, bool)
            else f"must be true or false, got {describe_value(value)}"
        )
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, got {describe_value(value)}"
        low, high = _RANGES.get(key, (None, None))
        if low is not None and high is not None and not low <= value <= high:
            return f"must be from {low} to {high}, got {value}"
        return None
    if not isinstance(value, str):
        return f"must be text in quotes, got {describe_value(value)}"
    return None
