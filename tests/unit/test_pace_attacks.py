"""``calm pace`` attacked as a hostile or clumsy user would: a history whose pace rows
were written by hand or by another program, and a plain run whose window closes or
which is sent signals.

Each test here failed before the fix it guards. The history is data from outside
calm: no row of it may crash calm, cost unbounded time or memory, or reach the
terminal as anything but calm's own words.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import select
import signal
import sqlite3
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from typer._click.exceptions import UsageError
from typer.testing import CliRunner

from calm import locations
from calm.cli import app
from calm.core.clock import ManualClock, RunningClock
from calm.core.session import SessionOutcome
from calm.core.timeline import compile_timeline
from calm.plain import runner as plain_runner
from calm.plain.asking import ask_about_rung, ask_mood
from calm.plain.runner import run_plain
from calm.practice.bounded_work import QuickConnection
from calm.practice.history import HistoryStore
from calm.practice.options import SessionOptions
from calm.practice.pace_finder import EASE, EASE_SCALE, PaceFinder
from calm.practice.pace_ladder import Ladder
from calm.practice.pace_results import read_results
from calm.practice.service import Practice
from calm.practice.signals import following_stops
from tests.support.history import recorder, rows

GOOD_ANSWERS = "[[5.5,4,5,false]]"
SIGNAL = signal.SIGTERM
"""An ending signal that, unlike a hang-up, leaves the test's own output alone."""
GOOD_MOMENT = "2026-12-03T09:00:00+00:00"


@pytest.fixture
def history() -> Path:
    """The isolated home's history file, with calm's tables and nothing in them."""
    path = locations.history_file()
    HistoryStore.open(path).close()
    return path


def insert_raw(path: Path, found_at: object, pace: object, answers: object) -> None:
    """A row that found a pace, written straight into the file as another program might."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "INSERT INTO pace_results (found_at, pace, found, answers) VALUES (?, ?, 1, ?)",
            (found_at, pace, answers),
        )
        connection.commit()


def calm(*args: str) -> tuple[int, str]:
    """Run ``calm ARGS`` in this process; its exit code and everything it printed."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


# -- rows too long to be calm's ----------------------------------------------------------


def test_answers_longer_than_calm_writes_are_left_unread(history: Path) -> None:
    """Valid JSON padded far past anything calm writes is another program's row: it is
    left out, not decoded, so a row of a gigabyte costs no gigabyte of memory."""
    padded = "[[5.0,4,5,false]" + " " * 100_000 + "]"
    insert_raw(history, "2026-12-04T09:00:00+00:00", 5.0, padded)
    insert_raw(history, GOOD_MOMENT, 5.5, GOOD_ANSWERS)
    assert [result.pace for result in read_results(history)] == [5.5]


def test_the_longest_answers_calm_writes_are_still_read(history: Path) -> None:
    """Fifty rungs at paces written to every digit fit well within the limit."""
    rungs = ",".join(["[5.123456789012345,4,5,false]"] * 50)
    insert_raw(history, GOOD_MOMENT, 5.5, f"[{rungs}]")
    (result,) = read_results(history)
    assert len(result.answers) == 50


