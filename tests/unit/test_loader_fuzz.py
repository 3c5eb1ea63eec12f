"""Property tests for the script loader: whatever a file holds, the loader either gives a
script or a ScriptError whose every line names the file, and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
import tomllib
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, example, find, given, settings
from hypothesis import strategies as st

from calm.core.loader import parse_script_bytes, parse_script_document
from calm.core.problems import ScriptError
from calm.core.script import BreatheStep, Script
from calm.core.timeline import compile_timeline
from calm.core.value_checks import MAX_PROBLEMS
from tests.support.examples import examples

SOURCE = "my script.toml"
"""How the fuzzed file is named in problems; the space makes a prefix match meaningful."""

FUZZ = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

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


def _comparable(value: Any) -> Any:
    """``value`` with NaN replaced, so that documents can be compared with ==."""
    if isinstance(value, float) and math.isnan(value):
        return "<nan>"
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    return value


# -- checking an outcome --------------------------------------------------------------------


def _outcome(load: Callable[[], Script]) -> Script | ScriptError:
    """The script ``load`` gives, or its ScriptError; any other exception fails the test."""
    try:
        script = load()
    except ScriptError as error:
        assert error.problems, "a ScriptError must carry at least one problem"
        return error
    assert isinstance(script, Script)
    assert script.steps
    return script


def _check(load: Callable[[], Script]) -> None:
    """Load, then check the problem lines, or that the script compiles into a timeline."""
    outcome = _outcome(load)
    event("refused" if isinstance(outcome, ScriptError) else "loaded")
    if isinstance(outcome, ScriptError):
        for line in outcome.lines():
            assert line.startswith(f"{SOURCE}: "), line
            assert line[len(SOURCE) + 2 :].strip(), line
            assert "\n" not in line and "\r" not in line, line
    else:
        timeline = compile_timeline(outcome)
        assert len(timeline.spans) == len(outcome.steps)
        assert timeline.total_ms == sum(span.ms for span in timeline.spans)
        for span in timeline.spans:
            assert span.cycles >= 1 if isinstance(span.step, BreatheStep) else span.cycles == 0


def _from_text(document: dict[str, Any]) -> Callable[[], Script]:
    data = to_toml(document).encode("utf-8")
    return lambda: parse_script_bytes(data, name="x", source=SOURCE)


def _from_document(document: dict[str, Any]) -> Callable[[], Script]:
    return lambda: parse_script_document(document, name="x", source=SOURCE)


# -- the writer itself ----------------------------------------------------------------------


@FUZZ
@given(document=DOCUMENTS)
def test_writer_round_trips(document: dict[str, Any]) -> None:
    """The test's TOML writer gives text that tomllib reads back as the same document."""
    assert _comparable(tomllib.loads(to_toml(document))) == _comparable(document)


def test_script_documents_can_load() -> None:
    """The script-shaped strategy reaches scripts that load with a breathe step, through TOML."""

    def loads_with_breathing(document: dict[str, Any]) -> bool:
        outcome = _outcome(_from_text(document))
        return isinstance(outcome, Script) and bool(outcome.breathe_steps)

    found = find(SCRIPT_DOCUMENTS, loads_with_breathing, settings=settings(max_examples=2000))
    assert isinstance(found["steps"], list)


# -- the properties -------------------------------------------------------------------------


@FUZZ
@given(document=DOCUMENTS)
def test_any_toml_document_loads_or_raises_script_error(document: dict[str, Any]) -> None:
    """Any TOML document loads and compiles, or raises a ScriptError naming the file."""
    _check(_from_text(document))


@FUZZ
@given(document=DOCUMENTS)
def test_any_parsed_document_loads_or_raises_script_error(document: dict[str, Any]) -> None:
    """Any parsed document loads and compiles, or raises a ScriptError naming the file."""
    _check(_from_document(document))


@FUZZ
@given(document=DOCUMENTS)
def test_text_and_parsed_document_agree(document: dict[str, Any]) -> None:
    """Loading the TOML text gives the same script or the same problems as the parsed document."""
    from_text = _outcome(_from_text(document))
    from_document = _outcome(_from_document(document))
    if isinstance(from_text, ScriptError):
        assert isinstance(from_document, ScriptError)
        # The writer moves [[tables]] after plain keys, so the order of problems may differ,
        # and so, past MAX_PROBLEMS, which of them are worded; never how many there are.
        assert _problem_count(from_text) == _problem_count(from_document)
        if _problem_count(from_text) <= MAX_PROBLEMS:
            assert sorted(from_text.lines()) == sorted(from_document.lines())
    else:
        assert from_text == from_document


def _problem_count(error: ScriptError) -> int:
    """How many problems were found, counting those the last line only counts."""
    found = re.fullmatch(
        r".*: and (\d+) more problems?; fix these and check again", error.lines()[-1]
    )
    return len(error.lines()) - 1 + int(found.group(1)) if found else len(error.lines())


@FUZZ
@given(data=st.binary(max_size=600))
def test_any_bytes_load_or_raise_script_error(data: bytes) -> None:
    """Arbitrary bytes load or raise a ScriptError naming the file."""
    _check(lambda: parse_script_bytes(data, name="x", source=SOURCE))


