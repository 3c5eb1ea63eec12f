"""The running clock: time calm spends stopped (Ctrl+Z, kill -STOP) is neither practice nor
lateness. Driven by hand on a manual clock; the real signals are in tests/functional."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calm.core.clock import HEARTBEAT_SECONDS, OVERDUE_SECONDS, ManualClock, RunningClock
from calm.core.loader import parse_script_bytes
from calm.core.session import EventKind, SessionRunner, Status
from calm.core.timeline import Timeline, compile_timeline

SCRIPT = b"""
title = "Stops"
summary = "For the running clock."
category = "breathing"

[[steps]]
say = "Arrive."
seconds = 2

[[steps]]
breathe = "Breathe."
pattern = "4-0-6-0"
cycles = 3
"""


def timeline() -> Timeline:
    return compile_timeline(parse_script_bytes(SCRIPT, name="stops", source="stops.toml"))


def running_on(base: ManualClock) -> RunningClock:
    """A running clock over ``base``, with its heartbeat driven by hand."""
    clock = RunningClock(base.now)
    clock.beat()
    return clock


def run_for(base: ManualClock, clock: RunningClock, seconds: float) -> None:
    """Let ``seconds`` pass with calm running, beating as the heartbeat thread would."""
    steps = int(seconds / HEARTBEAT_SECONDS)
    for _ in range(steps):
        base.advance(HEARTBEAT_SECONDS)
        clock.beat()
    base.advance(seconds - steps * HEARTBEAT_SECONDS)


def test_an_announced_stop_is_left_out_exactly() -> None:
    """Ctrl+Z at 10 s, fg a minute later: the clock reads 10 s, and runs on from there."""
    base = ManualClock(100.0)
    clock = running_on(base)
    start = clock.now()
    run_for(base, clock, 10.0)
    clock.stopping()
    base.advance(60.0)
    clock.continued()
    assert clock.now() - start == pytest.approx(10.0)
    assert clock.stopped_seconds == pytest.approx(60.0)
    run_for(base, clock, 2.5)
    assert clock.now() - start == pytest.approx(12.5)


def test_a_stop_counted_twice_is_left_out_once() -> None:
    """SIGCONT's handler and the end of the SIGTSTP handler both count the stop: once."""
    base = ManualClock()
    clock = running_on(base)
    clock.stopping()
    base.advance(30.0)
    clock.continued()
    run_for(base, clock, 1.0)  # the heartbeat runs before the stop's own handler ends
    clock.continued(unannounced=False)
    clock.continued()
    assert clock.stopped_seconds == pytest.approx(30.0)


def test_a_continue_just_after_a_counted_stop_adds_nothing() -> None:
    """A stray SIGCONT half a second after fg, before the heartbeat has run again, leaves
    out none of that half second."""
    base = ManualClock()
    clock = running_on(base)
    clock.stopping()
    base.advance(30.0)
    clock.continued()
    base.advance(0.5)
    clock.continued()
    assert clock.stopped_seconds == pytest.approx(30.0)


def test_a_second_stop_straight_after_the_first_is_counted_too() -> None:
    """Ctrl+Z, fg, then kill -STOP before the next beat: both stops are left out."""
    base = ManualClock()
    clock = running_on(base)
    clock.stopping()
    base.advance(30.0)
    clock.continued()
    clock.beat()  # the heartbeat wakes as calm continues
    base.advance(0.1)
    base.advance(60.0)  # stopped again, uncaught
    clock.continued()
    assert 90.0 - OVERDUE_SECONDS <= clock.stopped_seconds <= 90.0


def test_a_stop_nobody_announced_is_left_out_from_the_missed_beat() -> None:
    """SIGSTOP cannot be caught: the stop is counted from when the next beat was due."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 5.3)  # 0.3 s after the last beat
    base.advance(60.0)  # stopped
    clock.continued()
    # Left out from when the missed beat was overdue to the continue: at most that much
    # of the stop still counts, and nothing calm ran through is lost.
    assert 60.0 - OVERDUE_SECONDS <= clock.stopped_seconds <= 60.0


def test_the_heartbeat_running_first_after_a_stop_still_shows_it() -> None:
    """A beat that lands between the continue and SIGCONT's handler does not hide the stop."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 3.0)
    base.advance(40.0)  # stopped by SIGSTOP
    clock.beat()  # the heartbeat thread wakes first
    base.advance(0.01)
    clock.continued()
    assert 40.0 - OVERDUE_SECONDS <= clock.stopped_seconds <= 40.0


def test_a_handler_that_runs_several_beats_late_still_finds_the_stop() -> None:
    """SIGCONT's handler runs when the main thread next wakes, which on a still screen can
    be beats after the heartbeat has woken and gone on: the stop is still found."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 3.0)
    base.advance(40.0)  # stopped by SIGSTOP
    clock.beat()  # the heartbeat wakes as calm continues...
    run_for(base, clock, 3.0)  # ...and beats on before the main thread runs the handler
    clock.continued()
    assert 40.0 - OVERDUE_SECONDS <= clock.stopped_seconds <= 40.0


def test_a_reading_before_anything_notices_the_stop_does_not_count_it() -> None:
    """The session may read the clock after a SIGSTOP ends but before the heartbeat or
    SIGCONT's handler has run: its reading stops where the beat was overdue, and the
    session then goes on from there, neither jumping on by the stop nor standing still."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 3.2)
    before = clock.now()
    base.advance(30.0)  # stopped by SIGSTOP
    first = clock.now()  # the session reads first
    assert first - before == pytest.approx(OVERDUE_SECONDS - 0.2)
    base.advance(0.01)
    clock.beat()  # then the heartbeat wakes
    base.advance(0.01)
    clock.continued()  # and SIGCONT's handler runs last
    # At most the moment the heartbeat took to wake is lost; none of the stop is gained.
    assert 0.01 - 1e-9 <= clock.now() - first <= 0.02 + 1e-9
    run_for(base, clock, 2.0)
    assert 2.01 - 1e-9 <= clock.now() - first <= 2.02 + 1e-9


