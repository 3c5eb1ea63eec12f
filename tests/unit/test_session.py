"""The session runner on a hand-set clock: events, pausing, skipping, prompts and no drift."""

from __future__ import annotations

import random

import pytest

from calm.core.clock import ManualClock
from calm.core.length_plan import LengthOptions
from calm.core.script import (
    BreatheStep,
    Category,
    Length,
    Phase,
    PhaseSpec,
    SayStep,
    Script,
)
from calm.core.session import EventKind, SessionEvent, SessionRunner, Status
from calm.core.timeline import Timeline, compile_timeline
from tests.support.scripts import SIMPLE, parse

START = 100.0
"""Where the hand-set clock starts, so that clock readings and session times differ."""

BREATHE_ONLY = '[[steps]]\nbreathe = "4-2-6"\ncycles = 3\n'
"""Boundaries at 4, 6, 12, 16, 18, 24, 28, 30 and the end at 36 s."""

UNTIMED_PROMPT = """
[[steps]]
say = "Settle"
seconds = 2

[[steps]]
prompt = "Press Enter when you are ready"

[[steps]]
say = "Off we go"
seconds = 3
"""

TIMED_PROMPT = """
[[steps]]
say = "Settle"
seconds = 2

[[steps]]
prompt = "Take your time"
timeout = 10

[[steps]]
say = "Off we go"
seconds = 3
"""


def make_runner(
    body: str, start: float = START, options: LengthOptions | None = None
) -> tuple[SessionRunner, ManualClock]:
    """A ready runner for the script ``body`` on a hand-set clock at ``start``."""
    clock = ManualClock(start)
    return SessionRunner(compile_timeline(parse(body), options), clock=clock), clock


def started(body: str, start: float = START) -> tuple[SessionRunner, ManualClock]:
    """A runner for ``body`` that has been started at ``start``."""
    runner, clock = make_runner(body, start)
    runner.start()
    return runner, clock


def at(runner: SessionRunner, clock: ManualClock, seconds: float) -> list[SessionEvent]:
    """Set the clock ``seconds`` after the session's start (as if never paused) and poll."""
    clock.set(START + seconds)
    return runner.poll()


def summary(events: list[SessionEvent]) -> list[tuple[EventKind, float | None, int | None]]:
    """Each event's kind, scheduled time and step number."""
    return [(event.kind, event.scheduled, event.step_number) for event in events]


def long_breathing(pattern: tuple[int, ...], cycles: int) -> Timeline:
    """A timeline of one breathe step of ``cycles`` breaths of the given phase lengths in ms."""
    phases = {
        2: (Phase.INHALE, Phase.EXHALE),
        3: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE),
        4: (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE, Phase.HOLD_OUT),
    }[len(pattern)]
    specs = tuple(PhaseSpec(phase=p, ms=ms) for p, ms in zip(phases, pattern, strict=True))
    step = BreatheStep(text="Breathe", pattern=specs, length=Length(cycles=cycles))
    script = Script(name="t", title="T", summary="S", category=Category.BREATHING, steps=(step,))
    return compile_timeline(script)


# -- starting and polling -------------------------------------------------------------


def test_start_emits_the_first_step_at_zero() -> None:
    """start() reports the first step at t=0, scheduled at 0, and the session runs."""
    runner, _ = make_runner(SIMPLE)
    assert runner.status is Status.READY
    events = runner.start()
    assert summary(events) == [(EventKind.STEP, 0.0, 1)]
    assert events[0].t == 0.0
    assert events[0].phase is None
    assert runner.status is Status.RUNNING
    assert runner.running
    assert runner.position() == 0.0


def test_start_on_a_breathe_step_emits_step_and_phase() -> None:
    """A session that opens with breathing reports the step and its first phase at 0."""
    runner, _ = make_runner(BREATHE_ONLY)
    events = runner.start()
    assert [(e.kind, e.t, e.scheduled, e.phase) for e in events] == [
        (EventKind.STEP, 0.0, 0.0, Phase.INHALE),
        (EventKind.PHASE, 0.0, 0.0, Phase.INHALE),
    ]