def test_a_pace_results_that_goes_on_and_on_is_given_up_on(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program may leave a view named pace_results that never ends: calm list,
    calm show my-pace and calm pace --show used to read it for ever. Reading stops
    after so much work, as unreadable; here the work allowed is made small, and the
    view finite, so that the test is quick either way."""
    monkeypatch.setattr(QuickConnection, "most_steps", 1_000_000)
    with closing(sqlite3.connect(history)) as connection:
        connection.executescript(
            """
            DROP TABLE pace_results;
            CREATE VIEW pace_results AS
                WITH RECURSIVE counted(x) AS (
                    SELECT 1 UNION ALL SELECT x + 1 FROM counted WHERE x < 500000
                )
                SELECT '2026-12-03T09:00:00+00:00' AS found_at, 5.5 AS pace, 1 AS found,
                    '[[5.5,4,5,false]]' AS answers, x AS id, NULL AS session
                FROM counted;
            """
        )
    assert read_results(history) == []


def test_a_sessions_table_that_goes_on_and_on_costs_the_nudge_nothing(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bound serves what calm nudge and the list read of the week: a sessions
    view that never ends counts as nothing done, rather than hanging a shell prompt.
    Here the work allowed is made small, and the view finite, its one session this week
    its last row, so that the test is quick either way."""
    from datetime import date

    from calm.care.done_today import read_done

    monkeypatch.setattr(QuickConnection, "most_steps", 1_000_000)
    with closing(sqlite3.connect(history)) as connection:
        connection.executescript(
            """
            DROP TABLE sessions;
            CREATE VIEW sessions AS
                WITH RECURSIVE counted(x) AS (
                    SELECT 1 UNION ALL SELECT x + 1 FROM counted WHERE x < 500000
                )
                SELECT 'box' AS script,
                    CASE WHEN x < 500000 THEN '2001-01-01T09:00:00+00:00'
                        ELSE '2026-12-03T09:00:00+00:00' END AS started_at,
                    240.0 AS practised_seconds, 240.0 AS planned_seconds,
                    'completed' AS status
                FROM counted;
            """
        )
    done = read_done(history, date(2026, 12, 3))
    assert done.days == {}


# -- moments with no local time ----------------------------------------------------------


@pytest.mark.parametrize(
    "found_at",
    [
        pytest.param("0001-01-01T00:00:00+14:00", id="before year 1 in UTC"),
        pytest.param("9999-12-31T23:59:59-14:00", id="after year 9999 in UTC"),
    ],
)
def test_a_moment_that_has_no_local_time_is_left_out(history: Path, found_at: str) -> None:
    """A moment datetime can read but not move into any time zone would crash
    ``calm pace --history`` and ``--show`` as they say it in local time."""
    insert_raw(history, found_at, 5.0, GOOD_ANSWERS)
    insert_raw(history, GOOD_MOMENT, 5.5, GOOD_ANSWERS)
    assert [result.pace for result in read_results(history)] == [5.5]
    for option in ("--history", "--show"):
        code, output = calm("pace", option)
        assert code == 0, output
        assert "5.5" in output


# -- a plain run whose window closes -----------------------------------------------------


def ladder_practice(history: Path, practice_type: type[Practice] = Practice) -> Practice:
    """A practice that writes into ``history``, running a one-rung ladder of calm pace."""
    practice = practice_type(SessionOptions(history=True), recorder=recorder(history))
    practice.pace_finder = PaceFinder(Ladder(6.0, 6.0, 0.5, rung_minutes=0.1))
    return practice


def signals_at_once(*signums: int) -> None:
    """Send the main thread ``signums`` so that all are waiting together, as the two
    hang-ups a closing window sends are: each handler runs in turn."""
    main = threading.main_thread().ident
    assert main is not None
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set(signums))
    try:
        for signum in signums:
            signal.pthread_kill(main, signum)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def run_ladder(practice: Practice, sleep_hook: Callable[[float], None] | None = None) -> None:
    """Run the practice's ladder as plain text on a hand-set clock, with no terminal."""
    assert practice.pace_finder is not None
    timeline = compile_timeline(practice.pace_finder.script)
    clock = ManualClock()

    def sleep(seconds: float) -> None:
        clock.advance(seconds)
        if sleep_hook is not None:
            sleep_hook(clock.now())

    try:
        run_plain(
            timeline, practice, out=io.StringIO(), stdin=io.StringIO(), clock=clock, sleep=sleep
        )
    except KeyboardInterrupt:
        pytest.fail("a signal escaped the plain runner before the session was written down")


def test_a_second_signal_while_leaving_still_writes_the_session_down(tmp_path: Path) -> None:
    """The first signal ends the session as Ctrl+C does; the second, a moment later,
    used to interrupt that ending, so the session stayed "interrupted", with no end."""
    history = tmp_path / "history.sqlite3"
    sent: list[bool] = []

    def two_hang_ups(now: float) -> None:
        if now > 3 and not sent:
            sent.append(True)
            signals_at_once(signal.SIGTERM, signal.SIGUSR1)

    run_ladder(ladder_practice(history), two_hang_ups)
    (row,) = rows(history)
    assert (row.status, row.ended_at is not None) == ("ended_early", True)
    assert read_results(history) == []


class SignalledWhileWriting(Practice):
    """A practice that is sent a signal just as it writes the session down."""

    def end(self, outcome: SessionOutcome) -> str | None:
        """Write the session down, with a signal arriving as the writing begins."""
        signals_at_once(signal.SIGTERM)
        return super().end(outcome)


def test_a_signal_while_the_session_is_written_down_does_not_cut_it_short(
    tmp_path: Path,
) -> None:
    """A session over is written down whole, though a signal comes as it is."""
    history = tmp_path / "history.sqlite3"
    run_ladder(ladder_practice(history, SignalledWhileWriting))
    (row,) = rows(history)
    assert row.ended_at is not None


