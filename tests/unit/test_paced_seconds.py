"""A step breathed at a pace has phases worked out to the millisecond (4.364 s at 5.5 a
minute): shown to a tenth of a second, and as "about"; a pattern written in seconds is
shown exactly as written."""

from __future__ import annotations

from calm.core.library import Library
from calm.core.script import BreatheStep
from calm.core.timeline import compile_timeline
from calm.present.measures import breath_seconds_text, pattern_text
from calm.present.preview import timeline_json
from tests.support.scripts import parse


def _step(keys: str) -> BreatheStep:
    step = parse(f'[[steps]]\ncycles = 2\nbreathe = "Slowly."\n{keys}\n').steps[0]
    assert isinstance(step, BreatheStep)
    return step


def test_a_paced_pattern_is_shown_to_a_tenth_of_a_second_and_as_about() -> None:
    step = _step('pattern = "4-6"\npace = 5.5')
    assert [spec.ms for spec in step.pattern] == [4364, 6545]
    assert pattern_text(step) == "about 4.4-6.5"
    assert breath_seconds_text(4364, step) == "4.4 s"


def test_a_written_pattern_is_shown_as_written() -> None:
    step = _step('pattern = "4.25-6.125"')
    assert pattern_text(step) == "4.25-6.125"
    assert breath_seconds_text(4250, step) == "4.25 s"


def test_the_json_rate_of_a_paced_script_carries_no_float_noise() -> None:
    entry = Library.discover(user_dirs=[], pace=lambda: 5.5).get("my-pace")
    assert entry is not None
    timeline = compile_timeline(entry.load())
    assert timeline.breaths_per_minute != 5.5  # worked out from whole milliseconds
    assert timeline_json(entry, timeline)["breaths_per_minute"] == 5.5
