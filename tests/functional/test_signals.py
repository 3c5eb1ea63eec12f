"""Signals for real: closing the terminal, kill, Ctrl+Z. calm always leaves, puts the
terminal back, writes the session down with its time, and never counts time stopped."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shlex
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from calm import locations
from tests.support.scripts import tiny_script
from tests.support.terminal import Terminal, tmux_server

pytestmark = pytest.mark.slow

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

BREATHING = """\
title = "Breathing"
summary = "Breathing from the first moment, for the signal tests."
category = "breathing"

[[steps]]
breathe = "Follow the orb."
pattern = [
    { phase = "inhale", seconds = 1.5, text = "Rising in" },
    { phase = "exhale", seconds = 1.5, text = "Falling out" },
]
cycles = 40
"""

CALM = [sys.executable, "-m", "calm"]


def script(tmp_path: Path, text: str = BREATHING) -> Path:
    path = tmp_path / "breathing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def rows() -> list[tuple[str, float]]:
    """Every session in the history: its status and time practised."""
    with sqlite3.connect(locations.history_file()) as connection:
        found = connection.execute(
            "SELECT status, practised_seconds FROM sessions ORDER BY id"
        ).fetchall()
    connection.close()
    return [(str(status), float(seconds)) for status, seconds in found]


def held_marks() -> list[Path]:
    """The running marks left beside the history: none once every calm has gone."""
    folder = locations.history_file().with_name(locations.history_file().name + ".running")
    return sorted(folder.glob("*.lock")) if folder.exists() else []


def wait_until(found: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not found():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# -- a terminal that stops reading, then goes away ------------------------------------


class Pty:
    """calm on a pseudo-terminal of the test's own, which can stop reading or go away."""

    def __init__(self, command: list[str]) -> None:
        self.controller, terminal = os.openpty()
        fcntl.ioctl(self.controller, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

        def own_terminal() -> None:
            # As a terminal window does: calm leads a session whose terminal this is.
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        env = dict(os.environ, TERM="xterm-256color")
        # As in a terminal window: its own size, and Python's usual buffered output
        # (unbuffered, a write to a closed terminal fails in another place).
        for name in ("COLUMNS", "LINES", "PYTHONUNBUFFERED"):
            env.pop(name, None)
        self.process = subprocess.Popen(
            command,
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=env,
            start_new_session=True,
            preexec_fn=own_terminal,
        )
        os.close(terminal)
        self.seen = b""

    def read_until(self, text: str, timeout: float = 20) -> None:
        """Read what calm draws until ``text`` appears."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared")
            if select.select([self.controller], [], [], 0.05)[0]:
                self.seen += os.read(self.controller, 65536)

    def exited_within(self, seconds: float) -> bool:
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.controller >= 0:
            os.close(self.controller)
            self.controller = -1


@pytest.fixture
def pty_calm(tmp_path: Path) -> Iterator[Callable[[], Pty]]:
    started: list[Pty] = []

    def start() -> Pty:
        pty = Pty([*CALM, "start", str(script(tmp_path))])
        started.append(pty)
        return pty

    yield start
    for pty in started:
        pty.close()


STALL = 2.5
"""Long enough for the moving orb to fill Textual's queue of thirty writes."""


ALTERNATE_SCREEN = "\x1b[?1049h"
"""What calm writes as the full screen opens, before its first frame."""


@pytest.mark.parametrize("moment", [ALTERNATE_SCREEN, "Rising in"], ids=["opening", "first-frame"])
def test_a_terminal_that_stops_reading_then_goes_away_lets_calm_go(
    pty_calm: Callable[[], Pty], moment: str
) -> None:
    """The window freezes as the screen opens, or at its first frame, then closes: calm
    is gone at once and the session is written down. Textual's writer used to die on the
    closed terminal with its queue full, and calm waited on it for ever, deaf to SIGHUP
    and SIGTERM."""
    pty = pty_calm()
    pty.read_until(moment)
    time.sleep(STALL)  # nobody reads: the terminal fills up and calm's writes wait
    os.close(pty.controller)
    pty.controller = -1
    assert pty.exited_within(3), "calm outlived its terminal"
    assert pty.process.returncode == 0
    [(status, practised)] = rows()
    assert status == "ended_early" and practised > 1.0
    assert held_marks() == []


def test_sigterm_reaches_calm_on_a_terminal_that_stopped_reading(
    pty_calm: Callable[[], Pty],
) -> None:
    """calm stuck on a terminal that takes nothing still leaves on SIGTERM within seconds,
    with the session written down as it was when the signal came and the modes put back."""
    pty = pty_calm()
    pty.read_until("Rising in")
    started = time.monotonic()
    time.sleep(STALL)
    pty.process.send_signal(signal.SIGTERM)
    signalled = time.monotonic() - started
    assert pty.exited_within(3), "calm ignored SIGTERM"
    assert pty.process.returncode == 0
    [(status, practised)] = rows()
    assert status == "ended_early"
    assert 1.0 < practised < signalled + 1.0
    assert held_marks() == []
    modes = termios.tcgetattr(pty.controller)[3]
    assert modes & termios.ICANON and modes & termios.ECHO


# -- tmux: a real terminal, closed, signalled and suspended ------------------------


class Tmux(Terminal):
    """A tmux server of the test's own, for windows that can be closed."""

    def window(self, command: str) -> tuple[str, int]:
        """Open a window running ``command``; its name and its process's id."""
        name = f"w{uuid.uuid4().hex[:6]}"
        pid = self.tmux(
            "new-window", "-d", "-P", "-F", "#{pane_pid}", "-n", name, "-t", self.session, command
        )
        return f"{self.session}:{name}", int(pid.strip())

    def window_screen(self, target: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", target)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """A fresh tmux server with an 80x24 shell, in the test's isolated home."""
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)  # output buffered as usual, as in a terminal window
    with tmux_server("calm-signals", env=env) as socket:
        yield Tmux(socket, "calm")


def gone(pid: int) -> bool:
    """Whether the process has exited (tmux has yet to reap it, or it is gone)."""
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:  # gone between the two looks, or already
        return True


@needs_tmux
@pytest.mark.parametrize("after", [0.0, 0.3, 0.8, 1.3], ids=lambda s: f"{s}s-into-the-inhale")
def test_closing_the_window_always_ends_calm_and_keeps_the_session(
    tmux: Tmux, tmp_path: Path, after: float
) -> None:
    """Closing the window as the first frame appears, or during the first inhale, ends
    calm within seconds every time, with the session written down as ended early."""
    command = shlex.join([*CALM, "start", str(script(tmp_path))])
    for attempt in range(3):
        target, pid = tmux.window(f"exec {command}")
        deadline = time.monotonic() + 20
        while "Rising in" not in tmux.window_screen(target):
            assert time.monotonic() < deadline, tmux.window_screen(target)
            time.sleep(0.01)
        time.sleep(after)
        tmux.tmux("kill-window", "-t", target)
        wait_until(partial(gone, pid), 3, f"calm to leave (attempt {attempt + 1})")
        statuses = [status for status, _ in rows()]
        assert statuses == ["ended_early"] * (attempt + 1)
    assert held_marks() == []


def _start_as_a_job(terminal: Terminal, tmp_path: Path, arguments: str, env: str = "") -> int:
    """Run calm in the foreground of the shell, as a job; its process id."""
    pid_file = tmp_path / f"calm-{uuid.uuid4().hex[:6]}.pid"
    command = f"{shlex.join(CALM)} {arguments}"
    terminal.type_line(
        f"{env} {command} & echo $! > {shlex.quote(str(pid_file))}; fg; echo calm-exited-$?"
    )
    wait_until(lambda: pid_file.exists() and pid_file.read_text().strip() != "", 10, "the pid")
    return int(pid_file.read_text().split()[0])


def _exit_status(screen: str, label: str = "calm-exited") -> str | None:
    """calm's exit status, once the shell has printed it at the start of a line. The typed
    command also holds "calm-exited-$?", which may wrap to the start of a line; after
    kill -STOP, which calm cannot catch, the rest of the line is the screen left behind."""
    for line in screen.splitlines():
        found = re.match(label + r"-(\d+)(\s|$)", line)
        if found:
            return found.group(1)
    return None


def _assert_terminal_restored(terminal: Terminal) -> None:
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"
    assert terminal.modes() == {"icanon", "echo"}


@needs_tmux
def test_kill_int_on_the_full_screen_acts_as_ctrl_c(tmux: Tmux, tmp_path: Path) -> None:
    """kill -INT: the one-line summary, exit 0 as for Ctrl+C, and the session's time kept."""
    pid = _start_as_a_job(tmux, tmp_path, f"start {shlex.quote(str(script(tmp_path)))}")
    tmux.wait_for(lambda screen: "Falling out" in screen)
    os.kill(pid, signal.SIGINT)
    screen = tmux.wait_for(lambda screen: _exit_status(screen) is not None)
    assert _exit_status(screen) == "0"
    assert "Session ended after" in screen
    [(status, practised)] = rows()
    assert status == "ended_early" and practised >= 1.5
    _assert_terminal_restored(tmux)


ENDING = [
    "SIGQUIT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGXCPU",
    "SIGPWR",
]


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"SIGRTMIN+{number - signal.SIGRTMIN}"


@needs_tmux
@pytest.mark.parametrize(
    "signum",
    [getattr(signal, name) for name in ENDING if hasattr(signal, name)]
    + ([signal.SIGRTMIN + 3] if hasattr(signal, "SIGRTMIN") else []),
    ids=_signal_name,
)
def test_every_signal_that_would_end_calm_puts_the_terminal_back_and_keeps_the_session(
    tmux: Tmux, tmp_path: Path, signum: int
) -> None:
    """SIGQUIT, SIGUSR1, SIGALRM and every other catchable signal that ends a process:
    the alternate screen is left, the cursor shown, echo and line editing back, and the
    session written down as ended early."""
    pid = _start_as_a_job(tmux, tmp_path, f"start {shlex.quote(str(script(tmp_path)))}")
    tmux.wait_for(lambda screen: "Falling out" in screen)
    os.kill(pid, signum)
    tmux.wait_for(lambda screen: _exit_status(screen) is not None)
    [(status, practised)] = rows()
    assert status == "ended_early" and practised >= 1.5
    _assert_terminal_restored(tmux)


STOPPED = 4.0
"""How long calm is left stopped; more than the session could lose any other way."""


def _suspended(screen: str) -> bool:
    """Whether the shell says the job has stopped (and has printed its status, 148 for
    SIGTSTP, 147 for SIGSTOP)."""
    return "Stopped" in screen and _exit_status(screen) in ("147", "148")


RESUME = "fg; echo resumed-exit-$?"
"""Continue calm, and say how it ended; its first status line was the stop's."""


def _resumed_exit(screen: str) -> str | None:
    return _exit_status(screen, "resumed-exit")


@needs_tmux
def test_time_stopped_with_ctrl_z_is_not_practice_in_plain_mode(tmux: Tmux, tmp_path: Path) -> None:
    """Ctrl+Z, a wait, fg: the session carries on where it was; no boundary is late, and
    the time stopped is not counted as practice."""
    trace = tmp_path / "trace.jsonl"
    begun = time.monotonic()
    _start_as_a_job(
        tmux,
        tmp_path,
        f"start --plain {shlex.quote(str(script(tmp_path)))}",
        env=f"CALM_TRACE={shlex.quote(str(trace))}",
    )
    tmux.wait_for(lambda screen: "Rising in" in screen)
    tmux.send("C-z")
    tmux.wait_for(_suspended)
    time.sleep(STOPPED)
    phases = len(trace.read_text().splitlines())
    tmux.type_line(RESUME)
    wait_until(lambda: len(trace.read_text().splitlines()) > phases + 1, 10, "two more phases")
    tmux.send("C-c")
    tmux.wait_for(lambda screen: _resumed_exit(screen) is not None)
    wall = time.monotonic() - begun
    [(status, practised)] = rows()
    assert status == "ended_early"
    assert practised < wall - STOPPED + 0.5
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    for event in events:
        if event["event"] == "phase":
            assert event["t"] - event["scheduled"] < 0.5, event


@needs_tmux
@pytest.mark.parametrize("how", ["Ctrl+Z", "SIGTSTP", "SIGSTOP"])
def test_time_stopped_is_not_practice_on_the_full_screen(
    tmux: Tmux, tmp_path: Path, how: str
) -> None:
    """Stopped by Ctrl+Z, by kill -TSTP, or by kill -STOP, which calm cannot catch, then
    continued: the screen comes back and the time stopped is not counted. (The full
    screen reads Ctrl+Z as a key, and asks to be stopped; it once did nothing.)"""
    begun = time.monotonic()
    pid = _start_as_a_job(tmux, tmp_path, f"start {shlex.quote(str(script(tmp_path)))}")
    tmux.wait_for(lambda screen: "Falling out" in screen)
    if how == "Ctrl+Z":
        tmux.send("C-z")
    else:
        os.kill(pid, getattr(signal, how))
    tmux.wait_for(_suspended)
    time.sleep(STOPPED)
    tmux.type_line(RESUME)
    # Drawn afresh: the shell's lines, written over the screen while calm was stopped, gone.
    tmux.wait_for(
        lambda screen: (
            "resumed-exit" not in screen
            and "Stopped" not in screen
            and ("Rising in" in screen or "Falling out" in screen)
        )
    )
    assert tmux.flag("alternate_on") == "1"
    tmux.send("Space")  # keys still work: one reader of the keyboard, not two
    tmux.wait_for(lambda screen: "Paused" in screen and "space Resume" in screen)
    tmux.send("C-c")
    screen = tmux.wait_for(lambda screen: _resumed_exit(screen) is not None)
    wall = time.monotonic() - begun
    assert _resumed_exit(screen) == "0"
    assert "Session ended after" in screen
    [(status, practised)] = rows()
    assert status == "ended_early"
    # kill -STOP is counted from the heartbeat calm missed, up to a second late.
    assert practised < wall - STOPPED + (1.5 if how == "SIGSTOP" else 0.5)
    _assert_terminal_restored(tmux)


@needs_tmux
@pytest.mark.parametrize("term", ["dumb", "unknown", ""], ids=["dumb", "unknown", "empty"])
def test_a_dumb_terminal_gets_plain_lines(tmux: Tmux, tmp_path: Path, term: str) -> None:
    """TERM=dumb (an editor's shell) cannot draw a full screen: the plain runner runs."""
    _start_as_a_job(
        tmux,
        tmp_path,
        f"start {shlex.quote(str(script(tmp_path)))}",
        env=f"TERM={shlex.quote(term)}",
    )
    tmux.wait_for(lambda screen: "Rising in" in screen and "Step 1 of 1" in screen)
    assert tmux.flag("alternate_on") == "0"
    tmux.send("C-c")
    screen = tmux.wait_for(lambda screen: _exit_status(screen) is not None)
    assert "Session ended after" in screen


# -- CALM_TRACE that is not a file, or stops taking writes -------------------------

SHORT = tiny_script(
    title="Short",
    summary="A short plain session.",
    category="breathing",
    say_seconds=0.3,
    breathe=None,
)


def _plain(tmp_path: Path, trace: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CALM, "start", "--plain", "--no-audio", str(script(tmp_path, SHORT))],
        env=dict(os.environ, CALM_TRACE=trace),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_a_named_pipe_as_the_trace_is_refused_and_the_session_runs(tmp_path: Path) -> None:
    """CALM_TRACE naming a FIFO used to hang calm before the session; now one line."""
    fifo = tmp_path / "trace.fifo"
    os.mkfifo(fifo)
    result = _plain(tmp_path, str(fifo))
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr == f"calm: not tracing: CALM_TRACE={fifo}: it is a named pipe, not a file\n"
    )
    assert "That's the end of the session" in result.stdout
    assert [status for status, _ in rows()] == ["completed"]


