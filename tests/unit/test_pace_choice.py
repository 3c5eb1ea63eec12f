"""``calm pace``'s choice rule as a pure function (``calm.practice.pace_choice``).

The rule, from docs/pace.md: a rung counts when its ease was 4 or 5 with no
light-headedness; of those, the calmest; of those, the pace nearest 6 a minute, the
slower of two as near; with none counting, 6 a minute and nothing found.

The rule sees of each rung only whether it counts and, if so, its calm (1 to 5): six
classes. Every combination of them on the five-rung ladder (6 ** 5 = 7776) is checked
against the properties that define the rule, and the tally of what each pace is chosen
for against a count worked out by hand; hypothesis then draws raw answers on any ladder
``Ladder`` accepts.
"""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from calm.practice.pace_choice import PaceChoice, RungAnswers, choose_pace
from calm.practice.pace_ladder import Ladder, LadderError
from tests.support.examples import examples

FIVE = (6.5, 6.0, 5.5, 5.0, 4.5)
"""The default ladder, fastest first."""

NOT_COUNTING = ((5, True), (3, False), (1, True), (4, True), (2, False))
"""(ease, light-headed) pairs that keep a rung from counting: too hard, light-headed, or
both. Each is given calm 5, the calmest, so a rule that forgot to leave them out would
choose them."""


def _exactly(pace: float) -> Decimal:
    """A pace as it was written (6.05, not the float nearest it), for exact distances."""
    return Decimal(repr(pace))


def _distance(pace: float) -> Decimal:
    """How far a pace is from 6 a minute, exactly as written."""
    return abs(_exactly(pace) - 6)


def _assert_the_rule_holds(answers: list[RungAnswers], choice: PaceChoice) -> None:
    """The properties that define the rule, for one ladder's answers (paces all differ)."""
    counted = [rung for rung in answers if rung.counts]
    if not counted:
        assert choice == PaceChoice(6.0, found=False)
        return
    assert choice.found is True
    (chosen,) = [rung for rung in answers if rung.pace == choice.pace]
    assert chosen.counts, "the pace kept must be one that counted"
    assert all(rung.calm <= chosen.calm for rung in counted), "no counting rung is calmer"
    for rung in counted:
        if rung is chosen or rung.calm != chosen.calm:
            continue
        assert _distance(rung.pace) >= _distance(chosen.pace), "none as calm is nearer 6"
        if _distance(rung.pace) == _distance(chosen.pace):
            assert chosen.pace < rung.pace, "between two as near, the slower"


def _rung(pace: float, klass: int, which: int) -> RungAnswers:
    """Class 0 is a rung that does not count (``which`` picks how it fails); classes 1 to
    5 count, with that calm, at ease 4 or 5 alike."""
    if klass == 0:
        ease, light_headed = NOT_COUNTING[which % len(NOT_COUNTING)]
        return RungAnswers(pace, ease, 5, light_headed)
    return RungAnswers(pace, 4 + which % 2, klass, False)


def _every_five_rung_ladder() -> list[list[RungAnswers]]:
    """Every combination of the six classes on the five paces: 7776 ladders."""
    return [
        [
            _rung(pace, klass, number + rung)
            for rung, (pace, klass) in enumerate(zip(FIVE, combo, strict=True))
        ]
        for number, combo in enumerate(itertools.product(range(6), repeat=len(FIVE)))
    ]


# -- every combination on the five-rung ladder -------------------------------------------


def test_every_combination_of_answers_on_five_rungs_follows_the_rule() -> None:
    """Each of the 7776 ladders' choices has every property of the rule, and the same
    answers in any order choose the same pace."""
    ladders = _every_five_rung_ladder()
    assert len(ladders) == 6**5 == 7776
    for answers in ladders:
        choice = choose_pace(answers)
        _assert_the_rule_holds(answers, choice)
        assert choose_pace(list(reversed(answers))) == choice


