"""Which signals end a session, how their handlers come and go, and a real stop and continue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from types import FrameType

import pytest

from calm.practice.signals import ENDING_SIGNALS, handling

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTSTP"), reason="no job control here")


def test_every_catchable_signal_that_ends_a_process_ends_a_session() -> None:
    """The class, not a list of examples: every signal whose default ends the process."""
    named = {
        signal.SIGINT,
        signal.SIGTERM,
        signal.SIGHUP,
        signal.SIGQUIT,
        signal.SIGUSR1,
        signal.SIGUSR2,
        signal.SIGALRM,
        signal.SIGVTALRM,
        signal.SIGPROF,
        signal.SIGXCPU,
        signal.SIGXFSZ,
        signal.SIGPIPE,
    }
    assert named <= set(ENDING_SIGNALS)
    if hasattr(signal, "SIGRTMIN"):
        assert set(range(signal.SIGRTMIN, signal.SIGRTMAX + 1)) <= set(ENDING_SIGNALS)
    # Never the uncatchable ones, the stops, or a fault inside calm itself.
    for name in ("SIGKILL", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGCHLD", "SIGWINCH", "SIGSEGV"):
        assert getattr(signal, name) not in ENDING_SIGNALS, name


def _noted(signum: int, frame: FrameType | None) -> None:
    """A handler for the tests."""


def test_handlers_are_in_place_inside_the_block_and_put_back_after() -> None:
    """Inside: the handler; after: whatever was there before."""
    before = signal.getsignal(signal.SIGUSR1)
    with handling((signal.SIGUSR1, signal.SIGUSR2), _noted) as installed:
        assert installed
        assert signal.getsignal(signal.SIGUSR1) is _noted
        assert signal.getsignal(signal.SIGUSR2) is _noted
    assert signal.getsignal(signal.SIGUSR1) == before


def test_a_signal_ignored_when_calm_started_stays_ignored() -> None:
    """nohup: SIGHUP ignored by whoever started calm is not turned into an ending."""
    previous = signal.signal(signal.SIGUSR2, signal.SIG_IGN)
    try:
        with handling((signal.SIGUSR2,), _noted):
            assert signal.getsignal(signal.SIGUSR2) is signal.SIG_IGN
        # Python ignores SIGPIPE itself, so that a reader going away is an error on the write.
        with handling(ENDING_SIGNALS, _noted):
            assert signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGUSR2, previous)


STOPPED = 3.0

CHILD = textwrap.dedent(
    """
    import sys, time
    from calm.core.clock import RunningClock
    from calm.practice.signals import following_stops

    clock = RunningClock()
    with following_stops(clock):
        start, begun = clock.now(), time.monotonic()
        print("ready", flush=True)
        sys.stdin.readline()
        print(clock.now() - start, time.monotonic() - begun, flush=True)
    """
)


@pytest.mark.slow
def test_a_real_stop_and_continue_is_left_out_of_the_clock() -> None:
    """kill -STOP, which no handler sees, then kill -CONT: the heartbeat shows the gap."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline() == "ready\n"
        time.sleep(1.5)
        os.kill(child.pid, signal.SIGSTOP)
        time.sleep(STOPPED)
        os.kill(child.pid, signal.SIGCONT)
        time.sleep(0.5)
        child.stdin.write("done\n")
        child.stdin.flush()
        running, wall = (float(part) for part in child.stdout.readline().split())
    finally:
        child.kill()
        child.wait()
    assert wall >= 1.5 + STOPPED
    # At most one heartbeat of the stop still counts; nothing calm ran through is lost.
    assert wall - STOPPED - 0.2 <= running <= wall - STOPPED + 1.2


@pytest.mark.slow
def test_a_continue_without_a_stop_takes_nothing_away() -> None:
    """A stray kill -CONT on a running calm leaves its clock as it was."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline() == "ready\n"
        time.sleep(2.5)
        os.kill(child.pid, signal.SIGCONT)
        time.sleep(0.5)
        child.stdin.write("done\n")
        child.stdin.flush()
        running, wall = (float(part) for part in child.stdout.readline().split())
    finally:
        child.kill()
        child.wait()
    assert running == pytest.approx(wall, abs=0.6)
