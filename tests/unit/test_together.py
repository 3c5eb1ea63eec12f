"""Breathing together: viewers that replay the serving terminal's log on a shared clock
are in the same place at the same moment, however late they joined; a log that is not
one calm wrote is never followed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calm.core.clock import ManualClock
from calm.core.session import SessionRunner, Status
from calm.practice.together import (
    CONTROLS,
    MAX_LOG_BYTES,
    Follower,
    FollowingRunner,
    Leader,
    LogError,
    SharedLog,
    parse_log,
)
from tests.support.tui import make_timeline

STEPS = """
[[steps]]
say = "Arrive."
seconds = 3

[[steps]]
breathe = "Breathe."
pattern = "2-1-2"
cycles = 4

[[steps]]
say = "Done."
seconds = 3
"""


class World:
    """One shared monotonic clock, a leader, and viewers joining when told."""

    def __init__(self, tmp_path: Path) -> None:
        self.time = 1000.0
        self.path = tmp_path / "together.json"
        self.leader = Leader(self.path, clock=lambda: self.time)

    def viewer(self) -> tuple[SessionRunner, Follower]:
        clock = ManualClock(0.0)
        runner = SessionRunner(make_timeline(STEPS), clock=clock)
        return runner, Follower(runner, clock, self.path, now=lambda: self.time)

    def where(self, runner: SessionRunner) -> tuple[object, ...]:
        state = runner.state()
        return (
            runner.status,
            runner.paused,
            state.timeline.segment.index if state.timeline else None,
            round(state.timeline.elapsed, 6) if state.timeline else None,
        )


def test_viewers_joining_at_different_moments_agree(tmp_path: Path) -> None:
    """One viewer from the start, one joining after a pause and a skip: at every moment
    after, both are at the same segment, the same time into it, paused alike."""
    world = World(tmp_path)
    early, early_follower = world.viewer()
    early_follower.sync()
    assert early.status is Status.READY  # nothing begins before the leader says
    world.leader.start()
    for seconds, control in ((2.0, None), (1.5, "pause"), (4.0, "resume"), (1.0, "next")):
        world.time += seconds
        if control:
            world.leader.control(control)
        early_follower.sync()
    late, late_follower = world.viewer()
    for _ in range(8):
        world.time += 0.37
        early_follower.sync()
        late_follower.sync()
        assert world.where(early) == world.where(late)
    world.leader.control("end")
    early_follower.sync()
    late_follower.sync()
    assert early.status is late.status is Status.ENDED_EARLY


@given(
    st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=5.0), st.sampled_from(CONTROLS)),
        max_size=12,
    )
)
def test_any_controls_replayed_give_the_same_place(
    tmp_path_factory: pytest.TempPathFactory, moves: list[tuple[float, str]]
) -> None:
    """Whatever controls come, when, a viewer that followed all along and one that
    joins at the end are in the same place; one that joins after the end waits for
    the next session."""
    world = World(tmp_path_factory.mktemp("together"))
    along, follower = world.viewer()
    world.leader.start()
    follower.sync()
    for seconds, control in moves:
        world.time += seconds
        world.leader.control(control)
        follower.sync()
    world.time += 0.5
    follower.sync()
    joined, joined_follower = world.viewer()
    joined_follower.sync()
    if world.leader.log.ended:
        assert joined.status is Status.READY
        assert along.status is not Status.RUNNING
    else:
        assert world.where(along) == world.where(joined)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"[]",
        b'{"format": 2, "start": 1.0, "controls": []}',
        b'{"format": 1, "start": "soon", "controls": []}',
        b'{"format": 1, "start": 1.0, "controls": [[0.5, "pause"]]}',
        b'{"format": 1, "start": 1.0, "controls": [[2.0, "pause"], [1.5, "resume"]]}',
        b'{"format": 1, "start": 1.0, "controls": [[2.0, "rm -rf"]]}',
        b'{"format": 1, "start": 1.0, "controls": [[true, "pause"]]}',
        b'{"format": 1, "start": NaN, "controls": []}',
        b'{"format": 1, "start": 1.0, "controls": [[2.0]]}',
    ],
)
def test_a_log_calm_did_not_write_is_refused(data: bytes) -> None:
    with pytest.raises(LogError):
        parse_log(data)


def test_a_bad_or_huge_log_is_not_followed(tmp_path: Path) -> None:
    """A viewer whose log turns to nonsense, or grows past the limit, stays where it was."""
    world = World(tmp_path)
    runner, follower = world.viewer()
    world.leader.start()
    world.time += 1.0
    follower.sync()
    before = world.where(runner)
    world.path.write_bytes(b"{not json")
    follower.sync()
    assert world.where(runner)[:3] == before[:3]
    world.path.write_bytes(b" " * (MAX_LOG_BYTES + 1))
    follower.sync()
    assert runner.status is Status.RUNNING
    rewritten = SharedLog(world.leader.log.start, ((world.time + 5, "end"),))
    world.path.write_bytes(rewritten.to_bytes())
    follower.sync()
    assert runner.status is Status.RUNNING  # a control from the future is not yet due


def test_the_log_is_replaced_whole(tmp_path: Path) -> None:
    """The file always holds a whole log, as a viewer may read it at any moment."""
    world = World(tmp_path)
    world.leader.start()
    for control in ("pause", "resume", "next"):
        world.time += 1
        world.leader.control(control)
        assert parse_log(world.path.read_bytes()) == world.leader.log
    assert json.loads(world.path.read_bytes())["controls"][-1][1] == "next"
    assert [entry.name for entry in tmp_path.iterdir()] == ["together.json"]


def test_a_viewer_that_comes_after_the_end_waits_for_the_next_session(tmp_path: Path) -> None:
    """The serving terminal ends a session and begins another: a viewer that came in
    between waits and joins the new one; the summary's "again" waits likewise."""
    world = World(tmp_path)
    world.leader.start()
    first = world.leader.log.start
    world.time += 2.0
    world.leader.control("end")
    world.leader.control("pause")  # nothing after the end is written
    assert world.leader.log.controls[-1][1] == "end"
    late, late_follower = world.viewer()
    assert late_follower.look() is None
    world.time += 1.0
    assert world.leader.start(lead_in=0.3)
    assert not world.leader.start()  # one under way already
    assert late_follower.look() == pytest.approx(0.3)
    late_follower.sync()
    assert late.status is Status.READY  # it begins after the lead-in, not before
    world.time += 0.3
    assert late_follower.look() == 0.0
    late_follower.sync()
    assert late.status is Status.RUNNING
    again = FollowingRunner(make_timeline(STEPS), world.path, after=first, now=lambda: world.time)
    again.start()
    assert again.status is Status.RUNNING
    assert again.shared_start == world.leader.log.start != first
    assert world.where(again) == world.where(late)


def test_a_viewers_own_controls_do_nothing(tmp_path: Path) -> None:
    """A viewer is read-only: its keys (pause, skip, back, carry on, end) leave it where
    the log says, and the serving terminal's controls still move it."""
    world = World(tmp_path)
    runner = FollowingRunner(make_timeline(STEPS), world.path, now=lambda: world.time)
    assert runner.start() == [] and runner.status is Status.READY
    world.leader.start()
    runner.start()
    world.time += 1.0
    for own in (
        runner.pause,
        runner.toggle_pause,
        runner.next_step,
        runner.previous_step,
        runner.continue_prompt,
        runner.finish,
    ):
        own()
        assert runner.status is Status.RUNNING and not runner.paused
        assert runner.state().timeline.segment.index == 0
    world.leader.control("pause")
    runner.poll()
    assert runner.paused
    runner.resume()
    assert runner.paused
    world.time += 0.5
    world.leader.control("resume")
    world.leader.control("next")
    runner.poll()
    assert not runner.paused and runner.state().timeline.segment.step == 1
