"""What the voice says, and where: each say step and prompt in its own words, the phase
names on the first breath, every breath or none, and outside words made safe to speak."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calm.core.length_plan import LengthOptions
from calm.core.timeline import compile_timeline
from calm.sound.voice_lines import MAX_SPOKEN_CHARS, PHASE_WORDS, speakable, spoken_lines
from tests.support.tui import make_script, make_timeline

# tests.support.tui's STEPS, segment by segment: 0 say "Settle in."; 1-8 two breaths of
# 4-4-4-4 (phases with words of their own); 9 a timed prompt; 10 an untimed prompt; 11 say.
SAYS = {0: "Settle in.", 9: "Notice how you feel.", 10: "Ready?", 11: "Well done."}
FIRST_BREATH = {1: "Breathe in", 2: "Hold", 3: "Breathe out", 4: "Rest"}
SECOND_BREATH = {5: "Breathe in", 6: "Hold", 7: "Breathe out", 8: "Rest"}


def test_the_first_breath_of_a_breathing_step_names_its_phases() -> None:
    """By default each say step and prompt is spoken in its words, and each phase is named,
    short, on the step's first breath only, not in the script's longer words for it."""
    assert spoken_lines(make_timeline()) == SAYS | FIRST_BREATH
    assert spoken_lines(make_timeline(), "first") == SAYS | FIRST_BREATH


def test_every_breath_names_its_phases_when_asked() -> None:
    assert spoken_lines(make_timeline(), "every") == SAYS | FIRST_BREATH | SECOND_BREATH


@pytest.mark.parametrize("phases", ["none", "sometimes", ""])
def test_no_phase_is_named_with_none_or_a_setting_calm_does_not_know(phases: str) -> None:
    assert spoken_lines(make_timeline(), phases) == SAYS


def test_every_breathing_step_names_its_own_first_breath() -> None:
    """Two breathing steps: each one's first breath is named, whatever came before."""
    steps = """
[[steps]]
breathe = "One."
pattern = "1-2"
cycles = 2

[[steps]]
breathe = "Two."
pattern = "2-1"
cycles = 2
"""
    assert spoken_lines(make_timeline(steps)) == {
        0: "Breathe in",
        1: "Breathe out",
        4: "Breathe in",
        5: "Breathe out",
    }


def test_gentle_sessions_speak_the_gentle_words_as_they_are_shown() -> None:
    """Under --gentle the holds are gone and a step's gentle words are the ones spoken."""
    steps = """
[[steps]]
say = "Trace a square."
gentle = "Breathe evenly."
seconds = 2

[[steps]]
breathe = "Box."
pattern = "4-4-4-4"
cycles = 1
"""
    timeline = compile_timeline(make_script(steps), LengthOptions(gentle=True))
    assert spoken_lines(timeline) == {0: "Breathe evenly.", 1: "Breathe in", 2: "Breathe out"}
    assert set(PHASE_WORDS.values()) >= {"Breathe in", "Breathe out"}


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Settle in.", "Settle in."),
        ("-s 999 --stdout begin", "-s 999 --stdout begin"),
        ("Line one.\nLine two.\tTabbed.", "Line one. Line two. Tabbed."),
        ("Bell\x07 and \x1b[31mescape", "Bell and [31mescape"),
        ("Right\u202eleft and zero\u200bwidth", "Right left and zero width"),
        ('<speak><break time="9s"/>Soft</speak> words', "Soft words"),
        ("[[h@'loU]] phonemes", "[ [h@'loU] ] phonemes"),
        ("a < b and c > d", "a < b and c > d"),
        ("...", ""),
        ("  -  ", ""),
        ("", ""),
    ],
)
def test_outside_words_are_made_safe_to_speak(text: str, spoken: str) -> None:
    """Control and format characters become spaces, tags are left out, espeak's phoneme
    brackets are broken up, and text with no word in it says nothing. A leading "-" stays
    as words: the engine reads them from a file, never as options."""
    assert speakable(text) == spoken


def test_long_words_are_cut_at_a_word() -> None:
    words = " ".join(["breathe"] * 200)
    spoken = speakable(words)
    assert len(spoken) <= MAX_SPOKEN_CHARS
    assert spoken == " ".join(["breathe"] * (len(spoken) // 8 + 1))
    assert speakable("a" * 5000) == "a" * MAX_SPOKEN_CHARS


@given(st.text())
def test_anything_spoken_is_one_short_line_of_printable_words(text: str) -> None:
    spoken = speakable(text)
    assert len(spoken) <= MAX_SPOKEN_CHARS
    assert "[[" not in spoken and "]]" not in spoken
    assert all(unicodedata.category(char)[0] not in "CZ" or char == " " for char in spoken)
    assert spoken == spoken.strip()
    assert not spoken or any(char.isalnum() for char in spoken)
