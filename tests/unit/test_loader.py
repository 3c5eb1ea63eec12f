"""Format and validation tests for the script loader: one test per kind of bad input.

Each failing case checks the exact line a therapist would see, so that the file,
the place and the wording are all pinned down.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calm.core import value_checks
from calm.core.loader import load_script, parse_script_bytes, parse_script_document
from calm.core.problems import ScriptError
from calm.core.script import (
    BreatheStep,
    Category,
    Length,
    Phase,
    PhaseSpec,
    Progression,
    PromptStep,
    SayStep,
    Script,
)
from calm.core.suggest import did_you_mean
from calm.core.template import template_for
from calm.core.timeline import compile_timeline
from calm.core.value_checks import MAX_CHARS, MAX_ITEMS, MAX_PROBLEMS
from tests.support.examples import examples

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
"""The built-in scripts at the top of the repository."""

HEADER = 'title = "Mine"\nsummary = "A test script."\ncategory = "breathing"\n'
"""A valid top of a script, with no length and no steps."""

SAY = '[[steps]]\nsay = "Settle in."\nseconds = 4\n'
"""One valid say step."""


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "mine.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _problems(tmp_path: Path, content: str | bytes) -> list[str]:
    """The lines of the ScriptError that loading ``content`` must raise."""
    path = _write(tmp_path, content)
    with pytest.raises(ScriptError) as caught:
        load_script(path, source="mine.toml")
    return caught.value.lines()


def _load(tmp_path: Path, content: str | bytes) -> Script:
    return load_script(_write(tmp_path, content), source="mine.toml")


def _breathe(pattern: str, length: str = "cycles = 2") -> str:
    """A script with one breathe step using the given TOML ``pattern`` value."""
    return HEADER + f'[[steps]]\nbreathe = "Breathe."\npattern = {pattern}\n{length}\n'


def _phases(*entries: str) -> str:
    return "[" + ", ".join("{ " + entry + " }" for entry in entries) + "]"


def _only_step(script: Script) -> BreatheStep:
    assert len(script.steps) == 1
    step = script.steps[0]
    assert isinstance(step, BreatheStep)
    return step


# -- reading the file ------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is reported as "no such file", with no traceback."""
    with pytest.raises(ScriptError) as caught:
        load_script(tmp_path / "nowhere.toml", source="mine.toml")
    assert caught.value.lines() == ["mine.toml: no such file"]


def test_directory(tmp_path: Path) -> None:
    """A folder given as a script is named as a folder."""
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ScriptError) as caught:
        load_script(folder, source="mine.toml")
    assert caught.value.lines() == ["mine.toml: is a folder, not a script file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """A named pipe given as a script is refused, not read: reading it would wait for ever."""
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    with pytest.raises(ScriptError) as caught:
        load_script(pipe, source="mine.toml")
    assert caught.value.lines() == ["mine.toml: is a named pipe, not a regular file"]


def test_source_defaults_to_the_path(tmp_path: Path) -> None:
    """Without a source, problems name the file by the path it was given as."""
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    assert caught.value.lines() == [f"{path}: no such file"]


def test_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    """A loaded script is started by its file name without .toml."""
    assert _load(tmp_path, HEADER + SAY).name == "mine"


def test_too_big_file(tmp_path: Path) -> None:
    """A file over a megabyte is refused before it is parsed."""
    content = HEADER + SAY + "#" + "x" * 1_000_000 + "\n"
    assert _problems(tmp_path, content) == ["mine.toml: is over 1 MB, too big to be a script"]


def test_binary_file(tmp_path: Path) -> None:
    """A file with NUL bytes is called binary rather than parsed as TOML."""
    content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert _problems(tmp_path, content) == [
        "mine.toml: looks like a binary file, not a TOML script"
    ]


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    """A byte that is not UTF-8 is reported with its line and its value."""
    content = (HEADER + 'caution = "caf\xe9"\n' + SAY).encode("latin-1")
    assert _problems(tmp_path, content) == [
        "mine.toml: line 4: expected UTF-8 text, found the byte 0xe9; save the file as UTF-8"
    ]


def test_non_utf8_line_counts_after_a_byte_order_mark(tmp_path: Path) -> None:
    """The line of a bad byte is counted the same whether or not the file starts with a BOM."""
    content = b"\xef\xbb\xbf" + b'title = "x"\n\nsummary = "\xff"\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: line 3: expected UTF-8 text, found the byte 0xff; save the file as UTF-8"
    ]


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    """A TOML syntax error gives its line and column as the place, and tomllib's reason."""
    content = 'title = "Mine"\nsummary = \ncategory = "breathing"\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: line 2, column 11: TOML syntax: invalid value"
    ]


