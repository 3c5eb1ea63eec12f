"""The session recorder on real SQLite files: what it writes, and how it fails quietly."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from calm.core.clock import ManualClock
from calm.core.loader import parse_script_bytes
from calm.core.session import SessionOutcome, SessionRunner, Status
from calm.core.timeline import Timeline, compile_timeline
from calm.practice.history import HistoryStore
from calm.practice.history_schema import MIGRATIONS
from calm.practice.pending import MAX_FILES, pending_folder, waiting
from calm.practice.recording import BUSY_NOTICE, SessionRecorder

WALL = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PAGE = 4096

SCRIPT = b"""
title = "Two breaths"
summary = "A test."
category = "breathing"

[[steps]]
breathe = "Breathe."
pattern = "2-2"
cycles = 2
"""


def timeline() -> Timeline:
    """An 8-second session."""
    return compile_timeline(parse_script_bytes(SCRIPT, name="two", source="two.toml"))


def outcome(status: Status = Status.COMPLETED, seconds: float = 8.0) -> SessionOutcome:
    """How a session of ``timeline()`` went."""
    return SessionOutcome(status, practised_seconds=seconds, planned_seconds=8.0, breaths=2)


def open_recorder(path: Path, notices: list[str]) -> SessionRecorder:
    """A recorder whose wall clock never moves."""
    recorder = SessionRecorder.open(path, notify=notices.append, now=lambda: WALL)
    assert recorder is not None
    return recorder


def records(path: Path) -> list[tuple[str, str, float, int | None, int | None]]:
    """(script, status, practised seconds, mood before, mood after) of every row, oldest first."""
    store = HistoryStore.open(path)
    try:
        return [
            (r.script, r.status, r.practised_seconds, r.mood_before, r.mood_after)
            for r in reversed(store.sessions())
        ]
    finally:
        store.close()


def test_a_session_is_written_at_its_start_and_completed_at_its_end(tmp_path: Path) -> None:
    """Started: interrupted with no time. Ended: completed with the practised time."""
    path = tmp_path / "history.sqlite3"
    notices: list[str] = []
    recorder = open_recorder(path, notices)
    recorder.started(timeline(), mood_before=4)
    assert records(path) == [("two", "interrupted", 0.0, 4, None)]
    recorder.ended(outcome())
    recorder.mood_after(2)
    assert records(path) == [("two", "completed", 8.0, 4, 2)]
    assert notices == []


def test_only_the_first_end_counts(tmp_path: Path) -> None:
    """Ctrl+C after the summary was reached must not rewrite how the session ended."""
    path = tmp_path / "history.sqlite3"
    recorder = open_recorder(path, [])
    recorder.started(timeline())
    recorder.ended(outcome())
    recorder.ended(outcome(Status.ENDED_EARLY, 3.0))
    assert records(path) == [("two", "completed", 8.0, None, None)]


def test_nothing_is_written_before_the_session_starts(tmp_path: Path) -> None:
    """An end or a mood with no started session writes nothing."""
    path = tmp_path / "history.sqlite3"
    recorder = open_recorder(path, [])
    recorder.ended(outcome())
    recorder.mood_after(3)
    assert records(path) == []
    assert recorder.week_sentence() is None


def test_the_progress_sentence_counts_this_session(tmp_path: Path) -> None:
    """After the end is written, the week's sentence includes it."""
    path = tmp_path / "history.sqlite3"
    recorder = open_recorder(path, [])
    recorder.started(timeline())
    recorder.ended(outcome(seconds=90.0))
    sentence = recorder.week_sentence()
    assert sentence is not None and "1 min 30 s" in sentence


def test_a_busy_history_is_written_when_it_is_free(tmp_path: Path) -> None:
    """Another program holding the file: one notice, and everything is written at close."""
    path = tmp_path / "history.sqlite3"
    notices: list[str] = []
    store = HistoryStore.open(path, busy_seconds=0.05)
    recorder = SessionRecorder(store, notify=notices.append, now=lambda: WALL)
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as blocker:
        blocker.execute("BEGIN EXCLUSIVE")
        recorder.started(timeline(), mood_before=5)
        recorder.ended(outcome())
        recorder.mood_after(1)
        assert recorder.week_sentence() is None
        blocker.execute("ROLLBACK")
    assert notices == [BUSY_NOTICE]
    assert records(path) == []
    recorder.close()
    assert records(path) == [("two", "completed", 8.0, 5, 1)]
    assert len(notices) == 1