def test_how_often_each_pace_is_chosen_matches_the_count_worked_by_hand() -> None:
    """For a pace with calm c to be kept, each other rung must not count or be less calm
    (c choices of six, "not counting" among them), or may be as calm (c + 1) when the
    pace wins that tie: when it is nearer 6, or as near and slower. Summed over c = 1..5:

    - 6.0 wins every tie: sum (c+1)^4 = 16 + 81 + 256 + 625 + 1296 = 2274;
    - 5.5 loses only to 6.0 (c); beats 6.5 (as near, slower), 5.0 and 4.5 (c+1):
      sum c (c+1)^3 = 8 + 54 + 192 + 500 + 1080 = 1834;
    - 6.5 loses to 6.0 and 5.5 (c); beats 5.0 and 4.5 (c+1):
      sum c^2 (c+1)^2 = 4 + 36 + 144 + 400 + 900 = 1484;
    - 5.0 loses to 6.5, 6.0, 5.5; beats 4.5: sum c^3 (c+1) = 2 + 24 + 108 + 320 + 750 = 1204;
    - 4.5 loses every tie: sum c^4 = 1 + 16 + 81 + 256 + 625 = 979;
    - none counting, one ladder of the 7776: 6.0, not found.
    """
    tally = Counter(choose_pace(answers) for answers in _every_five_rung_ladder())
    assert tally == {
        PaceChoice(6.0, found=True): 2274,
        PaceChoice(5.5, found=True): 1834,
        PaceChoice(6.5, found=True): 1484,
        PaceChoice(5.0, found=True): 1204,
        PaceChoice(4.5, found=True): 979,
        PaceChoice(6.0, found=False): 1,
    }
    assert sum(tally.values()) == 7776


# -- raw answers on any ladder -----------------------------------------------------------


@st.composite
def _ladders(draw: st.DrawFn) -> tuple[float, ...]:
    """The paces of a ladder ``Ladder`` accepts, of 1 to 12 rungs, in hundredths as a user
    may type them."""
    step = draw(st.integers(10, 700))
    start = draw(st.integers(300, 1000))
    end = draw(st.integers(max(300, start - 11 * step), start))
    try:
        return Ladder(start / 100, end / 100, step / 100).paces
    except LadderError:
        reject()  # off the grid, the end made a thirteenth rung


_answers = st.tuples(st.integers(1, 5), st.integers(1, 5), st.booleans())
"""(ease, calm, light-headed) after one rung: every answer the questions take."""


@settings(max_examples=examples(1000))
@given(paces=_ladders(), data=st.data())
def test_raw_answers_on_any_ladder_follow_the_rule(
    paces: tuple[float, ...], data: st.DataObject
) -> None:
    """Whatever is answered on whatever ladder, the choice has every property of the
    rule, and does not depend on the order the rungs are given in."""
    assert 1 <= len(paces) <= 12
    raw = data.draw(st.lists(_answers, min_size=len(paces), max_size=len(paces)))
    answers = [
        RungAnswers(pace, ease, calm, light)
        for pace, (ease, calm, light) in zip(paces, raw, strict=True)
    ]
    choice = choose_pace(answers)
    _assert_the_rule_holds(answers, choice)
    shuffled = data.draw(st.permutations(answers))
    assert choose_pace(shuffled) == choice


@settings(max_examples=examples(1000))
@given(
    below=st.integers(300, 599),
    others=st.lists(
        st.tuples(st.integers(300, 1000), _answers), max_size=10, unique_by=lambda o: o[0]
    ),
    calm=st.integers(1, 5),
)
def test_two_paces_as_near_6_go_to_the_slower_one(
    below: int, others: list[tuple[int, tuple[int, int, bool]]], calm: int
) -> None:
    """Two equally calm paces as far below 6 as the other is above it (in hundredths, as
    written) keep the slower, whatever floating point makes of their distances, unless
    a calmer or nearer rung counts."""
    slower, faster = below / 100, (1200 - below) / 100
    assume(faster <= 10)
    rungs = [RungAnswers(faster, 5, calm, False), RungAnswers(slower, 4, calm, False)]
    rungs += [
        RungAnswers(hundredths / 100, ease, other_calm, light)
        for hundredths, (ease, other_calm, light) in others
        if hundredths not in (below, 1200 - below)
    ]
    choice = choose_pace(rungs)
    _assert_the_rule_holds(rungs, choice)
    assert choice.pace != faster


# -- worked examples ---------------------------------------------------------------------