def test_toml_syntax_error_for_a_repeated_key(tmp_path: Path) -> None:
    """A key written twice is a syntax error on the line of the second one."""
    content = HEADER + 'title = "Again"\n' + SAY
    lines = _problems(tmp_path, content)
    assert len(lines) == 1
    assert lines[0].startswith("mine.toml: line 4, column ")
    assert ": TOML syntax: " in lines[0]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 file that starts with a byte-order mark loads like one without."""
    script = _load(tmp_path, b"\xef\xbb\xbf" + (HEADER + SAY).encode("utf-8"))
    assert script.title == "Mine"


# -- the top of the script -------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    """An empty file reports every missing required key, steps included."""
    assert _problems(tmp_path, "") == [
        "mine.toml: title is missing; expected text",
        "mine.toml: summary is missing; expected text",
        "mine.toml: category is missing; expected text",
        "mine.toml: steps is missing; a script needs at least one [[steps]] table",
    ]


def test_missing_steps(tmp_path: Path) -> None:
    """A script with no steps key says a [[steps]] table is needed."""
    assert _problems(tmp_path, HEADER) == [
        "mine.toml: steps is missing; a script needs at least one [[steps]] table"
    ]


def test_empty_steps_list(tmp_path: Path) -> None:
    """An empty steps list says at least one step is needed."""
    assert _problems(tmp_path, HEADER + "steps = []\n") == [
        "mine.toml: steps is empty; a script needs at least one step"
    ]


def test_steps_not_a_list(tmp_path: Path) -> None:
    """Steps given as text are named with the text found."""
    assert _problems(tmp_path, HEADER + 'steps = "say hello"\n') == [
        'mine.toml: steps must be [[steps]] tables, got "say hello"'
    ]


def test_unknown_top_level_key_suggests_the_real_one(tmp_path: Path) -> None:
    """A misspelt "summary" gets a did-you-mean, and the real key is still missing."""
    content = 'title = "Mine"\nsumary = "Oops."\ncategory = "breathing"\n' + SAY
    assert _problems(tmp_path, content) == [
        'mine.toml: unknown key "sumary", did you mean "summary"?',
        "mine.toml: summary is missing; expected text",
    ]


def test_unknown_top_level_key_without_a_likeness_lists_the_keys(tmp_path: Path) -> None:
    """An unknown key like nothing known lists every key that is allowed."""
    assert _problems(tmp_path, HEADER + "zzz = 1\n" + SAY) == [
        'mine.toml: unknown key "zzz"; expected one of title, summary, category, tags, '
        "minutes, cycles, sources, caution, reminder, steps"
    ]


def test_title_must_be_text(tmp_path: Path) -> None:
    """A number as the title is reported with the number found."""
    content = 'title = 4\nsummary = "s"\ncategory = "breathing"\n' + SAY
    assert _problems(tmp_path, content) == ["mine.toml: title must be text in quotes, got 4"]


def test_blank_title(tmp_path: Path) -> None:
    """A title of only spaces counts as empty."""
    content = 'title = "   "\nsummary = "s"\ncategory = "breathing"\n' + SAY
    assert _problems(tmp_path, content) == ["mine.toml: title must not be empty"]


def test_multi_line_summary(tmp_path: Path) -> None:
    """A summary over several lines is refused, with the number of lines found."""
    content = 'title = "t"\nsummary = """one\ntwo\nthree"""\ncategory = "reset"\n' + SAY
    assert _problems(tmp_path, content) == ["mine.toml: summary must be one line, got 3 lines"]


def test_bad_category_suggests_the_real_one(tmp_path: Path) -> None:
    """A misspelt category lists the categories and suggests the closest."""
    content = 'title = "t"\nsummary = "s"\ncategory = "breathng"\n' + SAY
    assert _problems(tmp_path, content) == [
        "mine.toml: category must be one of breathing, unwinding, grounding, reset, move, demo, "
        'got "breathng"; did you mean "breathing"?'
    ]


def test_category_ignores_case_and_spaces(tmp_path: Path) -> None:
    """A category in capitals with spaces around it is still recognised."""
    content = 'title = "t"\nsummary = "s"\ncategory = " Grounding "\n' + SAY
    assert _load(tmp_path, content).category is Category.GROUNDING


def test_single_tag_as_text_is_accepted(tmp_path: Path) -> None:
    """tags = "x" is taken as a list of one tag."""
    assert _load(tmp_path, HEADER + 'tags = "x"\n' + SAY).tags == ("x",)


def test_tags_must_be_a_list(tmp_path: Path) -> None:
    """A number as tags is reported as not a list of texts."""
    assert _problems(tmp_path, HEADER + "tags = 4\n" + SAY) == [
        "mine.toml: tags must be a list of texts, got 4"
    ]


def test_tag_items_must_be_text(tmp_path: Path) -> None:
    """A non-text item in sources is named by its position, counted from 1."""
    assert _problems(tmp_path, HEADER + 'sources = ["a", 3]\n' + SAY) == [
        "mine.toml: sources item 2 must be text, got 3"
    ]


def test_script_cycles_and_minutes_both(tmp_path: Path) -> None:
    """A script may set its length in cycles or minutes, not both."""
    assert _problems(tmp_path, HEADER + "cycles = 4\nminutes = 2\n" + SAY) == [
        "mine.toml: use cycles or minutes, not both"
    ]


def test_script_minutes_over_the_limit(tmp_path: Path) -> None:
    """More than three hours of breathing is refused."""
    assert _problems(tmp_path, HEADER + "minutes = 181\n" + SAY) == [
        "mine.toml: minutes must be at most 180, got 181"
    ]


def test_script_cycles_over_the_limit(tmp_path: Path) -> None:
    """More than ten thousand cycles is refused."""
    assert _problems(tmp_path, HEADER + "cycles = 10001\n" + SAY) == [
        "mine.toml: cycles must be from 1 to 10000, got 10001"
    ]


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    """Every problem in a file is reported, in file order, not only the first."""
    content = (
        'title = 4\nsummary = "s"\ncategory = "breathng"\n'
        '[[steps]]\nsay = "a"\nseconds = -1\n'
        '[[steps]]\nbreathe = "b"\npattern = "4-7-8-1-2"\ncycles = 0\n'
    )
    assert _problems(tmp_path, content) == [
        "mine.toml: title must be text in quotes, got 4",
        "mine.toml: category must be one of breathing, unwinding, grounding, reset, move, demo, "
        'got "breathng"; did you mean "breathing"?',
        "mine.toml: step 1: seconds must be > 0, got -1",
        'mine.toml: step 2 > pattern: expected 2 to 4 numbers, such as "4-7-8", got 5',
        "mine.toml: step 2: cycles must be from 1 to 10000, got 0",
    ]


# -- steps -------------------------------------------------------------------------------------


def test_step_with_no_kind(tmp_path: Path) -> None:
    """A step with no say, breathe or prompt names the keys it does have."""
    assert _problems(tmp_path, HEADER + "[[steps]]\nseconds = 4\n") == [
        "mine.toml: step 1: expected one of say, breathe, prompt or move, found seconds"
    ]


def test_empty_step(tmp_path: Path) -> None:
    """An empty [[steps]] table says it found nothing."""
    assert _problems(tmp_path, HEADER + SAY + "[[steps]]\n") == [
        "mine.toml: step 2: expected one of say, breathe, prompt or move, found nothing"
    ]


def test_step_with_two_kinds(tmp_path: Path) -> None:
    """A step that is both say and prompt is refused, naming both."""
    content = HEADER + '[[steps]]\nsay = "a"\nprompt = "b"\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: step 1: a step is one of say, breathe, prompt or move, found say and prompt"
    ]


def test_unknown_step_key_suggests_the_real_one(tmp_path: Path) -> None:
    """A misspelt "seconds" in a say step gets a did-you-mean and seconds is still missing."""
    content = HEADER + '[[steps]]\nsay = "a"\nsecnds = 4\n'
    assert _problems(tmp_path, content) == [
        'mine.toml: step 1: unknown key "secnds", did you mean "seconds"?',
        "mine.toml: step 1: seconds is missing; expected a number of seconds",
    ]


def test_unknown_key_is_checked_against_the_step_kind(tmp_path: Path) -> None:
    """A key allowed in another kind of step (timeout in a say step) is unknown here."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ntimeout = 3\n'
    assert _problems(tmp_path, content) == [
        'mine.toml: step 1: unknown key "timeout"; expected one of say, seconds, cue, gentle'
    ]


def test_step_number_counts_from_one(tmp_path: Path) -> None:
    """The third step is called step 3."""
    content = HEADER + SAY + SAY + '[[steps]]\nsay = "a"\nseconds = "four"\n'
    assert _problems(tmp_path, content) == [
        'mine.toml: step 3: seconds must be a number of seconds, got "four"'
    ]


