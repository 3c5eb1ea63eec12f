"""The move step: a stretch held, or a strengthening move repeated, on each side, in sets.

It is read with one line per problem like every step, laid out on the timeline by the
same engine as breathing (and so never drifts), shown by every front end through its
``StepWords``, and the built-in routines keep to the ACSM's guideline."""

from __future__ import annotations

import random

import pytest

from calm.core.clock import ManualClock
from calm.core.library import Library
from calm.core.problems import ScriptError
from calm.core.script import Category, MoveStep
from calm.core.session import EventKind, SessionRunner, Status
from calm.core.timeline import compile_timeline
from calm.present.preview import timeline_json
from calm.present.steps import words_for
from calm.sound.voice_lines import spoken_lines
from tests.support.tui import make_script

HOLDS = """
[[steps]]
move = "Calf stretch"
how = "Lean into the wall."
hold = 30
sides = ["left", "right"]
sets = 2
rest = 10
"""
REPS = """
[[steps]]
move = "Wall push-up"
reps = 3
tempo = "2-1.5"
sets = 2
rest = 30
"""


def test_a_held_stretch_lays_out_each_side_of_each_set_with_rests_between() -> None:
    timeline = compile_timeline(make_script(HOLDS))
    parts = [
        (segment.move.part, segment.move.side, segment.move.set_index, segment.ms)
        for segment in timeline.segments
        if segment.move is not None
    ]
    assert parts == [
        ("hold", "left", 0, 30_000),
        ("rest", "right", 0, 10_000),
        ("hold", "right", 0, 30_000),
        ("rest", "left", 1, 10_000),
        ("hold", "left", 1, 30_000),
        ("rest", "right", 1, 10_000),
        ("hold", "right", 1, 30_000),
    ]
    assert timeline.total_ms == 4 * 30_000 + 3 * 10_000
    # The step's bell begins it; each later side or set rings it again; a rest ticks.
    assert [segment.cue for segment in timeline.segments] == [
        None,
        "hold",
        "step",
        "hold",
        "step",
        "hold",
        "step",
    ]


def test_repetitions_go_up_and_down_at_their_tempo() -> None:
    timeline = compile_timeline(make_script(REPS))
    segments = [segment for segment in timeline.segments if segment.move is not None]
    assert [(s.move.part, s.move.rep, s.ms) for s in segments[:6]] == [
        ("up", 0, 2000), ("down", 0, 1500), ("up", 1, 2000),
        ("down", 1, 1500), ("up", 2, 2000), ("down", 2, 1500),
    ]  # fmt: skip
    assert segments[6].move.part == "rest" and segments[6].ms == 30_000
    assert timeline.total_ms == 2 * 3 * 3500 + 30_000
    assert [s.cue for s in segments[:2]] == [None, "exhale"]
    assert [s.cue for s in segments[7:9]] == ["step", "exhale"]


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ('move = "x"', "either hold (seconds) or reps"),
        ('move = "x"\nhold = 10\nreps = 5', "either hold (seconds) or reps"),
        ('move = "x"\nhold = 900', "hold must be at most 300"),
        ('move = "x"\nreps = 0', "reps must be a whole number from 1 to 50"),
        ('move = "x"\nreps = 5\ntempo = "fast"', "tempo must be two times"),
        ('move = "x"\nreps = 5\ntempo = "nan-2"', "tempo must be two times"),
        ('move = "x"\nhold = 10\ntempo = "2-2"', "tempo goes with reps"),
        ('move = "x"\nhold = 10\nsets = 11', "sets must be a whole number from 1 to 10"),
        ('move = "x"\nhold = 10\nsides = "left"', "sides must be a list"),
        ('move = "x"\nhold = 10\nsides = ["l\\u001b[2J"]', "sides item 1 holds a control"),
        ('move = "x"\nhold = 10\nrest = -1', "rest must be > 0"),
        ('move = "x"\nhold = 10\nrepz = 3', 'unknown key "repz", did you mean "reps"'),
        ('move = "x"\nhold = 10\nbreathe = "4-4"', "a step is one of say, breathe, prompt or move"),
    ],
)
def test_a_move_step_written_wrongly_is_one_line(step: str, problem: str) -> None:
    with pytest.raises(ScriptError) as raised:
        make_script(f"[[steps]]\n{step}\n")
    lines = raised.value.lines()
    assert any(problem in line for line in lines), lines
    assert all("step 1" in line and "\x1b" not in line for line in lines)