def _ladder(*answers: tuple[int, int, bool]) -> list[RungAnswers]:
    """The five-rung ladder's answers, (ease, calm, light-headed) for 6.5 down to 4.5."""
    return [RungAnswers(pace, *rung) for pace, rung in zip(FIVE, answers, strict=True)]


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        pytest.param(
            _ladder((5, 3, False), (5, 3, False), (5, 3, False), (5, 3, False), (5, 3, False)),
            PaceChoice(6.0, found=True),
            id="all alike: 6, the usual middle",
        ),
        pytest.param(
            _ladder((5, 2, False), (5, 3, False), (4, 3, False), (4, 4, False), (4, 5, False)),
            PaceChoice(4.5, found=True),
            id="calmest at the slowest",
        ),
        pytest.param(
            _ladder((5, 2, False), (5, 3, False), (4, 3, False), (4, 4, False), (5, 5, True)),
            PaceChoice(5.0, found=True),
            id="the calmest was light-headed: the next calmest",
        ),
        pytest.param(
            _ladder((5, 2, False), (4, 3, False), (3, 5, False), (2, 5, False), (1, 5, False)),
            PaceChoice(6.0, found=True),
            id="calmer paces too hard (ease 3 or less) do not count",
        ),
        pytest.param(
            _ladder((5, 4, False), (4, 3, False), (4, 4, False), (5, 2, False), (5, 1, False)),
            PaceChoice(5.5, found=True),
            id="6.5 and 5.5 as calm and as near: the slower",
        ),
        pytest.param(
            _ladder((5, 1, False), (5, 1, False), (5, 1, False), (5, 4, False), (5, 4, False)),
            PaceChoice(5.0, found=True),
            id="5 and 4.5 as calm: the nearer 6, not the slowest",
        ),
        pytest.param(
            _ladder((4, 2, False), (5, 5, True), (3, 5, False), (4, 1, True), (4, 2, False)),
            PaceChoice(6.5, found=True),
            id="6.5 and 4.5 as calm: 6.5 is nearer",
        ),
        pytest.param(
            _ladder((3, 5, False), (5, 5, True), (2, 4, False), (4, 5, True), (1, 1, False)),
            PaceChoice(6.0, found=False),
            id="none counts: 6 kept, nothing found",
        ),
    ],
)
def test_worked_examples(answers: list[RungAnswers], kept: PaceChoice) -> None:
    """Ladders answered by hand, and the pace the README's rule keeps for each."""
    assert choose_pace(answers) == kept


def test_a_ladder_stopped_before_any_answer_finds_nothing() -> None:
    """No answers at all: 6 a minute, and no pace found."""
    assert choose_pace([]) == PaceChoice(6.0, found=False)


def test_one_rung_that_counts_is_kept_at_any_calm() -> None:
    """A single rung that counts is kept however calm it felt, even far from 6."""
    assert choose_pace([RungAnswers(3.0, 4, 1, False)]) == PaceChoice(3.0, found=True)


@pytest.mark.parametrize(
    ("ease", "light_headed", "counts"),
    [(5, False, True), (4, False, True), (3, False, False), (1, False, False),
     (5, True, False), (4, True, False)],
)  # fmt: skip
def test_a_rung_counts_at_ease_4_or_5_without_light_headedness(
    ease: int, light_headed: bool, counts: bool
) -> None:
    """Ease 4 is easy enough and 3 is not; any light-headedness rules a rung out."""
    assert RungAnswers(5.5, ease, 3, light_headed).counts is counts


def test_paces_as_near_6_in_writing_go_to_the_slower_beyond_float_rounding() -> None:
    """8.95 and 3.05 are both 2.95 from 6 as written, and 3.05 is the slower; in floating
    point 8.95 - 6 comes out a hair under 2.95, which must not make it nearer. The
    ladder ``calm pace --from 8.95 --to 3.05 --step 0.59`` has both rungs."""
    paces = Ladder(8.95, 3.05, 0.59).paces
    assert paces[0] == 8.95 and paces[-1] == 3.05
    answers = [RungAnswers(pace, 5, 3, False) for pace in paces]
    answers[0] = RungAnswers(8.95, 5, 5, False)
    answers[-1] = RungAnswers(3.05, 4, 5, False)
    assert choose_pace(answers) == PaceChoice(3.05, found=True)