def test_seconds_must_be_a_number(tmp_path: Path) -> None:
    """seconds = "four" is reported as text, in quotes."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = "four"\n'
    assert _problems(tmp_path, content) == [
        'mine.toml: step 1: seconds must be a number of seconds, got "four"'
    ]


def test_seconds_must_not_be_a_bool(tmp_path: Path) -> None:
    """seconds = true is not taken as the number 1."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = true\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: step 1: seconds must be a number of seconds, got true"
    ]


def test_say_without_seconds(tmp_path: Path) -> None:
    """A say step needs seconds."""
    assert _problems(tmp_path, HEADER + '[[steps]]\nsay = "a"\n') == [
        "mine.toml: step 1: seconds is missing; expected a number of seconds"
    ]


def test_empty_say(tmp_path: Path) -> None:
    """A say step with blank text is refused."""
    assert _problems(tmp_path, HEADER + '[[steps]]\nsay = " "\nseconds = 4\n') == [
        "mine.toml: step 1: say must not be empty"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-4", "seconds must be > 0, got -4"),
        ("0", "seconds must be > 0, got 0"),
        ("0.05", "seconds must be at least 0.1, got 0.05"),
        ("3601", "seconds must be at most 3600 (one hour), got 3601"),
        ("1e10", "seconds must be at most 3600 (one hour), got 1e+10"),
        ("inf", "seconds must be at most 3600 (one hour), got inf"),
    ],
    ids=["negative", "zero", "under-0.1", "over-an-hour", "absurd", "inf"],
)
def test_seconds_out_of_range(tmp_path: Path, value: str, message: str) -> None:
    """seconds outside 0.1 to 3600 is refused with the bound it broke and the value."""
    content = HEADER + f'[[steps]]\nsay = "a"\nseconds = {value}\n'
    assert _problems(tmp_path, content) == [f"mine.toml: step 1: {message}"]


def test_fractional_tenth_of_a_second_is_accepted(tmp_path: Path) -> None:
    """0.1 seconds, the shortest allowed, loads as 100 ms."""
    script = _load(tmp_path, HEADER + '[[steps]]\nsay = "a"\nseconds = 0.1\n')
    assert script.steps == (SayStep(text="a", ms=100),)


def test_seconds_are_held_in_whole_milliseconds(tmp_path: Path) -> None:
    """5.5 seconds becomes exactly 5500 ms."""
    script = _load(tmp_path, HEADER + '[[steps]]\nsay = "a"\nseconds = 5.5\n')
    assert script.steps == (SayStep(text="a", ms=5500),)


def test_prompt_timeout_zero(tmp_path: Path) -> None:
    """A prompt's timeout follows the same rules as seconds."""
    assert _problems(tmp_path, HEADER + '[[steps]]\nprompt = "a"\ntimeout = 0\n') == [
        "mine.toml: step 1: timeout must be > 0, got 0"
    ]


def test_prompt_without_timeout_waits(tmp_path: Path) -> None:
    """A prompt with no timeout loads with no time limit."""
    content = HEADER + '[[steps]]\nprompt = "Press Enter."\n' + SAY
    script = _load(tmp_path, content)
    assert script.steps[0] == PromptStep(text="Press Enter.", timeout_ms=None)


def test_a_session_that_takes_no_time_is_refused(tmp_path: Path) -> None:
    """A script of only untimed prompts has zero length, and says so in one line."""
    lines = _problems(tmp_path, HEADER + '[[steps]]\nprompt = "Press Enter."\n')
    assert lines == [
        "mine.toml: the session takes no time: every step waits for Enter; "
        "add a say step, or a timeout to a prompt"
    ]


def test_a_script_length_too_short_for_its_steps_is_refused(tmp_path: Path) -> None:
    """A script-wide minutes shorter than its say steps is a problem, not silently ignored."""
    content = HEADER.replace('category = "breathing"', 'category = "breathing"\nminutes = 0.1')
    content += '[[steps]]\nsay = "Long words."\nseconds = 60\n[[steps]]\nbreathe = "4-4"\n'
    lines = _problems(tmp_path, content)
    assert len(lines) == 1
    assert lines[0].startswith("mine.toml: the script's 0.1 minutes is too short")


def test_a_runaway_breath_count_is_refused_before_it_is_laid_out(tmp_path: Path) -> None:
    """Two steps of 10,000 breaths each exceed the session's breath limit: one line."""
    step = '[[steps]]\nbreathe = "1-1"\ncycles = 10000\n'
    lines = _problems(tmp_path, HEADER + step * 2)
    assert lines == ["mine.toml: the session would hold 20000 breaths; at most 10000"]


# -- lengths of breathe steps ----------------------------------------------------------------


def test_cycles_must_be_whole(tmp_path: Path) -> None:
    """cycles = 2.5 is refused as not a whole number."""
    assert _problems(tmp_path, _breathe('"4-4"', "cycles = 2.5")) == [
        "mine.toml: step 1: cycles must be a whole number, got 2.5"
    ]


def test_cycles_zero(tmp_path: Path) -> None:
    """cycles = 0 is below the smallest number of cycles."""
    assert _problems(tmp_path, _breathe('"4-4"', "cycles = 0")) == [
        "mine.toml: step 1: cycles must be from 1 to 10000, got 0"
    ]


def test_minutes_zero(tmp_path: Path) -> None:
    """minutes = 0 is refused."""
    assert _problems(tmp_path, _breathe('"4-4"', "minutes = 0")) == [
        "mine.toml: step 1: minutes must be > 0, got 0"
    ]


def test_minutes_must_be_a_number(tmp_path: Path) -> None:
    """minutes = "two" is reported as text."""
    assert _problems(tmp_path, _breathe('"4-4"', 'minutes = "two"')) == [
        'mine.toml: step 1: minutes must be a number, got "two"'
    ]


def test_step_cycles_and_minutes_both(tmp_path: Path) -> None:
    """A breathe step with both cycles and minutes gets one problem, not a second "missing"."""
    assert _problems(tmp_path, _breathe('"4-4"', "cycles = 2\nminutes = 1")) == [
        "mine.toml: step 1: use cycles or minutes, not both"
    ]


def test_breathe_step_without_any_length(tmp_path: Path) -> None:
    """A breathe step needs a length of its own or one for the whole script."""
    assert _problems(tmp_path, _breathe('"4-4"', "")) == [
        "mine.toml: step 1: expected cycles or minutes for this step, or for the whole script"
    ]


