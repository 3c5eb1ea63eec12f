"""``config.toml``: the user's settings, read once at start-up.

The file lives in calm's config folder (see ``locations.config_file``). Every
key is optional, and every key follows one rule when its value is not as
expected, said in one notice line that names the key, what is used, and how to
write it:

- a value whose meaning is plain is used as meant: ``skip_caution = "yes"`` is
  true, ``volume = "40"`` is 40;
- any other value calm can't use gives the default, except ``history``, which
  is then off: an unclear privacy switch must not go on recording;
- a key calm does not know is ignored.

A ``[demo]`` table holds settings for ``--demo`` runs, read by the same rule.
A broken config never stops a session.
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from calm.core.record import Record, record
from calm.core.safe_read import ReadError, Why, read_bytes, size_text
from calm.core.safe_text import one_line, shown_name
from calm.core.safe_toml import TomlError, TomlLimits, parse_toml
from calm.core.suggest import did_you_mean
from calm.core.value_text import describe_value


@record
class Settings(Record):
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
    voice: bool = False
    """Speak each step's words through the system's speech engine."""
    voice_rate: int = 135
    """How fast the voice speaks, in words a minute, from 80 to 250."""
    voice_phases: str = "first"
    """When the voice names the phases: "first" breath of a step, "every" breath, or "none"."""
    nudge: bool = False
    """Let ``calm nudge`` speak even without a care plan, on a day with no practice yet."""
    demo: tuple[tuple[str, Any], ...] = ()
    """The ``[demo]`` table's settings, as (key, value) pairs, for ``--demo`` runs."""

    def for_demo(self) -> Settings:
        """The settings of a demo: ``DEMO``'s, with the ``[demo]`` table's over them."""
        return replace(self, **{**DEMO, **dict(self.demo)}, demo=())


DEMO: dict[str, Any] = {"skip_caution": True, "history": False, "check_in": False}
"""What ``--demo`` means before the ``[demo]`` table has its say: no caution, nothing
recorded (so no word about the week either), and no check-in."""


CONFIG_BYTES = 100_000
"""The biggest config file calm reads; a real one is a few hundred bytes."""
_RANGES = {"volume": (0, 100), "voice_rate": (80, 250)}
_WHEN_UNCLEAR = {"history": False}
"""Keys whose value, when it cannot be used, is not the default: a privacy switch set to
something unclear (``history = "maybe"``) must not go on recording."""
_EXAMPLES = {"theme": "nord", "ambient": "ocean", "voice_phases": "every"}
"""A value to show in the advice for each text setting."""


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
    """Turn a parsed config into settings, by the rule in this module's docstring."""
    defaults = Settings()
    known = _known()
    chosen: dict[str, Any] = {}
    notices: list[str] = []
    for key, value in document.items():
        if key == "demo":
            continue  # read last, over the settings it changes
        if key not in known:
            notices.append(_unknown(source, key, known))
            continue
        fallback = _WHEN_UNCLEAR.get(key, known[key])
        chosen[key], notice = _setting(key, value, fallback)
        if notice:
            notices.append(f"{source}: {key}: {notice}")
    settings = replace(defaults, **chosen)
    if "demo" in document:
        demo, demo_notices = _demo_table(document["demo"], settings, source)
        settings = replace(settings, demo=demo)
        notices += demo_notices
    return settings, [one_line(notice) for notice in notices]


def _known() -> dict[str, Any]:
    defaults = Settings()
    return {field.name: getattr(defaults, field.name) for field in fields(Settings)} | {
        "demo": None
    }


def _unknown(source: str, key: str, known: dict[str, Any]) -> str:
    hint = did_you_mean(key, [name for name in known if name != "demo"])
    return f"{source}: {shown_name(key)}: no such setting; ignored." + (
        f" {hint[:1].upper()}{hint[1:]}" if hint else ""
    )