def test_poll_before_start_and_second_start_do_nothing() -> None:
    """Polling a session not yet started, or starting it twice, reports nothing."""
    runner, clock = make_runner(SIMPLE)
    clock.advance(10)
    assert runner.poll() == []
    assert runner.status is Status.READY
    assert runner.start() != []
    clock.advance(1)
    assert runner.start() == []
    assert runner.position() == 1.0


def test_poll_before_a_boundary_reports_nothing() -> None:
    """Polling inside a phase reports nothing and the position follows the clock."""
    runner, clock = started(BREATHE_ONLY)
    assert at(runner, clock, 3.75) == []
    assert runner.position() == 3.75
    assert runner.seconds_to_next_boundary() == 0.25
    state = runner.state()
    assert (state.timeline.phase, state.timeline.progress) == (Phase.INHALE, 0.9375)


def test_poll_exactly_at_a_boundary_crosses_it() -> None:
    """A poll at the exact moment of a boundary moves into the next phase."""
    runner, clock = started(BREATHE_ONLY)
    events = at(runner, clock, 4.0)
    assert [(e.kind, e.scheduled, e.phase) for e in events] == [
        (EventKind.PHASE, 4.0, Phase.HOLD_IN)
    ]
    assert events[0].t == 4.0


def test_a_late_poll_reports_each_boundary_at_its_planned_time() -> None:
    """One poll after three boundaries gives three events in order, each at its planned time."""
    runner, clock = started(BREATHE_ONLY)
    events = at(runner, clock, 12.7)
    assert [(e.kind, e.scheduled, e.phase, e.segment and e.segment.cycle) for e in events] == [
        (EventKind.PHASE, 4.0, Phase.HOLD_IN, 0),
        (EventKind.PHASE, 6.0, Phase.EXHALE, 0),
        (EventKind.PHASE, 12.0, Phase.INHALE, 1),
    ]
    assert [e.t for e in events] == pytest.approx([12.7] * 3)
    state = runner.state()
    assert (state.timeline.phase, state.timeline.cycle) == (Phase.INHALE, 1)
    assert state.timeline.progress == pytest.approx(0.7 / 4)
    assert state.breaths == 1


def test_crossing_into_a_new_step_reports_step_then_phase() -> None:
    """Moving from a say step into breathing reports the step, then its first phase, together."""
    runner, clock = started(SIMPLE)
    events = at(runner, clock, 5.5)
    assert [(e.kind, e.scheduled, e.step_number, e.phase) for e in events] == [
        (EventKind.STEP, 5.0, 2, Phase.INHALE),
        (EventKind.PHASE, 5.0, 2, Phase.INHALE),
    ]


def test_polling_to_the_end_completes_the_session() -> None:
    """Past the planned end, the session completes with an end event at exactly the total."""
    runner, clock = started(SIMPLE)
    events = at(runner, clock, 60.0)
    assert events[-1].kind is EventKind.END
    assert events[-1].status is Status.COMPLETED
    assert events[-1].scheduled == 46.0
    assert [e.scheduled for e in events if e.kind is EventKind.PHASE] == [
        5.0, 9.0, 11.0, 17.0, 21.0, 23.0, 29.0, 33.0, 35.0,
    ]  # fmt: skip
    assert runner.status is Status.COMPLETED
    assert not runner.running
    assert runner.breaths == 3
    assert runner.state().timeline.finished
    assert runner.position() == 46.0
    outcome = runner.outcome()
    assert (outcome.status, outcome.planned_seconds, outcome.breaths) == (
        Status.COMPLETED,
        46.0,
        3,
    )
    clock.advance(100)
    assert runner.poll() == []


# -- pausing --------------------------------------------------------------------------


