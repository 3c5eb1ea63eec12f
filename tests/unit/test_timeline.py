"""The timeline compiler and ``state_at``: exact integer-millisecond layout of a script."""

from __future__ import annotations

import itertools

import pytest

from calm.core.length_plan import LengthError, LengthOptions
from calm.core.script import (
    BreatheStep,
    Category,
    Length,
    Phase,
    PhaseSpec,
    PromptStep,
    SayStep,
    Script,
    StepKind,
)
from calm.core.timeline import Timeline, compile_timeline
from tests.support.scripts import SIMPLE, parse


def breathing(pattern: str, cycles: int, *, say_ms: int | None = None) -> Script:
    """A script of one breathe step with a shorthand pattern, optionally after a say step."""
    steps: list[SayStep | BreatheStep | PromptStep] = []
    if say_ms is not None:
        steps.append(SayStep(text="Settle", ms=say_ms))
    numbers = [round(float(part) * 1000) for part in pattern.split("-")]
    phases = {
        2: (Phase.INHALE, Phase.EXHALE),
        3: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE),
        4: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE, Phase.HOLD_OUT),
    }[len(numbers)]
    spec = tuple(PhaseSpec(phase=p, ms=ms) for p, ms in zip(phases, numbers, strict=True))
    steps.append(BreatheStep(text="Breathe", pattern=spec, length=Length(cycles=cycles)))
    return Script(name="t", title="T", summary="S", category=Category.BREATHING, steps=tuple(steps))


BOX = """
minutes = 4

[[steps]]
say = "Settle"
seconds = 8

[[steps]]
breathe = "Square"
pattern = [
    { phase = "inhale", seconds = 4 },
    { phase = "hold_in", seconds = 4 },
    { phase = "exhale", seconds = 4 },
    { phase = "hold_out", seconds = 4 },
]

[[steps]]
say = "Let go"
seconds = 8
"""
"""Like the bundled box script: four minutes, 16 s of say steps around 16-second breaths."""


def breaths_by_step(timeline: Timeline) -> dict[int, int]:
    """How many breaths each breathe step holds, counted from its segments."""
    counts: dict[int, int] = {}
    for segment in timeline.segments:
        if segment.ends_cycle:
            counts[segment.step] = counts.get(segment.step, 0) + 1
    return counts


# -- layout -------------------------------------------------------------------------


def test_segments_are_laid_end_to_end_from_zero() -> None:
    """Each segment starts exactly where the one before ends, from 0, with integer ms."""
    timeline = compile_timeline(parse(SIMPLE))
    segments = timeline.segments
    assert segments[0].start_ms == 0
    for before, after in itertools.pairwise(segments):
        assert isinstance(after.start_ms, int)
        assert after.start_ms == before.start_ms + before.ms
    assert [s.index for s in segments] == list(range(len(segments)))


def test_simple_script_layout_is_exact() -> None:
    """The say, breathe and say steps lie at the planned starts with the planned lengths."""
    timeline = compile_timeline(parse(SIMPLE))
    layout = [(s.start_ms, s.ms, s.step, s.kind, s.phase, s.cycle) for s in timeline.segments]
    breathe = StepKind.BREATHE
    assert layout == [
        (0, 5000, 0, StepKind.SAY, None, None),
        (5000, 4000, 1, breathe, Phase.INHALE, 0),
        (9000, 2000, 1, breathe, Phase.HOLD_IN, 0),
        (11000, 6000, 1, breathe, Phase.EXHALE, 0),
        (17000, 4000, 1, breathe, Phase.INHALE, 1),
        (21000, 2000, 1, breathe, Phase.HOLD_IN, 1),
        (23000, 6000, 1, breathe, Phase.EXHALE, 1),
        (29000, 4000, 1, breathe, Phase.INHALE, 2),
        (33000, 2000, 1, breathe, Phase.HOLD_IN, 2),
        (35000, 6000, 1, breathe, Phase.EXHALE, 2),
        (41000, 5000, 2, StepKind.SAY, None, None),
    ]
    assert timeline.total_ms == 46000
    assert timeline.total_seconds == 46.0
    assert timeline.cycles == 3


