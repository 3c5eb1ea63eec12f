"""Each step kind is described once, in calm/present/steps.py, for every front end."""

from __future__ import annotations

from calm.core.loader import parse_script_bytes
from calm.core.script import StepKind
from calm.core.timeline import StepSpan, Timeline, compile_timeline
from calm.present.steps import ENTER_HINT, PLAIN_ENTER_HINT, SELF_PACED, WORDS, words_for

SCRIPT = b"""
title = "Kinds"
summary = "One step of each kind."
category = "demo"

[[steps]]
say = "Settle in."
seconds = 5

[[steps]]
breathe = ""
pattern = "4-0-6-0"
cycles = 2

[[steps]]
prompt = "Notice your shoulders."

[[steps]]
prompt = "Press Enter when ready."
timeout = 30
"""


def timeline() -> Timeline:
    """One step of each kind, and a timed prompt."""
    return compile_timeline(parse_script_bytes(SCRIPT, name="kinds", source="kinds.toml"))


def spans() -> list[StepSpan]:
    """The timeline's steps."""
    return list(timeline().spans)


def test_every_step_kind_has_words_of_its_own() -> None:
    """A new kind that forgets its words fails here, not on a user's screen."""
    assert set(WORDS) == set(StepKind)
    assert len({id(words) for words in WORDS.values()}) == len(StepKind)


def test_each_kind_says_its_length_its_own_way() -> None:
    """Breaths and time for breathing, "self-paced" or "up to" for a prompt, time for words."""
    say, breathe, prompt, timed = spans()
    assert words_for(say.step.kind).session_length(say) == "5 s"
    assert words_for(breathe.step.kind).session_length(breathe) == "2 breaths, 20 s"
    assert words_for(prompt.step.kind).session_length(prompt) == SELF_PACED
    assert words_for(timed.step.kind).session_length(timed) == "up to 30 s"
    assert words_for(prompt.step.kind).self_paced(prompt.step)
    assert not words_for(timed.step.kind).self_paced(timed.step)
    assert not words_for(breathe.step.kind).self_paced(breathe.step)


def test_a_prompt_says_how_to_carry_on_unless_its_words_do() -> None:
    """The Enter hint is added once, and never to words that already speak of Enter."""
    _, _, prompt, timed = spans()
    words = words_for(StepKind.PROMPT)
    assert words.plain_text(prompt.step) == "Notice your shoulders." + PLAIN_ENTER_HINT
    assert words.plain_text(timed.step) == "Press Enter when ready."
    segment = timeline().segments[prompt.first]
    assert words.words_and_hint(segment, prompt.step) == ("Notice your shoulders.", ENTER_HINT)
