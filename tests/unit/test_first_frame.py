"""What waits for the first screen: the history and the trace open afterwards, with their
notices still first; the sound is made ahead, and a session that begins at once has its
first cue at its start and its bed a moment later; Python's collector runs for every
command without a screen."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import calm.sound.cues
import calm.sound.players
from calm.core.clock import ManualClock
from calm.core.loader import parse_script_bytes
from calm.core.session import Status
from calm.core.timeline import Timeline, compile_timeline
from calm.practice.options import SessionOptions
from calm.practice.service import Practice
from calm.sound.players import Clip
from tests.support.sound import SCRIPT, RecordingPlayer


def timeline() -> Timeline:
    """Two breaths of 2-2, with their cues."""
    return compile_timeline(parse_script_bytes(SCRIPT.encode(), name="cues", source="cues.toml"))


def test_opening_later_opens_nothing_until_asked(tmp_path: Path) -> None:
    """The history and the trace stay closed, and say nothing, until open_records."""
    history = tmp_path / "history.sqlite3"
    said: list[str] = []
    practice = Practice.opening_later(
        SessionOptions(history=True), notify=said.append, history_file=history
    )
    assert practice.recorder is None and not history.exists() and said == []
    practice.open_records()
    assert practice.recorder is not None and history.exists()
    practice.open_records()  # once only
    practice.close()


def test_a_damaged_history_opened_later_is_still_said_before_the_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trace opens as the session begins, to hear its first event, but its notice
    waits for the history's, which still comes first."""
    monkeypatch.setenv("CALM_TRACE", str(tmp_path))  # a folder: not traced, one notice
    history = tmp_path / "history.sqlite3"
    history.write_bytes(b"not a history at all")
    said: list[str] = []
    practice = Practice.opening_later(
        SessionOptions(history=True), notify=said.append, history_file=history
    )
    practice.begin(timeline(), clock=ManualClock())
    assert said == []
    practice.open_records()
    assert len(said) == 2
    assert "damaged" in said[0] and "not tracing" in said[1]
    practice.close()


def test_a_session_begun_before_the_history_opens_is_recorded_whole(tmp_path: Path) -> None:
    """A session that begins before the first screen is up (--skip-caution) is written
    down once the history opens, and ended as it ends: it never loses its record."""
    from calm.practice.history import HistoryStore

    history = tmp_path / "history.sqlite3"
    practice = Practice.opening_later(
        SessionOptions(history=True), notify=lambda _: None, history_file=history
    )
    clock = ManualClock()
    runner = practice.begin(timeline(), clock=clock)
    runner.start()
    practice.open_records()
    clock.advance(60)
    runner.poll()
    practice.end(runner.outcome())
    practice.close()
    store = HistoryStore.open(history, read_only=True)
    (row,) = store.sessions(10, left_out=[])
    store.close()
    assert row.status == Status.COMPLETED


def test_a_session_that_ends_before_the_history_opens_is_still_recorded(tmp_path: Path) -> None:
    """Ended at once (a signal before the first screen was up): opened, written, ended."""
    from calm.practice.history import HistoryStore

    history = tmp_path / "history.sqlite3"
    practice = Practice.opening_later(
        SessionOptions(history=True), notify=lambda _: None, history_file=history
    )
    runner = practice.begin(timeline(), clock=ManualClock())
    runner.start()
    practice.end_now()
    practice.close()
    store = HistoryStore.open(history, read_only=True)
    (row,) = store.sessions(10, left_out=[])
    store.close()
    assert row.status == Status.ENDED_EARLY


class HandOver:
    """The front end's thread, as a test runs it: what is handed over waits to be run."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def __call__(self, call: Callable[[], None]) -> None:
        self.waiting.append(call)

    def run(self) -> None:
        """Run what was handed over, as the front end's loop would."""
        while self.waiting:
            self.waiting.pop(0)()


def late_bed_practice(
    monkeypatch: pytest.MonkeyPatch, player: RecordingPlayer
) -> tuple[Practice, HandOver]:
    """A practice with an ambient bed on a front end that takes beds made late."""
    monkeypatch.setattr(calm.sound.players, "choose_player", lambda ring=None: player)
    bed = Clip(name="ambient pink", pcm=b"\x00\x00" * 10, rate=44100)
    monkeypatch.setattr(calm.sound.cues, "load_bed", lambda name, volume: bed)
    practice = Practice(SessionOptions(volume=70, ambient="pink"))
    hand_over = HandOver()
    practice.hand_over = hand_over
    return practice, hand_over


def wait_for_hand_over(hand_over: HandOver) -> None:
    """Wait for the bed's thread to hand its bed over (it is made in a moment)."""
    deadline = time.monotonic() + 30
    while not hand_over.waiting:
        assert time.monotonic() < deadline, "the bed was never handed over"
        time.sleep(0.01)