def test_dev_full_as_the_trace_costs_the_session_nothing(tmp_path: Path) -> None:
    """CALM_TRACE=/dev/full used to turn a completed session into exit 1 and leave its
    running mark behind."""
    result = _plain(tmp_path, "/dev/full")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "calm: not tracing: CALM_TRACE=/dev/full: it is a device, not a file\n"
    assert [status for status, _ in rows()] == ["completed"]
    assert held_marks() == []


def test_a_trace_file_that_stops_taking_writes_is_one_line(tmp_path: Path) -> None:
    """A trace on a disk that fills (here, a file at the size limit) gives one line and
    is dropped; the session completes, exits 0 and is written down."""
    import resource

    trace = tmp_path / "trace.jsonl"
    limit = 4 * 1024 * 1024
    with trace.open("wb") as full:
        full.truncate(limit)  # the trace file is as big as this calm may make any file

    def at_the_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [*CALM, "start", "--plain", "--no-audio", str(script(tmp_path, SHORT))],
        env=dict(os.environ, CALM_TRACE=str(trace)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        preexec_fn=at_the_limit,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"calm: the trace stopped: CALM_TRACE={trace} could not be written (File too large)\n"
    )
    assert [status for status, _ in rows()] == ["completed"]
    assert held_marks() == []