def test_pause_freezes_position_and_state() -> None:
    """While paused, the position and state stay put however far the clock moves."""
    runner, clock = started(BREATHE_ONLY)
    clock.set(START + 2.5)
    events = runner.pause()
    assert [(e.kind, e.scheduled) for e in events] == [(EventKind.PAUSE, None)]
    assert events[0].t == 2.5
    assert runner.paused
    clock.advance(1000)
    assert runner.poll() == []
    assert runner.position() == 2.5
    assert runner.seconds_to_next_boundary() is None
    state = runner.state()
    assert state.paused
    assert (state.timeline.phase, state.timeline.progress, state.timeline.remaining) == (
        Phase.INHALE,
        0.625,
        1.5,
    )
    assert runner.status is Status.RUNNING


def test_pause_reports_boundaries_already_due() -> None:
    """Pausing after an unpolled boundary reports that boundary first, then the pause."""
    runner, clock = started(BREATHE_ONLY)
    clock.set(START + 5.0)
    events = runner.pause()
    assert [(e.kind, e.scheduled) for e in events] == [
        (EventKind.PHASE, 4.0),
        (EventKind.PAUSE, None),
    ]
    assert runner.state().timeline.phase is Phase.HOLD_IN


def test_resume_continues_exactly_where_the_pause_left_off() -> None:
    """After resuming, the phase carries on from where it stopped, shifted by the pause."""
    runner, clock = started(BREATHE_ONLY)
    clock.set(START + 2.5)
    runner.pause()
    clock.advance(1000)
    events = runner.resume()
    assert [(e.kind, e.scheduled) for e in events] == [(EventKind.RESUME, None)]
    assert not runner.paused
    assert runner.position() == 2.5
    assert runner.seconds_to_next_boundary() == 1.5
    clock.advance(1.4375)
    assert runner.poll() == []
    clock.advance(0.0625)
    events = runner.poll()
    assert [(e.kind, e.scheduled, e.phase) for e in events] == [
        (EventKind.PHASE, 1004.0, Phase.HOLD_IN)
    ]
    events = at(runner, clock, 1100.0)
    assert [e.scheduled for e in events] == [
        1006.0, 1012.0, 1016.0, 1018.0, 1024.0, 1028.0, 1030.0, 1036.0,
    ]  # fmt: skip
    assert events[-1].kind is EventKind.END
    assert events[-1].status is Status.COMPLETED


def test_pause_and_resume_twice_shift_by_both_pauses() -> None:
    """Two pauses shift later boundaries by exactly their combined length."""
    runner, clock = started(BREATHE_ONLY)
    clock.set(START + 1.0)
    runner.pause()
    clock.advance(7.25)
    runner.resume()
    clock.advance(2.0)  # position 3.0
    runner.pause()
    clock.advance(0.5)
    runner.resume()
    assert runner.position() == 3.0
    clock.advance(1.0)
    assert [e.scheduled for e in runner.poll()] == [4.0 + 7.75]


def test_resume_without_pause_and_pause_twice_do_nothing() -> None:
    """resume() when not paused, and pause() when already paused, report nothing."""
    runner, clock = started(BREATHE_ONLY)
    assert runner.resume() == []
    clock.advance(1)
    assert len(runner.pause()) == 1
    clock.advance(1)
    assert runner.pause() == []
    assert runner.position() == 1.0


def test_toggle_pause_pauses_then_resumes() -> None:
    """toggle_pause() pauses a running session and resumes a paused one."""
    runner, clock = started(BREATHE_ONLY)
    assert [e.kind for e in runner.toggle_pause()] == [EventKind.PAUSE]
    assert runner.paused
    clock.advance(3)
    assert [e.kind for e in runner.toggle_pause()] == [EventKind.RESUME]
    assert not runner.paused
    assert runner.position() == 0.0


# -- skipping -------------------------------------------------------------------------


def test_next_step_jumps_to_the_start_of_the_next_step() -> None:
    """Skipping part-way through a say step starts the breathing at its first phase, now."""
    runner, clock = started(SIMPLE)
    clock.set(START + 2.0)
    events = runner.next_step()
    assert [(e.kind, e.t, e.scheduled, e.step_number, e.phase) for e in events] == [
        (EventKind.STEP, 2.0, None, 2, Phase.INHALE),
        (EventKind.PHASE, 2.0, None, 2, Phase.INHALE),
    ]
    assert runner.position() == 5.0
    assert runner.state().timeline.progress == 0.0
    clock.advance(4.0)
    assert [(e.scheduled, e.phase) for e in runner.poll()] == [(6.0, Phase.HOLD_IN)]