# -- a terminal that goes away at a question ---------------------------------------------


@contextmanager
def closing_terminal(after: float) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """A pseudo-terminal for calm's input and output, whose window closes ``after``
    seconds in: its other side is closed, as a terminal emulator's is."""
    window, calm_side = os.openpty()
    stdin = os.fdopen(calm_side, "r", encoding="utf-8")
    out = os.fdopen(os.dup(calm_side), "w", encoding="utf-8")
    closed = threading.Timer(after, os.close, (window,))
    closed.start()
    try:
        yield stdin, out
    finally:
        closed.join()
        for stream in (stdin, out):
            with contextlib.suppress(OSError):
                stream.close()


def test_a_question_whose_window_closes_says_the_terminal_has_gone() -> None:
    """Reading the key fails and the terminal's modes cannot be put back: that is the
    end of the input, said as EOFError, not the terminal's own error escaping."""
    finder = PaceFinder(Ladder(6.0, 6.0, 0.5, rung_minutes=0.1))
    with closing_terminal(after=0.3) as (stdin, out), pytest.raises(EOFError):
        ask_about_rung(finder, 0, stdin, out)
    assert finder.answers == {}


def test_the_check_in_whose_window_closes_has_no_answer() -> None:
    with closing_terminal(after=0.3) as (stdin, out):
        assert ask_mood("How tense do you feel?", stdin, out) is None


@pytest.mark.parametrize("gone", [EOFError, BrokenPipeError])
def test_a_terminal_gone_at_the_questions_ends_the_session_written_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gone: type[Exception]
) -> None:
    """The window closed at a rung's questions, and its hang-up arrives as calm leaves:
    the session ends early, written down with its end, and nothing is kept."""

    def window_closed(*args: object) -> bool:
        raise gone

    # The hang-up comes while calm puts its output aside, before it has ended the session.
    monkeypatch.setattr(plain_runner, "ask_about_rung", window_closed)
    monkeypatch.setattr(plain_runner, "write_nowhere", lambda *streams: signals_at_once(SIGNAL))
    history = tmp_path / "history.sqlite3"
    run_ladder(ladder_practice(history))
    (row,) = rows(history)
    assert (row.status, row.ended_at is not None) == ("ended_early", True)
    assert read_results(history) == []


# -- signals heard at once ---------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads Linux's /proc")
def test_the_heartbeat_thread_leaves_every_signal_to_the_main_thread() -> None:
    """The kernel hands a signal to any thread that does not block it; Python hears it
    only in the main thread, and only once that wakes. A closing window sends two
    signals, and one handed to the heartbeat kept a plain session breathing to nobody
    until its step ended."""
    main_before = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    with following_stops(RunningClock()):
        (beat,) = [thread for thread in threading.enumerate() if thread.name == "calm-heartbeat"]
        status = Path(f"/proc/self/task/{beat.native_id}/status").read_text()
        assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == main_before
    found = re.search(r"^SigBlk:\s*([0-9a-f]+)$", status, re.MULTILINE)
    assert found is not None
    blocked = int(found.group(1), 16)
    for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGCONT, signal.SIGTSTP):
        assert blocked >> (signum - 1) & 1, signal.Signals(signum).name


# -- a person at the plain questions -----------------------------------------------------


def read_until(fd: int, end: bytes, seconds: float) -> bytes:
    """What the terminal shows within ``seconds``, up to ``end`` if it comes: a pty hands
    output over in pieces."""
    shown = b""
    deadline = time.monotonic() + seconds
    while end not in shown and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.05)[0]:
            shown += os.read(fd, 4096)
    return shown


def press_until(window: int, key: bytes, end: bytes) -> bytes:
    """Press ``key``, again each moment, until the terminal shows ``end``: a question
    throws away a key pressed before it was asked, and a person presses again. What
    the terminal showed meanwhile."""
    shown = b""
    for _ in range(25):
        os.write(window, key)
        shown += read_until(window, end, 0.2)
        if end in shown:
            return shown
    raise AssertionError(f"{key!r} never brought {end!r}; the terminal showed {shown!r}")