def test_a_session_that_begins_at_once_rings_its_first_cue_at_its_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With nothing made ahead (--skip-caution), the cues are ready as the session begins:
    its first moment plays the first cue; the bed, made in a thread, joins a moment later."""
    player = RecordingPlayer()
    practice, hand_over = late_bed_practice(monkeypatch, player)
    clock = ManualClock()
    runner = practice.begin(timeline(), clock=clock)
    runner.start()
    assert player.played == ["inhale"]
    wait_for_hand_over(hand_over)
    hand_over.run()
    assert player.played == ["inhale", "loop ambient pink"]
    clock.advance(2)
    runner.poll()
    assert player.played[-1] == "exhale"


def test_a_bed_made_before_the_session_starts_waits_for_its_first_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bed that arrives before the first event loops from the session's first moment."""
    player = RecordingPlayer()
    practice, hand_over = late_bed_practice(monkeypatch, player)
    runner = practice.begin(timeline(), clock=ManualClock())
    wait_for_hand_over(hand_over)
    hand_over.run()
    assert player.played == []
    runner.start()
    assert player.played == ["loop ambient pink", "inhale"]


def test_a_bed_that_comes_after_the_end_never_plays(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session ended before its bed was made: the bed stays silent."""
    player = RecordingPlayer()
    practice, hand_over = late_bed_practice(monkeypatch, player)
    runner = practice.begin(timeline(), clock=ManualClock())
    runner.start()
    runner.finish()
    practice.end(runner.outcome())
    wait_for_hand_over(hand_over)
    hand_over.run()
    assert "loop ambient pink" not in player.played


def test_sound_made_ahead_is_the_sound_the_session_plays(monkeypatch: pytest.MonkeyPatch) -> None:
    """prepare_sound_soon makes the sound in a thread; begin takes it, bed and all."""
    player = RecordingPlayer()
    practice, hand_over = late_bed_practice(monkeypatch, player)
    chosen = timeline()
    practice.prepare_sound_soon(chosen)
    runner = practice.begin(chosen, clock=ManualClock())
    runner.start()
    assert player.played == ["loop ambient pink", "inhale"]
    assert hand_over.waiting == []  # nothing made late


PROBE = """\
import gc, json, os, sys
import calm.core.library

path = sys.argv[1]
def discover(*args, **kwargs):
    with open(path, "w", encoding="utf-8") as report:
        json.dump({"collecting": gc.isenabled()}, report)
    os._exit(0)  # what the command goes on to do does not matter here
calm.core.library.Library.discover = discover
sys.argv = ["calm", *sys.argv[2:]]
from calm.__main__ import run
run()
"""
"""Runs calm as its command does, up to finding the scripts: notes whether the collector
runs by then."""


@pytest.mark.parametrize("args", [["list"], ["start", "box", "--plain"], ["show", "box"]])
def test_a_command_without_a_screen_runs_with_the_garbage_collector(
    args: list[str], tmp_path: Path
) -> None:
    """calm holds the collector off only until a screen's first frame: a command with
    no screen lets it go before it does its work."""
    report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args],
        cwd=tmp_path,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert json.loads(report.read_text(encoding="utf-8")) == {"collecting": True}
    assert gc.isenabled()


def test_every_command_group_is_joined_as_typer_would_join_it() -> None:
    """root.GROUPS names each group's commands as its module registers them."""
    import importlib

    import typer.core
    import typer.main

    from calm.cli.root import GROUPS

    for module, name, commands in GROUPS:
        command = typer.main.get_command(importlib.import_module(module).app)
        if name is not None:
            expected = [name]
        elif isinstance(command, typer.core.TyperGroup):
            expected = list(command.commands)
        else:
            expected = [command.name]
        assert list(commands) == expected, module


def test_the_bed_of_a_session_begun_before_the_first_screen_waits_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing of the bed is made before the screen is up: it starts at screen_up."""
    player = RecordingPlayer()
    monkeypatch.setattr(calm.sound.players, "choose_player", lambda ring=None: player)
    asked: list[str] = []
    bed = Clip(name="ambient pink", pcm=b"\x00\x00" * 10, rate=44100)

    def load_bed(name: str, volume: int) -> Clip:
        asked.append(name)
        return bed

    monkeypatch.setattr(calm.sound.cues, "load_bed", load_bed)
    options = SessionOptions(volume=70, ambient="pink", history=False)
    practice = Practice.opening_later(options, notify=lambda _: None)
    hand_over = HandOver()
    practice.hand_over = hand_over
    runner = practice.begin(timeline(), clock=ManualClock())
    runner.start()
    assert player.played == ["inhale"] and asked == []
    practice.screen_up()
    wait_for_hand_over(hand_over)
    hand_over.run()
    assert asked == ["pink"] and player.played == ["inhale", "loop ambient pink"]