def test_breathe_step_takes_the_script_length(tmp_path: Path) -> None:
    """A breathe step with no length of its own loads when the script has one."""
    content = HEADER + "minutes = 3\n" + '[[steps]]\nbreathe = "4-4"\n'
    script = _load(tmp_path, content)
    assert script.length == Length(ms=180_000)
    assert _only_step(script).length is None


def test_breathe_step_with_seconds(tmp_path: Path) -> None:
    """A breathe step with seconds is told to use cycles or minutes."""
    assert _problems(tmp_path, _breathe('"4-4"', "cycles = 2\nseconds = 30")) == [
        "mine.toml: step 1: a breathe step lasts for cycles or minutes, not seconds"
    ]


# -- patterns ----------------------------------------------------------------------------------


def test_shorthand_4_7_8(tmp_path: Path) -> None:
    """ "4-7-8" is inhale 4 s, hold_in 7 s, exhale 8 s."""
    step = _only_step(_load(tmp_path, _breathe('"4-7-8"')))
    assert step.pattern == (
        PhaseSpec(Phase.INHALE, 4000),
        PhaseSpec(Phase.HOLD_IN, 7000),
        PhaseSpec(Phase.EXHALE, 8000),
    )
    assert step.length == Length(cycles=2)


def test_shorthand_with_four_numbers_has_hold_out(tmp_path: Path) -> None:
    """ "4-4-4-4" ends with a hold_out."""
    step = _only_step(_load(tmp_path, _breathe('"4-4-4-4"')))
    assert [spec.phase for spec in step.pattern] == [
        Phase.INHALE,
        Phase.HOLD_IN,
        Phase.EXHALE,
        Phase.HOLD_OUT,
    ]
    assert [spec.ms for spec in step.pattern] == [4000] * 4


def test_shorthand_with_zero_holds_drops_them(tmp_path: Path) -> None:
    """ "4-0-4-0" means breathing in and out with no holds."""
    step = _only_step(_load(tmp_path, _breathe('"4-0-4-0"')))
    assert step.pattern == (PhaseSpec(Phase.INHALE, 4000), PhaseSpec(Phase.EXHALE, 4000))
    assert not step.has_holds


def test_shorthand_with_en_dashes(tmp_path: Path) -> None:
    """4, 7 and 8 joined by en dashes, as word processors write them, mean the same as "4-7-8"."""
    step = _only_step(_load(tmp_path, _breathe('"4\u20137\u20138"')))
    assert [spec.ms for spec in step.pattern] == [4000, 7000, 8000]


def test_shorthand_with_spaces_and_fractions(tmp_path: Path) -> None:
    """ " 5.5 - 5.5 " is two phases of 5500 ms."""
    step = _only_step(_load(tmp_path, _breathe('" 5.5 - 5.5 "')))
    assert step.pattern == (PhaseSpec(Phase.INHALE, 5500), PhaseSpec(Phase.EXHALE, 5500))


def test_breathe_shorthand_is_the_pattern(tmp_path: Path) -> None:
    """breathe = "4-6" with no pattern key is used as the pattern, with no words shown."""
    content = HEADER + '[[steps]]\nbreathe = "4-6"\ncycles = 3\n'
    step = _only_step(_load(tmp_path, content))
    assert step.text == ""
    assert step.pattern == (PhaseSpec(Phase.INHALE, 4000), PhaseSpec(Phase.EXHALE, 6000))
    assert step.length == Length(cycles=3)


def test_breathe_text_without_pattern(tmp_path: Path) -> None:
    """breathe with words but no pattern says the pattern is missing."""
    content = HEADER + '[[steps]]\nbreathe = "Slowly."\ncycles = 3\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: step 1: pattern is missing;"
        ' expected a shorthand such as "4-7-8", phases, or a pace'
    ]


def test_empty_pattern_text(tmp_path: Path) -> None:
    """pattern = "" is called empty, at the pattern."""
    assert _problems(tmp_path, _breathe('""')) == [
        'mine.toml: step 1 > pattern: pattern is empty; expected a shorthand such as "4-7-8"'
    ]


def test_empty_pattern_list(tmp_path: Path) -> None:
    """pattern = [] is called empty, at the pattern."""
    assert _problems(tmp_path, _breathe("[]")) == [
        "mine.toml: step 1 > pattern: pattern is empty; expected at least an inhale and an exhale"
    ]


def test_pattern_of_the_wrong_type(tmp_path: Path) -> None:
    """pattern = 4 is neither shorthand nor a list of phases."""
    assert _problems(tmp_path, _breathe("4")) == [
        'mine.toml: step 1 > pattern: expected a shorthand such as "4-7-8" or a list of phases, '
        "got 4"
    ]


def test_shorthand_with_one_number(tmp_path: Path) -> None:
    """pattern = "4" is not a shorthand: numbers must be joined by dashes."""
    assert _problems(tmp_path, _breathe('"4"')) == [
        'mine.toml: step 1 > pattern: expected numbers joined by dashes, such as "4-7-8", got "4"'
    ]


def test_shorthand_with_five_numbers(tmp_path: Path) -> None:
    """pattern = "4-4-4-4-4" has too many numbers."""
    assert _problems(tmp_path, _breathe('"4-4-4-4-4"')) == [
        'mine.toml: step 1 > pattern: expected 2 to 4 numbers, such as "4-7-8", got 5'
    ]


def test_shorthand_with_zero_exhale(tmp_path: Path) -> None:
    """A zero in a non-hold place of a shorthand is refused at that phase."""
    assert _problems(tmp_path, _breathe('"4-0-0-0"')) == [
        "mine.toml: step 1 > pattern > exhale: seconds must be > 0, got 0"
    ]


def test_shorthand_number_too_long(tmp_path: Path) -> None:
    """A shorthand number over an hour is refused at its phase."""
    assert _problems(tmp_path, _breathe('"4-7-8000"')) == [
        "mine.toml: step 1 > pattern > exhale: seconds must be at most 3600 (one hour), got 8000"
    ]


def test_pattern_with_no_exhale(tmp_path: Path) -> None:
    """A pattern with only an inhale says an exhale is needed, and lists what it found."""
    assert _problems(tmp_path, _breathe(_phases('phase = "inhale", seconds = 4'))) == [
        "mine.toml: step 1 > pattern: expected at least one inhale and one exhale, got inhale"
    ]


def test_pattern_of_holds_only(tmp_path: Path) -> None:
    """A pattern of holds lists the holds it found."""
    pattern = _phases('phase = "hold_in", seconds = 4', 'phase = "hold_out", seconds = 4')
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern: expected at least one inhale and one exhale, "
        "got hold_in, hold_out"
    ]