def test_a_history_busy_to_the_end_keeps_the_session_beside_it(tmp_path: Path) -> None:
    """Still held when calm closes: one line saying where the session is kept, and the next
    calm to open the history adds it, whole and once."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    notices: list[str] = []
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as blocker:
        blocker.execute("BEGIN EXCLUSIVE")
        recorder = busy_recorder(path, notices)
        recorder.started(timeline(), mood_before=4)
        recorder.ended(outcome())
        recorder.mood_after(2)
        recorder.close()
        blocker.execute("ROLLBACK")
    folder = pending_folder(path)
    assert notices == [
        BUSY_NOTICE,
        "calm: another program is still using the history; this session is kept in "
        f"{folder} and will be added the next time calm opens it",
    ]
    assert len(waiting(path)) == 1
    assert records(path) == [("two", "completed", 8.0, 4, 2)]
    assert waiting(path) == []
    assert records(path) == [("two", "completed", 8.0, 4, 2)]


def test_a_session_begun_before_the_file_was_held_is_completed_not_doubled(
    tmp_path: Path,
) -> None:
    """Written as it started, then held at its end: the kept session completes its own row."""
    path = tmp_path / "history.sqlite3"
    notices: list[str] = []
    recorder = SessionRecorder.open(path, notify=notices.append, now=lambda: WALL, closing_wait=0)
    assert recorder is not None
    recorder.started(timeline())
    assert records(path) == [("two", "interrupted", 0.0, None, None)]
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as blocker:
        blocker.execute("BEGIN EXCLUSIVE")
        recorder.ended(outcome(Status.ENDED_EARLY, seconds=5.0))
        recorder.close()
        blocker.execute("ROLLBACK")
    assert len(waiting(path)) == 1
    assert records(path) == [("two", "ended_early", 5.0, None, None)]


def test_a_file_held_exclusively_as_calm_starts_is_written_once_it_is_free(
    tmp_path: Path,
) -> None:
    """A program in exclusive locking mode holds the file as the session begins: the
    recorder is made all the same, and writes everything once the file is let go."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    notices: list[str] = []
    with closing(sqlite3.connect(path, isolation_level=None)) as blocker:
        blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
        blocker.execute("BEGIN EXCLUSIVE")
        blocker.execute("COMMIT")  # the lock stays held, as that mode does
        recorder = SessionRecorder.open(path, notify=notices.append, now=lambda: WALL)
        assert recorder is not None
        recorder.started(timeline(), mood_before=3)
    recorder.ended(outcome())
    assert recorder.week_sentence() is not None
    recorder.close()
    assert notices == [BUSY_NOTICE]
    assert records(path) == [("two", "completed", 8.0, 3, None)]
    assert waiting(path) == []


def test_a_kept_session_is_added_once_however_often_it_is_found(tmp_path: Path) -> None:
    """A calm stopped after adding a kept session but before removing its file, or two
    calms adding it at once: the history holds it once."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as blocker:
        blocker.execute("BEGIN EXCLUSIVE")
        recorder = busy_recorder(path, [])
        recorder.started(timeline())
        recorder.ended(outcome())
        recorder.close()
        blocker.execute("ROLLBACK")
    (kept,) = waiting(path)
    copy = kept.read_bytes()
    assert records(path) == [("two", "completed", 8.0, None, None)]
    kept.write_bytes(copy)  # as if the calm that added it had stopped before removing it
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            HistoryStore.open(path, busy_seconds=5).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert records(path) == [("two", "completed", 8.0, None, None)]
    assert waiting(path) == []


def test_a_kept_file_that_is_not_a_session_is_set_aside_with_one_line(tmp_path: Path) -> None:
    """A file in the pending folder that calm cannot read is kept under another name, and
    the store says so once; the history opens as usual."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    folder = pending_folder(path)
    folder.mkdir()
    (folder / "bad.json").write_text('{"script": "x", "title": 5}', encoding="utf-8")
    (folder / "worse.json").write_text("[" * 100_000, encoding="utf-8")
    store = HistoryStore.open(path)
    try:
        assert len(store.notices) == 2
        assert all("could not be read" in notice for notice in store.notices)
        assert store.sessions() == []
    finally:
        store.close()
    assert sorted(file.name for file in folder.iterdir()) == [
        "bad.json.unreadable",
        "worse.json.unreadable",
    ]
    reopened = HistoryStore.open(path)
    assert reopened.notices == []
    reopened.close()


def test_a_full_pending_folder_says_the_session_could_not_be_kept(tmp_path: Path) -> None:
    """The pending folder is bounded: past its limit, one line says the session is lost."""
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    folder = pending_folder(path)
    folder.mkdir()
    for number in range(MAX_FILES):
        (folder / f"{number:04}.json").write_text("{}", encoding="utf-8")
    notices: list[str] = []
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as blocker:
        blocker.execute("BEGIN EXCLUSIVE")
        recorder = busy_recorder(path, notices)
        recorder.started(timeline())
        recorder.ended(outcome())
        recorder.close()
        blocker.execute("ROLLBACK")
    assert len(notices) == 2
    assert notices[1].startswith("calm: this session could not be written to the history: ")
    assert f"already holds {MAX_FILES} sessions waiting" in notices[1]


def busy_recorder(path: Path, notices: list[str]) -> SessionRecorder:
    """A recorder on a history another connection is holding, which waits no time at the end."""
    recorder = SessionRecorder.open(path, notify=notices.append, now=lambda: WALL, closing_wait=0.2)
    assert recorder is not None
    return recorder