def test_a_reading_after_a_ctrl_z_before_the_handler_stays_at_the_stop() -> None:
    """Ctrl+Z: a reading after calm continues, before SIGCONT's handler, is where calm
    stopped; the session then goes on from exactly there."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 2.4)
    before = clock.now()
    clock.stopping()
    base.advance(20.0)
    assert clock.now() == pytest.approx(before)
    base.advance(0.1)
    clock.continued()
    assert clock.now() == pytest.approx(before)
    base.advance(0.3)
    assert clock.now() - before == pytest.approx(0.3)
    assert clock.stopped_seconds == pytest.approx(20.1)


def test_time_calm_could_not_run_at_all_is_left_out_without_a_signal() -> None:
    """A heartbeat long overdue with no signal (a frozen machine): nobody could follow the
    session then either, so the time is left out just the same."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 2.0)
    base.advance(10.0)
    clock.beat()
    assert clock.stopped_seconds == pytest.approx(10.0 - OVERDUE_SECONDS)


def test_a_beat_a_little_late_leaves_nothing_out() -> None:
    """Beats a quarter of their interval late, as on a busy machine, count as running."""
    base = ManualClock()
    clock = running_on(base)
    start = clock.now()
    for _ in range(8):
        base.advance(OVERDUE_SECONDS - 0.01)
        clock.beat()
    assert clock.stopped_seconds == 0.0
    assert clock.now() - start == pytest.approx(8 * (OVERDUE_SECONDS - 0.01))


def test_a_continue_without_a_stop_leaves_nothing_out() -> None:
    """kill -CONT on a running calm, with the heartbeat on time, changes nothing."""
    base = ManualClock()
    clock = running_on(base)
    run_for(base, clock, 7.4)
    clock.continued()
    assert clock.stopped_seconds == 0.0


def test_without_a_heartbeat_only_announced_stops_count() -> None:
    """No heartbeat (a test's clock, say): a continue alone cannot prove a stop."""
    base = ManualClock()
    clock = RunningClock(base.now)
    base.advance(100.0)
    clock.continued()
    assert clock.stopped_seconds == 0.0


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["run", "stop", "stopping", "continued", "announced", "beat"]),
            st.floats(min_value=0.0, max_value=120.0),
        ),
        max_size=40,
    )
)
def test_the_clock_never_goes_back_and_never_leaves_out_more_than_passed(
    moves: list[tuple[str, float]],
) -> None:
    """Whatever order stops, continues and beats come in, readings only go forward, and the
    time left out is never more than the time that passed."""
    base = ManualClock()
    clock = RunningClock(base.now)
    readings = [clock.now()]
    for move, seconds in moves:
        if move in ("run", "stop"):
            base.advance(seconds)
        elif move == "stopping":
            clock.stopping()
        elif move == "continued":
            clock.continued()
        elif move == "announced":
            clock.continued(unannounced=False)
        else:
            clock.beat()
        readings.append(clock.now())
        assert 0.0 <= clock.stopped_seconds <= base.now() + 1e-9
    assert readings == sorted(readings)


def test_a_session_stopped_mid_phase_carries_on_where_it_was() -> None:
    """The engine on the running clock: a minute stopped in the first inhale moves no
    boundary, adds no lateness and counts as no practice."""
    base = ManualClock(50.0)
    clock = running_on(base)
    runner = SessionRunner(timeline(), clock=clock)
    runner.start()
    run_for(base, clock, 3.0)  # one second into the first inhale (it runs 2 s to 6 s)
    assert runner.poll()[0].kind is EventKind.STEP
    clock.stopping()
    base.advance(60.0)
    clock.continued()
    assert runner.poll() == []
    assert runner.state().timeline.elapsed == pytest.approx(3.0)
    run_for(base, clock, 3.0)
    exhale = runner.poll()
    assert [event.kind for event in exhale] == [EventKind.PHASE]
    assert exhale[0].t == pytest.approx(6.0)
    assert exhale[0].t - (exhale[0].scheduled or 0.0) == pytest.approx(0.0)
    run_for(base, clock, 100.0)
    runner.poll()
    outcome = runner.outcome()
    assert outcome.status is Status.COMPLETED
    assert outcome.practised_seconds == pytest.approx(timeline().total_seconds)


def test_a_stop_while_paused_is_still_only_a_pause() -> None:
    """Paused, then stopped: nothing is counted twice, and the session resumes where it was."""
    base = ManualClock()
    clock = running_on(base)
    runner = SessionRunner(timeline(), clock=clock)
    runner.start()
    run_for(base, clock, 4.0)
    runner.pause()
    run_for(base, clock, 5.0)
    clock.stopping()
    base.advance(60.0)
    clock.continued()
    run_for(base, clock, 1.0)
    runner.resume()
    assert runner.practised() == pytest.approx(4.0)
    assert runner.state().timeline.elapsed == pytest.approx(4.0)