@st.composite
def _damaged_scripts(draw: st.DrawFn) -> bytes:
    """A script-shaped file with some bytes overwritten, inserted or cut."""
    data = bytearray(to_toml(draw(SCRIPT_DOCUMENTS)).encode("utf-8"))
    if draw(st.booleans()):
        data[:0] = b"\xef\xbb\xbf"
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "cut"]))
        chunk = draw(st.binary(min_size=1, max_size=3))
        if action == "replace":
            data[at : at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = chunk
        else:
            del data[at : at + len(chunk)]
    return bytes(data)


@FUZZ
@given(data=_damaged_scripts())
def test_damaged_scripts_load_or_raise_script_error(data: bytes) -> None:
    """A script file with damaged bytes loads or raises a ScriptError naming the file."""
    _check(lambda: parse_script_bytes(data, name="x", source=SOURCE))


def _assert_one_line_problems(document: dict[str, Any]) -> None:
    for load in (_from_text(document), _from_document(document)):
        outcome = _outcome(load)
        if isinstance(outcome, ScriptError):
            for line in outcome.lines():
                assert line.splitlines() == [line], line


@FUZZ
@given(document=DOCUMENTS_WITHOUT_OTHER_LINE_BREAKS)
@example(document={"a\nb": 1, "steps": [{"say": "x\r\ny", "cue": "\n"}]})
def test_problem_lines_are_one_line_despite_newlines(document: dict[str, Any]) -> None:
    """Keys and values with newlines, returns and tabs never split a problem line."""
    _assert_one_line_problems(document)


@settings(FUZZ, max_examples=examples(100))
@given(document=DOCUMENTS)
@example(document={"a\x0bb": 1})
def test_problem_lines_are_one_line(document: dict[str, Any]) -> None:
    """Every problem is one line, whatever line break the key or value it quotes holds."""
    _assert_one_line_problems(document)


# -- big and deep files ---------------------------------------------------------------------

QUICKLY = 5.0
"""A sanity bound in seconds for one big file; the guarantee is structural (the shape check
and the caps refuse before the work), and real times are milliseconds."""


def _big_text(shape: str, count: int, word: str) -> str:
    """A script-like file made big or deep in one way, ``count`` times over."""
    head = 'title = "Big"\nsummary = "Big."\ncategory = "reset"\n'
    step = '[[steps]]\nsay = "Arrive."\nseconds = 1\n'
    key = json.dumps(word)
    shapes = {
        "dotted": lambda: head + "x" + f".{key}" * count + " = 1\n" + step,
        "lists": lambda: head + "x = " + "[" * count + "]" * count + "\n" + step,
        "tables": lambda: head + "x = " + "{a = " * count + "1" + "}" * count + "\n" + step,
        "keys": lambda: head + "".join(f'{key[:-1]}{i}" = 1\n' for i in range(count)) + step,
        "items": lambda: head + "sources = [" + f"{key}, " * count + "]\n" + step,
        "string": lambda: head + step.replace("Arrive.", word * count),
        "steps": lambda: head + step.replace("seconds = 1", f"{key} = 1") * count,
        "breathing": lambda: (
            head + '[[steps]]\nbreathe = "0.1-0.1"\nminutes = 180\n' * min(count, 200)
        ),
    }
    return shapes[shape]()


@settings(FUZZ, max_examples=examples(60))
@given(
    shape=st.sampled_from(
        ["dotted", "lists", "tables", "keys", "items", "string", "steps", "breathing"]
    ),
    count=st.one_of(st.integers(0, 50), st.sampled_from([1_000, 20_000, 100_000])),
    word=st.sampled_from(["a", "sya", "[{", "#", "x.y", "\u202e", "é"]),
)
def test_big_or_deep_files_load_or_raise_script_error_quickly(
    shape: str, count: int, word: str
) -> None:
    """However deep, wide or long a file is made, it loads or raises a ScriptError of a
    few one-line problems, in a moment."""
    data = _big_text(shape, count, word).encode("utf-8")
    started = time.monotonic()
    outcome = _outcome(lambda: parse_script_bytes(data, name="x", source=SOURCE))
    assert time.monotonic() - started < QUICKLY
    if isinstance(outcome, ScriptError):
        assert len(outcome.lines()) <= MAX_PROBLEMS + 1
        for line in outcome.lines():
            assert line.startswith(f"{SOURCE}: ") and line.splitlines() == [line], line
            assert len(line) < 1000, line


def test_problems_past_the_limit_are_counted_the_same_from_text_or_document() -> None:
    """With more problems than are worded, text and parsed document count the same."""
    document: dict[str, Any] = {f"k{index}": 1 for index in range(30)}
    document["steps"] = [{"say": 1, "seconds": -1, "x": 1}] * 5
    from_text = _outcome(_from_text(document))
    from_document = _outcome(_from_document(document))
    assert isinstance(from_text, ScriptError) and isinstance(from_document, ScriptError)
    assert _problem_count(from_text) == _problem_count(from_document) > MAX_PROBLEMS