def test_next_step_from_breathing_goes_to_the_following_step() -> None:
    """Skipping mid-breath goes to the start of the following step."""
    runner, clock = started(SIMPLE)
    at(runner, clock, 20.0)  # second breath, inhale
    events = runner.next_step()
    assert [(e.kind, e.step_number) for e in events] == [(EventKind.STEP, 3)]
    assert runner.position() == 41.0
    assert runner.segment.step == 2
    assert runner.breaths == 1


def test_skipped_breaths_do_not_count() -> None:
    """Only breaths that were completed count; the rest of a skipped step adds nothing."""
    runner, clock = started(SIMPLE)
    at(runner, clock, 16.999)
    assert runner.breaths == 0
    at(runner, clock, 17.0)
    assert runner.breaths == 1
    at(runner, clock, 31.0)  # third breath, part-way
    assert runner.breaths == 2
    runner.next_step()
    clock.advance(100)
    runner.poll()
    assert runner.status is Status.COMPLETED
    assert runner.breaths == 2
    assert runner.outcome().breaths == 2


def test_next_step_on_the_last_step_ends_early() -> None:
    """Skipping past the last step when it is not a prompt ends the session early."""
    runner, clock = started(SIMPLE)
    at(runner, clock, 42.0)
    events = runner.next_step()
    assert [(e.kind, e.scheduled, e.status) for e in events] == [
        (EventKind.END, None, Status.ENDED_EARLY)
    ]
    assert runner.status is Status.ENDED_EARLY
    assert runner.outcome().status is Status.ENDED_EARLY
    assert runner.next_step() == []


def test_next_step_on_a_last_breathe_step_ends_early() -> None:
    """Skipping the only breathe step of a breathing-only script ends it early."""
    runner, clock = started(BREATHE_ONLY)
    clock.advance(13)
    events = runner.next_step()
    assert events[-1].kind is EventKind.END
    assert events[-1].status is Status.ENDED_EARLY
    assert runner.breaths == 1


def test_previous_step_goes_back_to_the_start_of_the_previous_step() -> None:
    """Going back from the breathing restarts the say step before it, from its start."""
    runner, clock = started(SIMPLE)
    at(runner, clock, 20.0)
    events = runner.previous_step()
    assert [(e.kind, e.t, e.scheduled, e.step_number) for e in events] == [
        (EventKind.STEP, 20.0, None, 1)
    ]
    assert runner.position() == 0.0
    assert runner.segment.index == 0
    clock.advance(5.0)
    events = runner.poll()
    assert [(e.kind, e.scheduled, e.step_number) for e in events] == [
        (EventKind.STEP, 25.0, 2),
        (EventKind.PHASE, 25.0, 2),
    ]


def test_previous_step_from_the_last_step_restarts_the_breathing() -> None:
    """Going back from the closing say step restarts the breathing at its first breath."""
    runner, clock = started(SIMPLE)
    at(runner, clock, 43.0)
    events = runner.previous_step()
    assert [(e.kind, e.step_number, e.phase) for e in events] == [
        (EventKind.STEP, 2, Phase.INHALE),
        (EventKind.PHASE, 2, Phase.INHALE),
    ]
    assert runner.position() == 5.0
    assert runner.state().timeline.cycle == 0


def test_previous_step_on_the_first_step_stays_on_the_first() -> None:
    """Going back from the first step restarts the first step."""
    runner, clock = started(SIMPLE)
    clock.set(START + 3.0)
    events = runner.previous_step()
    assert [(e.kind, e.step_number) for e in events] == [(EventKind.STEP, 1)]
    assert runner.position() == 0.0
    assert runner.segment.index == 0
    clock.advance(4.0)
    assert runner.poll() == []