def test_a_long_routine_polled_late_never_drifts() -> None:
    """A routine of 50 sets of repetitions, polled late by random amounts: every moment
    keeps its exact planned time, as breathing's do."""
    script = make_script(
        REPS.replace("sets = 2", "sets = 10") + HOLDS.replace("sets = 2", "sets = 10")
    )
    timeline = compile_timeline(script)
    clock = ManualClock(500.25)
    runner = SessionRunner(timeline, clock=clock)
    rng = random.Random(31)
    events = runner.start()
    while runner.running:
        wait = runner.seconds_to_next_boundary()
        assert wait is not None
        clock.advance(
            wait + rng.uniform(0.0005, 0.3) + (rng.uniform(0, 40) if rng.random() < 0.05 else 0)
        )
        events += runner.poll()
    moments = [event for event in events if event.kind is EventKind.PHASE]
    assert [event.segment for event in moments] == timeline.segments
    assert [event.scheduled for event in moments] == [s.start_ms / 1000 for s in timeline.segments]
    assert events[-1].status is Status.COMPLETED
    assert events[-1].scheduled == timeline.total_ms / 1000


def test_every_front_end_shows_the_side_the_set_and_the_repetition() -> None:
    holds = compile_timeline(make_script(HOLDS))
    words = words_for(holds.segments[0].kind)
    step = holds.spans[0].step
    assert words.words_and_hint(holds.segments[0], step) == (
        "Calf stretch · left",
        "set 1 of 2 · Lean into the wall.",
    )
    assert words.words_and_hint(holds.segments[1], step) == ("Rest", "Next: right · set 1 of 2")
    assert words.plain_moment(holds.segments[0]) == "  left · set 1 of 2 · hold 30 s"
    reps = compile_timeline(make_script(REPS))
    assert words.words_and_hint(reps.segments[2], reps.spans[0].step)[0] == "2 of 3 · up"
    moments = [segment["move"] for segment in timeline_json(_entry(), reps)["timeline"]]
    assert moments[0] == {"part": "up", "side": None, "set": 1, "sets": 2, "rep": 1, "reps": 3}
    spoken = spoken_lines(holds)
    assert spoken[0] == "Calf stretch. Lean into the wall. left side."
    assert spoken[1] == "Rest." and spoken[2] == "right side."


def _entry():  # type: ignore[no-untyped-def]
    from pathlib import Path

    from calm.core.library import Entry, Origin

    return Entry(name="t", path=Path("t.toml"), origin=Origin.PATH)


ROUTINES = [
    entry.load()
    for entry in Library.discover(user_dirs=[]).entries()
    if not entry.error and entry.load().category is Category.MOVE
]


def test_there_are_eight_routines_at_least() -> None:
    names = {script.name for script in ROUTINES}
    assert len(names) >= 8
    assert {"calf-stretch", "wrists-and-forearms", "glute-bridge", "wall-push-ups"} <= names


@pytest.mark.parametrize("script", ROUTINES, ids=lambda script: script.name)
def test_each_routine_keeps_to_the_acsm_guideline_and_says_so(script: object) -> None:
    """Stretches held 10 to 30 s, two to four times; strengthening in one to three sets of
    8 to 15 slow repetitions with a rest between; the guideline among the sources, and
    a caution to ease in, never bounce and stop short of pain."""
    from calm.core.script import Script

    assert isinstance(script, Script)
    moves = [step for step in script.steps if isinstance(step, MoveStep)]
    assert moves
    for move in moves:
        if move.hold_ms is not None:
            assert 10_000 <= move.hold_ms <= 30_000, move.text
            assert 2 <= move.sets <= 4, move.text
        else:
            assert move.reps is not None and move.tempo is not None
            assert 5 <= move.reps <= 15 and move.sets <= 3, move.text
            assert min(move.tempo) >= 1000, move.text  # slow and controlled
        if move.sets > 1 or len(move.sides) > 1:
            assert move.rest_ms >= 5000, move.text
    assert any(
        "Garber" in source or "American College of Sports Medicine" in source
        for source in script.sources
    )
    caution = (script.caution or "").lower()
    assert "never bounce" in caution and "pain" in caution and "therapist" in caution
    assert "not a treatment" in caution


def test_a_routine_with_no_breathing_still_readies_the_cues_it_rings() -> None:
    """The repetitions' tones and the rests' tick are made ready for a script that has no
    breathing step at all, so the live session plays them (it plays only clips made)."""
    from calm.sound.cues import cue_names

    timeline = compile_timeline(make_script(REPS))
    assert cue_names(timeline) == {"step", "end", "inhale", "exhale", "hold"}