def test_unknown_phase_name_suggests_the_real_one(tmp_path: Path) -> None:
    """phase = "exhal" gets a did-you-mean, at the phase's position."""
    pattern = _phases('phase = "inhale", seconds = 4', 'phase = "exhal", seconds = 4')
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > phase 2: phase must be one of inhale, hold_in, exhale, "
        'hold_out, got "exhal"; did you mean "exhale"?'
    ]


def test_phase_missing(tmp_path: Path) -> None:
    """A phase table without phase lists the phase names."""
    pattern = _phases('phase = "inhale", seconds = 4', "seconds = 4")
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > phase 2: phase is missing; "
        "expected one of inhale, hold_in, exhale, hold_out"
    ]


def test_phase_that_is_not_a_table(tmp_path: Path) -> None:
    """A bare number in a phase list shows what a phase table looks like."""
    pattern = '[{ phase = "inhale", seconds = 4 }, { phase = "exhale", seconds = 4 }, 3]'
    assert _problems(tmp_path, _breathe(pattern)) == [
        'mine.toml: step 1 > pattern > phase 3: expected a table such as { phase = "inhale", '
        "seconds = 4 }, got 3"
    ]


def test_negative_phase_seconds_names_the_phase(tmp_path: Path) -> None:
    """A negative exhale in step 3 is placed at step 3 > pattern > exhale."""
    pattern = _phases('phase = "inhale", seconds = 4', 'phase = "exhale", seconds = -4')
    content = _breathe(pattern).replace(HEADER, HEADER + SAY + SAY)
    assert _problems(tmp_path, content) == [
        "mine.toml: step 3 > pattern > exhale: seconds must be > 0, got -4"
    ]


def test_repeated_phase_is_numbered(tmp_path: Path) -> None:
    """The second exhale of a pattern is called exhale #2."""
    pattern = _phases(
        'phase = "inhale", seconds = 4',
        'phase = "exhale", seconds = 4',
        'phase = "exhale", seconds = 0',
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > exhale #2: seconds must be > 0, got 0"
    ]


def test_unknown_phase_key_suggests_the_real_one(tmp_path: Path) -> None:
    """A misspelt key in a phase table gets a did-you-mean, at the phase."""
    pattern = _phases('phase = "inhale", seconds = 4, txt = "in"', 'phase = "exhale", seconds = 4')
    assert _problems(tmp_path, _breathe(pattern)) == [
        'mine.toml: step 1 > pattern > inhale: unknown key "txt", did you mean "text"?'
    ]


def test_phase_words_and_cue_are_kept(tmp_path: Path) -> None:
    """A phase's text and cue are loaded with it."""
    pattern = _phases(
        'phase = "inhale", seconds = 4, text = " In. ", cue = "inhale"',
        'phase = "exhale", seconds = 4',
    )
    step = _only_step(_load(tmp_path, _breathe(pattern)))
    assert step.pattern[0] == PhaseSpec(Phase.INHALE, 4000, text="In.", cue="inhale")


# -- progressions ------------------------------------------------------------------------------


def test_progression_is_parsed(tmp_path: Path) -> None:
    """per_cycle and limit become a Progression in milliseconds."""
    pattern = _phases(
        'phase = "inhale", seconds = 4',
        'phase = "exhale", seconds = 4, per_cycle = 0.5, limit = 6',
    )
    step = _only_step(_load(tmp_path, _breathe(pattern)))
    assert step.pattern[1].progression == Progression(per_cycle_ms=500, limit_ms=6000)
    assert step.pattern[0].progression is None


def test_growing_phase_stops_at_its_limit(tmp_path: Path) -> None:
    """A growing exhale lengthens by per_cycle each cycle and then stays at the limit."""
    pattern = _phases(
        'phase = "inhale", seconds = 4',
        'phase = "exhale", seconds = 4, per_cycle = 0.5, limit = 6',
    )
    exhale = _only_step(_load(tmp_path, _breathe(pattern))).pattern[1]
    assert [exhale.ms_in_cycle(cycle) for cycle in range(7)] == [
        4000,
        4500,
        5000,
        5500,
        6000,
        6000,
        6000,
    ]


def test_shrinking_phase_stops_at_its_limit(tmp_path: Path) -> None:
    """A shrinking hold shortens by per_cycle each cycle and then stays at the limit."""
    pattern = _phases(
        'phase = "inhale", seconds = 4',
        'phase = "hold_in", seconds = 3, per_cycle = -1, limit = 1',
        'phase = "exhale", seconds = 4',
    )
    hold = _only_step(_load(tmp_path, _breathe(pattern))).pattern[1]
    assert hold.progression == Progression(per_cycle_ms=-1000, limit_ms=1000)
    assert [hold.ms_in_cycle(cycle) for cycle in range(5)] == [3000, 2000, 1000, 1000, 1000]


def test_per_cycle_without_limit(tmp_path: Path) -> None:
    """per_cycle alone asks for a limit."""
    pattern = _phases(
        'phase = "inhale", seconds = 4, per_cycle = 1', 'phase = "exhale", seconds = 4'
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > inhale: per_cycle needs a limit, "
        "the seconds the phase stops at"
    ]


def test_limit_without_per_cycle(tmp_path: Path) -> None:
    """limit alone asks for per_cycle."""
    pattern = _phases('phase = "inhale", seconds = 4, limit = 6', 'phase = "exhale", seconds = 4')
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > inhale: limit needs per_cycle, the seconds added each cycle"
    ]


def test_growing_limit_below_the_start(tmp_path: Path) -> None:
    """A growing phase whose limit is shorter than its start is refused."""
    pattern = _phases(
        'phase = "inhale", seconds = 4, per_cycle = 1, limit = 2', 'phase = "exhale", seconds = 4'
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > inhale: limit must be at least the phase's seconds "
        "(4) when per_cycle is positive, got 2"
    ]


def test_shrinking_limit_above_the_start(tmp_path: Path) -> None:
    """A shrinking phase whose limit is longer than its start is refused."""
    pattern = _phases(
        'phase = "inhale", seconds = 4', 'phase = "exhale", seconds = 4, per_cycle = -1, limit = 6'
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > exhale: limit must be at most the phase's seconds "
        "(4) when per_cycle is negative, got 6"
    ]


def test_per_cycle_must_be_a_number(tmp_path: Path) -> None:
    """per_cycle given as text is reported as text."""
    pattern = _phases(
        'phase = "inhale", seconds = 4, per_cycle = "1", limit = 6', 'phase = "exhale", seconds = 4'
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        'mine.toml: step 1 > pattern > inhale: per_cycle must be a number of seconds, got "1"'
    ]


def test_per_cycle_zero(tmp_path: Path) -> None:
    """per_cycle = 0 is refused as zero."""
    pattern = _phases(
        'phase = "inhale", seconds = 4, per_cycle = 0, limit = 6', 'phase = "exhale", seconds = 4'
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        "mine.toml: step 1 > pattern > inhale: per_cycle must be a non-zero number of seconds, "
        "got 0"
    ]