def test_step_spans_cover_their_segments() -> None:
    """Each step span names its first and one-past-last segment, start, length and breaths."""
    timeline = compile_timeline(parse(SIMPLE))
    spans = [(s.index, s.first, s.stop, s.start_ms, s.ms, s.cycles) for s in timeline.spans]
    assert spans == [(0, 0, 1, 0, 5000, 0), (1, 1, 10, 5000, 36000, 3), (2, 10, 11, 41000, 5000, 0)]
    assert timeline.spans[1].breaths_per_minute == pytest.approx(5.0)
    assert timeline.spans[0].breaths_per_minute is None


def test_only_the_last_phase_of_each_breath_ends_a_cycle() -> None:
    """ends_cycle is True exactly on each breath's last phase, never on say steps."""
    timeline = compile_timeline(parse(SIMPLE))
    ending = [s.index for s in timeline.segments if s.ends_cycle]
    assert ending == [3, 6, 9]


def test_say_and_prompt_text_and_phase_text_are_carried() -> None:
    """A say segment carries the say text; a phase segment carries its phase's words and cue."""
    script = parse(
        """
[[steps]]
say = "Settle"
seconds = 2
cue = "step"

[[steps]]
breathe = "Slowly"
cycles = 1
pattern = [
    { phase = "inhale", seconds = 3, text = "In", cue = "inhale" },
    { phase = "exhale", seconds = 3, text = "Out" },
]
"""
    )
    segments = compile_timeline(script).segments
    assert [(s.text, s.cue) for s in segments] == [
        ("Settle", "step"),
        ("In", "inhale"),
        ("Out", None),
    ]


# -- state_at -----------------------------------------------------------------------


def test_state_at_middle_of_a_phase() -> None:
    """Part-way through a phase, state_at gives its step, phase, progress and seconds left."""
    timeline = compile_timeline(parse(SIMPLE))
    state = timeline.state_at(12.5)  # exhale of the first breath: 11 s to 17 s
    assert state.step == 1
    assert state.kind is StepKind.BREATHE
    assert state.phase is Phase.EXHALE
    assert state.cycle == 0
    assert state.segment.index == 3
    assert state.progress == pytest.approx(0.25)
    assert state.remaining == pytest.approx(4.5)
    assert state.elapsed == pytest.approx(12.5)
    assert state.fraction == pytest.approx(12.5 / 46)
    assert state.finished is False


def test_state_at_start_is_the_first_segment() -> None:
    """At 0 s the state is the first step with no progress and its whole length to go."""
    state = compile_timeline(parse(SIMPLE)).state_at(0.0)
    assert (state.step, state.kind, state.phase) == (0, StepKind.SAY, None)
    assert state.progress == 0.0
    assert state.remaining == 5.0
    assert state.fraction == 0.0
    assert not state.finished


@pytest.mark.parametrize(
    ("seconds", "index", "phase"),
    [(5.0, 1, Phase.INHALE), (9.0, 2, Phase.HOLD_IN), (11.0, 3, Phase.EXHALE), (17.0, 4, None)],
)
def test_state_at_a_boundary_is_in_the_next_phase(
    seconds: float, index: int, phase: Phase | None
) -> None:
    """Exactly at a boundary, state_at is at the very start of the following segment."""
    timeline = compile_timeline(parse(SIMPLE))
    state = timeline.state_at(seconds)
    assert state.segment.index == index
    if phase is not None:
        assert state.phase is phase
    else:
        assert (state.phase, state.cycle) == (Phase.INHALE, 1)
    assert state.progress == 0.0
    assert state.remaining == timeline.segments[index].ms / 1000


def test_state_at_a_boundary_not_exact_in_binary_is_in_the_next_step() -> None:
    """At 1.001 s, the boundary after a 1.001-second say step, the state is in the next step."""
    script = breathing("4-4", 2, say_ms=1001)
    state = compile_timeline(script).state_at(1.001)
    assert (state.step, state.phase, state.progress) == (1, Phase.INHALE, 0.0)


def test_state_at_the_end_is_finished() -> None:
    """At or after the total length, the state is the last segment, complete and finished."""
    timeline = compile_timeline(parse(SIMPLE))
    for seconds in (46.0, 100.0):
        state = timeline.state_at(seconds)
        assert state.finished is True
        assert state.segment.index == len(timeline.segments) - 1
        assert state.progress == 1.0
        assert state.remaining == 0.0
        assert state.fraction == 1.0
        assert state.elapsed == 46.0


