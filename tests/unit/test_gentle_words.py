"""--gentle and the words a session shows: nothing describes a hold that was left out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calm.core.length_plan import LengthOptions
from calm.core.library import Library
from calm.core.loader import parse_script_bytes
from calm.core.problems import ScriptError
from calm.core.script import BreatheStep, Category, Length, Phase, PhaseSpec, SayStep, Script
from calm.core.timeline import Timeline, compile_timeline

HEADER = 'title = "T"\nsummary = "S"\ncategory = "breathing"\ncycles = 2\n'
GENTLE = LengthOptions(gentle=True)


def parse(body: str) -> Script:
    """A script from TOML text, with the required title, summary, category and length added."""
    return parse_script_bytes((HEADER + body).encode(), name="t", source="t.toml")


def shown(timeline: Timeline) -> list[str]:
    """Every text a session shows step by step: each step's words and each segment's words."""
    words = [span.step.text for span in timeline.spans]
    words += [segment.text for segment in timeline.segments if segment.text]
    return [text for text in words if text]


def test_gentle_box_never_speaks_of_four_sides() -> None:
    """The report's case: gentle box no longer says "Trace the four sides of a square"."""
    script = Library.discover().resolve("box").load()
    assert any("four sides" in text for text in shown(compile_timeline(script)))
    gentle = shown(compile_timeline(script, GENTLE))
    assert not any("sides" in text or "square" in text for text in gentle), gentle


def test_a_step_shows_its_gentle_words_when_gentle_leaves_out_holds() -> None:
    """Each kind of step shows its `gentle` words in place of its own under --gentle."""
    script = parse(
        '[[steps]]\nsay = "Picture a square"\nseconds = 5\ngentle = "Picture a line"\n'
        '[[steps]]\nbreathe = "Four sides"\npattern = "4-4-4-4"\ngentle = "In and out"\n'
        '[[steps]]\nprompt = "Did you hold?"\ngentle = "Did you breathe?"\ntimeout = 5\n'
    )
    assert [span.step.text for span in compile_timeline(script).spans] == [
        "Picture a square",
        "Four sides",
        "Did you hold?",
    ]
    gentle = compile_timeline(script, GENTLE)
    assert [span.step.text for span in gentle.spans] == [
        "Picture a line",
        "In and out",
        "Did you breathe?",
    ]
    assert [s.text for s in gentle.segments if s.phase is None] == [
        "Picture a line",
        "Did you breathe?",
    ]


def test_a_breathe_step_with_holds_and_no_gentle_words_shows_only_its_phases() -> None:
    """Its own words may describe the holds, so under --gentle it shows none; phases keep theirs."""
    script = parse(
        '[[steps]]\nbreathe = "Three sides of a triangle"\npattern = [\n'
        '  { phase = "inhale", seconds = 4, text = "In" },\n'
        '  { phase = "hold_in", seconds = 4, text = "Hold" },\n'
        '  { phase = "exhale", seconds = 4, text = "Out" },\n]\n'
    )
    gentle = compile_timeline(script, GENTLE)
    assert shown(gentle) == ["In", "Out", "In", "Out"]


def test_a_step_without_holds_keeps_its_words_beside_one_that_had_them() -> None:
    """A breathe step with no holds of its own keeps its words under --gentle."""
    script = parse(
        '[[steps]]\nbreathe = "Square"\npattern = "4-4-4-4"\n'
        '[[steps]]\nbreathe = "Longer out"\npattern = "4-8"\n'
    )
    gentle = compile_timeline(script, GENTLE)
    assert [span.step.text for span in gentle.spans] == ["", "Longer out"]


def test_gentle_words_wait_for_holds_to_leave_out() -> None:
    """In a script with no holds, --gentle changes nothing, so the gentle words never show."""
    script = parse(
        '[[steps]]\nsay = "Settle"\nseconds = 5\ngentle = "Settle gently"\n'
        '[[steps]]\nbreathe = "Even"\npattern = "4-4"\ngentle = "Even, gently"\n'
    )
    assert shown(compile_timeline(script, GENTLE)) == shown(compile_timeline(script))
    assert "Settle gently" not in shown(compile_timeline(script, GENTLE))


@pytest.mark.parametrize("kind", ["say", "breathe", "prompt"])
def test_gentle_must_be_text(kind: str) -> None:
    """A `gentle` that is not text is one problem naming the step and the key."""
    extra = {"say": "seconds = 5", "breathe": 'pattern = "4-4"', "prompt": ""}[kind]
    with pytest.raises(ScriptError) as raised:
        parse(f'[[steps]]\n{kind} = "Words"\n{extra}\ngentle = 3\n')
    assert [str(problem) for problem in raised.value.problems] == [
        "t.toml: step 1: gentle must be text in quotes, got 3"
    ]


_WORDS = st.text(min_size=1, max_size=60).filter(lambda text: text.strip() == text and text)


@given(
    written=_WORDS,
    holds=st.lists(st.sampled_from([Phase.HOLD_IN, Phase.HOLD_OUT]), min_size=1, max_size=2),
    gentle=st.one_of(st.none(), _WORDS),
)
def test_no_words_written_for_the_holds_survive_gentle(
    written: str, holds: list[Phase], gentle: str | None
) -> None:
    """Whatever a held breathe step says, under --gentle only its gentle words, if any, remain."""
    pattern = [PhaseSpec(Phase.INHALE, 4000), PhaseSpec(Phase.EXHALE, 4000)]
    pattern += [PhaseSpec(hold, 2000) for hold in holds]
    step = BreatheStep(text=written, pattern=tuple(pattern), length=Length(cycles=2), gentle=gentle)
    script = Script(
        name="t",
        title="T",
        summary="S",
        category=Category.BREATHING,
        steps=(SayStep(text="Settle", ms=1000), step),
    )
    timeline = compile_timeline(script, GENTLE)
    assert not any(segment.phase and segment.phase.is_hold for segment in timeline.segments)
    assert timeline.spans[1].step.text == (gentle or "")