# -- cues --------------------------------------------------------------------------------------


def test_unknown_cue_name_suggests_the_real_one(tmp_path: Path) -> None:
    """cue = "inhal" lists the built-in cues and suggests "inhale"."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ncue = "inhal"\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: step 1: cue must be one of inhale, exhale, hold, step, end, "
        "or a sound file (.wav, .mp3, .ogg or .flac), "
        'got "inhal"; did you mean "inhale"?'
    ]


def test_empty_cue(tmp_path: Path) -> None:
    """cue = "" is called empty text."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ncue = ""\n'
    assert _problems(tmp_path, content) == [
        "mine.toml: step 1: cue must be a cue name or a sound file, got empty text"
    ]


def test_missing_cue_file(tmp_path: Path) -> None:
    """A cue file that is not next to the script is named."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ncue = "bell.wav"\n'
    assert _problems(tmp_path, content) == [
        'mine.toml: step 1: cue file "bell.wav" was not found next to the script'
    ]


def test_cue_file_next_to_the_script(tmp_path: Path) -> None:
    """A cue file that is next to the script loads."""
    import wave

    with wave.open(str(tmp_path / "bell.wav"), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(22050)
        sound.writeframes(b"\x00\x00" * 100)
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ncue = "bell.wav"\n'
    assert _load(tmp_path, content).steps == (SayStep(text="a", ms=4000, cue="bell.wav"),)


def test_missing_cue_file_in_a_phase(tmp_path: Path) -> None:
    """A phase's missing cue file is placed at the phase."""
    pattern = _phases(
        'phase = "inhale", seconds = 4, cue = "in.ogg"', 'phase = "exhale", seconds = 4'
    )
    assert _problems(tmp_path, _breathe(pattern)) == [
        'mine.toml: step 1 > pattern > inhale: cue file "in.ogg" was not found next to the script'
    ]


# -- the built-in scripts --------------------------------------------------------------------


BUILTIN = sorted(SCRIPTS.glob("*.toml"))


def test_there_are_built_in_scripts() -> None:
    """The repository ships the starter scripts among its built-ins."""
    assert {"4-7-8", "body-scan", "box", "coherent"} <= {path.stem for path in BUILTIN}


@pytest.mark.parametrize("path", BUILTIN, ids=[path.stem for path in BUILTIN])
def test_built_in_script_loads(path: Path) -> None:
    """Every built-in script loads, with at least one step, and compiles into a timeline."""
    script = load_script(path)
    assert script.name == path.stem
    assert script.steps
    assert compile_timeline(script).total_ms > 0


def test_built_in_4_7_8_pattern() -> None:
    """The built-in 4-7-8 script breathes 4, 7 and 8 seconds for 4 cycles."""
    script = load_script(SCRIPTS / "4-7-8.toml")
    assert script.length == Length(cycles=4)
    (breathe,) = script.breathe_steps
    assert [(spec.phase, spec.ms) for spec in breathe.pattern] == [
        (Phase.INHALE, 4000),
        (Phase.HOLD_IN, 7000),
        (Phase.EXHALE, 8000),
    ]


# -- line breaks in quoted keys and values ----------------------------------------------------

_KEYS = "title, summary, category, tags, minutes, cycles, sources, caution, reminder, steps"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (
            HEADER + '"a\\nb" = 1\n' + SAY,
            f'mine.toml: unknown key "a\\nb"; expected one of {_KEYS}',
        ),
        (
            HEADER + '[[steps]]\nsay = "a"\nseconds = 4\n"x\\ty" = 1\n',
            'mine.toml: step 1: unknown key "x\\ty"; expected one of say, seconds, cue, gentle',
        ),
        (
            HEADER + '[[steps]]\n"x\\ny" = 1\n',
            "mine.toml: step 1: expected one of say, breathe, prompt or move, found x\\ny",
        ),
        (
            HEADER.replace('"breathing"', '"breath\\ning"') + SAY,
            "mine.toml: category must be one of breathing, unwinding, grounding, reset, move, "
            'demo, got "breath\\ning"; did you mean "breathing"?',
        ),
        (
            HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ncue = "a\\nb"\n',
            "mine.toml: step 1: cue must be one of inhale, exhale, hold, step, end, "
            "or a sound file (.wav, .mp3, .ogg or .flac), "
            'got "a\\nb"',
        ),
        (
            _breathe('"4\\n7"'),
            'mine.toml: step 1 > pattern: expected numbers joined by dashes, such as "4-7-8", '
            'got "4\\n7"',
        ),
        (
            _breathe(_phases('phase = "in\\rhale", seconds = 4')),
            "mine.toml: step 1 > pattern > phase 1: phase must be one of inhale, hold_in, exhale, "
            'hold_out, got "in\\rhale"; did you mean "inhale" or "exhale"?',
        ),
    ],
    ids=["top-key", "step-key-tab", "kindless-step-key", "category", "cue", "shorthand", "phase"],
)
def test_line_breaks_from_the_file_are_shown_escaped(
    tmp_path: Path, content: str, line: str
) -> None:
    """A key or value with a newline, return or tab is quoted with it escaped, on one line."""
    assert _problems(tmp_path, content) == [line]


def test_tiny_step_minutes_compile(tmp_path: Path) -> None:
    """Step minutes too short to be a millisecond still compile, to one breath."""
    content = HEADER + "minutes = 5\n" + '[[steps]]\nbreathe = "4-4"\nminutes = 0.000001\n'
    timeline = compile_timeline(_load(tmp_path, content))
    assert timeline.cycles == 1
    assert timeline.total_ms == 8000


# -- once bugs: each pins a fix ---------------------------------------------------------------


@pytest.mark.parametrize(
    "escape", ["\\u000b", "\\f", "\\u0085", "\\u2028"], ids=["VT", "FF", "NEL", "LS"]
)
def test_other_line_breaks_from_the_file_are_escaped(tmp_path: Path, escape: str) -> None:
    """A key with a vertical tab, form feed or Unicode line break does not split the line."""
    lines = _problems(tmp_path, HEADER + f'"a{escape}b" = 1\n' + SAY)
    assert len(lines) == 1
    assert lines[0].startswith('mine.toml: unknown key "a')
    assert lines[0].splitlines() == [lines[0]]


def test_integer_too_long_to_convert(tmp_path: Path) -> None:
    """An integer of thousands of digits is a problem in the file, not a traceback."""
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 1' + "0" * 5000 + "\n"
    lines = _problems(tmp_path, content)
    assert all(line.startswith("mine.toml: ") for line in lines)