def test_state_just_before_the_end_is_not_finished() -> None:
    """A moment before the end the session is not yet finished."""
    state = compile_timeline(parse(SIMPLE)).state_at(45.999)
    assert state.finished is False
    assert state.remaining == pytest.approx(0.001)


# -- length overrides -----------------------------------------------------------------


@pytest.mark.parametrize("cycles", [1, 2, 7, 30])
def test_cycles_override_gives_exactly_that_many_breaths(cycles: int) -> None:
    """--cycles N on a one-breathe-step script gives exactly N breaths."""
    timeline = compile_timeline(parse(BOX), LengthOptions(cycles=cycles))
    assert timeline.cycles == cycles
    assert breaths_by_step(timeline) == {1: cycles}
    assert timeline.total_ms == 16000 + cycles * 16000


def test_cycles_override_beats_a_steps_own_minutes() -> None:
    """--cycles replaces a breathe step's own length."""
    script = parse('[[steps]]\nbreathe = "4-4"\nminutes = 2\n')
    assert compile_timeline(script).cycles == 15
    assert compile_timeline(script, LengthOptions(cycles=3)).cycles == 3


def test_cycles_are_shared_evenly_across_steps_without_own_lengths() -> None:
    """A script-wide cycle count is shared among breathe steps; each gets at least one."""
    script = parse(
        'cycles = 9\n[[steps]]\nbreathe = "4-4"\n[[steps]]\nsay = "Now"\nseconds = 2\n'
        '[[steps]]\nbreathe = "3-3"\n[[steps]]\nbreathe = "5-5"\n'
    )
    assert breaths_by_step(compile_timeline(script)) == {0: 3, 2: 3, 3: 3}
    timeline = compile_timeline(script, LengthOptions(cycles=10))
    assert timeline.cycles == 10
    assert sorted(breaths_by_step(timeline).values()) == [3, 3, 4]
    tiny = compile_timeline(script, LengthOptions(cycles=1))
    assert breaths_by_step(tiny) == {0: 1, 2: 1, 3: 1}


def test_cycles_are_shared_in_proportion_to_own_lengths() -> None:
    """--cycles shares breaths among steps in proportion to their own cycle counts."""
    script = parse(
        '[[steps]]\nbreathe = "4-4"\ncycles = 2\n[[steps]]\nbreathe = "4-4"\ncycles = 6\n'
    )
    timeline = compile_timeline(script, LengthOptions(cycles=16))
    assert breaths_by_step(timeline) == {0: 4, 1: 12}


def test_cycles_shared_among_uneven_steps_add_up_to_exactly_n() -> None:
    """--cycles N with N >= the number of breathe steps gives N breaths in all, each >= 1."""
    script = parse(
        '[[steps]]\nbreathe = "4-4"\ncycles = 10\n[[steps]]\nbreathe = "4-4"\ncycles = 1\n'
        '[[steps]]\nbreathe = "4-4"\ncycles = 1\n'
    )
    totals = {}
    for cycles in range(3, 15):
        timeline = compile_timeline(script, LengthOptions(cycles=cycles))
        assert min(breaths_by_step(timeline).values()) >= 1
        totals[cycles] = timeline.cycles
    assert totals == {cycles: cycles for cycles in range(3, 15)}


def fixed_total_ms(script: Script, cycles: int) -> int:
    """The session length of ``script`` when it is given exactly ``cycles`` breaths."""
    return compile_timeline(script, LengthOptions(cycles=cycles)).total_ms


@pytest.mark.parametrize("minutes", [0.5, 1, 1.3, 2.7, 4, 7.25, 31])
def test_minutes_fit_the_whole_session_to_the_nearest_whole_breath(minutes: float) -> None:
    """--minutes picks the breath count whose whole-session length is nearest the target."""
    script = parse(BOX)
    timeline = compile_timeline(script, LengthOptions(minutes=minutes))
    target = round(minutes * 60_000)
    cycles = timeline.cycles
    assert cycles >= 1
    assert timeline.total_ms == fixed_total_ms(script, cycles)
    miss = abs(timeline.total_ms - target)
    assert miss < abs(fixed_total_ms(script, cycles + 1) - target)
    if cycles > 1:
        assert miss < abs(fixed_total_ms(script, cycles - 1) - target)
    assert timeline.segments[-2].ends_cycle  # the breathing ends on a whole breath