# -- the plain runner ----------------------------------------------------------------


def _plain_session(tmp_path: Path, ignore_hang_up: bool = False) -> subprocess.Popen[str]:
    """A plain session in the background, read line by line, once it is breathing."""

    def as_nohup_would() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    process = subprocess.Popen(
        [*CALM, "start", "--plain", "--no-audio", str(script(tmp_path))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_nohup_would if ignore_hang_up else None,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Rising in" in line:
            break
    return process


@pytest.mark.parametrize(
    "signum",
    [getattr(signal, name) for name in ENDING if hasattr(signal, name)]
    + [signal.SIGTERM, signal.SIGINT],
    ids=_signal_name,
)
def test_every_signal_that_would_end_calm_ends_a_plain_session_calmly(
    tmp_path: Path, signum: int
) -> None:
    """In plain mode too: the closing line, exit 0, and the session written down."""
    process = _plain_session(tmp_path)
    time.sleep(0.5)
    process.send_signal(signum)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Session ended after" in out
    [(status, practised)] = rows()
    assert status == "ended_early" and practised > 0
    assert held_marks() == []


def test_nohup_keeps_a_plain_session_going_when_its_terminal_closes(tmp_path: Path) -> None:
    """A SIGHUP that whoever started calm chose to ignore stays ignored."""
    process = _plain_session(tmp_path, ignore_hang_up=True)
    process.send_signal(signal.SIGHUP)
    assert process.stdout is not None
    # Still breathing: the next phase arrives.
    for line in process.stdout:
        if "Falling out" in line:
            break
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=10)
    assert process.returncode == 0
    assert [status for status, _ in rows()] == ["ended_early"]