def test_document_integer_too_long_to_show() -> None:
    """parse_script_document names a huge integer in a ScriptError instead of raising ValueError."""
    document = {"title": 10**5000, "summary": "s", "category": "reset", "steps": [{"say": "a"}]}
    with pytest.raises(ScriptError) as caught:
        parse_script_document(document, name="x", source="x.toml")
    assert (
        caught.value.lines()[0]
        == "x.toml: title must be text in quotes, got a number with more than 38 digits"
    )


def test_title_with_carriage_return_is_refused(tmp_path: Path) -> None:
    """A title with a carriage return in it is refused: a terminal would act on it."""
    content = HEADER.replace('"Mine"', '"Mine\\rTitle"') + SAY
    lines = _problems(tmp_path, content)
    assert len(lines) == 1
    assert lines[0].startswith("mine.toml: title holds a control character (U+000D)")


def test_direction_marks_in_right_to_left_text_are_kept(tmp_path: Path) -> None:
    """The left-to-right and right-to-left marks only shape text, unlike the overrides."""
    content = HEADER.replace('"Mine"', '"\u05e9\u05dc\u05d5\u05dd\u200f (Shalom)"') + SAY
    path = _write(tmp_path, content)
    assert load_script(path).title == "\u05e9\u05dc\u05d5\u05dd\u200f (Shalom)"


@pytest.mark.parametrize(
    ("where", "escaped"),
    [
        ("title", "Mine\\u001b[31m"),
        ("say", "Arrive\\u001b[2J here"),
        ("caution", "Careful\\u0007"),
        ("sources", "Someone 2020\\u202e"),
    ],
)
def test_text_a_terminal_would_act_on_is_refused(tmp_path: Path, where: str, escaped: str) -> None:
    """An escape sequence, a bell or a bidi override in any text is one clear problem: a
    shared script must never recolour, clear or disguise the terminal."""
    if where == "title":
        content = HEADER.replace('"Mine"', f'"{escaped}"') + SAY
    elif where == "say":
        content = HEADER + f'[[steps]]\nsay = "{escaped}"\nseconds = 1\n'
    else:
        content = HEADER + f'{where} = "{escaped}"\n' + SAY
    lines = _problems(tmp_path, content)
    what = "a direction override" if "202e" in escaped else "a control character"
    assert any(f"holds {what} (U+" in line for line in lines), lines
    assert len(lines) == 1, lines


@pytest.mark.parametrize("per_cycle", ["0.0001", "4000"], ids=["under-a-millisecond", "huge"])
def test_per_cycle_out_of_range_message(tmp_path: Path, per_cycle: str) -> None:
    """A per_cycle that is not zero but out of range is not described as needing to be non-zero."""
    pattern = _phases(
        f'phase = "inhale", seconds = 4, per_cycle = {per_cycle}, limit = 6',
        'phase = "exhale", seconds = 4',
    )
    lines = _problems(tmp_path, _breathe(pattern))
    assert len(lines) == 1
    assert lines[0].startswith("mine.toml: step 1 > pattern > inhale: per_cycle must be ")
    assert f"got {per_cycle}" in lines[0]
    assert "non-zero" not in lines[0]


def test_step_that_is_not_a_table_is_named(tmp_path: Path) -> None:
    """steps = [1] names step 1 and the value found, not "got a list"."""
    lines = _problems(tmp_path, HEADER + "steps = [1]\n")
    assert len(lines) == 1
    assert lines[0].startswith("mine.toml: step 1: ")
    assert lines[0].endswith("got 1")


def test_misspelt_step_kind_suggests_the_real_one(tmp_path: Path) -> None:
    """A step with "sya" instead of "say" suggests "say"."""
    lines = _problems(tmp_path, HEADER + '[[steps]]\nsya = "a"\nseconds = 4\n')
    assert len(lines) == 1
    assert lines[0].startswith("mine.toml: step 1: ")
    assert 'did you mean "say"?' in lines[0]


def test_a_cue_file_that_is_not_a_wav_sound_is_named(tmp_path: Path) -> None:
    """A .wav cue that is really text is a problem naming the file, found when validating."""
    (tmp_path / "bowl.wav").write_text("not a sound", encoding="utf-8")
    content = HEADER + '[[steps]]\nsay = "a"\nseconds = 4\ncue = "bowl.wav"\n'
    lines = _problems(tmp_path, content)
    assert len(lines) == 1
    assert lines[0].startswith('mine.toml: step 1: cue file "bowl.wav" is not a WAV sound')


# -- big files, and the wording of numbers and characters --------------------------------------

BASE = {"title": "Mine", "summary": "A test script.", "category": "reset"}
"""The top of a valid script, as a parsed document."""
ONE_STEP = [{"say": "Arrive.", "seconds": 4}]


def _document_problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(ScriptError) as caught:
        parse_script_document(document, name="mine", source="mine.toml")
    return caught.value.lines()


def test_many_unknown_keys_give_twenty_lines_and_a_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """60,000 unknown keys are 20 problems and one line counting the rest, and a
    did-you-mean is looked for only for the lines shown."""
    looked: list[str] = []

    def counting(word: str, choices: Iterable[str]) -> str:
        looked.append(word)
        return did_you_mean(word, choices)

    monkeypatch.setattr(value_checks, "did_you_mean", counting)
    document = {**BASE, "steps": ONE_STEP, **{f"k{index}": 1 for index in range(60_000)}}
    lines = _document_problems(document)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0].startswith('mine.toml: unknown key "k0"; expected one of title, ')
    assert lines[-1] == "mine.toml: and 59980 more problems; fix these and check again"
    assert len(looked) <= MAX_PROBLEMS