def test_minutes_count_the_say_steps() -> None:
    """Four minutes of box breathing with 16 s of say steps is 14 breaths, exactly 240 s."""
    timeline = compile_timeline(parse(BOX), LengthOptions(minutes=4))
    assert timeline.cycles == 14
    assert timeline.total_ms == 240_000


def test_minutes_shorter_than_the_fixed_steps_are_refused() -> None:
    """When the say steps alone outlast --minutes, the override is refused, not ignored."""
    with pytest.raises(LengthError, match="too short"):
        compile_timeline(parse(BOX), LengthOptions(minutes=0.1))


def test_minutes_just_long_enough_for_one_breath_give_one_breath() -> None:
    """--minutes that leave room for a single breath after the say steps give one breath."""
    fixed = compile_timeline(parse(BOX), LengthOptions(cycles=1))
    timeline = compile_timeline(parse(BOX), LengthOptions(minutes=fixed.total_seconds / 60))
    assert timeline.cycles == 1


def test_minutes_with_a_growing_phase_pick_the_nearest_breath_count() -> None:
    """With a progression, --minutes still lands on the whole-breath count nearest the target."""
    script = parse(
        """
[[steps]]
breathe = "Lengthen"
cycles = 3
pattern = [
    { phase = "inhale", seconds = 4 },
    { phase = "exhale", seconds = 4, per_cycle = 1, limit = 9 },
]
"""
    )
    timeline = compile_timeline(script, LengthOptions(minutes=1.5))
    target = 90_000
    best = min(range(1, 30), key=lambda n: abs(fixed_total_ms(script, n) - target))
    # 8+9+10+11+12+13+13 = 76 s, +13 = 89 s, +13 = 102 s: eight breaths is nearest 90 s.
    assert best == 8
    assert timeline.cycles == 8
    assert timeline.total_ms == 89_000


def test_minutes_are_shared_in_proportion_across_breathe_steps() -> None:
    """--minutes shares the breathing time among breathe steps by their own lengths."""
    script = parse(
        '[[steps]]\nbreathe = "5-5"\nminutes = 1\n[[steps]]\nsay = "Now"\nseconds = 10\n'
        '[[steps]]\nbreathe = "5-5"\nminutes = 2\n'
    )
    # 4 minutes less 10 s of saying: 230 s, shared 1:2, 76.7 s and 153.3 s of 10 s breaths.
    timeline = compile_timeline(script, LengthOptions(minutes=4))
    assert breaths_by_step(timeline) == {0: 8, 2: 15}
    assert timeline.total_ms == 240_000


def test_script_minutes_is_the_default_length() -> None:
    """A script-level minutes acts like --minutes when no override is given."""
    script = parse(BOX)
    assert compile_timeline(script).cycles == 14
    assert compile_timeline(script).total_ms == 240_000
    assert compile_timeline(script, LengthOptions(minutes=2)).total_ms == 128_000
    assert compile_timeline(script, LengthOptions(cycles=3)).cycles == 3


def test_script_cycles_is_the_default_length() -> None:
    """A script-level cycles acts like --cycles when no override is given."""
    script = parse('cycles = 4\n[[steps]]\nbreathe = "4-7-8"\n')
    timeline = compile_timeline(script)
    assert timeline.cycles == 4
    assert timeline.total_ms == 4 * 19_000
    assert compile_timeline(script, LengthOptions(cycles=6)).cycles == 6


def test_script_cycles_are_left_to_the_steps_without_their_own() -> None:
    """With a script-level cycles, a step's own cycles stand and the rest share what is left."""
    script = parse(
        'cycles = 10\n[[steps]]\nbreathe = "4-4"\ncycles = 4\n[[steps]]\nbreathe = "3-3"\n'
        '[[steps]]\nbreathe = "5-5"\n'
    )
    timeline = compile_timeline(script)
    assert breaths_by_step(timeline) == {0: 4, 1: 3, 2: 3}
    assert timeline.cycles == 10


def test_script_minutes_are_left_to_the_steps_without_their_own() -> None:
    """With a script-level minutes, a step's own length stands and the rest fill the time left."""
    script = parse(
        'minutes = 2\n[[steps]]\nsay = "Settle"\nseconds = 10\n'
        '[[steps]]\nbreathe = "4-4"\ncycles = 5\n[[steps]]\nbreathe = "5-5"\n'
    )
    # 120 s less 10 s of saying and 40 s of the first step leaves 70 s: seven 10 s breaths.
    timeline = compile_timeline(script)
    assert breaths_by_step(timeline) == {1: 5, 2: 7}
    assert timeline.total_ms == 120_000


