"""Property tests for the script loader: whatever a file holds, the loader either gives a
script or a ScriptError whose every line names the file, and never a traceback.
"""

from __future__ import annotations

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
from tests.support.toml_documents import (
    DOCUMENTS,
    DOCUMENTS_WITHOUT_OTHER_LINE_BREAKS,
    SCRIPT_DOCUMENTS,
    to_toml,
)

SOURCE = "my script.toml"
"""How the fuzzed file is named in problems; the space makes a prefix match meaningful."""

FUZZ = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


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