def test_a_broken_write_gives_one_notice_and_then_silence(tmp_path: Path) -> None:
    """A failure that waiting cannot mend stops the recording, with one notice."""
    path = tmp_path / "history.sqlite3"
    notices: list[str] = []
    recorder = open_recorder(path, notices)
    recorder.started(timeline())
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("DROP TABLE sessions")
    recorder.ended(outcome())
    recorder.mood_after(2)
    recorder.close()
    assert len(notices) == 1
    assert notices[0].startswith("calm: this session could not be written to the history: ")


def test_damage_found_at_the_first_write_keeps_the_file_and_records_afresh(
    tmp_path: Path,
) -> None:
    """A file whose schema reads fine but whose pages are broken is kept aside, not lost."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    for _ in range(500):
        store.begin(script="box", title="Box breathing" * 4, planned_seconds=240,
                    started_at=WALL - timedelta(days=1))  # fmt: skip
    store.close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    damaged = data[: 2 * PAGE] + b"\xff" * (len(data) - 2 * PAGE)
    path.write_bytes(damaged)

    notices: list[str] = []
    recorder = open_recorder(path, notices)
    recorder.started(timeline())
    recorder.ended(outcome())

    (kept,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert kept.read_bytes() == damaged
    assert notices == [
        f"calm: the history file was damaged; it is kept as {kept}, and a new one started"
    ]
    assert records(path) == [("two", "completed", 8.0, None, None)]


def test_a_version_two_file_is_migrated_to_order_by_the_moment(tmp_path: Path) -> None:
    """A file from before schema 3 gains the stats indexes and the moment index."""
    path = tmp_path / "history.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        for number, migration in enumerate(MIGRATIONS[:2], start=1):
            connection.executescript(migration)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.commit()
    HistoryStore.open(path).close()
    with closing(sqlite3.connect(path)) as connection:
        found = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        indexes = {row[0] for row in found}
    stats = {"sessions_sound_day", "sessions_sound_script", "sessions_sound_moods"}
    assert stats | {"sessions_moment"} <= indexes
    assert not {"sessions_started_at", "sessions_day", "sessions_script"} & indexes


LONG = SCRIPT.replace(b"cycles = 2", b"cycles = 30")
"""Two minutes of 2-2 breathing."""


def test_a_running_session_writes_down_its_time_every_half_minute(tmp_path: Path) -> None:
    """Cut off after 61 s, the row still says how long was practised and stays interrupted."""
    path = tmp_path / "history.sqlite3"
    recorder = open_recorder(path, [])
    clock = ManualClock(100.0)
    long = compile_timeline(parse_script_bytes(LONG, name="long", source="long.toml"))
    runner = SessionRunner(long, clock=clock)
    runner.add_listener(recorder.follow(runner))
    recorder.started(long)
    runner.start()
    seen = []
    for _ in range(61):
        clock.advance(1.0)
        runner.poll()
        seen.append(records(path)[0][2])
    # Written at the first boundary 30 s or more after the last write: 30 s, then 60 s.
    assert sorted(set(seen)) == [0.0, 30.0, 60.0]
    assert seen.index(30.0) == 29 and seen.index(60.0) == 59
    assert records(path)[0][1] == "interrupted"
    store = HistoryStore.open(path)
    assert store.sessions()[0].breaths == 15
    store.close()
    recorder.ended(runner.outcome())
    runner.poll()
    clock.advance(40.0)
    runner.poll()
    assert records(path)[0][1:3] == ("ended_early", 61.0)


def test_a_paused_session_writes_its_practised_time_not_its_wall_time(tmp_path: Path) -> None:
    """A pause is not practice: the time written down leaves it out."""
    path = tmp_path / "history.sqlite3"
    recorder = open_recorder(path, [])
    clock = ManualClock(0.0)
    long = compile_timeline(parse_script_bytes(LONG, name="long", source="long.toml"))
    runner = SessionRunner(long, clock=clock)
    runner.add_listener(recorder.follow(runner))
    recorder.started(long)
    runner.start()
    clock.advance(10.0)
    runner.pause()
    clock.advance(100.0)
    runner.resume()
    clock.advance(24.0)
    runner.poll()
    assert records(path)[0][2] == 34.0


def test_a_session_across_midnight_counts_for_the_day_it_began(tmp_path: Path) -> None:
    """Begun late on Sunday, ended on Monday: it is in Sunday's week, and the sentence says so."""
    path = tmp_path / "history.sqlite3"
    sunday_night = datetime(2026, 11, 29, 23, 58, tzinfo=UTC)
    moments = iter([sunday_night, sunday_night + timedelta(minutes=5)])
    recorder = SessionRecorder.open(path, notify=[].append, now=lambda: next(moments))
    assert recorder is not None
    recorder.started(timeline())
    recorder.ended(outcome(seconds=300.0))
    assert recorder.week_sentence() == "That's 5 min of practice this week."