def test_a_breathe_step_with_no_length_anywhere_is_a_length_error() -> None:
    """A breathe step without a length, in a script without one, raises LengthError."""
    step = BreatheStep(
        text="Breathe", pattern=(PhaseSpec(Phase.INHALE, 4000), PhaseSpec(Phase.EXHALE, 4000))
    )
    script = Script(name="t", title="T", summary="S", category=Category.BREATHING, steps=(step,))
    with pytest.raises(LengthError):
        compile_timeline(script)


@pytest.mark.parametrize(
    "options",
    [
        LengthOptions(),
        LengthOptions(cycles=5),
        LengthOptions(minutes=3.3),
        LengthOptions(gentle=True),
    ],
)
def test_every_breathe_step_ends_on_a_whole_breath(options: LengthOptions) -> None:
    """The last segment of every breathe step ends a cycle, whatever the length options."""
    script = parse(
        'minutes = 3\n[[steps]]\nbreathe = "4-7-8"\n[[steps]]\nsay = "Now"\nseconds = 7\n'
        '[[steps]]\nbreathe = "4-4-4-4"\n'
    )
    timeline = compile_timeline(script, options)
    for span in timeline.spans:
        if span.cycles:
            last = timeline.segments[span.stop - 1]
            assert last.ends_cycle
            assert last.cycle == span.cycles - 1
            assert isinstance(span.step, BreatheStep)
            assert last.phase is span.step.pattern[-1].phase
    assert timeline.segments[-1].ends_cycle


def test_gentle_removes_holds_and_keeps_inhale_and_exhale() -> None:
    """--gentle drops hold_in and hold_out; inhale and exhale keep their written lengths."""
    script = parse('cycles = 2\n[[steps]]\nbreathe = "4-7-8"\n')
    timeline = compile_timeline(script, LengthOptions(gentle=True))
    layout = [(s.phase, s.ms, s.start_ms) for s in timeline.segments]
    assert layout == [
        (Phase.INHALE, 4000, 0),
        (Phase.EXHALE, 8000, 4000),
        (Phase.INHALE, 4000, 12000),
        (Phase.EXHALE, 8000, 16000),
    ]
    assert timeline.total_ms == 24_000


def test_gentle_with_minutes_fits_more_shorter_breaths() -> None:
    """--gentle with --minutes fills the time with the shorter, hold-free breaths."""
    timeline = compile_timeline(parse(BOX), LengthOptions(minutes=4, gentle=True))
    assert {s.phase for s in timeline.segments} == {None, Phase.INHALE, Phase.EXHALE}
    assert timeline.cycles == 28
    assert timeline.total_ms == 240_000


def test_gentle_leaves_a_script_without_holds_unchanged() -> None:
    """--gentle changes nothing for a pattern that has no holds."""
    script = parse('cycles = 3\n[[steps]]\nbreathe = "5.5-5.5"\n')
    plain = compile_timeline(script).segments
    gentle = compile_timeline(script, LengthOptions(gentle=True)).segments
    assert [(s.start_ms, s.ms, s.phase) for s in gentle] == [
        (s.start_ms, s.ms, s.phase) for s in plain
    ]


def test_cycles_on_a_script_without_breathing_is_a_length_error() -> None:
    """--cycles (or --minutes) on a script with no breathe steps raises LengthError."""
    script = parse('[[steps]]\nsay = "Only words"\nseconds = 10\n')
    with pytest.raises(LengthError, match="no breathing"):
        compile_timeline(script, LengthOptions(cycles=3))
    with pytest.raises(LengthError, match="no breathing"):
        compile_timeline(script, LengthOptions(minutes=3))
    assert compile_timeline(script).total_ms == 10_000


def test_minutes_and_cycles_together_is_a_length_error() -> None:
    """Asking for both --minutes and --cycles raises LengthError."""
    with pytest.raises(LengthError, match="not both"):
        compile_timeline(parse(BOX), LengthOptions(minutes=2, cycles=3))


