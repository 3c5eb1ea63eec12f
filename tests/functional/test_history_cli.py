"""The practice history end to end: real ``calm`` processes writing and reading a real SQLite file.

Every test runs in the isolated home from ``tests/conftest.py``, so the history
is ``$XDG_DATA_HOME/calm/history.sqlite3`` (``locations.history_file()``). The
expected answers are worked out here from what was seeded, never by calm's own
code. The widest of the three terminal widths the tables are fitted to runs only in the
slow half (``-m slow``), as 80 columns takes the same way.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from calm import locations
from calm.practice.history import HistoryStore
from calm.practice.recording import BUSY_NOTICE
from calm.practice.tips import TIPS
from tests.support.scripts import tiny_script
from tests.support.terminal import Terminal, tmux_server

TIMEOUT = 30
"""Seconds any one calm process may take before the test gives up on it."""

QUICK = tiny_script(
    title="Quick breath",
    summary="A half-second script for recording tests.",
    category="breathing",
)
"""A whole session in half a second: 0.1 s of words, then two breaths of 0.2 s. About
twenty tests run one, each a real calm recording it in real time."""
QUICK_SECONDS = 0.5
QUICK_BREATHS = 2

LONG = tiny_script(
    title="Long breath",
    summary="A forty-second script for recording tests.",
    category="breathing",
    say_seconds=0.2,
    cycles=100,
    inhale=0.2,
    exhale=0.2,
)
"""Forty seconds of breathing (0.2 s of words, then 100 breaths of 0.4 s): long enough
to be cut off part way."""

TINY = tiny_script(
    title="Tiny pause",
    summary="A fifth of a second, for tests that only need some session to happen.",
    category="breathing",
    say_seconds=0.2,
    breathe=None,
)
"""A whole session in a fifth of a second."""

HEADER = [
    "script",
    "title",
    "started_at",
    "ended_at",
    "planned_seconds",
    "practised_seconds",
    "status",
    "breaths",
    "mood_before",
    "mood_after",
    "note",
]
"""The documented fields of an exported session, in order."""

GUILT = re.compile(r"\b(broke|broken|lost|missed|should|failed)\b", re.IGNORECASE)
"""Words the kind sentence after a session must never use."""


# -- helpers -----------------------------------------------------------------


def calm(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``calm`` with no terminal anywhere: stdin from /dev/null, output to pipes."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def start(script: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run a whole plain session of ``script``, silently."""
    return calm("start", str(script), "--plain", "--no-audio", *extra)


def write_script(folder: Path, text: str = QUICK, name: str = "quick") -> Path:
    """A script file in ``folder``; its name is the recorded script name."""
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def history_path() -> Path:
    """The history file of the isolated home."""
    return locations.history_file()


def stored_rows() -> list[dict[str, Any]]:
    """Every row of the history table, read straight from the file without calm."""
    uri = history_path().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM sessions ORDER BY id")]


def history_json() -> list[dict[str, Any]]:
    """``calm history --json``, parsed."""
    result = calm("history", "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The non-empty lines calm wrote to stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]


def rows_if_any() -> list[dict[str, Any]]:
    """The stored rows, or none when there is no history file at all."""
    return stored_rows() if history_path().exists() else []


def damage_started_at(row: int, text: str = "garbage") -> None:
    """Overwrite one row's start time by hand, as a person with the sqlite3 shell might."""
    with closing(sqlite3.connect(history_path())) as connection, connection:
        connection.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (text, row))


def closing_line_index(lines: list[str]) -> int:
    """Where the plain runner's closing summary line is."""
    return next(i for i, line in enumerate(lines) if line.startswith("That's the end of"))


@dataclass(frozen=True)
class Seed:
    """One session to put in the history, and what every exported field must then read."""

    script: str
    title: str
    started_at: datetime
    planned_seconds: float = 300.0
    practised_seconds: float = 300.0
    status: str = "completed"
    breaths: int = 30
    mood_before: int | None = None
    mood_after: int | None = None
    note: str | None = None
    pause_seconds: float = 0.0
    """Wall-clock time the session spent paused, on top of the practice."""

    @property
    def ended_at(self) -> datetime | None:
        """When the session ended; never known for an interrupted one."""
        if self.status == "interrupted":
            return None
        return self.started_at + timedelta(seconds=self.practised_seconds + self.pause_seconds)

    def exported(self) -> dict[str, Any]:
        """The exported object this session must appear as."""
        ended = self.ended_at
        return {
            "script": self.script,
            "title": self.title,
            "started_at": self.started_at.isoformat(),
            "ended_at": ended.isoformat() if ended is not None else None,
            "planned_seconds": self.planned_seconds,
            "practised_seconds": self.practised_seconds if ended is not None else 0.0,
            "status": self.status,
            "breaths": self.breaths if ended is not None else 0,
            "mood_before": self.mood_before,
            "mood_after": self.mood_after,
            "note": self.note,
        }


def seed(*sessions: Seed) -> None:
    """Write sessions into the real history file through calm's store."""
    store = HistoryStore.open(history_path())
    try:
        for session in sessions:
            row = store.begin(
                script=session.script,
                title=session.title,
                planned_seconds=session.planned_seconds,
                started_at=session.started_at,
                mood_before=session.mood_before,
            )
            if session.ended_at is not None:
                store.finish(
                    row,
                    status=session.status,
                    practised_seconds=session.practised_seconds,
                    breaths=session.breaths,
                    ended_at=session.ended_at,
                )
            if session.mood_after is not None:
                store.set_mood_after(row, session.mood_after)
            if session.note is not None:
                store.set_note(row, session.note)
    finally:
        store.close()


def numbered_seeds(count: int) -> list[Seed]:
    """``count`` completed sessions a day apart, titled "Session 01" onwards, oldest first."""
    first = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    return [
        Seed(f"s{n:02}", f"Session {n:02}", first + timedelta(days=n)) for n in range(1, count + 1)
    ]


@contextmanager
def running_session(script: Path, **popen: Any) -> Iterator[subprocess.Popen[bytes]]:
    """A plain session running in the background; killed if the test leaves it running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "start", str(script), "--plain", "--no-audio"],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=TIMEOUT)


def read_until(process: subprocess.Popen[bytes], text: str, timeout: float = 15) -> str:
    """Read the process's output until ``text`` has appeared; fail after ``timeout`` seconds."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {text!r} in time; the output was {seen!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"calm stopped before {text!r}; the output was {seen!r}")
            seen += chunk
    return seen.decode()


def has_open(pid: int, name: str) -> bool:
    """Whether process ``pid`` has a file whose path ends with ``name`` open."""
    folder = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(folder / fd).endswith(name) for fd in os.listdir(folder))
    except OSError:
        return False


def local_zone() -> Any:
    """The local time zone as calm records it: the offset in force now."""
    return datetime.now().astimezone().tzinfo


# -- a real terminal ---------------------------------------------------------


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A fresh, wide tmux session with a plain shell in the test's isolated home."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    with tmux_server("calm-history", size=(200, 40), folder=tmp_path) as socket:
        yield Terminal(socket, "calm")


# -- recording a session -----------------------------------------------------


def test_a_plain_session_records_one_completed_row(tmp_path: Path) -> None:
    """One plain session leaves exactly one completed row with its script, times and breaths."""
    script = write_script(tmp_path)
    before = datetime.now(UTC)
    result = start(script)
    after = datetime.now(UTC)
    assert result.returncode == 0, result.stderr

    (row,) = stored_rows()
    assert (row["script"], row["title"], row["status"]) == ("quick", "Quick breath", "completed")
    assert row["planned_seconds"] == pytest.approx(QUICK_SECONDS)
    assert row["practised_seconds"] == pytest.approx(QUICK_SECONDS, abs=0.25)
    assert row["breaths"] == QUICK_BREATHS
    started = datetime.fromisoformat(row["started_at"])
    ended = datetime.fromisoformat(row["ended_at"])
    assert started.utcoffset() is not None and ended.utcoffset() is not None
    assert before <= started <= ended <= after
    assert (ended - started).total_seconds() >= row["practised_seconds"] - 0.001

    (exported,) = history_json()
    assert exported["started_at"] == row["started_at"]
    assert exported["ended_at"] == row["ended_at"]
    assert exported["practised_seconds"] == pytest.approx(row["practised_seconds"], abs=0.001)
    for key in ("script", "title", "planned_seconds", "status", "breaths"):
        assert exported[key] == row[key], key
    assert exported["mood_before"] is exported["mood_after"] is exported["note"] is None