def test_next_step_while_paused_stays_paused_at_the_next_step() -> None:
    """Skipping while paused moves to the next step's start and stays paused there."""
    runner, clock = started(SIMPLE)
    clock.set(START + 2.0)
    runner.pause()
    runner.next_step()
    assert runner.paused
    clock.advance(50)
    assert runner.position() == 5.0
    assert runner.poll() == []
    runner.resume()
    assert runner.position() == 5.0
    clock.advance(4.0)
    assert [e.phase for e in runner.poll()] == [Phase.HOLD_IN]


# -- prompts --------------------------------------------------------------------------


def test_untimed_prompt_waits_until_continued() -> None:
    """An untimed prompt freezes the session, with no events, until continue_prompt."""
    runner, clock = started(UNTIMED_PROMPT)
    events = at(runner, clock, 2.5)
    assert [(e.kind, e.scheduled, e.step_number) for e in events] == [(EventKind.STEP, 2.0, 2)]
    assert runner.waiting
    assert runner.state().waiting
    assert runner.position() == 2.0
    assert runner.seconds_to_next_boundary() is None
    clock.advance(10_000)
    assert runner.poll() == []
    assert runner.position() == 2.0
    assert runner.status is Status.RUNNING

    events = runner.continue_prompt()
    assert [(e.kind, e.scheduled, e.step_number) for e in events] == [(EventKind.STEP, None, 3)]
    assert not runner.waiting
    assert runner.position() == 2.0
    clock.advance(3.0)
    events = runner.poll()
    assert [(e.kind, e.scheduled, e.status) for e in events] == [
        (EventKind.END, 10_005.5, Status.COMPLETED)
    ]


def test_untimed_prompt_as_first_step_waits_from_the_start() -> None:
    """A session opening with an untimed prompt waits from the moment it starts."""
    runner, clock = make_runner('[[steps]]\nprompt = "Ready?"\n' + BREATHE_ONLY)
    assert [e.kind for e in runner.start()] == [EventKind.STEP]
    assert runner.waiting
    clock.advance(60)
    assert runner.poll() == []
    assert runner.position() == 0.0
    events = runner.continue_prompt()
    assert [(e.kind, e.scheduled, e.phase) for e in events] == [
        (EventKind.STEP, None, Phase.INHALE),
        (EventKind.PHASE, None, Phase.INHALE),
    ]
    clock.advance(4)
    assert [e.scheduled for e in runner.poll()] == [64.0]


def test_pausing_at_an_untimed_prompt_keeps_it_waiting() -> None:
    """Pausing and resuming at an untimed prompt leaves it waiting for the user."""
    runner, clock = started(UNTIMED_PROMPT)
    at(runner, clock, 3.0)
    runner.pause()
    clock.advance(5)
    runner.resume()
    clock.advance(5)
    assert runner.waiting
    assert runner.poll() == []
    assert runner.position() == 2.0


def test_timed_prompt_moves_on_at_its_timeout() -> None:
    """A timed prompt moves on by itself once its timeout has passed."""
    runner, clock = started(TIMED_PROMPT)
    at(runner, clock, 2.0)
    assert not runner.waiting
    assert runner.seconds_to_next_boundary() == 10.0
    assert at(runner, clock, 11.9) == []
    events = at(runner, clock, 12.25)
    assert [(e.kind, e.scheduled, e.step_number) for e in events] == [(EventKind.STEP, 12.0, 3)]


def test_timed_prompt_moves_on_early_when_continued() -> None:
    """continue_prompt on a timed prompt moves on at once, and the rest follows from there."""
    runner, clock = started(TIMED_PROMPT)
    at(runner, clock, 2.0)
    clock.set(START + 5.0)
    events = runner.continue_prompt()
    assert [(e.kind, e.scheduled, e.step_number) for e in events] == [(EventKind.STEP, None, 3)]
    assert runner.position() == 12.0
    events = at(runner, clock, 8.0)
    assert [(e.kind, e.scheduled, e.status) for e in events] == [
        (EventKind.END, 8.0, Status.COMPLETED)
    ]


