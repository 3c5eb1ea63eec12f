"""``calm pace``'s ladder (``calm.practice.pace_ladder``): which paces it tries, what it
refuses, and the script it runs as.

Expected figures are worked out here from issue 16 and docs/pace.md: 6.5 down to 4.5
breaths a minute in steps of 0.5, two minutes each, breath in 40 % of each breath.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from calm.core.script import BreatheStep, Phase, PromptStep, SayStep, Script
from calm.core.timeline import compile_timeline
from calm.practice.pace_ladder import Ladder, LadderError, ladder_script
from tests.support.examples import examples


def _breathing(script: Script) -> list[BreatheStep]:
    return [step for step in script.steps if isinstance(step, BreatheStep)]


# -- the paces --------------------------------------------------------------------------


def test_the_default_ladder_is_the_clinics_five_rungs_of_two_minutes() -> None:
    """6.5, 6, 5.5, 5 and 4.5 breaths a minute, two minutes each (Vaschillo et al. 2006)."""
    ladder = Ladder()
    assert ladder.paces == (6.5, 6.0, 5.5, 5.0, 4.5)
    assert ladder.rung_minutes == 2.0


@pytest.mark.parametrize(
    ("start", "end", "step", "paces"),
    [
        (6.5, 4.4, 0.5, (6.5, 6.0, 5.5, 5.0, 4.5, 4.4)),
        (6.0, 4.0, 0.75, (6.0, 5.25, 4.5, 4.0)),
        (6.5, 6.0, 1.0, (6.5, 6.0)),
        (7.0, 5.0, 0.3, (7.0, 6.7, 6.4, 6.1, 5.8, 5.5, 5.2, 5.0)),
    ],
)
def test_a_ladder_whose_steps_miss_its_end_ends_at_it_all_the_same(
    start: float, end: float, step: float, paces: tuple[float, ...]
) -> None:
    """Steps that do not land on --to stop above it, and --to is added as the last rung."""
    assert Ladder(start, end, step).paces == paces


@pytest.mark.parametrize(
    ("start", "end", "step", "paces"),
    [
        (6.0, 6.0, 0.5, (6.0,)),
        (6.0, 5.0, 0.1, (6.0, 5.9, 5.8, 5.7, 5.6, 5.5, 5.4, 5.3, 5.2, 5.1, 5.0)),
        (6.5, 5.4, 0.1, (6.5, 6.4, 6.3, 6.2, 6.1, 6.0, 5.9, 5.8, 5.7, 5.6, 5.5, 5.4)),
        (10.0, 3.0, 7.0, (10.0, 3.0)),
    ],
)
def test_steps_that_land_on_the_end_add_nothing(
    start: float, end: float, step: float, paces: tuple[float, ...]
) -> None:
    """A tenth-of-a-breath step, whose sums floating point gets slightly wrong, still
    lands on each written pace, and the end is not repeated."""
    assert Ladder(start, end, step).paces == paces


@settings(max_examples=examples(500))
@given(
    start=st.integers(300, 1000), gap=st.integers(0, 700), step=st.integers(10, 700)
)  # fmt: skip
def test_any_ladder_goes_down_from_its_start_to_its_end(start: int, gap: int, step: int) -> None:
    """Every ladder it accepts starts at --from, ends at --to, goes down by --step (the
    last rung perhaps by less), and has from 1 to 12 rungs. A step that stops within
    0.05 above --to is taken as landing on it, so no rung follows a hair slower."""
    end = max(start - gap, 300)
    try:
        paces = Ladder(start / 100, end / 100, step / 100).paces
    except LadderError:
        reject()
    assert 1 <= len(paces) <= 12
    assert paces[0] == start / 100
    assert 0 <= round(paces[-1] - end / 100, 2) <= 0.05
    gaps = [round(faster - slower, 2) for faster, slower in itertools.pairwise(paces)]
    assert all(gap == step / 100 for gap in gaps[:-1])
    assert all(0 < gap <= step / 100 for gap in gaps[-1:])


def test_at_most_twelve_rungs() -> None:
    """Twelve rungs are a ladder; thirteen are refused, with a way out."""
    assert len(Ladder(9.5, 4.0, 0.5).paces) == 12
    with pytest.raises(LadderError) as caught:
        Ladder(10.0, 4.0, 0.5)
    assert str(caught.value) == (
        "that ladder has 13 rungs; at most 12: take a larger --step or a shorter range"
    )
    # On the grid 12 rungs reach 3.4, and the end at 3 would be a thirteenth.
    with pytest.raises(LadderError, match="13 rungs"):
        Ladder(10.0, 3.0, 0.6)


# -- what it refuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "option"),
    [
        ({"start": 2.9}, "--from"),
        ({"start": 10.5}, "--from"),
        ({"start": math.nan}, "--from"),
        ({"start": math.inf}, "--from"),
        ({"end": 2.5}, "--to"),
        ({"end": math.nan}, "--to"),
        ({"start": 5.0, "end": 6.0}, "--to"),
        ({"step": 0.05}, "--step"),
        ({"step": 0.0}, "--step"),
        ({"step": -0.5}, "--step"),
        ({"step": math.nan}, "--step"),
        ({"rung_minutes": 0.0}, "--rung-minutes"),
        ({"rung_minutes": -1.0}, "--rung-minutes"),
        ({"rung_minutes": 10.5}, "--rung-minutes"),
        ({"rung_minutes": math.inf}, "--rung-minutes"),
        ({"step": 0.1, "rung_minutes": 2.0}, "--step"),  # 21 rungs
    ],
)
def test_a_ladder_out_of_bounds_is_one_line_naming_the_option(
    fields: dict[str, float], option: str
) -> None:
    """Each bound is refused with a LadderError (a ValueError) of one line that begins
    with, or says, the option to change."""
    with pytest.raises(LadderError) as caught:
        Ladder(**fields)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert "\n" not in message and message
    assert option in message


def test_the_limits_are_said_in_the_message() -> None:
    """The message says what is allowed and what was given."""
    with pytest.raises(LadderError) as caught:
        Ladder(start=11)
    assert str(caught.value) == "--from must be from 3 to 10 breaths a minute, got 11"
    with pytest.raises(LadderError) as caught:
        Ladder(start=5, end=6)
    assert str(caught.value) == (
        "--to (6) must be slower than --from (5): the ladder goes down"
    )  # fmt: skip


def test_the_bounds_themselves_are_allowed() -> None:
    """3 and 10 a minute, a step of 0.1 and rungs of 10 minutes are all in bounds."""
    assert Ladder(10.0, 9.0, 0.1, 10.0).paces[0] == 10.0
    assert Ladder(3.5, 3.0, 0.5, 0.05).paces == (3.5, 3.0)


@pytest.mark.parametrize(
    ("minutes", "rest_ms"),
    [(2.0, 15_000), (1.0, 7_500), (0.1, 5_000), (10.0, 15_000)],
)
def test_the_rest_between_rungs_is_an_eighth_of_a_rung_from_5_to_15_seconds(
    minutes: float, rest_ms: int
) -> None:
    """Two minutes rest 15 s, one minute 7.5 s; a tiny rung still rests 5 s, a long one 15."""
    assert Ladder(rung_minutes=minutes).rest_ms == rest_ms


# -- the script --------------------------------------------------------------------------


def test_each_rung_is_a_heading_a_breathing_step_the_questions_and_a_rest() -> None:
    """After the settling words: per rung a heading, the breathing, a prompt that asks
    (mapped to that rung), and normal breathing before the next rung but not after the
    last; then the closing words."""
    ladder = Ladder()
    script, questions = ladder_script(ladder)
    steps = list(script.steps)
    assert isinstance(steps[0], SayStep)
    assert isinstance(steps[-1], SayStep)
    middle = steps[1:-1]
    # 5 rungs of heading, breathing and questions, with 4 rests between: 19 steps.
    assert len(middle) == 5 * 3 + 4
    index = 1
    for rung, pace in enumerate(ladder.paces):
        heading, breathing, asking = steps[index : index + 3]
        assert isinstance(heading, SayStep)
        assert f"Rung {rung + 1} of 5" in heading.text
        assert f"{pace:g} breaths a minute" in heading.text
        assert isinstance(breathing, BreatheStep)
        assert isinstance(asking, PromptStep) and asking.asks is True
        assert questions[index + 2] == rung
        index += 3
        if rung < 4:
            rest = steps[index]
            assert isinstance(rest, SayStep) and rest.ms == 15_000
            assert "normally" in rest.text
            index += 1
    assert index == len(steps) - 1
    assert steps[-2] is asking, "no rest after the last rung"
    assert sorted(questions.values()) == [0, 1, 2, 3, 4]
    asking_at = [i for i, step in enumerate(steps) if isinstance(step, PromptStep) and step.asks]
    assert sorted(questions) == asking_at


def test_each_rung_breathes_its_pace_for_its_minutes() -> None:
    """Two minutes at 6.5 a minute is 13 breaths, then 12, 11, 10 and 9; each breath
    takes 60 / pace seconds, the breath in 40 % of it (9.231 s at 6.5: in 3.692 s)."""
    script, _ = ladder_script(Ladder())
    breathing = _breathing(script)
    assert [step.length.cycles for step in breathing if step.length] == [13, 12, 11, 10, 9]
    assert [step.text for step in breathing] == [
        "6.5 breaths a minute",
        "6 breaths a minute",
        "5.5 breaths a minute",
        "5 breaths a minute",
        "4.5 breaths a minute",
    ]
    assert [[spec.ms for spec in step.pattern] for step in breathing] == [
        [3692, 5539],
        [4000, 6000],
        [4364, 6545],
        [4800, 7200],
        [5333, 8000],
    ]
    for step in breathing:
        assert [spec.phase for spec in step.pattern] == [Phase.INHALE, Phase.EXHALE]
        assert not step.preferred


@settings(max_examples=examples(300))
@given(
    start=st.integers(300, 1000),
    gap=st.integers(0, 700),
    step=st.integers(10, 700),
    minutes=st.integers(5, 1000),
)
def test_any_ladders_rungs_breathe_at_their_paces(
    start: int, gap: int, step: int, minutes: int
) -> None:
    """On any ladder, each rung is minutes x pace breaths to the nearest whole breath (a
    half rounds up, never to even), at least one, each
    60 / pace seconds long (to the millisecond), its breath in 40 % of it."""
    try:
        ladder = Ladder(start / 100, max(start - gap, 300) / 100, step / 100, minutes / 100)
    except LadderError:
        reject()
    script, questions = ladder_script(ladder)
    breathing = _breathing(script)
    assert len(breathing) == len(ladder.paces) == len(questions)
    for step_, pace in zip(breathing, ladder.paces, strict=True):
        assert step_.length is not None
        breaths = ladder.rung_minutes * pace
        assert step_.length.cycles == max(1, math.floor(breaths + 0.5))
        assert step_.length.cycles == 1 or abs(step_.length.cycles - breaths) <= 0.5
        inhale, exhale = step_.pattern
        whole = inhale.ms + exhale.ms
        assert abs(whole - 60_000 / pace) <= 0.5
        assert abs(inhale.ms - 0.4 * whole) <= 0.5
    compile_timeline(script)  # the engine takes it as it takes any script


def test_a_rung_too_short_for_one_breath_still_has_one() -> None:
    """Six seconds at 4.5 a minute is less than half a breath: it breathes one."""
    script, _ = ladder_script(Ladder(rung_minutes=0.1))
    assert [step.length.cycles for step in _breathing(script) if step.length] == [1, 1, 1, 1, 1]


def test_the_caution_says_how_long_and_what_light_headedness_means() -> None:
    """The default ladder: 600 s breathing, ~50 s answering, 98 s of words and rests,
    about 12 minutes; with one-minute rungs 294 + 50 + 68 s, about 7 (docs/pace.md)."""
    caution = ladder_script(Ladder())[0].caution
    assert caution is not None
    assert "about 12 minutes" in caution
    assert "5 paces, from 6.5 down to 4.5 breaths a minute" in caution
    assert "light-headed" in caution and "breathe normally" in caution
    assert "stop at any time" in caution
    assert "not a measurement" in caution
    quick = ladder_script(Ladder(rung_minutes=1.0))[0].caution
    assert quick is not None and "about 7 minutes" in quick
    short = ladder_script(Ladder(6.0, 6.0, 0.5, rung_minutes=0.1))[0].caution
    assert short is not None and "about a minute" in short


def test_the_sources_cite_the_four_papers_of_the_issue() -> None:
    """Lehrer & Gevirtz 2014, Shaffer & Meehan 2020, Steffen et al. 2017 and Vaschillo
    et al. 2006, each with its journal's volume and page, and the honest caveat."""
    sources = ladder_script(Ladder())[0].sources
    cited = " ".join(sources)
    for author, year, where in [
        ("Lehrer", "2014", "Frontiers in Psychology 5:756"),
        ("Shaffer", "2020", "Frontiers in Neuroscience 14:570400"),
        ("Steffen", "2017", "Frontiers in Public Health 5:222"),
        ("Vaschillo", "2006", "Applied Psychophysiology and Biofeedback 31(2):129"),
    ]:
        (source,) = [text for text in sources if text.startswith(author)]
        assert year in source and where in source
    assert "comfort-based estimate" in cited and "not a measurement" in cited


def test_the_words_shown_never_call_the_pace_resonance() -> None:
    """The issue: calm never calls what it finds "resonance". Only the sources, which
    say it is not a measurement of it, name it."""
    script, _ = ladder_script(Ladder())
    shown = [script.title, script.summary, script.caution or ""]
    shown += [step.text for step in script.steps]
    assert not [text for text in shown if "resonan" in text.lower()]


def test_quick_rungs_round_a_half_breath_up_so_each_is_about_a_minute() -> None:
    """6.5 x 1 minute is 6.5 breaths: 7 (65 s), not 6 (55 s) as rounding to even gives."""
    script, _ = ladder_script(Ladder(rung_minutes=1.0))
    cycles = [step.length.cycles for step in _breathing(script) if step.length is not None]
    assert cycles == [7, 6, 6, 5, 5]