@pytest.mark.parametrize(
    "options", [LengthOptions(cycles=0), LengthOptions(cycles=10_001), LengthOptions(minutes=0)]
)
def test_out_of_range_overrides_are_length_errors(options: LengthOptions) -> None:
    """--cycles below 1 or above the maximum, or --minutes of 0, raise LengthError."""
    with pytest.raises(LengthError):
        compile_timeline(parse(BOX), options)


# -- progressions ---------------------------------------------------------------------


def test_growing_phase_adds_per_cycle_until_its_limit() -> None:
    """An exhale with per_cycle 0.5 and limit 8 grows by 500 ms a breath and stops at 8000."""
    script = parse(
        """
[[steps]]
breathe = "Lengthen"
cycles = 12
pattern = [
    { phase = "inhale", seconds = 4 },
    { phase = "exhale", seconds = 4, per_cycle = 0.5, limit = 8 },
]
"""
    )
    timeline = compile_timeline(script)
    exhales = [s.ms for s in timeline.segments if s.phase is Phase.EXHALE]
    assert exhales == [4000, 4500, 5000, 5500, 6000, 6500, 7000, 7500, 8000, 8000, 8000, 8000]
    inhales = [s.ms for s in timeline.segments if s.phase is Phase.INHALE]
    assert inhales == [4000] * 12
    assert timeline.total_ms == 12 * 4000 + sum(exhales)


def test_growing_phase_is_clamped_to_a_limit_off_its_grid() -> None:
    """A phase growing 1.5 s a breath towards a 8 s limit stops at exactly 8000 ms."""
    script = parse(
        """
[[steps]]
breathe = "Lengthen"
cycles = 5
pattern = [
    { phase = "inhale", seconds = 4, per_cycle = 1.5, limit = 8 },
    { phase = "exhale", seconds = 4 },
]
"""
    )
    inhales = [s.ms for s in compile_timeline(script).segments if s.phase is Phase.INHALE]
    assert inhales == [4000, 5500, 7000, 8000, 8000]


def test_shrinking_phase_stops_at_its_limit() -> None:
    """A hold shrinking by 1 s a breath from 8 s stops at its 5 s limit."""
    script = parse(
        """
[[steps]]
breathe = "Ease off"
cycles = 6
pattern = [
    { phase = "inhale", seconds = 4 },
    { phase = "hold_in", seconds = 8, per_cycle = -1, limit = 5 },
    { phase = "exhale", seconds = 6 },
]
"""
    )
    holds = [s.ms for s in compile_timeline(script).segments if s.phase is Phase.HOLD_IN]
    assert holds == [8000, 7000, 6000, 5000, 5000, 5000]


# -- prompts --------------------------------------------------------------------------


PROMPTS = """
[[steps]]
say = "Settle"
seconds = 3

[[steps]]
prompt = "Press a key when ready"

[[steps]]
breathe = "4-4"
cycles = 2

[[steps]]
prompt = "Stay as long as you like"
timeout = 10

[[steps]]
prompt = "Finished?"
"""


def test_untimed_prompts_take_no_time() -> None:
    """An untimed prompt has ms None and the next segment starts where it does."""
    timeline = compile_timeline(parse(PROMPTS))
    layout = [(s.start_ms, s.ms, s.kind, s.untimed) for s in timeline.segments]
    assert layout == [
        (0, 3000, StepKind.SAY, False),
        (3000, None, StepKind.PROMPT, True),
        (3000, 4000, StepKind.BREATHE, False),
        (7000, 4000, StepKind.BREATHE, False),
        (11000, 4000, StepKind.BREATHE, False),
        (15000, 4000, StepKind.BREATHE, False),
        (19000, 10000, StepKind.PROMPT, False),
        (29000, None, StepKind.PROMPT, True),
    ]
    assert timeline.segments[1].end_ms == 3000
    assert timeline.total_ms == 29000
    assert timeline.has_untimed_prompts
    assert timeline.spans[1].ms == 0


def test_state_at_skips_over_an_untimed_prompt() -> None:
    """At the moment an untimed prompt starts, the timeline state is already past it."""
    timeline = compile_timeline(parse(PROMPTS))
    state = timeline.state_at(3.0)
    assert (state.step, state.phase, state.progress) == (2, Phase.INHALE, 0.0)