def test_continue_prompt_outside_a_prompt_does_nothing() -> None:
    """continue_prompt during a say or breathe step reports nothing and moves nothing."""
    runner, clock = started(SIMPLE)
    clock.set(START + 1.0)
    assert runner.continue_prompt() == []
    assert runner.position() == 1.0
    assert runner.segment.index == 0


def test_continuing_a_final_untimed_prompt_completes_the_session() -> None:
    """Moving on from a closing untimed prompt completes the session."""
    runner, clock = started('[[steps]]\nsay = "Rest"\nseconds = 2\n[[steps]]\nprompt = "Done?"\n')
    at(runner, clock, 3.0)
    assert runner.waiting
    clock.advance(30)
    events = runner.continue_prompt()
    assert [(e.kind, e.status) for e in events] == [(EventKind.END, Status.COMPLETED)]
    assert events[0].t == 33.0
    assert runner.status is Status.COMPLETED
    assert not runner.waiting


def test_next_step_on_a_final_prompt_completes_the_session() -> None:
    """Skipping on from a closing prompt is how a session ends: it completes."""
    runner, clock = started('[[steps]]\nsay = "Rest"\nseconds = 2\n[[steps]]\nprompt = "Done?"\n')
    at(runner, clock, 3.0)
    assert [e.status for e in runner.next_step()] == [Status.COMPLETED]


def test_final_timed_prompt_completes_at_its_timeout() -> None:
    """A closing timed prompt that runs out completes the session at exactly its end."""
    runner, clock = started(
        '[[steps]]\nsay = "Rest"\nseconds = 2\n[[steps]]\nprompt = "Done?"\ntimeout = 4\n'
    )
    events = at(runner, clock, 9.0)
    assert [(e.kind, e.scheduled, e.status) for e in events] == [
        (EventKind.STEP, 2.0, None),
        (EventKind.END, 6.0, Status.COMPLETED),
    ]


# -- finishing ------------------------------------------------------------------------


def test_finish_ends_early_with_practised_time_excluding_pauses() -> None:
    """finish() ends the session early; practised seconds leave out the time paused."""
    runner, clock = started(BREATHE_ONLY)
    clock.advance(3)
    runner.pause()
    clock.advance(50)
    runner.resume()
    clock.advance(4)
    events = runner.finish()
    assert [(e.kind, e.scheduled, e.status) for e in events] == [
        (EventKind.PHASE, 54.0, None),
        (EventKind.PHASE, 56.0, None),
        (EventKind.END, None, Status.ENDED_EARLY),
    ]
    assert events[-1].t == 57.0
    assert runner.status is Status.ENDED_EARLY
    assert runner.position() == 7.0
    outcome = runner.outcome()
    assert outcome.status is Status.ENDED_EARLY
    assert outcome.practised_seconds == pytest.approx(7.0)
    assert outcome.planned_seconds == 36.0
    clock.advance(100)
    assert runner.practised() == pytest.approx(7.0)
    assert runner.finish() == []


def test_finish_while_paused_leaves_out_the_current_pause() -> None:
    """Ending during a pause does not count the pause as practice."""
    runner, clock = started(SIMPLE)
    clock.advance(6)
    runner.pause()
    clock.advance(120)
    runner.finish()
    assert runner.status is Status.ENDED_EARLY
    assert runner.outcome().practised_seconds == pytest.approx(6.0)
    assert runner.position() == 6.0


def test_practised_is_zero_before_start() -> None:
    """A session not yet started has practised nothing."""
    runner, clock = make_runner(SIMPLE)
    clock.advance(30)
    assert runner.practised() == 0.0
    assert runner.state().practised == 0.0


# -- listeners and JSON ---------------------------------------------------------------


