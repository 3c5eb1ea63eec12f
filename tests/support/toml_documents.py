"""Documents hypothesis makes for the loader's property tests, and the TOML writer that
turns them into script files: mostly script-shaped, with values near and beyond every
limit the loader checks, and keys and words it gives meaning to."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from hypothesis import strategies as st

REAL_KEYS = (
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
    "say",
    "seconds",
    "breathe",
    "pattern",
    "prompt",
    "timeout",
    "cue",
    "phase",
    "text",
    "per_cycle",
    "limit",
)
WORDS = (
    "inhale",
    "exhale",
    "hold_in",
    "hold_out",
    "exhal",
    "breathing",
    "unwinding",
    "grounding",
    "reset",
    "hold",
    "step",
    "end",
    "bell.wav",
    "4-7-8",
    "4-4-4-4",
    "4-0-4-0",
    "4\u20136",
    "0-4",
    "4-4-4-4-4",
    "",
    " ",
    "x",
)
"""Values the loader gives meaning to, so that random documents get past the first checks."""
EDGE_NUMBERS: tuple[int | float, ...] = (
    0,
    1,
    -1,
    0.1,
    0.09,
    0.0001,
    1e-9,
    5e-324,
    3600,
    3600.5,
    180,
    180.5,
    10_000,
    10_001,
    2**63,
    -(2**63) - 1,
    10**40,
    10**4000,
    math.inf,
    -math.inf,
    math.nan,
)
"""Numbers at or around every bound the loader checks, and some absurd ones."""

OTHER_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What str.splitlines breaks at besides \\n and \\r, which problem lines already escape."""


def _any_text() -> st.SearchStrategy[str]:
    return st.text(max_size=12)


def _text_without_other_line_breaks() -> st.SearchStrategy[str]:
    alphabet = st.characters(exclude_categories=["Cs"], exclude_characters=OTHER_LINE_BREAKS)
    # Newlines, returns and tabs often, since they are what problem lines must escape.
    return st.text(st.one_of(st.sampled_from("\n\r\t"), alphabet), max_size=12)


def _numbers() -> st.SearchStrategy[int | float]:
    return st.one_of(
        st.integers(-5, 20),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(0, 30).map(lambda number: round(number, 2)),
        st.sampled_from(EDGE_NUMBERS),
    )


def _scalars(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.booleans(),
        _numbers(),
        text,
        st.sampled_from(WORDS),
        st.dates(),
        st.datetimes(),
        st.times(),
    )


def _keys(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(REAL_KEYS), text)


def _values(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        _scalars(text),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(_keys(text), children, max_size=5),
        ),
        max_leaves=12,
    )


def _shorthands() -> st.SearchStrategy[str]:
    """Shorthands such as "4-7-8", mostly valid, sometimes with odd numbers or counts."""
    usual = st.one_of(st.integers(1, 12).map(str), st.floats(0.1, 12).map(lambda n: f"{n:.1f}"))
    number = _mostly(usual, st.sampled_from(["0", "0.0", "0.05", "4000", "9" * 400]))
    dash = st.sampled_from(["-", "\u2013", "\u2014", " - "])
    return st.builds(
        lambda numbers, joiner: joiner.join(numbers),
        _mostly(st.lists(number, min_size=2, max_size=4), st.lists(number, max_size=6)),
        dash,
    )


