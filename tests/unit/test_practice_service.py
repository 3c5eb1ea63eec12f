"""The practice service runs what surrounds a session the same way for every front end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from calm.core.clock import ManualClock
from calm.core.loader import parse_script_bytes
from calm.core.session import Status
from calm.core.timeline import Timeline, compile_timeline
from calm.core.trace import TraceWriter
from calm.practice.history import HistoryStore
from calm.practice.history_rows import SessionRecord
from calm.practice.options import SessionOptions
from calm.practice.recording import SessionRecorder
from calm.practice.service import Practice
from calm.practice.told import ToldOnce
from tests.support.fake_sound import FakeSound

SCRIPT = """
title = "Two breaths"
summary = "A short one."
category = "breathing"
{reminder}

[[steps]]
breathe = ""
pattern = "4-0-4-0"
cycles = 2
"""


def timeline(reminder: str = "") -> Timeline:
    """Two breaths of 8 s, with ``reminder`` afterwards if given."""
    text = SCRIPT.format(reminder=f'reminder = "{reminder}"' if reminder else "")
    return compile_timeline(parse_script_bytes(text.encode(), name="two", source="two.toml"))


def rows(history: Path) -> list[SessionRecord]:
    """The sessions in the history at ``history``, newest first."""
    store = HistoryStore.open(history)
    try:
        return store.sessions()
    finally:
        store.close()


def recorder(path: Path, said: list[str]) -> SessionRecorder:
    """A recorder on a real history file at ``path``."""
    opened = SessionRecorder.open(path, notify=said.append)
    assert opened is not None
    return opened


def test_a_session_is_recorded_from_its_start_to_its_end(tmp_path: Path) -> None:
    """Begun, the row reads interrupted; ended, completed, with the week's sentence back."""
    history = tmp_path / "history.sqlite3"
    said: list[str] = []
    practice = Practice(SessionOptions(history=True), recorder=recorder(history, said))
    clock = ManualClock()
    runner = practice.begin(timeline(), mood_before=2, clock=clock)
    (row,) = rows(history)
    assert row.status == Status.INTERRUPTED and row.mood_before == 2
    runner.start()
    clock.advance(16)
    runner.poll()
    sentence = practice.end(runner.outcome())
    practice.mood_after(1)
    practice.close()
    (row,) = rows(history)
    assert row.status == Status.COMPLETED and row.breaths == 2 and row.mood_after == 1
    assert sentence is not None and "16 s" in sentence
    assert said == []


def test_listeners_hear_each_event_after_the_trace_and_the_sound(tmp_path: Path) -> None:
    """The trace first, the sound next, then the front end's own listener."""
    order: list[str] = []
    handle = io.StringIO()
    trace = TraceWriter(handle)
    sound = FakeSound()
    practice = Practice(
        SessionOptions(volume=50), trace=trace, make_sound=lambda timeline, ring: sound
    )
    runner = practice.begin(
        timeline(),
        clock=ManualClock(),
        listeners=[lambda event: order.append(f"view {len(handle.getvalue().splitlines())}")],
    )
    sound.heard = order  # the sound notes each event it hears in the same list
    runner.start()
    # Each event reached the view after its trace line was written and the sound heard it.
    assert order == ["step", "view 1", "phase", "view 2"]
    assert practice.sound is sound and practice.runner is runner


def test_silence_makes_no_sound_at_all() -> None:
    """At volume 0 no sound is made ready, so no device is opened."""
    made: list[Timeline] = []
    practice = Practice(SessionOptions(volume=0), make_sound=lambda t, r: made.append(t))
    practice.begin(timeline(), clock=ManualClock())
    assert made == [] and practice.sound is None


def test_sound_made_ready_early_is_the_sound_the_session_plays() -> None:
    """prepare_sound before the opening lines, then begin: made once, not twice."""
    made: list[FakeSound] = []

    def make(timeline: Timeline, ring: object) -> FakeSound:
        made.append(FakeSound())
        return made[-1]

    practice = Practice(SessionOptions(volume=50), make_sound=make)  # type: ignore[arg-type]
    chosen = timeline()
    practice.prepare_sound(chosen)
    practice.begin(chosen, clock=ManualClock())
    assert len(made) == 1 and practice.sound is made[0]


def test_notices_go_where_the_front_end_says_while_it_says_so(tmp_path: Path) -> None:
    """A trace that fails speaks through the service: to the screen while it is up,
    to the first place before and after."""
    before: list[str] = []
    screen: list[str] = []

    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(5, "Input/output error")

    practice = Practice(trace=TraceWriter(Broken()), notify=before.append)
    with practice.telling(screen.append):
        practice.begin(timeline(), clock=ManualClock()).start()
    assert screen and "trace" in screen[0] and before == []
    practice.notify("after")
    assert before == ["after"]