def test_listeners_receive_the_same_events_as_returned() -> None:
    """Every event returned by the runner also goes, once and in order, to each listener."""
    heard: list[SessionEvent] = []
    late: list[SessionEvent] = []
    clock = ManualClock(START)
    timeline = compile_timeline(parse(TIMED_PROMPT.replace("Off we go", "Go") + BREATHE_ONLY))
    runner = SessionRunner(timeline, clock=clock, listeners=[heard.append])
    returned = runner.start()
    runner.add_listener(late.append)
    clock.advance(1)
    returned += runner.pause()
    clock.advance(5)
    returned += runner.resume()
    clock.advance(3)
    returned += runner.poll()
    returned += runner.continue_prompt()
    clock.advance(8)
    returned += runner.poll()
    returned += runner.previous_step()
    returned += runner.next_step()
    clock.advance(5)
    returned += runner.finish()
    assert len(returned) > 8
    assert [id(e) for e in heard] == [id(e) for e in returned]
    assert [id(e) for e in late] == [id(e) for e in returned[1:]]


def test_event_to_json_has_the_trace_keys() -> None:
    """to_json gives event, t, scheduled, 1-based step and phase name."""
    runner, clock = started(SIMPLE)
    clock.set(START + 9.5)
    events = runner.poll()
    clock.advance(0.25)
    events += runner.pause()
    assert [e.to_json() for e in events] == [
        {"event": "step", "t": 9.5, "scheduled": 5.0, "step": 2, "phase": "inhale"},
        {"event": "phase", "t": 9.5, "scheduled": 5.0, "step": 2, "phase": "inhale"},
        {"event": "phase", "t": 9.5, "scheduled": 9.0, "step": 2, "phase": "hold_in"},
        {"event": "pause", "t": 9.75, "scheduled": None, "step": 2, "phase": "hold_in"},
    ]


def test_event_to_json_rounds_times_to_microseconds() -> None:
    """to_json rounds t to six decimals and leaves a say step's phase as None."""
    runner, clock = make_runner(SIMPLE)
    runner.start()
    clock.advance(1.23456789)
    event = runner.pause()[0]
    assert event.to_json() == {
        "event": "pause",
        "t": 1.234568,
        "scheduled": None,
        "step": 1,
        "phase": None,
    }


# -- no drift -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [(4000, 4000, 4000, 4000), (5500, 5500), (4100, 2300, 6700)],
    ids=["box", "coherent", "tenths"],
)
def test_ten_thousand_jittered_cycles_never_drift(pattern: tuple[int, ...]) -> None:
    """Polling 10,000 breaths late by random amounts, every event keeps its exact planned time."""
    timeline = long_breathing(pattern, 10_000)
    clock = ManualClock(1234.567)
    runner = SessionRunner(timeline, clock=clock)
    rng = random.Random(20240611)
    events = runner.start()
    polls = 0
    while runner.running:
        wait = runner.seconds_to_next_boundary()
        assert wait is not None
        lateness = rng.uniform(0.0005, 0.3)
        if rng.random() < 0.05:
            lateness += rng.uniform(0, 40)  # now and then, a long stall over several boundaries
        clock.advance(wait + lateness)
        events += runner.poll()
        polls += 1
    phases = [e for e in events if e.kind is EventKind.PHASE]
    assert [e.segment for e in phases] == timeline.segments
    assert [e.scheduled for e in phases] == [s.start_ms / 1000 for s in timeline.segments]
    end = events[-1]
    assert end.kind is EventKind.END
    assert end.status is Status.COMPLETED
    assert end.scheduled == timeline.total_ms / 1000
    assert timeline.total_ms == 10_000 * sum(pattern)
    lateness = [e.t - (e.scheduled or 0.0) for e in [*phases[1:], end]]
    assert min(lateness) > 0
    assert max(lateness) < 41
    assert runner.breaths == 10_000
    assert polls < len(timeline.segments)