def _mostly(usual: st.SearchStrategy[Any], wild: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``usual`` four times in five, else ``wild``; shrinks towards ``usual``."""
    return st.integers(0, 4).flatmap(lambda roll: wild if roll == 4 else usual)


def _script_documents(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Documents shaped like scripts, mostly valid, with values near and beyond every limit."""
    values = _values(text)
    words = st.one_of(st.sampled_from(["Mine", "Slowly.", "In", "Out"]), text)
    seconds = _mostly(st.integers(1, 10), _numbers())
    cue = _mostly(
        st.sampled_from(["inhale", "exhale", "hold", "step", "end", "bell.wav", "chime.MP3"]),
        st.one_of(st.sampled_from(["bel", "", "chime.aiff"]), values),
    )
    phase = st.fixed_dictionaries(
        {
            "phase": _mostly(st.sampled_from(["inhale", "exhale", "hold_in", "hold_out"]), values),
            "seconds": seconds,
        },
        optional={
            "text": _mostly(words, values),
            "cue": cue,
            "per_cycle": _mostly(st.sampled_from([0.5, -0.5, 1, -1]), _numbers()),
            "limit": _mostly(st.integers(1, 12), _numbers()),
        },
    )
    pattern = st.one_of(
        _shorthands(),
        # An inhale and an exhale around other phases, often enough for patterns to be valid.
        st.lists(phase, max_size=3).map(
            lambda phases: [
                {"phase": "inhale", "seconds": 4},
                *phases,
                {"phase": "exhale", "seconds": 4.5},
            ]
        ),
        st.lists(_mostly(phase, values), max_size=5),
        values,
    )
    length = st.one_of(
        st.fixed_dictionaries({"cycles": _mostly(st.integers(1, 6), _numbers())}),
        st.fixed_dictionaries({"minutes": _mostly(st.floats(0.05, 2), _numbers())}),
        st.fixed_dictionaries({}, optional={"cycles": values, "minutes": values}),
    )
    say = st.fixed_dictionaries(
        {"say": _mostly(words, values), "seconds": seconds}, optional={"cue": cue}
    )
    breathe_head = st.one_of(
        st.fixed_dictionaries({"breathe": words, "pattern": pattern}, optional={"cue": cue}),
        st.fixed_dictionaries({"breathe": _shorthands()}, optional={"cue": cue}),
        st.fixed_dictionaries(
            {"breathe": st.one_of(words, values)}, optional={"pattern": values, "cue": cue}
        ),
    )
    breathe = st.builds(
        lambda head, more: {**head, **more},
        breathe_head,
        _mostly(length, st.fixed_dictionaries({}, optional={"seconds": seconds})),
    )
    prompt = st.fixed_dictionaries(
        {"prompt": _mostly(words, values)},
        optional={"timeout": seconds, "cue": cue},
    )
    step = _mostly(
        st.one_of(say, breathe, prompt), st.dictionaries(_keys(text), values, max_size=4)
    )
    top = st.fixed_dictionaries(
        {
            "title": _mostly(words, values),
            "summary": _mostly(words, values),
            "category": _mostly(
                st.sampled_from(["breathing", "unwinding", "grounding", "reset", " Reset "]), values
            ),
            "steps": _mostly(st.lists(step, min_size=1, max_size=4), values),
        },
        optional={
            "tags": _mostly(st.lists(text, max_size=3), values),
            "sources": _mostly(st.lists(text, max_size=3), values),
            "caution": _mostly(text, values),
            "reminder": _mostly(text, values),
        },
    )
    return st.builds(lambda head, more: {**head, **more}, top, _mostly(st.just({}), length))


def _documents(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.dictionaries(_keys(text), _values(text), max_size=8),
        _script_documents(text),
    )


DOCUMENTS = _documents(_any_text())
DOCUMENTS_WITHOUT_OTHER_LINE_BREAKS = _documents(_text_without_other_line_breaks())
SCRIPT_DOCUMENTS = _script_documents(_any_text())


# -- a small TOML writer --------------------------------------------------------------------


def _toml_string(text: str) -> str:
    # JSON escapes every control character TOML forbids raw, except DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_toml_string(key)} = {_toml_value(item)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def to_toml(document: dict[str, Any]) -> str:
    """``document`` as TOML text: lists of tables at the top as [[key]] sections."""
    lines: list[str] = []
    sections: list[str] = []
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for table in value:
                sections.append(f"\n[[{_toml_string(key)}]]")
                sections.extend(
                    f"{_toml_string(name)} = {_toml_value(item)}" for name, item in table.items()
                )
        else:
            lines.append(f"{_toml_string(key)} = {_toml_value(value)}")
    return "\n".join(lines + sections) + "\n"
