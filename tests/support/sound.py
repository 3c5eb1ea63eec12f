"""Sound in the app as the tests hear it: a player that writes down what it is asked to
play (the player interface is calm's seam for sound devices), and a short session
run with it on a hand-set clock."""

from __future__ import annotations

import asyncio
import io

import pytest

import calm.sound.players
from calm.core.clock import ManualClock
from calm.core.loader import parse_script_bytes
from calm.core.timeline import compile_timeline
from calm.core.trace import TraceWriter
from calm.sound.players import Clip, PlaybackError
from calm.tui.app import CalmApp
from tests.support.apps import calm_app

SCRIPT = """\
title = "Cues"
summary = "Two breaths."
category = "breathing"

[[steps]]
breathe = "Breathe."
pattern = "2-2"
cycles = 2
"""


class RecordingPlayer:
    """A player that remembers what it was asked to play: the player interface is calm's seam
    for sound devices."""

    name = "recorder"

    def __init__(self, fail: bool = False) -> None:
        self.played: list[str] = []
        self.fail = fail

    def prepare(self, clips: list[Clip]) -> None:
        """Nothing to prepare."""

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Record the clip, or refuse like a broken device."""
        if self.fail:
            raise PlaybackError("device unplugged")
        self.played.append(clip.name)

    def loop(self, clip: Clip) -> None:
        """Record the bed."""
        self.played.append(f"loop {clip.name}")

    def stop_loop(self) -> None:
        """Nothing to stop."""

    def hold(self, held: bool) -> None:
        """Nothing to hold."""

    def settle(self, timeout: float) -> None:
        """Nothing to wait for."""

    def stop(self) -> None:
        """Nothing to stop."""


def run(player: RecordingPlayer, monkeypatch: pytest.MonkeyPatch, keys: list[str]) -> CalmApp:
    """Run two breaths with ``player``, pressing ``keys`` after the first inhale."""
    monkeypatch.setattr(calm.sound.players, "choose_player", lambda ring=None: player)
    script = parse_script_bytes(SCRIPT.encode(), name="cues", source="cues.toml")
    clock = ManualClock(100.0)
    trace = io.StringIO()
    app = calm_app(
        timeline=compile_timeline(script),
        clock=clock,
        tip=lambda: "tip",
        volume=70,
        trace=TraceWriter(trace),
    )
    app.trace_text = trace  # type: ignore[attr-defined]

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            for _ in range(4):
                clock.advance(2.0)
                app.screen.tick()
                await pilot.pause()

    asyncio.run(scenario())
    return app