def test_many_pauses_in_a_long_session_still_land_exactly() -> None:
    """Pausing and resuming hundreds of times shifts each boundary by exactly the pauses so far."""
    timeline = long_breathing((4000, 4000, 4000, 4000), 10_000)
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock=clock)
    rng = random.Random(7)
    events = runner.start()
    paused_total = 0.0
    shifts: list[float] = [0.0]
    """The pause total in force when each phase event was reported."""
    pauses = 0
    while runner.running:
        wait = runner.seconds_to_next_boundary()
        assert wait is not None
        # Clock readings in 1/64 s keep every sum exact, so exactness can be asserted.
        clock.advance(wait + rng.randint(1, 64) / 64)
        new = runner.poll()
        events += new
        shifts += [paused_total] * sum(e.kind is EventKind.PHASE for e in new)
        if runner.running and rng.random() < 0.02:
            events += runner.pause()
            length = rng.randint(1, 4000) / 8
            clock.advance(length)
            paused_total += length
            events += runner.resume()
            pauses += 1
    assert pauses > 500
    phases = [e for e in events if e.kind is EventKind.PHASE]
    assert len(phases) == len(timeline.segments)
    expected = [
        s.start_ms / 1000 + shift for s, shift in zip(timeline.segments, shifts, strict=True)
    ]
    assert [e.scheduled for e in phases] == expected
    end = events[-1]
    assert end.kind is EventKind.END
    assert end.scheduled == timeline.total_ms / 1000 + paused_total
    # Practised up to when the end was due, not when the late poll noticed it.
    assert runner.practised() == timeline.total_ms / 1000
    assert runner.breaths == 10_000


def test_many_pauses_with_uneven_times_stay_within_a_microsecond() -> None:
    """With 0.1 s phases and arbitrary pause lengths, boundaries stay on plan to the microsecond."""
    timeline = long_breathing((4100, 2300, 6700), 10_000)
    clock = ManualClock(987.654321)
    runner = SessionRunner(timeline, clock=clock)
    rng = random.Random(99)
    events = runner.start()
    paused_total = 0.0
    shifts = [0.0]
    while runner.running:
        wait = runner.seconds_to_next_boundary()
        assert wait is not None
        clock.advance(wait + rng.uniform(0.001, 0.2))
        new = runner.poll()
        events += new
        shifts += [paused_total] * sum(e.kind is EventKind.PHASE for e in new)
        if runner.running and rng.random() < 0.03:
            events += runner.pause()
            length = rng.uniform(0.01, 300.0)
            clock.advance(length)
            paused_total += length
            events += runner.resume()
    phases = [e for e in events if e.kind is EventKind.PHASE]
    expected = [
        s.start_ms / 1000 + shift for s, shift in zip(timeline.segments, shifts, strict=True)
    ]
    assert [e.scheduled for e in phases] == pytest.approx(expected, rel=0, abs=1e-6)
    assert events[-1].scheduled == pytest.approx(
        timeline.total_ms / 1000 + paused_total, rel=0, abs=1e-6
    )


def test_waiting_exactly_until_the_next_boundary_crosses_it() -> None:
    """Advancing the clock by seconds_to_next_boundary() and polling crosses that boundary."""
    say = SayStep(text="Settle", ms=1001)
    breathe = BreatheStep(
        text="Breathe",
        pattern=(PhaseSpec(Phase.INHALE, 4000), PhaseSpec(Phase.EXHALE, 4000)),
        length=Length(cycles=1),
    )
    script = Script(
        name="t", title="T", summary="S", category=Category.BREATHING, steps=(say, breathe)
    )
    clock = ManualClock(0.0)
    runner = SessionRunner(compile_timeline(script), clock=clock)
    runner.start()
    wait = runner.seconds_to_next_boundary()
    assert wait == 1.001
    clock.advance(wait)
    events = runner.poll()
    assert [(e.kind, e.scheduled) for e in events] == [
        (EventKind.STEP, 1.001),
        (EventKind.PHASE, 1.001),
    ]


def test_a_late_poll_does_not_add_to_the_practised_time() -> None:
    """A session whose end is noticed late was practised for its planned length, no more."""
    timeline = compile_timeline(parse(BREATHE_ONLY))
    clock = ManualClock(START)
    runner = SessionRunner(timeline, clock=clock)
    runner.start()
    clock.advance(timeline.total_seconds + 7.5)
    events = runner.poll()
    assert events[-1].kind is EventKind.END
    assert events[-1].t == timeline.total_seconds + 7.5
    assert runner.practised() == timeline.total_seconds
