"""The serving terminal of ``calm serve --together``: its keys, read from a real pipe on
a real event loop, write the shared log, and its own following of that log drives the
room's sound and its lines, exactly as every page follows it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from calm.core.session import Status
from calm.plain.together import KEYS, SharedLead
from calm.practice.options import SessionOptions
from calm.practice.service import Practice
from calm.practice.together import parse_log
from tests.support.fake_sound import FakeSound
from tests.support.tui import make_timeline

pytestmark = pytest.mark.slow
"""Real keys on a real event loop, in real time: the slow run's."""

STEPS = """
[[steps]]
say = "Arrive."
seconds = 5

[[steps]]
breathe = "Breathe."
pattern = "1-0-1"
cycles = 20
"""


class Terminal:
    """A lead on a pipe, with what it said and what its sound heard."""

    def __init__(self, tmp_path: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.log = tmp_path / "session.json"
        self.sound = FakeSound()
        practice = Practice(
            SessionOptions(volume=50, follow=self.log),
            make_sound=lambda timeline, ring: self.sound,  # type: ignore[arg-type,return-value]
        )
        self.said: list[str] = []
        self.lead = SharedLead(make_timeline(STEPS), practice, self.log, self.said.append)
        read, self.keys = os.pipe()
        self.stream = open(read, encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.lead.attach(self.loop, self.stream)

    def press(self, keys: str, then: float = 0.1) -> None:
        os.write(self.keys, keys.encode())
        self.run(then)

    def run(self, seconds: float) -> None:
        self.loop.run_until_complete(asyncio.sleep(seconds))

    def close(self) -> None:
        self.lead.detach()
        os.close(self.keys)
        self.stream.close()
        self.loop.close()


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Terminal]:
    monkeypatch.setattr("calm.plain.together.START_LEAD_IN", 0.2)
    opened = Terminal(tmp_path)
    yield opened
    opened.close()


def test_enter_begins_after_a_lead_in_and_keys_lead_it(terminal: Terminal) -> None:
    assert terminal.said == [KEYS]
    assert parse_log(terminal.log.read_bytes()).start is None
    terminal.press("n b c q  ")  # nothing has begun: nothing to control
    assert parse_log(terminal.log.read_bytes()).controls == ()
    terminal.press("\n")
    log = parse_log(terminal.log.read_bytes())
    assert log.start is not None
    assert terminal.lead.runner is not None
    assert terminal.lead.runner.status is Status.READY  # the lead-in
    terminal.run(0.3)
    assert terminal.lead.runner.running
    assert terminal.sound.heard[0] == "step"
    assert any(line.startswith("Step 1 of 2") for line in terminal.said)
    terminal.press(" ", then=0.4)
    assert terminal.lead.runner.paused
    assert "Paused for everyone. Space carries on." in terminal.said
    heard = len(terminal.sound.heard)
    terminal.run(0.5)
    assert len(terminal.sound.heard) == heard  # paused: no cues
    terminal.press(" ", then=0.4)
    assert not terminal.lead.runner.paused
    terminal.press("n", then=0.4)
    assert terminal.lead.runner.state().timeline.segment.step == 1
    terminal.press("q", then=0.4)
    assert terminal.lead.runner is None
    assert terminal.sound.stopped_bed
    assert terminal.said[-1].startswith("The session has ended. Press Enter")
    kinds = [kind for _, kind in parse_log(terminal.log.read_bytes()).controls]
    assert kinds == ["pause", "resume", "next", "end"]


def test_enter_begins_it_again_and_leaving_ends_it_for_everyone(terminal: Terminal) -> None:
    terminal.press("\n", then=0.4)
    first = parse_log(terminal.log.read_bytes()).start
    terminal.press("\n")  # one under way already
    assert parse_log(terminal.log.read_bytes()).start == first
    terminal.press("q", then=0.4)
    terminal.press("\n", then=0.4)
    log = parse_log(terminal.log.read_bytes())
    assert log.start != first and log.controls == ()
    assert terminal.lead.runner is not None and terminal.lead.runner.running
    ended = [line for line in terminal.said if line.startswith("The session has ended")]
    assert ended == ["The session has ended. Press Enter to begin it again for everyone."]
    terminal.lead.detach()  # Ctrl+C on calm serve
    assert parse_log(terminal.log.read_bytes()).ended
    # Serving stops: nothing can begin again, so nothing invites it.
    assert terminal.said[-1] == "The session has ended.", terminal.said[-3:]


def test_keys_that_stop_coming_leave_the_session_running(terminal: Terminal) -> None:
    terminal.press("\n", then=0.4)
    os.close(terminal.keys)
    terminal.keys = os.open(os.devnull, os.O_WRONLY)  # for close()
    terminal.run(0.6)
    assert terminal.lead.runner is not None and terminal.lead.runner.running