def _demo_table(
    table: object, settings: Settings, source: str
) -> tuple[tuple[tuple[str, Any], ...], list[str]]:
    """The ``[demo]`` table's settings, read by the same rule as the rest; a value that
    can't be used leaves what a demo would use without it."""
    if not isinstance(table, dict):
        return (), [
            f"{source}: demo: {describe_value(table)} is not a table; ignored. "
            "Write [demo] on a line of its own, and the settings for demos under it"
        ]
    known = _known()
    without = settings.for_demo()
    chosen: list[tuple[str, Any]] = []
    notices: list[str] = []
    for key, value in table.items():
        if key not in known or key == "demo":
            notices.append(_unknown(source, f"demo.{key}", known))
            continue
        fallback = getattr(without, key)
        if key in _WHEN_UNCLEAR:
            fallback = _WHEN_UNCLEAR[key]
        used, notice = _setting(key, value, fallback, in_demo=True)
        chosen.append((key, used))
        if notice:
            notices.append(f"{source}: demo.{key}: {notice}")
    return tuple(chosen), notices


def _setting(key: str, value: object, fallback: Any, *, in_demo: bool = False) -> tuple[Any, str]:
    """The value to use for ``key``, and the notice to give about it, if any."""
    default = getattr(Settings(), key)
    if isinstance(default, bool):
        return _switch(key, value, fallback, in_demo=in_demo)
    if isinstance(default, int):
        return _whole_number(key, value, fallback, in_demo=in_demo)
    return _text(key, value, fallback, in_demo=in_demo)


def _switch(key: str, value: object, fallback: bool, *, in_demo: bool) -> tuple[bool, str]:
    if isinstance(value, bool):
        return value, ""
    wrong = f"{describe_value(value)} is not true or false"
    meant = _plain_meaning(value)
    if meant is not None:
        word = "true" if meant else "false"
        return meant, f"{wrong}; using {word}, as meant. Write {key} = {word}"
    advice = f"Write {key} = true or {key} = false"
    return fallback, f"{wrong}; {_falling_back(key, fallback, in_demo=in_demo)}. {advice}"


def _whole_number(key: str, value: object, fallback: int, *, in_demo: bool) -> tuple[int, str]:
    low, high = _RANGES[key]
    example = getattr(Settings(), key)
    advice = f"Write a whole number from {low} to {high}, such as {key} = {example}"
    number = _plain_number(value)
    if number is None:
        wrong = f"{describe_value(value)} is not a whole number"
    elif number < low:
        wrong = f"{describe_value(value)} is less than {low}"
    elif number > high:
        wrong = f"{describe_value(value)} is more than {high}"
    elif isinstance(value, int) and not isinstance(value, bool):
        return number, ""
    else:
        # "40" or 40.0: plainly 40.
        return number, f"{describe_value(value)} is not written as a whole number; using " + (
            f"{number}, as meant. Write {key} = {number}"
        )
    return fallback, f"{wrong}; {_falling_back(key, fallback, in_demo=in_demo)}. {advice}"


def _text(key: str, value: object, fallback: str, *, in_demo: bool) -> tuple[str, str]:
    if isinstance(value, str):
        return value, ""
    example = _EXAMPLES.get(key, "")
    advice = f'Write it in quotes, such as {key} = "{example}"'
    wrong = f"{describe_value(value)} is not a name in quotes"
    return fallback, f"{wrong}; {_falling_back(key, fallback, in_demo=in_demo)}. {advice}"


def _falling_back(key: str, fallback: object, *, in_demo: bool) -> str:
    """What is used instead, in words: "using the default, 70"."""
    shown = _value_text(fallback)
    if key in _WHEN_UNCLEAR and fallback == _WHEN_UNCLEAR[key]:
        return f"using {shown}, so nothing is recorded"
    if in_demo:
        return f"using {shown}, as demos do without it"
    return f"using the default, {shown}"


def _value_text(value: object) -> str:
    if value == "":
        return "none"
    return describe_value(value)


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


def _plain_number(value: object) -> int | None:
    """The whole number ``value`` plainly is (40, "40", 40.0); None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("+-").isdecimal():
        text = value.strip()
        return int(text) if len(text) <= 12 else None
    return None