def test_a_step_with_many_keys_lists_a_few(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step of 60,000 keys and no kind names five of them and counts the rest."""
    document = {**BASE, "steps": [{f"sya{index}": 1 for index in range(60_000)}]}
    assert _document_problems(document) == [
        "mine.toml: step 1: expected one of say, breathe, prompt or move, "
        "found sya0, sya1, sya2, sya3, sya4, and 59995 more"
    ]


def test_a_long_unknown_key_is_cut_short() -> None:
    """A key of half a million characters is quoted cut short, with no hint looked for."""
    (line,) = _document_problems({**BASE, "steps": ONE_STEP, "k" * 500_000: 1})
    assert line.startswith('mine.toml: unknown key "' + "k" * 37 + '..."; expected one of ')


@pytest.mark.parametrize("key", ["sources", "tags"])
def test_a_list_of_a_hundred_thousand_texts_is_one_problem(key: str) -> None:
    """100,000 sources is one line; none of them is looked at."""
    lines = _document_problems({**BASE, "steps": ONE_STEP, key: ["x"] * 100_000})
    assert lines == [f"mine.toml: {key} can have at most {MAX_ITEMS[key]} items, got 100000"]


@pytest.mark.parametrize("key", ["say", "prompt", "breathe", "gentle"])
def test_a_step_text_of_750_kb_is_one_problem(key: str) -> None:
    """A 750 KB say (or prompt, or breathing words) is not a step anyone could read."""
    step = {"say": "Arrive.", "seconds": 4} if key != "prompt" else {"prompt": "Ready?"}
    if key == "breathe":
        step = {"breathe": "Slowly.", "pattern": "4-6", "cycles": 2}
    step[key] = "word " * 150_000
    assert _document_problems({**BASE, "steps": [step]}) == [
        f"mine.toml: step 1: {key} must be at most {MAX_CHARS[key]} characters, got 750000"
    ]


def test_every_text_has_a_limit() -> None:
    """Every text a script holds has a length limit, generous for the built-in scripts."""
    texts = {"title", "summary", "caution", "reminder", "say", "prompt", "breathe", "gentle"}
    texts |= {"move", "how"}
    assert texts | {"text", "tags", "sources", "cue"} <= set(MAX_CHARS)
    for path in sorted(SCRIPTS.glob("*.toml")):
        script = load_script(path)
        assert len(script.title) * 2 <= MAX_CHARS["title"]
        for step in script.steps:
            assert len(step.text) * 2 <= MAX_CHARS[step.kind.value]


def test_two_hundred_long_breathing_steps_are_refused_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """200 breathe steps of 180 minutes of quick breaths are refused with the count of
    breaths, worked out without stepping through two million of them."""
    calls = 0
    inner = PhaseSpec.ms_in_cycle

    def counting(self: PhaseSpec, cycle: int) -> int:
        nonlocal calls
        calls += 1
        return inner(self, cycle)

    monkeypatch.setattr(PhaseSpec, "ms_in_cycle", counting)
    steps = [{"breathe": "Quick.", "pattern": "0.1-0.1", "minutes": 180}] * 200
    assert _document_problems({**BASE, "steps": steps}) == [
        "mine.toml: the session would hold 2000000 breaths; at most 10000"
    ]
    # Two phases, 200 steps, and a few dozen looks each while halving: not millions.
    assert calls < 200 * 2 * 40


def test_seconds_just_over_the_limit_are_quoted_as_written(tmp_path: Path) -> None:
    """seconds = 3600.0001 is over the hour, and the problem shows it as written."""
    assert _problems(tmp_path, HEADER + '[[steps]]\nsay = "a"\nseconds = 3600.0001\n') == [
        "mine.toml: step 1: seconds must be at most 3600 (one hour), got 3600.0001"
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("0.0", "0.0"),
        ("0", "0"),
        ("-0.0", "-0.0"),
        ("1e10", "1e+10"),
        ("0.30000000000000004", "0.30000000000000004"),
    ],
)
def test_numbers_are_quoted_as_written(tmp_path: Path, written: str, shown: str) -> None:
    """A whole number is never shown with a decimal point it did not have, nor a
    fraction without one: "got 0" for 0, "got 0.0" for 0.0."""
    lines = _problems(tmp_path, HEADER + f"cycles = {written}\n" + SAY)
    assert lines[0].endswith(f"got {shown}"), lines


def test_a_shorthand_zero_is_quoted_as_written(tmp_path: Path) -> None:
    """breathe = "0-4" quotes the inhale as 0, as written, not 0.0."""
    assert _problems(tmp_path, _breathe('"0-4"')) == [
        "mine.toml: step 1 > pattern > inhale: seconds must be > 0, got 0"
    ]


@pytest.mark.parametrize("minutes", ['"five"', "0", "-3", "999"])
def test_a_bad_script_length_is_one_line_not_two(tmp_path: Path, minutes: str) -> None:
    """A bad top-level minutes is one problem: its breathing steps do not add a second
    line saying they have no length."""
    content = HEADER + f"minutes = {minutes}\n" + '[[steps]]\nbreathe = "4-6"\n'
    (line,) = _problems(tmp_path, content)
    assert line.startswith("mine.toml: minutes must be ")


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200c", "\u200d", "\U000e0067"],
    ids=["zero-width-space", "soft-hyphen", "word-joiner", "bom", "zwnj", "zwj", "tag"],
)
def test_invisible_format_characters_are_kept(tmp_path: Path, char: str) -> None:
    """A zero-width space, a soft hyphen, a word joiner and their like are invisible and
    drive nothing: a script pasted from a word processor keeps them."""
    content = HEADER.replace('"Mine"', f'"Mi{char}ne"') + SAY.replace("Settle", f"Set{char}tle")
    script = _load(tmp_path, content)
    assert script.title == f"Mi{char}ne"


@settings(max_examples=examples(200), deadline=None)
@given(char=st.characters(categories=["Cf"]))
def test_a_format_character_is_refused_only_when_it_can_disguise_text(char: str) -> None:
    """Of all format characters, only the direction overrides and isolates and the few
    that change how their neighbours read are refused, each with one line saying which."""
    document = {**BASE, "steps": ONE_STEP, "caution": f"Go {char}gently"}
    disguising = (
        unicodedata.bidirectional(char)
        in {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
        or 0x206A <= ord(char) <= 0x206F
        or 0xFFF9 <= ord(char) <= 0xFFFB
    )
    if not disguising:
        script = parse_script_document(document, name="mine", source="mine.toml")
        assert script.caution == f"Go {char}gently"
        return
    (line,) = _document_problems(document)
    assert line.startswith("mine.toml: caution holds a ")
    assert f"(U+{ord(char):04X})" in line


def test_the_template_says_what_minutes_means() -> None:
    """The new-script template says minutes is the whole session, and it is: the template's
    three minutes, say and prompt steps included, come to three minutes, to a breath."""
    text = template_for("mine", Path("mine.toml"))
    script = parse_script_bytes(text.encode(), name="mine", source="mine.toml")
    assert script.length is not None and script.length.ms == 180_000
    assert "# How long the whole session lasts" in text
    assert "How long the breathing lasts" not in text
    timeline = compile_timeline(script)
    longest_breath = max(step.cycle_ms(0) for step in script.breathe_steps)
    assert abs(timeline.total_ms - 180_000) <= longest_breath


def test_a_long_pattern_is_quoted_cut_short(tmp_path: Path) -> None:
    """A pattern of 20,000 characters is quoted in a few words, not whole."""
    (line,) = _problems(tmp_path, _breathe('"' + "4-x" * 6000 + '"'))
    assert line.startswith("mine.toml: step 1 > pattern: expected numbers joined by dashes")
    assert len(line) < 200