def test_no_history_flag_records_nothing(tmp_path: Path) -> None:
    """``--no-history`` runs the session and leaves no history file behind."""
    result = start(write_script(tmp_path), "--no-history")
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    assert not history_path().exists()


def test_history_false_in_the_config_records_nothing(tmp_path: Path) -> None:
    """``history = false`` in config.toml records nothing, even into an existing history."""
    config = locations.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("history = false\n", encoding="utf-8")
    HistoryStore.open(history_path()).close()
    result = start(write_script(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert stored_rows() == []


def _write_config(text: str) -> None:
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")


def test_an_unclear_history_setting_records_nothing(tmp_path: Path) -> None:
    """``history = "no"``, text not a bool: one notice, "using false", and nothing recorded."""
    _write_config('history = "no"\n')
    result = start(write_script(tmp_path, TINY, "tiny"))
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    (notice,) = error_lines(result)
    assert notice.startswith("calm: ") and "history" in notice, notice
    assert "using false" in notice, notice
    assert not history_path().exists()
    assert not history_path().parent.exists()


def test_history_off_and_empty_does_not_promise_sessions_will_appear() -> None:
    """With ``history = false`` and nothing recorded, the empty history says only that."""
    _write_config("history = false\n")
    result = calm("history")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No sessions recorded yet."
    assert "appear" not in result.stdout + result.stderr


def test_sigkill_mid_session_leaves_an_interrupted_row(tmp_path: Path) -> None:
    """A session killed outright still shows in the history, as interrupted."""
    with running_session(write_script(tmp_path, LONG, "long")) as process:
        read_until(process, "Breathe in")
        process.kill()
        assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL
    (row,) = history_json()
    assert (row["script"], row["title"], row["status"]) == ("long", "Long breath", "interrupted")
    assert row["ended_at"] is None
    assert row["planned_seconds"] == pytest.approx(40.2)


def _default_sigint() -> None:
    # A shell may start background jobs with SIGINT ignored; a terminal's Ctrl+C is not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["SIGTERM", "SIGINT", "SIGHUP"]
)
def test_a_signal_mid_session_records_it_as_ended_early(tmp_path: Path, signum: int) -> None:
    """SIGTERM, SIGINT or SIGHUP (a closed window) part way ends the session calmly, recorded
    as ended early with its time."""
    with running_session(
        write_script(tmp_path, LONG, "long"), preexec_fn=_default_sigint
    ) as process:
        read_until(process, "Breathe out")
        process.send_signal(signum)
        _, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err
        assert b"Traceback" not in err
    (row,) = history_json()
    assert row["status"] == "ended_early"
    assert 0.2 < row["practised_seconds"] < row["planned_seconds"]
    assert row["breaths"] >= 0
    assert datetime.fromisoformat(row["ended_at"]) >= datetime.fromisoformat(row["started_at"])


@pytest.mark.skipif(sys.platform == "win32", reason="running marks need POSIX locks")
def test_a_session_still_running_reads_as_in_progress_until_it_is_cut_off(
    tmp_path: Path,
) -> None:
    """While a session runs in another terminal the table says "in progress"; once it is
    killed outright the same row says "interrupted". The JSON keeps the stored status."""
    with running_session(write_script(tmp_path, LONG, "long")) as process:
        read_until(process, "Breathe in")
        shown = calm("history")
        assert shown.returncode == 0, shown.stderr
        (line,) = [row for row in shown.stdout.splitlines() if "Long breath" in row]
        assert "in progress" in line and "interrupted" not in line
        assert history_json()[0]["status"] == "interrupted"
        process.kill()
        assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL
    (line,) = [row for row in calm("history").stdout.splitlines() if "Long breath" in row]
    assert "interrupted" in line and "in progress" not in line


def test_marks_left_by_killed_sessions_are_swept_and_a_running_one_kept(
    tmp_path: Path,
) -> None:
    """A session killed outright leaves its running mark; the next session to start
    removes it, and leaves the mark of a session still running elsewhere."""
    long = write_script(tmp_path, LONG, "long")
    folder = history_path().with_name("history.sqlite3.running")
    for _ in range(3):
        with running_session(long) as process:
            read_until(process, "Breathe in")
            process.kill()
            assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL
    # Each session swept the marks before it: only the last one killed is left.
    assert [mark.name for mark in folder.glob("*.lock")] == ["3.lock"]
    with running_session(long) as alive:
        read_until(alive, "Breathe in")
        assert start(write_script(tmp_path)).returncode == 0
        assert [mark.name for mark in folder.glob("*.lock")] == ["4.lock"]
        (line,) = [row for row in calm("history").stdout.splitlines() if "in progress" in row]
        assert "Long breath" in line
        alive.kill()
    statuses = [row["status"] for row in stored_rows()]
    assert statuses == ["interrupted"] * 4 + ["completed"]


def test_a_reader_that_goes_away_ends_the_session_as_ended_early(tmp_path: Path) -> None:
    """`calm start x --plain | head -3`: when the pipe closes, the session ends there and is
    written down as ended early, with its time, and calm says nothing more."""
    with running_session(write_script(tmp_path, LONG, "long")) as process:
        read_until(process, "Breathe in")
        time.sleep(0.5)
        assert process.stdout is not None
        process.stdout.close()
        _, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err
        assert err == b""
    (row,) = history_json()
    assert row["status"] == "ended_early"
    assert row["practised_seconds"] > 0


def test_two_sessions_at_once_are_both_recorded(tmp_path: Path) -> None:
    """Two calms recording into one history at the same time both get a completed row."""
    HistoryStore.open(history_path()).close()
    script = write_script(tmp_path)
    with running_session(script) as first, running_session(script) as second:
        outputs = [first.communicate(timeout=TIMEOUT), second.communicate(timeout=TIMEOUT)]
        assert [first.returncode, second.returncode] == [0, 0], outputs
        # On a loaded machine one calm can find the other mid-write for longer than its
        # wait, and says so; it must say nothing else, and still write its session down.
        for _, err in outputs:
            assert err in (b"", f"{BUSY_NOTICE}\n".encode()), err
    rows = stored_rows()
    assert [row["status"] for row in rows] == ["completed", "completed"]
    assert {row["script"] for row in rows} == {"quick"}


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open files")
def test_two_sessions_at_once_on_a_new_history_are_both_recorded(tmp_path: Path) -> None:
    """Two calms that start together on a new, empty history both get their row."""
    path = history_path()
    path.parent.mkdir(parents=True)
    script = write_script(tmp_path)
    # Line the two calms up on the same moment: the history is the empty WAL file a
    # first calm makes, and a write lock held here keeps both waiting to migrate it.
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("BEGIN IMMEDIATE")
        with running_session(script) as first, running_session(script) as second:
            deadline = time.monotonic() + TIMEOUT
            while not all(has_open(p.pid, "history.sqlite3-shm") for p in (first, second)):
                assert time.monotonic() < deadline, "the two calms never opened the history"
                time.sleep(0.01)
            time.sleep(0.2)  # Both are now queued behind the lock, well inside their wait.
            holder.execute("ROLLBACK")
            outputs = [first.communicate(timeout=TIMEOUT), second.communicate(timeout=TIMEOUT)]
    assert [err for _, err in outputs] == [b"", b""]
    assert [row["status"] for row in stored_rows()] == ["completed", "completed"]


HOLDER = """\
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
if sys.argv[2] == "exclusive-mode":
    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    connection.execute("BEGIN EXCLUSIVE")
    connection.execute("COMMIT")  # that mode keeps the lock until the connection closes
else:
    connection.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
sys.stdin.read()  # until the test lets go
connection.close()
"""
"""Another program holding the history: a transaction, or the exclusive locking mode."""


@contextmanager
def another_program_holding(path: Path, how: str) -> Iterator[subprocess.Popen[bytes]]:
    """A separate process holding the history at ``path`` until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        read_until(holder, "held")
        yield holder
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=TIMEOUT)


@pytest.mark.slow
def test_a_session_the_history_is_held_against_to_the_end_is_kept_and_added_later(
    tmp_path: Path,
) -> None:
    """Another program holds BEGIN EXCLUSIVE through the whole session and past calm's wait:
    calm exits 0 saying where the session is kept, and the next calm adds it."""
    seed(*numbered_seeds(1))
    with another_program_holding(history_path(), "transaction"):
        result = start(write_script(tmp_path))
        assert stored_rows()[-1]["title"] == "Session 01"  # nothing written yet
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    folder = history_path().with_name("history.sqlite3.pending")
    assert error_lines(result) == [
        "calm: another program is using the history; "
        "this session will be written down when it is free",
        "calm: another program is still using the history; this session is kept in "
        f"{folder} and will be added the next time calm opens it",
    ]
    assert len(list(folder.glob("*.json"))) == 1
    listed = history_json()  # the next calm to open the history adds it
    assert [(row["title"], row["status"]) for row in listed] == [
        ("Quick breath", "completed"),
        ("Session 01", "completed"),
    ]
    assert listed[0]["practised_seconds"] == pytest.approx(QUICK_SECONDS, abs=0.3)
    assert list(folder.glob("*.json")) == []
    assert len(history_json()) == 2


def test_a_history_held_in_exclusive_mode_as_calm_starts_is_written_once_free(
    tmp_path: Path,
) -> None:
    """Another program in exclusive locking mode holds the file as the session starts and
    lets go during it: the session is recorded whole, and nothing is kept aside."""
    seed(*numbered_seeds(1))
    with another_program_holding(history_path(), "exclusive-mode"):
        session = subprocess.Popen(
            [sys.executable, "-m", "calm", "start", str(write_script(tmp_path, LONG, "long")),
             "--plain", "--no-audio", "--cycles", "4"],
            env=dict(os.environ), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert session.stderr is not None
        notice = session.stderr.readline().decode()
        assert "another program is using the history" in notice, notice
    _, rest = session.communicate(timeout=TIMEOUT)
    assert session.returncode == 0, rest
    assert rest == b""
    rows = stored_rows()
    assert [(row["title"], row["status"]) for row in rows] == [
        ("Session 01", "completed"),
        ("Long breath", "completed"),
    ]
    assert not history_path().with_name("history.sqlite3.pending").exists()


def test_two_calms_adding_the_same_kept_sessions_add_each_once(tmp_path: Path) -> None:
    """Sessions kept aside, then two calms opening the history at the same moment: each
    kept session is in the history exactly once."""
    from calm.practice.pending import PendingSession, keep

    seed(*numbered_seeds(1))
    for number in range(5):
        keep(
            history_path(),
            PendingSession(
                script="quick",
                title=f"Kept {number}",
                started_at=datetime(2026, 2, 1, 9, number, tzinfo=UTC).isoformat(),
                planned_seconds=60.0,
                status="completed",
                practised_seconds=60.0,
                breaths=6,
                ended_at=datetime(2026, 2, 1, 9, number + 1, tzinfo=UTC).isoformat(),
            ),
        )
    command = [sys.executable, "-m", "calm", "history", "--json"]
    readers = [
        subprocess.Popen(
            command,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for reader in readers:
        _, errors = reader.communicate(timeout=TIMEOUT)
        assert reader.returncode == 0, errors
    titles = sorted(row["title"] for row in stored_rows())
    assert titles == [f"Kept {number}" for number in range(5)] + ["Session 01"]


# -- bad history files -------------------------------------------------------

CORRUPT_NAME = re.compile(r"^history\.sqlite3\.corrupt-\d{8}-\d{6}$")


def test_a_corrupt_history_is_kept_aside_and_a_new_one_started(tmp_path: Path) -> None:
    """Garbage in the history file: one notice, the bytes kept aside, and the session recorded."""
    path = history_path()
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database \x00\xff\xfe" * 200
    path.write_bytes(garbage)

    result = start(write_script(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    (kept,) = path.parent.glob("history.sqlite3.corrupt-*")
    assert CORRUPT_NAME.match(kept.name), kept.name
    assert kept.read_bytes() == garbage
    (notice,) = error_lines(result)
    assert str(kept) in notice
    assert [row["status"] for row in stored_rows()] == ["completed"]


def _header_then_garbage(_: Path) -> bytes:
    return b"SQLite format 3\x00" + bytes(range(256)) * 16


def _pages_overwritten(path: Path) -> bytes:
    seed(*numbered_seeds(3))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    good = path.read_bytes()
    return good[:100] + b"\xff" * (len(good) - 100)


@pytest.mark.parametrize(
    "damage", [_header_then_garbage, _pages_overwritten], ids=["header-then-garbage", "pages"]
)
def test_a_damaged_sqlite_history_is_kept_aside_and_a_new_one_started(
    tmp_path: Path, damage: Callable[[Path], bytes]
) -> None:
    """A history damaged past its header is also kept aside, and the session is recorded."""
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    damaged = damage(path)
    path.write_bytes(damaged)

    result = start(write_script(tmp_path))
    assert result.returncode == 0, result.stderr
    kept = list(path.parent.glob("history.sqlite3.corrupt-*"))
    assert [file.read_bytes() for file in kept] == [damaged], result.stderr
    assert [row["status"] for row in stored_rows()] == ["completed"]


def test_a_data_folder_that_is_a_file_costs_one_notice_not_the_session(tmp_path: Path) -> None:
    """When calm's data folder is a plain file, the session runs with one notice and exits 0."""
    folder = history_path().parent
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder\n", encoding="utf-8")

    result = start(write_script(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    (notice,) = error_lines(result)
    assert notice.startswith("calm: ")
    assert notice.endswith(f"{folder} is a file, where calm keeps its data"), notice
    assert "Traceback" not in result.stderr
    assert folder.read_text(encoding="utf-8") == "not a folder\n"
    for args in (["history"], ["stats"]):
        shown = calm(*args)
        assert shown.returncode == 1, args
        (line,) = error_lines(shown)
        assert line.endswith(f"{folder} is a file, where calm keeps its data"), line


READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
"""A shell line that makes folder $1 read-only, even for root, and then runs the rest."""


def read_only_prefix(folder: Path) -> list[str]:
    """A command prefix that runs what follows with ``folder`` read-only.

    Root ignores folder permissions, so as root the folder is bind-mounted
    read-only in a private mount namespace instead; the test is skipped only
    where neither is possible.
    """
    if os.geteuid() != 0:
        folder.chmod(0o500)
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("root ignores permissions, and there is no unshare to mount read-only")
    probe = subprocess.run(
        [unshare, "-m", "sh", "-c", READ_ONLY_MOUNT, "sh", str(folder), "true"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot mount read-only here: {probe.stderr.decode().strip()}")
    return [unshare, "-m", "sh", "-c", READ_ONLY_MOUNT, "sh", str(folder)]


def test_a_read_only_data_folder_costs_one_notice_not_the_session(tmp_path: Path) -> None:
    """When calm's data folder cannot be written, the session runs with one notice and exits 0."""
    folder = history_path().parent
    folder.mkdir(parents=True)
    prefix = read_only_prefix(folder)
    try:
        result = calm_in(prefix, "start", str(write_script(tmp_path)), "--plain", "--no-audio")
    finally:
        folder.chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    (notice,) = error_lines(result)
    assert notice.startswith("calm: not recording this session")
    assert notice.endswith("its folder is read-only"), notice
    assert not history_path().exists()


def calm_in(prefix: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``calm`` behind a command prefix, such as ``read_only_prefix``."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "calm", *args],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_a_read_only_folder_with_a_history_is_read_and_left_as_it_was() -> None:
    """In a folder calm cannot write, history and stats still read it, and change no file."""
    seeds = numbered_seeds(2)
    seed(*seeds)
    folder = history_path().parent
    listing = sorted(os.listdir(folder))
    assert listing == ["history.sqlite3"]  # the seeding left no WAL files behind
    prefix = read_only_prefix(folder)
    try:
        listed = calm_in(prefix, "history", "--json")
        figures = calm_in(prefix, "stats", "--json")
        noted = calm_in(prefix, "history", "--note", "x")
        after = sorted(os.listdir(folder))
    finally:
        folder.chmod(0o700)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [s.exported() for s in _newest_first(seeds)]
    assert figures.returncode == 0, figures.stderr
    assert json.loads(figures.stdout)["sessions"] == len(seeds)
    assert noted.returncode == 1
    (line,) = error_lines(noted)
    assert line.startswith("calm: ") and line.endswith("its folder is read-only"), line
    assert after == listing
    assert [row["note"] for row in stored_rows()] == [None, None]


def test_a_session_cut_off_is_still_read_from_a_read_only_folder(tmp_path: Path) -> None:
    """A session killed outright leaves its row in the WAL file; when the folder then turns
    read-only, history and stats still see it, and the folder is left as it was."""
    seed(*numbered_seeds(2))
    with running_session(write_script(tmp_path, LONG, "long")) as process:
        read_until(process, "Breathe in")
        process.kill()
        assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL
    folder = history_path().parent
    listing = sorted(os.listdir(folder))
    assert f"{history_path().name}-wal" in listing  # the cut-off row lives there for now
    prefix = read_only_prefix(folder)
    try:
        listed = calm_in(prefix, "history", "--json")
        figures = calm_in(prefix, "stats", "--json")
        after = sorted(os.listdir(folder))
    finally:
        folder.chmod(0o700)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["status"] for row in rows] == ["interrupted", "completed", "completed"]
    assert rows[0]["script"] == "long"
    assert figures.returncode == 0, figures.stderr
    assert json.loads(figures.stdout)["sessions"] == 3
    assert after == listing


def test_a_session_beside_a_history_in_a_read_only_folder_runs_with_one_notice(
    tmp_path: Path,
) -> None:
    """An existing history whose folder became read-only: one notice saying so, and the
    session runs; the file is left as it was."""
    seed(*numbered_seeds(1))
    folder = history_path().parent
    listing = sorted(os.listdir(folder))
    before = history_path().read_bytes()
    prefix = read_only_prefix(folder)
    try:
        result = calm_in(prefix, "start", str(write_script(tmp_path)), "--plain", "--no-audio")
        after = sorted(os.listdir(folder))
    finally:
        folder.chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    (notice,) = error_lines(result)
    assert notice.startswith("calm: not recording this session")
    assert notice.endswith(f"cannot write {history_path()}: its folder is read-only"), notice
    assert after == listing
    assert history_path().read_bytes() == before


IN_A_NAMESPACE = """\
set -e
{setup}
cd "$OUT"
for name in history stats start note; do
    case $name in
        history) set -- history --json ;;
        stats) set -- stats --json ;;
        start) set -- start "$SCRIPT" --plain --no-audio ;;
        note) set -- history --note "written on a full disk" ;;
    esac
    set +e
    "$PYTHON" -m calm "$@" </dev/null >"$OUT/$name.out" 2>"$OUT/$name.err"
    echo $? >"$OUT/$name.code"
    set -e
done
"""
"""A shell script run in a private mount namespace: ``setup`` makes the history unwritable,
then each command's output, errors and exit code are kept in $OUT."""

FILL_THE_DISK = """\
mount -t tmpfs -o size=1m tmpfs "$DATA"
"$PYTHON" -m calm start "$SCRIPT" --plain --no-audio </dev/null >/dev/null
"$PYTHON" -m calm start "$SCRIPT" --plain --no-audio </dev/null >/dev/null
head -c 4000000 /dev/zero >"$DATA/filler" 2>/dev/null || true
"""

READ_ONLY_FILE = """\
mount --bind "$HISTORY" "$HISTORY"
mount -o remount,bind,ro "$HISTORY"
"""


def run_unwritable(tmp_path: Path, setup: str) -> dict[str, tuple[int, str, list[str]]]:
    """Each command's exit code, output and error lines, with the history made unwritable
    by ``setup`` in a private mount namespace; skipped where namespaces cannot be made."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a full or read-only file system")
    out = tmp_path / "out"
    out.mkdir()
    env = dict(
        os.environ,
        OUT=str(out),
        DATA=str(history_path().parent),
        HISTORY=str(history_path()),
        PYTHON=sys.executable,
        SCRIPT=str(write_script(tmp_path, TINY, "tiny")),
    )
    script = IN_A_NAMESPACE.format(setup=setup)
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True,
        timeout=4 * TIMEOUT, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    found = {}
    for name in ("history", "stats", "start", "note"):
        code = int((out / f"{name}.code").read_text())
        errors = [line for line in (out / f"{name}.err").read_text().splitlines() if line]
        found[name] = (code, (out / f"{name}.out").read_text(), errors)
    return found


def test_a_full_disk_is_called_so_and_the_history_still_read(tmp_path: Path) -> None:
    """On a disk with no room left, every command says "the disk is full" in one line;
    history and stats still list and count what was recorded; the session still runs."""
    history_path().parent.mkdir(parents=True)
    found = run_unwritable(tmp_path, FILL_THE_DISK)
    full = "the disk is full, so calm can read the history but not add to it"
    code, out, errors = found["history"]
    assert (code, errors) == (0, [f"calm: {full}"]), out
    assert [row["title"] for row in json.loads(out)] == ["Tiny pause", "Tiny pause"]
    code, out, errors = found["stats"]
    assert (code, errors) == (0, [f"calm: {full}"])
    assert json.loads(out)["sessions"] == 2
    code, out, errors = found["start"]
    assert code == 0 and "That's the end of the session" in out
    assert errors == [
        f"calm: not recording this session: cannot write {history_path()}: the disk is full"
    ]
    code, out, errors = found["note"]
    assert code == 1 and out == ""
    assert errors == [f"calm: cannot write {history_path()}: the disk is full"]
    assert "I/O" not in "".join(errors for _, _, errors in found.values() for errors in errors)


def test_a_read_only_history_file_is_called_so_and_still_read(tmp_path: Path) -> None:
    """A history file that cannot be written (in a folder that can): one line saying the
    history file is read-only, the sessions still listed, the new session still run."""
    seed(*numbered_seeds(2))
    found = run_unwritable(tmp_path, READ_ONLY_FILE)
    read_only = "the history file is read-only, so calm can read the history but not add to it"
    code, out, errors = found["history"]
    assert (code, errors) == (0, [f"calm: {read_only}"]), out
    assert [row["title"] for row in json.loads(out)] == ["Session 02", "Session 01"]
    code, out, errors = found["stats"]
    assert (code, errors) == (0, [f"calm: {read_only}"])
    assert json.loads(out)["sessions"] == 2
    code, out, errors = found["start"]
    assert code == 0 and "That's the end of the session" in out
    assert errors == [
        f"calm: not recording this session: cannot write {history_path()}: "
        "the history file is read-only"
    ]
    code, out, errors = found["note"]
    assert code == 1 and out == ""
    assert errors == [f"calm: cannot write {history_path()}: the history file is read-only"]
    assert [row["note"] for row in stored_rows()] == [None, None]


def test_a_start_time_damaged_by_hand_is_named_and_costs_no_session(tmp_path: Path) -> None:
    """A row with an unreadable start: sessions still record, history names the row, stats go on."""
    script = write_script(tmp_path, TINY, "tiny")
    assert start(script).returncode == 0
    (seeded,) = stored_rows()
    bad = seeded["id"]
    damage_started_at(bad)

    result = start(script)
    assert result.returncode == 0, result.stderr
    assert "That's the end of the session" in result.stdout
    assert "Traceback" not in result.stderr
    rows = stored_rows()
    assert [row["started_at"] for row in rows if row["id"] == bad] == ["garbage"]
    (new,) = [row for row in rows if row["id"] != bad]
    assert new["status"] == "completed"
    assert new["ended_at"] is not None

    for args in (["history"], ["history", "--json"], ["history", "--csv"]):
        shown = calm(*args)
        assert shown.returncode == 0, args
        # The rest is still listed: a damaged row never locks the others away.
        assert "Tiny pause" in shown.stdout and "garbage" not in shown.stdout, args
        assert "The latest" not in shown.stdout, args
        (line,) = error_lines(shown)
        assert f"session {bad} " in line and "unreadable time" in line, line
        assert line.endswith("it is left out"), line
        assert "Traceback" not in shown.stderr and "went wrong" not in shown.stderr
    assert len(json.loads(calm("history", "--json").stdout)) == 1

    figures = calm("stats", "--json")
    assert figures.returncode == 0, figures.stderr
    assert json.loads(figures.stdout)["sessions"] == 1  # the day it cannot place is left out


def test_values_changed_by_hand_cost_only_their_own_sessions(tmp_path: Path) -> None:
    """Infinity in a time, text in a number, nothing in a title, a blob and an escape in a
    status: history (table, JSON, CSV), stats (text, JSON) and the week sentence after a
    session never fail; each unreadable session is named once, and the rest are listed
    and counted."""
    from tests.support.history import UNTYPED

    seed(*numbered_seeds(5))
    with closing(sqlite3.connect(history_path(), isolation_level=None)) as connection:
        indexes = [sql for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]  # fmt: skip
        # Rebuilt without types or NOT NULL, as someone with the sqlite3 shell might.
        connection.execute("ALTER TABLE sessions RENAME TO typed")
        connection.execute(UNTYPED)
        connection.execute("INSERT INTO sessions SELECT * FROM typed")
        connection.execute("DROP TABLE typed")
        for sql in indexes:
            connection.execute(sql)
        changes = [
            ("practised_seconds", float("inf"), 1),
            ("planned_seconds", "abc", 2),
            ("title", None, 3),
            ("status", b"\x1b]0;pwned\x07", 4),
            ("note", 12345, 5),
        ]
        for column, value, row in changes:
            connection.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, row))
    expected_lines = [
        "calm: session 3 in the history has no title; it is left out",
        "calm: session 2 in the history has an unreadable planned time: 'abc'; it is left out",
        "calm: session 1 in the history has an unreadable practised time: inf; it is left out",
    ]
    for args in (["history"], ["history", "--json"], ["history", "--csv"], ["stats"]):
        shown = calm(*args)
        assert shown.returncode == 0, (args, shown.stderr)
        assert error_lines(shown) == expected_lines, args
        assert "\x1b" not in shown.stdout or args == ["history", "--csv"]
    listed = history_json()
    assert [(row["title"], row["note"]) for row in listed] == [
        ("Session 05", "12345"), ("Session 04", None)
    ]  # fmt: skip
    assert listed[1]["status"] == "\x1b]0;pwned\x07"
    assert "?]0;pwned?" in calm("history").stdout
    figures = calm("stats", "--json")
    assert error_lines(figures) == expected_lines
    assert json.loads(figures.stdout)["sessions"] == 2

    result = start(write_script(tmp_path, TINY, "tiny"))
    assert result.returncode == 0, result.stderr
    assert error_lines(result) == []
    lines = result.stdout.splitlines()
    after = [line for line in lines[closing_line_index(lines) + 1 :] if "this week" in line]
    assert after == ["That's 0.2 s of practice this week."]
    assert json.loads(calm("stats", "--json").stdout)["sessions"] == 3


def _note_bytes(data: bytes, sql_type: str) -> None:
    with closing(sqlite3.connect(history_path())) as connection, connection:
        cast = "CAST(? AS TEXT)" if sql_type == "text" else "?"
        connection.execute(f"UPDATE sessions SET note = {cast}", (data,))
        ((stored,),) = connection.execute("SELECT DISTINCT typeof(note) FROM sessions")
        assert stored == sql_type


def _bad_note_reads_back_with_a_replacement_character(sql_type: str) -> None:
    seed(*numbered_seeds(1))
    _note_bytes(b"f\xffo", sql_type)
    table = calm("history")
    assert table.returncode == 0, table.stderr
    assert "f\ufffdo" in table.stdout
    exported = calm("history", "--json")
    assert exported.returncode == 0, exported.stderr
    assert [row["note"] for row in json.loads(exported.stdout)] == ["f\ufffdo"]
    cells = calm("history", "--csv")
    assert cells.returncode == 0, cells.stderr
    assert [row["note"] for row in csv.DictReader(io.StringIO(cells.stdout))] == ["f\ufffdo"]


def test_a_limit_counts_only_the_sessions_that_can_be_shown() -> None:
    """With the newest session damaged, --limit 1 shows the newest one that can be read."""
    seeds = numbered_seeds(3)
    seed(*seeds)
    with closing(sqlite3.connect(history_path())) as connection, connection:
        connection.execute(
            "UPDATE sessions SET ended_at = 'garbage' WHERE id = (SELECT MAX(id) FROM sessions)"
        )
    for args in (["history", "-n", "1"], ["history", "-n", "1", "--json"]):
        shown = calm(*args)
        assert shown.returncode == 0, shown.stderr
        assert "Session 02" in shown.stdout and "Session 03" not in shown.stdout, args
        (line,) = error_lines(shown)
        assert line.endswith("it is left out"), line


def test_a_note_that_is_not_utf8_shows_a_replacement_character() -> None:
    """A stray byte in a note's text: table, JSON and CSV all read, with U+FFFD in its place."""
    _bad_note_reads_back_with_a_replacement_character("text")


def test_a_note_stored_as_bytes_shows_a_replacement_character() -> None:
    """The same stray byte in a note written as a BLOB reads back the same way."""
    _bad_note_reads_back_with_a_replacement_character("blob")


def test_a_history_path_that_is_a_folder_is_one_line() -> None:
    """A folder where the history file should be: exit 1 with one line saying so."""
    history_path().mkdir(parents=True)
    result = calm("history")
    assert result.returncode == 1
    (line,) = error_lines(result)
    assert "is a folder" in line, line
    assert history_path().is_dir()


def _stamp_now() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def test_damaged_files_kept_in_the_same_second_keep_their_own_bytes() -> None:
    """Two damaged histories set aside one after the other: both kept, neither overwritten."""
    path = history_path()
    path.parent.mkdir(parents=True)
    first, second = b"first garbage \xff" * 100, b"second garbage \xfe" * 100
    # Start just after a second begins, so both usually land within the same one.
    time.sleep(1.02 - time.time() % 1)
    before = _stamp_now()
    path.write_bytes(first)
    opened = calm("history")
    path.write_bytes(second)
    calm("history")
    same_second = _stamp_now() == before

    kept = sorted(path.parent.glob("history.sqlite3.corrupt-*"))
    assert sorted(file.read_bytes() for file in kept) == [first, second]
    names = {file.read_bytes(): file.name for file in kept}
    assert CORRUPT_NAME.match(names[first]), names
    assert re.match(r"^history\.sqlite3\.corrupt-\d{8}-\d{6}(-2)?$", names[second]), names
    if same_second:
        assert names == {
            first: f"history.sqlite3.corrupt-{before}",
            second: f"history.sqlite3.corrupt-{before}-2",
        }

    assert opened.returncode == 0, opened.stderr
    assert error_lines(opened) == [
        f"calm: the history file is damaged; it is kept as {path.parent / names[first]}, "
        "and a new one will start"
    ]
    assert opened.stdout.startswith("No sessions recorded yet.")
    assert len(opened.stdout.splitlines()) == 1


# -- exporting: JSON and CSV -------------------------------------------------

INDIA = timezone(timedelta(hours=5, minutes=30))
PACIFIC = timezone(timedelta(hours=-8))

VARIED = [
    Seed(
        "box",
        "Box breathing",
        datetime(2026, 3, 1, 7, 15, 30, 123456, tzinfo=UTC),
        planned_seconds=240.0,
        practised_seconds=238.125,
        breaths=15,
        mood_before=4,
        mood_after=2,
        note='Calm, then "calmer", then calmest',
        pause_seconds=12.5,
    ),
    Seed(
        "coherent",
        'Coherent "five"',
        datetime(2026, 3, 2, 21, 5, tzinfo=INDIA),
        planned_seconds=300.0,
        practised_seconds=97.456,
        status="ended_early",
        breaths=8,
        mood_before=5,
        note="line one\nline two, with a comma\nnaïve café — 平静 ☕",
    ),
    Seed(
        "body-scan",
        "Body scan, short",
        datetime(2026, 3, 4, 6, 0, tzinfo=PACIFIC),
        planned_seconds=600.0,
        status="interrupted",
        mood_before=3,
    ),
    Seed(
        "sigh",
        "Physiological sigh",
        datetime(2026, 3, 5, 23, 59, 59, tzinfo=INDIA),
        planned_seconds=60.0,
        practised_seconds=60.0,
        breaths=5,
        mood_after=1,
        note="tab\there, \x1b[31mred\x1b[0m and a bell\x07",
    ),
]
"""Sessions with every kind of value: moods, awkward notes, statuses and several offsets."""


def _newest_first(seeds: list[Seed]) -> list[Seed]:
    return sorted(seeds, key=lambda s: s.started_at.astimezone(UTC), reverse=True)


def test_history_json_gives_back_every_field_newest_first() -> None:
    """``calm history --json`` lists every stored field exactly, the latest session first."""
    seed(*VARIED)
    assert history_json() == [session.exported() for session in _newest_first(VARIED)]


def test_history_csv_gives_back_every_field_newest_first() -> None:
    """``calm history --csv`` has the documented header, and every cell reads back exactly."""
    seed(*VARIED)
    result = subprocess.run(
        [sys.executable, "-m", "calm", "history", "--csv"],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline=""))
    assert reader.fieldnames == HEADER
    numbers: dict[str, Callable[[str], Any]] = {
        "planned_seconds": float,
        "practised_seconds": float,
        "breaths": int,
        "mood_before": int,
        "mood_after": int,
    }
    parsed = [
        {key: None if cell == "" else numbers.get(key, str)(cell) for key, cell in row.items()}
        for row in reader
    ]
    assert parsed == [session.exported() for session in _newest_first(VARIED)]


LONDON = ZoneInfo("Europe/London")
BEFORE_FALL_BACK = Seed(
    "box", "Before the clocks went back", datetime(2026, 10, 25, 1, 50, tzinfo=LONDON)
)
"""01:50 summer time, which is 00:50 UTC."""
AFTER_FALL_BACK = Seed(
    "box", "After the clocks went back", datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)
)
"""01:10 winter time, which is 01:10 UTC: twenty minutes later, though its clock reads earlier."""


def test_newest_first_holds_across_clocks_going_back() -> None:
    """The session that started later is listed first, even when its local clock reads earlier."""
    seed(BEFORE_FALL_BACK, AFTER_FALL_BACK)
    titles = [row["title"] for row in history_json()]
    assert titles == [AFTER_FALL_BACK.title, BEFORE_FALL_BACK.title]


def test_note_goes_to_the_latest_session_across_clocks_going_back() -> None:
    """``--note`` attaches to the session that really started last."""
    seed(BEFORE_FALL_BACK, AFTER_FALL_BACK)
    result = calm("history", "--note", "after the change")
    assert result.returncode == 0, result.stderr
    notes = {row["title"]: row["note"] for row in stored_rows()}
    assert notes == {AFTER_FALL_BACK.title: "after the change", BEFORE_FALL_BACK.title: None}


# -- the table ---------------------------------------------------------------


def _session_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "Session " in line]


def test_a_history_table_sent_to_a_file_is_never_cut_short() -> None:
    """With output to a pipe and no COLUMNS, long notes stay whole, so grep finds them."""
    long_note = "shoulders dropped, jaw loosened, breath slowed right down " * 3
    seed(Seed("box", "Box breathing", datetime(2026, 3, 1, 9, 0, tzinfo=UTC), note=long_note))
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    shown = subprocess.run(
        [sys.executable, "-m", "calm", "history"], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert long_note.strip() in shown.stdout
    assert "…" not in shown.stdout


def test_note_names_the_session_safely_and_says_when_there_was_nothing_to_remove() -> None:
    """--note never prints a title's escape codes, and an empty note says what it did."""
    seed(Seed("x", "Evil \x1b]0;pwned\x07title", datetime(2026, 3, 1, 9, 0, tzinfo=UTC)))
    cleared = calm("history", "--note", "")
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.startswith("There was no note on Evil ?]0;pwned?title, ")
    noted = calm("history", "--note", "lighter")
    assert noted.stdout.startswith("Noted on Evil ?]0;pwned?title, ")
    removed = calm("history", "--note", " ")
    assert removed.stdout.startswith("Note removed from Evil ?]0;pwned?title, ")
    assert "\x1b" not in cleared.stdout + noted.stdout + removed.stdout


def test_stats_with_recording_off_makes_no_promise() -> None:
    """With history = false and nothing recorded, calm stats does not say sessions will appear."""
    _write_config("history = false\n")
    result = calm("stats")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No sessions recorded yet."
    (line,) = error_lines(result)
    assert "not being recorded" in line


def test_history_table_shows_titles_and_how_each_session_ended() -> None:
    """The table lists each session newest first, by title, with how it ended in words."""
    first = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    seed(
        Seed("a", "Session A", first),
        Seed(
            "b", "Session B", first + timedelta(days=1), practised_seconds=60, status="ended_early"
        ),
        Seed("c", "Session C", first + timedelta(days=2), status="interrupted"),
    )
    result = calm("history")
    assert result.returncode == 0, result.stderr
    rows = _session_lines(result.stdout)
    assert [line.split("Session ")[1][0] for line in rows] == ["C", "B", "A"]
    assert "interrupted" in rows[0]
    assert "ended early" in rows[1]
    assert "completed" in rows[2]
    assert "latest" not in result.stdout  # everything is shown, so nothing says otherwise


def test_history_limit_shows_that_many_and_says_how_many_there_are() -> None:
    """``--limit 2`` shows the two newest sessions and a line saying they are 2 of 3."""
    seed(*numbered_seeds(3))
    result = calm("history", "--limit", "2")
    assert result.returncode == 0, result.stderr
    rows = _session_lines(result.stdout)
    assert len(rows) == 2
    assert "Session 03" in rows[0] and "Session 02" in rows[1]
    assert re.search(r"\blatest 2 of 3\b", result.stdout, re.IGNORECASE)


def test_history_table_shows_the_latest_20_by_default_and_all_with_limit_0() -> None:
    """With 25 sessions the table shows the newest 20 and says so; ``--limit 0`` shows all 25."""
    seed(*numbered_seeds(25))
    result = calm("history")
    assert result.returncode == 0, result.stderr
    shown = [re.search(r"Session (\d\d)", line) for line in _session_lines(result.stdout)]
    assert [int(match[1]) for match in shown if match] == list(range(25, 5, -1))
    assert re.search(r"\blatest 20 of 25\b", result.stdout, re.IGNORECASE)
    assert "--limit 0" in result.stdout

    everything = calm("history", "--limit", "0")
    assert len(_session_lines(everything.stdout)) == 25
    assert "latest" not in everything.stdout


def test_history_table_keeps_each_session_on_one_line() -> None:
    """A note with line breaks still leaves every session on a single line of the table,
    and its note, when it is not beside it, on a single line of its own."""
    seed(*VARIED)
    noted = sum(1 for session in VARIED if session.note)
    for columns in ("80", "300"):
        result = calm_at(columns, "history")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        notes = [line for line in lines if line.startswith("  note: ")]
        assert len(lines) == 1 + len(VARIED) + len(notes), columns
        assert len(notes) in (0, noted), columns
    assert "line one / line two, with a comma / naïve café — 平静 ☕" in result.stdout


@pytest.mark.parametrize("columns", [40, 80, pytest.param(120, marks=pytest.mark.slow)])
def test_history_stats_and_list_fit_the_terminal(columns: int) -> None:
    """At 40, 80 and 120 columns, `calm history`, `calm stats` and `calm list` print no line
    wider than the terminal, keep their headers at 80 and more, and never cut a figure."""
    from calm.present.table import cell_width

    seed(
        *VARIED,
        Seed("pmr", "Progressive muscle relaxation", datetime(2026, 3, 5, 9, tzinfo=UTC),
             practised_seconds=333, mood_before=4, mood_after=2,
             note="shoulders dropped, jaw loosened, breath slowed right down"),
    )  # fmt: skip
    shown = {args: calm_at(str(columns), *args) for args in [("history",), ("stats",), ("list",)]}
    for args, result in shown.items():
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert max(cell_width(line) for line in lines) <= columns, (args, result.stdout)
    history_words = shown[("history",)].stdout.split()
    for word in ("5", "min", "33", "s", "Progressive", "muscle", "relaxation", "4", "→", "2"):
        assert word in history_words
    stats_text = shown[("stats",)].stdout
    assert "Most practised" in stats_text and "5 min 33 s" in stats_text
    if columns >= 80:
        assert shown[("history",)].stdout.startswith("when ")
        assert "how it ended" in shown[("history",)].stdout.splitlines()[0]
        assert stats_text.count("Time") == 1
        assert shown[("list",)].stdout.split("\n")[0].split() == [
            "name",
            "title",
            "category",
            "length",
            "source",
        ]
        assert "Coherent breathing" in shown[("list",)].stdout


def test_a_ten_megabyte_title_and_note_list_at_once() -> None:
    """A title and a note of ten megabytes each: `calm history` and `calm stats` print at
    once, in a terminal or a pipe, their lines fitted and the figures beside them whole.
    The real guarantee is that only what a line can show is looked at (tests/unit/
    test_columns.py); the time here is a generous guard."""
    seed(Seed("big", "T" * 10_000_000, datetime(2026, 3, 1, 9, tzinfo=UTC),
              practised_seconds=60.0, note="n é " * 2_500_000))  # fmt: skip
    for args in [("history",), ("stats",)]:
        started = time.monotonic()
        result = calm_at("80", *args)
        assert time.monotonic() - started < 10
        assert result.returncode == 0, result.stderr
        assert max(len(line) for line in result.stdout.splitlines()) <= 80
        assert "1 min" in result.stdout
    piped = calm("history")
    assert piped.returncode == 0
    assert len(piped.stdout) < 100_000  # each cell shows at most CELL_LIMIT columns


def calm_at(columns: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``calm`` as though in a terminal ``columns`` wide."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env=dict(os.environ, COLUMNS=columns),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


# -- clearing ----------------------------------------------------------------


def test_clear_without_a_terminal_or_yes_refuses_and_keeps_everything() -> None:
    """``--clear`` with no terminal to ask on exits 1 with one line, and forgets nothing."""
    seed(*numbered_seeds(2))
    result = calm("history", "--clear")
    assert result.returncode == 1
    assert len(error_lines(result)) == 1
    assert len(stored_rows()) == 2


def test_clear_yes_forgets_every_session() -> None:
    """``--clear --yes`` forgets every session without asking."""
    seed(*numbered_seeds(3))
    result = calm("history", "--clear", "--yes")
    assert result.returncode == 0, result.stderr
    assert stored_rows() == []
    assert history_json() == []


@pytest.mark.parametrize(
    ("key", "left"),
    [("n", 2), ("y", 0), ("C-d", 2), ("C-c", 2)],
    ids=["no", "yes", "ctrl-d", "ctrl-c"],
)
def test_clear_on_a_terminal_asks_first(terminal: Terminal, key: str, left: int) -> None:
    """On a terminal, ``--clear`` asks; "y" forgets, and "n", Ctrl+D or Ctrl+C keep everything."""
    seed(*numbered_seeds(2))
    terminal.run("history", "--clear")
    terminal.answer("cannot be undone", key)
    if len(key) == 1:
        terminal.send("Enter")
    assert terminal.exit_status() == 0
    assert len(stored_rows()) == left
    assert ("Nothing was cleared" in terminal.screen()) == (left == 2)
    # The shell is back, reading and echoing the next command.
    terminal.tmux("send-keys", "-t", terminal.session, "-l", "echo shell-is-back")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "shell-is-back" in screen.splitlines())


def _set_a_damaged_history_aside() -> Path:
    path = history_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database \xff" * 100)
    assert calm("history").returncode == 0
    (kept,) = path.parent.glob("history.sqlite3.corrupt-*")
    return kept


DAMAGED_STILL_THERE = "Damaged history files calm kept earlier are still in"


def test_clear_says_damaged_copies_are_still_there() -> None:
    """``--clear --yes`` forgets the sessions and says the damaged copies kept earlier remain."""
    kept = _set_a_damaged_history_aside()
    seed(*numbered_seeds(2))
    result = calm("history", "--clear", "--yes")
    assert result.returncode == 0, result.stderr
    assert f"{DAMAGED_STILL_THERE} {kept.parent}" in result.stdout
    assert stored_rows() == []
    assert kept.read_bytes() == b"not a database \xff" * 100


def test_clear_with_only_a_damaged_copy_still_says_it_is_there() -> None:
    """When the only sessions left are in a damaged copy, ``--clear`` still says it remains."""
    kept = _set_a_damaged_history_aside()
    result = calm("history", "--clear", "--yes")
    assert result.returncode == 0, result.stderr
    assert kept.exists()
    assert f"{DAMAGED_STILL_THERE} {kept.parent}" in result.stdout


# -- notes -------------------------------------------------------------------


def test_note_attaches_to_the_latest_session_only() -> None:
    """``--note`` puts the text on the newest session and leaves the others alone."""
    seed(*numbered_seeds(3))
    text = 'Shoulders dropped, "finally" — très bien'
    result = calm("history", "--note", text)
    assert result.returncode == 0, result.stderr
    notes = {row["title"]: row["note"] for row in stored_rows()}
    assert notes == {"Session 01": None, "Session 02": None, "Session 03": text}


def test_note_goes_to_the_session_just_finished_whatever_the_times_say(
    tmp_path: Path,
) -> None:
    """``--note`` goes to the session recorded last: not to one a wrong clock dated in the
    future, and not to one still running in another terminal."""
    seed(Seed("box", "Dated by a wrong clock", datetime(2099, 1, 1, 9, 0, tzinfo=UTC)))
    assert start(write_script(tmp_path, TINY, "tiny")).returncode == 0
    with running_session(write_script(tmp_path, LONG, "long")) as process:
        read_until(process, "Breathe in")
        result = calm("history", "--note", "lighter")
        process.kill()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Noted on Tiny pause, ")
    notes = {row["title"]: row["note"] for row in stored_rows()}
    assert notes == {"Dated by a wrong clock": None, "Tiny pause": "lighter", "Long breath": None}


def test_note_with_no_history_exits_1_with_one_line() -> None:
    """``--note`` with nothing recorded exits 1 with one line, and creates no history."""
    result = calm("history", "--note", "hello")
    assert result.returncode == 1
    assert len(error_lines(result)) == 1
    assert not history_path().exists()


@pytest.mark.parametrize(
    "flags",
    [["--json", "--csv"], ["--yes"], ["--note", "x", "--json"], ["--clear", "--csv", "--yes"]],
    ids=["json-csv", "yes-alone", "note-json", "clear-csv"],
)
def test_flags_that_do_not_go_together_are_a_usage_error(flags: list[str]) -> None:
    """Flags that cannot be combined exit 2 with one line, and touch nothing."""
    seed(*numbered_seeds(1))
    result = calm("history", *flags)
    assert result.returncode == 2
    assert len(error_lines(result)) == 1
    assert result.stdout == ""
    assert [row["note"] for row in stored_rows()] == [None]


@pytest.mark.parametrize(
    "flags",
    [
        ["--limit", "99999999999999999999"],
        ["--limit", "3", "--note", "x"],
        ["--limit", "3", "--clear"],
    ],
    ids=["huge", "limit-note", "limit-clear"],
)
def test_limit_out_of_range_or_with_a_change_is_a_usage_error(flags: list[str]) -> None:
    """A ``--limit`` past 64 bits, or with ``--note`` or ``--clear``: exit 2 and one line."""
    seed(*numbered_seeds(1))
    result = calm("history", *flags)
    assert result.returncode == 2
    (line,) = error_lines(result)
    assert line.startswith("calm: "), line
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert [row["note"] for row in stored_rows()] == [None]


ESCAPES = "\x1b[31mRED\x1b]0;TITLE\x07"
"""A note that would turn a terminal red and retitle it, were it printed as it is."""


def test_control_characters_in_a_note_never_reach_the_terminal() -> None:
    """The table shows "?" for each control character; the JSON keeps the note exactly."""
    seed(*numbered_seeds(1))
    noted = calm("history", "--note", ESCAPES)
    assert noted.returncode == 0, noted.stderr
    assert "\x1b" not in noted.stdout and "\x07" not in noted.stdout

    table = calm("history")
    assert table.returncode == 0, table.stderr
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "?[31mRED?]0;TITLE?" in table.stdout
    assert [row["note"] for row in history_json()] == [ESCAPES]


# -- no history yet ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["history"], lambda out: "No sessions recorded yet" in out),
        (["history", "--json"], lambda out: json.loads(out) == []),
        (["history", "--csv"], lambda out: out.splitlines() == [",".join(HEADER)]),
        (["stats"], lambda out: bool(out.strip())),
        (["stats", "--json"], lambda out: json.loads(out)["sessions"] == 0),
    ],
    ids=["history", "history-json", "history-csv", "stats", "stats-json"],
)
def test_reading_with_no_history_works_and_creates_nothing(
    args: list[str], check: Callable[[str], bool]
) -> None:
    """Before any session, the history and stats commands answer and leave no file behind."""
    result = calm(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert check(result.stdout), result.stdout
    assert not history_path().parent.exists()


# -- stats -------------------------------------------------------------------


def test_stats_json_counts_sessions_minutes_and_streaks() -> None:
    """``calm stats --json`` totals what was seeded, with one missed day allowed in a streak."""
    today = date.today()
    zone = local_zone()
    seconds_by_days_ago = {
        0: [300.0, 150.0],
        1: [600.0],
        # 2 days ago: missed, which a streak survives.
        3: [240.0],
        4: [0.0],  # Cut off before it began: no practice, so it does not bridge the gap.
        # 5 days ago missed too: two missed days in a row end a streak.
        6: [120.0],
        7: [60.0],
        8: [90.0],
        10: [30.0],
    }
    sessions = [
        Seed(
            "box",
            "Box breathing",
            datetime.combine(today - timedelta(days=ago), clock_time(0, 30 + n), tzinfo=zone),
            practised_seconds=seconds,
            status="completed" if seconds else "interrupted",
        )
        for ago, list_of_seconds in seconds_by_days_ago.items()
        for n, seconds in enumerate(list_of_seconds)
    ]
    seed(*sessions)
    monday = today - timedelta(days=today.weekday())
    week = sum(
        seconds
        for ago, list_of_seconds in seconds_by_days_ago.items()
        for seconds in list_of_seconds
        if today - timedelta(days=ago) >= monday
    )

    result = calm("stats", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    if date.today() != today:
        pytest.skip("the date changed while the test ran")
    assert figures["today"] == today.isoformat()
    assert figures["sessions"] == 9
    assert figures["minutes"] == pytest.approx(26.5)  # 1,590 seconds
    assert figures["week_minutes"] == pytest.approx(round(week / 60, 1))
    assert figures["current_streak_days"] == 3  # today, yesterday and 3 days ago
    assert figures["longest_streak_days"] == 4  # 6, 7, 8 and 10 days ago


# -- the kind sentence after a session ---------------------------------------


def _past_seeds(state: str) -> list[Seed]:
    zone = local_zone()
    today = date.today()

    def days_ago(days: int) -> Seed:
        start_at = datetime.combine(today - timedelta(days=days), clock_time(9, 0), tzinfo=zone)
        return Seed("box", "Box breathing", start_at, practised_seconds=600.0)

    if state == "streak":
        return [days_ago(2), days_ago(1)]
    if state == "after-a-break":
        return [days_ago(30), days_ago(29), days_ago(28), days_ago(12)]
    return []


@pytest.mark.parametrize("state", ["first-session", "streak", "after-a-break"])
def test_a_kind_sentence_follows_a_plain_session(tmp_path: Path, state: str) -> None:
    """After a plain session comes one sentence about this week, never a word of guilt."""
    seed(*_past_seeds(state))
    result = start(write_script(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    after = [line for line in lines[closing_line_index(lines) + 1 :] if line.strip()]
    # The week's sentence, then what to do afterwards: this script has no reminder of
    # its own, so a self-care tip, as on the screen's summary.
    assert len(after) == 2, result.stdout
    sentence, tip = after
    assert tip in TIPS
    assert "this week" in sentence
    assert not GUILT.search(sentence), sentence
    if state == "streak":
        assert "3-day streak" in sentence


def test_the_week_sentence_and_stats_give_the_week_in_one_format(tmp_path: Path) -> None:
    """The summary's time this week and `calm stats`' "This week" read exactly alike: the
    same 5 min 33 s, never 6 min in one place and 5 min 33 s in the other."""
    monday = date.today() - timedelta(days=date.today().weekday())
    earlier = datetime.combine(monday, clock_time(0, 1), tzinfo=local_zone())
    seed(Seed("box", "Box breathing", earlier, practised_seconds=332.0))
    result = start(write_script(tmp_path, TINY, "tiny"))
    assert result.returncode == 0, result.stderr
    (sentence,) = [line for line in result.stdout.splitlines() if "this week" in line]
    week_of = r"That's (?:a \d+-day streak, and )?(.+?)(?: of practice)? this week\."
    shown = re.fullmatch(week_of, sentence)
    assert shown is not None, sentence
    stats_lines = calm("stats").stdout.splitlines()
    (week,) = [line for line in stats_lines if line.startswith("This week")]
    assert week.split(maxsplit=2)[2].strip() == shown[1]
    assert shown[1] == "5 min 32 s"  # 332 s, and the tiny session's fifth of a second


# -- the check-in ------------------------------------------------------------


@pytest.mark.parametrize("how", ["flag", "config"])
def test_check_in_without_a_terminal_asks_nothing(tmp_path: Path, how: str) -> None:
    """With no terminal to answer on, the check-in asks nothing and the moods stay empty."""
    extra = ["--check-in"] if how == "flag" else []
    if how == "config":
        config = locations.config_file()
        config.parent.mkdir(parents=True)
        config.write_text("check_in = true\n", encoding="utf-8")
    result = start(write_script(tmp_path), *extra)
    assert result.returncode == 0, result.stderr
    assert "tense" not in result.stdout.lower()
    (row,) = stored_rows()
    assert row["status"] == "completed"
    assert (row["mood_before"], row["mood_after"]) == (None, None)


@pytest.mark.parametrize(
    ("keys", "moods"), [(("4", "2"), (4, 2)), (("x", "Space"), (None, None))], ids=["4-2", "skip"]
)
def test_check_in_on_a_terminal_records_the_keys_pressed(
    terminal: Terminal,
    tmp_path: Path,
    keys: tuple[str, str],
    moods: tuple[int | None, int | None],
) -> None:
    """On a terminal, one key before and one after are recorded; any other key skips."""
    script = write_script(tmp_path)
    terminal.run("start", str(script), "--plain", "--no-audio", "--check-in")
    terminal.answer("Before you begin", keys[0])
    terminal.answer("How tense do you feel now?", keys[1])
    assert terminal.exit_status() == 0
    (row,) = stored_rows()
    assert row["status"] == "completed"
    assert (row["mood_before"], row["mood_after"]) == moods
    if moods == (None, None):
        assert terminal.screen().count("skipped") == 2


def test_ctrl_c_at_the_plain_check_in_starts_nothing(terminal: Terminal, tmp_path: Path) -> None:
    """The title comes before the question; Ctrl+C at it says nothing started, and records none."""
    script = write_script(tmp_path)
    terminal.run("start", str(script), "--plain", "--no-audio", "--check-in")
    terminal.answer("Before you begin", "C-c")
    assert terminal.exit_status() == 0
    lines = terminal.screen().splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("Quick breath · "))
    question = next(i for i, line in enumerate(lines) if "Before you begin" in line)
    assert title < question
    assert any(line.strip() == "Nothing was started." for line in lines[question:]), lines
    assert "That's the end" not in "\n".join(lines)
    assert rows_if_any() == []


@pytest.mark.parametrize("key", ["Escape", "q"])
def test_esc_or_q_at_the_plain_check_in_goes_back(
    terminal: Terminal, tmp_path: Path, key: str
) -> None:
    """Esc or q at the first question leaves without starting, as on the screen; the
    question says so."""
    script = write_script(tmp_path)
    terminal.run("start", str(script), "--plain", "--no-audio", "--check-in")
    terminal.answer("Before you begin", key)
    assert terminal.exit_status() == 0
    shown = terminal.screen()
    assert "Esc or q leaves without starting. Any other key skips." in shown
    assert "Nothing was started." in shown
    assert "That's the end" not in shown and "Step 1" not in shown
    assert rows_if_any() == []


def test_check_in_with_output_to_a_file_asks_nothing(terminal: Terminal, tmp_path: Path) -> None:
    """A terminal to type on but output going to a file: no question, and the session runs."""
    script = write_script(tmp_path)
    out = tmp_path / "out.txt"
    command = shlex.join(
        [sys.executable, "-m", "calm", "start", str(script), "--plain", "--no-audio", "--check-in"]
    )
    terminal.tmux(
        "send-keys",
        "-t",
        terminal.session,
        "-l",
        f"{command} > {shlex.quote(str(out))}; echo calm-exited-$?",
    )
    terminal.send("Enter")
    assert terminal.exit_status() == 0  # with no key pressed at all
    text = out.read_text(encoding="utf-8")
    assert "That's the end of the session" in text
    assert "tense" not in text.lower()
    assert "tense" not in terminal.screen().lower()
    (row,) = stored_rows()
    assert row["status"] == "completed"
    assert (row["mood_before"], row["mood_after"]) == (None, None)


@pytest.mark.parametrize("command", [["history"], ["stats"]])
def test_damage_found_while_reading_keeps_the_file_aside(command: list[str]) -> None:
    """Broken pages past the schema, which opening cannot see: one line, exit 1, the file kept."""
    path = history_path()
    HistoryStore.open(path).close()
    with closing(sqlite3.connect(path)) as connection:
        # The schema's pages, and the first page of every table and index.
        (schema_pages,) = connection.execute("PRAGMA page_count").fetchone()
    store = HistoryStore.open(path)
    for number in range(500):
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
        store.begin(script="box", title="Box " * 12, planned_seconds=240, started_at=moment)
    store.close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    start = schema_pages * 4096
    data[start:] = b"\xff" * (len(data) - start)  # every page after the schema
    path.write_bytes(bytes(data))

    result = calm(*command)
    assert result.returncode == 1
    (line,) = error_lines(result)
    (kept,) = path.parent.glob("history.sqlite3.corrupt-*")
    assert (
        line == f"calm: the history file is damaged; it is kept as {kept}, and a new one will start"
    )
    assert kept.read_bytes() == bytes(data)
    assert not path.exists()