def asked_on_a_terminal(person: Callable[[int, int], None]) -> PaceFinder:
    """Ask the questions about a one-rung ladder on a pseudo-terminal, with ``person``
    (given the window's side and calm's) answering from a thread; the finder after.
    A person who gives up closes the window, so the questions never wait for ever."""
    window, calm_side = os.openpty()
    stdin = os.fdopen(calm_side, "r", encoding="utf-8")
    out = os.fdopen(os.dup(calm_side), "w", encoding="utf-8")
    finder = PaceFinder(Ladder(6.0, 6.0, 0.5, rung_minutes=0.1))
    gave_up: list[BaseException] = []

    def at_the_keyboard() -> None:
        try:
            person(window, calm_side)
        except BaseException as error:
            gave_up.append(error)
            os.close(window)

    typing = threading.Thread(target=at_the_keyboard)
    typing.start()
    try:
        with contextlib.suppress(EOFError):
            ask_about_rung(finder, 0, stdin, out)
    finally:
        typing.join()
        stdin.close()
        out.close()
        if not gave_up:
            os.close(window)
    if gave_up:
        raise gave_up[0]
    return finder


EASE_ASKED = f"{EASE} {EASE_SCALE}: ".encode()
CALM_ASKED = b"very calm: "
DIZZY_ASKED = b"no: "


def test_after_ctrl_z_and_fg_a_question_takes_its_key_without_enter() -> None:
    """The shell puts back line editing and echo while calm is stopped, and writes over
    the question; when calm goes on, the question is asked again and one key still
    answers it, unechoed, where it used to wait for Enter and show the key typed."""
    # As in calm's plain runner: SIGCONT is the system's own until calm asks. A pilot
    # test run earlier in this process may have left Textual's handler in place, which
    # redraws an app that is no longer running.
    before = signal.signal(signal.SIGCONT, signal.SIG_DFL)
    try:
        _ctrl_z_and_fg()
    finally:
        signal.signal(signal.SIGCONT, before)


def _ctrl_z_and_fg() -> None:
    main = threading.main_thread().ident
    assert main is not None
    seen: list[bytes] = []

    def person(window: int, calm_side: int) -> None:
        shells_modes = termios.tcgetattr(calm_side)
        read_until(window, EASE_ASKED, 5)
        time.sleep(0.3)  # calm waits for the key by now; the person presses Ctrl+Z
        termios.tcsetattr(calm_side, termios.TCSANOW, shells_modes)  # as the shell does
        signal.pthread_kill(main, signal.SIGCONT)  # fg
        seen.append(read_until(window, EASE_ASKED, 5))
        seen.append(press_until(window, b"4", CALM_ASKED))
        press_until(window, b"5", DIZZY_ASKED)
        press_until(window, b"n", b"no\r\n")

    finder = asked_on_a_terminal(person)
    assert seen[0].strip().startswith(EASE.encode()), "the question is asked again"
    assert seen[1].startswith(b"4\r\n  How calm"), "calm's own 4 alone: the key was not echoed"
    assert finder.ordered_answers()[0].ease == 4


def test_plain_text_names_ctrl_c_to_stop_after_light_headedness() -> None:
    """q stops the screen, but as plain text it is just a letter: someone light-headed
    must be told the key that really stops."""
    said: list[bytes] = []

    def person(window: int, calm_side: int) -> None:
        read_until(window, EASE_ASKED, 5)
        press_until(window, b"4", CALM_ASKED)
        press_until(window, b"5", DIZZY_ASKED)
        said.append(press_until(window, b"y", b"too.\r\n"))

    finder = asked_on_a_terminal(person)
    assert finder.ordered_answers()[0].light_headed
    assert b"stop with Ctrl+C;" in said[0]
    assert b"with q" not in said[0]


# -- options that would be quietly ignored -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--show", "--quick"), "--quick runs the ladder; it does not go with --show"),
        (("--history", "--from", "6"), "--from runs the ladder; it does not go with --history"),
        (("--show", "--json", "--plain"), "--plain runs the ladder; it does not go with --show"),
        (("--history", "--rung-minutes", "1"), "--rung-minutes runs the ladder; it does not"),
    ],
)
def test_an_option_for_the_ladder_beside_show_or_history_is_refused(
    args: tuple[str, ...], said: str
) -> None:
    """--show and --history run nothing: an option that shapes a run, typed beside
    them, would have been quietly ignored, as if it had been taken. It is a usage
    error, which calm says in one line with exit 2, as it says any."""
    result = CliRunner().invoke(app, ["pace", *args], standalone_mode=False)
    assert isinstance(result.exception, UsageError), result.output
    assert result.exception.format_message().startswith(said)


def test_show_and_history_alone_still_show() -> None:
    for args in (("--show",), ("--history",), ("--show", "--json"), ("--history", "--json")):
        code, output = calm("pace", *args)
        assert code == 0, output