def test_a_second_session_gets_a_row_of_its_own(tmp_path: Path) -> None:
    """Again from the summary, or another from the list: two rows, each ended."""
    history = tmp_path / "history.sqlite3"
    practice = Practice(SessionOptions(history=True), recorder=recorder(history, []))
    for _ in range(2):
        runner = practice.begin(timeline(), clock=ManualClock())
        runner.start()
        runner.finish()
        practice.end(runner.outcome())
    practice.close()
    assert [row.status for row in rows(history)] == [Status.ENDED_EARLY, Status.ENDED_EARLY]


def test_ending_late_leaves_out_the_time_since_the_signal(tmp_path: Path) -> None:
    """A signal came 3 s before calm could write: the session ended then, not now."""
    history = tmp_path / "history.sqlite3"
    practice = Practice(SessionOptions(history=True), recorder=recorder(history, []))
    clock = ManualClock()
    runner = practice.begin(timeline(), clock=clock)
    runner.start()
    clock.advance(10)
    outcome = practice.end_now(late=3)
    assert outcome is not None and outcome.practised_seconds == pytest.approx(7)
    practice.close()
    (row,) = rows(history)
    assert row.practised_seconds == pytest.approx(7) and row.status == Status.ENDED_EARLY
    assert Practice().end_now() is None  # nothing begun, nothing to end


def test_afterwards_is_the_script_reminder_else_a_tip_and_a_demo_shows_only_the_script() -> None:
    """The script's own words win; a tip fills in; a demo has no tip."""
    tips = iter(["Drink some water."])
    practice = Practice(tip=lambda: next(tips))
    assert practice.afterwards(timeline("Roll your shoulders.")) == "Roll your shoulders."
    assert practice.afterwards(timeline()) == "Drink some water."
    demo = Practice(SessionOptions(demo=True), tip=lambda: "never")
    assert demo.afterwards(timeline()) == ""


def test_a_sound_notice_with_a_told_mark_is_said_once_until_sound_works(tmp_path: Path) -> None:
    """No device: said at the first session, not the next; after sound works, said again."""
    said: list[str] = []
    told = ToldOnce(tmp_path / "told")
    practice = Practice(SessionOptions(volume=50), notify=said.append, told=told)
    practice._sound_notice("No sound device.")
    practice._sound_notice("No sound device.")
    assert said == ["No sound device."]
    practice.sound = FakeSound()  # type: ignore[assignment]
    practice.end(Practice().begin(timeline(), clock=ManualClock()).outcome())
    practice._sound_notice("No sound device.")
    assert said == ["No sound device.", "No sound device."]


def test_the_end_chime_rings_out_only_after_a_completed_session() -> None:
    """Completed: the chime may finish; ended early or left at once: it stops."""
    sound = FakeSound()
    practice = Practice(SessionOptions(volume=50), make_sound=lambda t, r: sound)
    runner = practice.begin(timeline(), clock=ManualClock())
    runner.start()
    runner.finish()
    practice.ring_out(runner.outcome(), timeout=3)
    assert sound.finished_for is None
    completed = runner.outcome().__class__(Status.COMPLETED, 16, 16, 2)
    practice.ring_out(completed, timeout=3, left_at_once=True)
    assert sound.finished_for is None
    practice.ring_out(completed, timeout=3)
    assert sound.finished_for == 3


def test_open_says_why_a_trace_cannot_be_kept_and_records_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CALM_TRACE naming a folder is one notice; history off opens no history file."""
    monkeypatch.setenv("CALM_TRACE", str(tmp_path))
    said: list[str] = []
    history = tmp_path / "history.sqlite3"
    practice = Practice.open(
        SessionOptions(history=False), notify=said.append, history_file=history
    )
    assert practice.trace is None and practice.recorder is None and not history.exists()
    assert len(said) == 1 and "not tracing" in said[0]
    monkeypatch.delenv("CALM_TRACE")
    recording = Practice.open(
        SessionOptions(history=True), notify=said.append, history_file=history
    )
    assert recording.recorder is not None
    recording.close()
    assert history.exists()
    assert json.dumps(said)  # every notice is plain text


def test_open_says_what_the_history_found_before_the_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged history's notice comes first, as it did before the service, so the
    screen's few notice lines never lose it to the trace's."""
    monkeypatch.setenv("CALM_TRACE", str(tmp_path))
    history = tmp_path / "history.sqlite3"
    history.write_bytes(b"not a history at all")
    said: list[str] = []
    practice = Practice.open(SessionOptions(history=True), notify=said.append, history_file=history)
    practice.close()
    assert len(said) == 2
    assert "damaged" in said[0] and "not tracing" in said[1]