def test_state_at_a_timed_prompt_counts_down_its_timeout() -> None:
    """Inside a timed prompt, progress and remaining follow its timeout."""
    state = compile_timeline(parse(PROMPTS)).state_at(21.5)
    assert (state.step, state.kind) == (3, StepKind.PROMPT)
    assert state.progress == pytest.approx(0.25)
    assert state.remaining == pytest.approx(7.5)


def test_state_at_the_end_with_a_final_untimed_prompt_is_finished() -> None:
    """At the end, a closing untimed prompt is the state, finished and complete."""
    timeline = compile_timeline(parse(PROMPTS))
    state = timeline.state_at(29.0)
    assert state.segment.index == 7
    assert state.finished
    assert (state.progress, state.remaining, state.fraction) == (1.0, 0.0, 1.0)


def test_timeline_without_untimed_prompts_says_so() -> None:
    """has_untimed_prompts is False when every prompt has a timeout."""
    script = parse(
        '[[steps]]\nprompt = "Ready?"\ntimeout = 5\n[[steps]]\nbreathe = "4-4"\ncycles = 1\n'
    )
    timeline = compile_timeline(script)
    assert not timeline.has_untimed_prompts
    assert timeline.segments[0].ms == 5000
    assert timeline.total_ms == 13_000


# -- no drift -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "cycle_ms"),
    [("4-4-4-4", 16_000), ("5.5-5.5", 11_000), ("4.1-2.3-6.7", 13_100)],
)
def test_ten_thousand_cycles_end_exactly(pattern: str, cycle_ms: int) -> None:
    """After 10,000 breaths the last boundary is exactly 10,000 x the breath, in integer ms."""
    script = breathing(pattern, 10_000)
    timeline = compile_timeline(script)
    phases = len(script.breathe_steps[0].pattern)
    assert len(timeline.segments) == 10_000 * phases
    assert timeline.total_ms == 10_000 * cycle_ms
    assert timeline.segments[-1].end_ms == 10_000 * cycle_ms
    for segment in timeline.segments[::phases]:
        assert segment.start_ms == segment.cycle * cycle_ms
        assert segment.phase is Phase.INHALE
    last_cycle = timeline.segments[-phases]
    assert last_cycle.start_ms == 9_999 * cycle_ms

    # The start of the last breath, and the start of its last phase, in seconds.
    state = timeline.state_at(last_cycle.start_ms / 1000)
    assert (state.phase, state.cycle, state.progress) == (Phase.INHALE, 9_999, 0.0)
    final = timeline.segments[-1]
    state = timeline.state_at(final.start_ms / 1000)
    assert (state.segment.index, state.progress) == (final.index, 0.0)
    assert state.phase is final.phase

    end = timeline.state_at(10_000 * cycle_ms / 1000)
    assert end.finished
    assert (end.segment.index, end.cycle, end.progress) == (final.index, 9_999, 1.0)
    assert end.elapsed == 10_000 * cycle_ms / 1000


@pytest.mark.parametrize(("pattern", "cycle_ms"), [("4-4-4-4", 16_000), ("5.5-5.5", 11_000)])
def test_state_at_every_boundary_of_a_long_session_is_the_phase_starting_there(
    pattern: str, cycle_ms: int
) -> None:
    """For 10,000 breaths, state_at each boundary in seconds is the segment that starts there."""
    timeline = compile_timeline(breathing(pattern, 10_000))
    for segment in timeline.segments:
        state = timeline.state_at(segment.start_ms / 1000)
        assert state.segment is segment
        assert state.progress == 0.0


def test_state_at_every_boundary_of_a_tenth_second_pattern_is_the_phase_starting_there() -> None:
    """For 10,000 breaths of 4.1-2.3-6.7, state_at each boundary is the segment starting there."""
    timeline = compile_timeline(breathing("4.1-2.3-6.7", 10_000))
    wrong = [
        segment.start_ms
        for segment in timeline.segments
        if timeline.state_at(segment.start_ms / 1000).segment is not segment
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "options",
    [
        LengthOptions(),
        LengthOptions(minutes=3),
        LengthOptions(cycles=7),
        LengthOptions(gentle=True),
    ],
)
def test_planned_length_matches_the_laid_out_timeline(options: LengthOptions) -> None:
    """planned_ms, worked out without segments, equals the compiled timeline's length."""
    from calm.core.timeline import planned_ms

    script = parse(BOX)
    assert planned_ms(script, options) == compile_timeline(script, options).total_ms
