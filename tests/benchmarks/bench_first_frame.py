"""Benchmark: the first frame of ``calm start box`` against a minimal Textual app.

Run it on its own:  python tests/benchmarks/bench_first_frame.py [--runs N] [--compare FOLDER]
                    [--instructions]

Each case runs in a real 80x24 terminal, a window of a tmux server of the
benchmark's own, and is timed from asking tmux for the window to its text on
screen (polled with ``capture-pane``). The cases take turns run by run, so that a
busy moment slows each alike:

- a minimal Textual app that shows one line;
- ``calm start box`` (its first screen is the caution);
- ``calm start box --ambient pink``;
- ``calm start box --skip-caution`` (its first screen is the session);
- ``calm start box --skip-caution --ambient pink``.

calm runs with a HOME, config, data and cache folder of the benchmark's own, and
a history of a few hundred sessions. One untimed run of each case first writes
the bytecode and whatever calm keeps in its cache folder.

Goals: calm's first frame at most 1.25 times the minimal app's, and
``--ambient pink`` adding at most 50 ms, with the caution first and without.
Prints the medians and exits 1 when a goal is missed. ``--compare FOLDER`` runs
another checkout of calm (such as ``git worktree add /tmp/calm-before <commit>``)
in the same rounds, for a before-and-after table. Linux only, and it needs tmux.

``--instructions`` counts instead, under valgrind's callgrind, the instructions
each case runs from its start to its first frame (the program ends as that frame
is written), once each after the untimed runs: the same from run to run
whatever else the machine is doing, so a change of a few per cent shows. It
leaves out what waits on memory or the disk, and it needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

RATIO_GOAL = 1.25
"""calm's first frame against the minimal app's, at most."""
AMBIENT_GOAL_MS = 50.0
"""What ``--ambient pink`` may add to the first frame, at most."""
ROOT = Path(__file__).resolve().parents[2]
HISTORY_ROWS = 300
"""Sessions already in each history."""
TIMEOUT = 15.0
"""Seconds a case may take to show its text before the benchmark gives up."""

MINIMAL_APP = """\
from textual.app import App
from textual.widgets import Static


class Minimal(App[None]):
    def compose(self):
        yield Static("A minimal Textual app")


Minimal().run()
"""

SEED_HISTORY = """\
import sqlite3, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from calm.practice.history import HistoryStore

path = Path(sys.argv[1])
HistoryStore.open(path).close()
now = datetime.now(timezone.utc)
rows = []
for number in range(int(sys.argv[2])):
    start = now - timedelta(hours=7 * number + 1)
    end = start + timedelta(seconds=240)
    rows.append(("box", "Box breathing", start.isoformat(), end.isoformat(), 240.0, 240.0,
                 "completed", 16))
with sqlite3.connect(path) as connection:
    connection.executemany(
        "INSERT INTO sessions (script, title, started_at, ended_at, planned_seconds,"
        " practised_seconds, status, breaths) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
"""
"""Makes the history's file with the tree's own schema, then adds sessions to it."""

TO_THE_FIRST_FRAME = """\
import os, runpy, sys
import textual.app  # every case needs it: loading it first changes no count

draw = textual.app.App._display
minimal = sys.argv[1] == "-"


def display(self, screen, update):
    draw(self, screen, update)
    # The minimal app's first screen is Textual's own; calm's first is one of calm's.
    if update is not None and (minimal or type(screen).__module__.startswith("calm.")):
        os._exit(0)


textual.app.App._display = display
if minimal:
    sys.argv = sys.argv[2:]
    runpy.run_path(sys.argv[0], run_name="__main__")
else:
    sys.argv = ["calm", *sys.argv[2:]]
    from calm.__main__ import run

    run()
"""
"""Runs a case as it is run, and ends it the moment its first frame is written:
``-`` and a program's path for the minimal app, ``calm`` and its arguments for calm."""


@dataclass(frozen=True)
class Case:
    """One command to time: what it runs, with which environment, and the text it shows."""

    label: str
    argv: list[str]
    env: dict[str, str]
    text: str


class Tmux:
    """A tmux server of the benchmark's own, whose windows are 80x24 terminals."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"calm-first-frame-{uuid.uuid4().hex[:8]}"
        self.env = env
        keep_alive = "sleep 86400"
        self.run("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24",
                 keep_alive)  # fmt: skip

    def run(self, *args: str) -> str:
        """A tmux command against this server; its output."""
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def first_frame(self, case: Case, window: str, linger: float = 0.0) -> float:
        """Seconds from asking for a window running ``case`` to its text on screen;
        the window is closed once its program has run ``linger`` seconds more."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in case.env.items())
        command = f"exec env {exports} {shlex.join(case.argv)}"
        started = time.perf_counter()
        self.run("new-window", "-d", "-t", "bench:", "-n", window, command)
        try:
            while case.text not in self.run("capture-pane", "-p", "-t", f"bench:{window}"):
                if time.perf_counter() - started > TIMEOUT:
                    raise RuntimeError(f"{case.label} showed nothing in {TIMEOUT:g} s")
                time.sleep(0.004)
            seconds = time.perf_counter() - started
            time.sleep(linger)
        finally:
            self.close(window)
        return seconds

    def run_to_its_end(self, argv: list[str], env: dict[str, str], window: str) -> None:
        """Run ``argv`` in a window of its own, with ``env`` added, until it ends."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        command = f"exec env {exports} {shlex.join(argv)}"
        shown = self.run("new-window", "-d", "-P", "-F", "#{pane_pid}", "-t", "bench:",
                         "-n", window, command)  # fmt: skip
        pid = int(shown)
        deadline = time.monotonic() + 40 * TIMEOUT
        while _alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                raise RuntimeError(f"{shlex.join(argv[-4:])} drew nothing in time")
            time.sleep(0.05)

    def close(self, window: str) -> None:
        """Close a window and wait for its program to be gone, so it costs the next run nothing."""
        pid = int(self.run("display-message", "-p", "-t", f"bench:{window}", "#{pane_pid}"))
        self.run("kill-window", "-t", f"bench:{window}")
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        if _alive(pid):
            os.kill(pid, 9)

    def stop(self) -> None:
        """Stop the server and everything still running in it."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A program that has ended but not yet been reaped by tmux no longer runs.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _calm_command() -> str:
    """The ``calm`` command as installed beside this Python: what a user types, which
    starts without ``runpy``; ``PYTHONPATH`` chooses the checkout it runs."""
    script = Path(sys.executable).with_name("calm")
    if not script.exists():
        raise SystemExit("calm is not installed beside this Python: pip install -e .")
    return str(script)


def _calm_cases(name: str, tree: Path, base: Path) -> list[Case]:
    """The calm cases for the checkout at ``tree``, with a home of their own."""
    home = base / f"home-{name}"
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "PYTHONPATH": str(tree),
    }
    history = home / "data" / "calm" / "history.sqlite3"
    history.parent.mkdir(parents=True)
    seed = [sys.executable, "-c", SEED_HISTORY, str(history), str(HISTORY_ROWS)]
    subprocess.run(seed, env=os.environ | env, check=True)
    calm = [_calm_command(), "start", "box"]
    return [
        Case(f"{name}: start box", calm, env, "Box breathing"),
        Case(f"{name}: --ambient pink", [*calm, "--ambient", "pink"], env, "Box breathing"),
        Case(f"{name}: --skip-caution", [*calm, "--skip-caution"], env, "Box breathing"),
        Case(
            f"{name}: --skip-caution --ambient pink",
            [*calm, "--skip-caution", "--ambient", "pink"],
            env,
            "Box breathing",
        ),
    ]


def main() -> int:
    """Time (or count) every case, round by round, and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each case")
    parser.add_argument("--compare", type=Path, help="another calm checkout to time alongside")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions to the first frame under valgrind, instead of timing",
    )
    args = parser.parse_args()
    for needed in ("tmux", "valgrind") if args.instructions else ("tmux",):
        if shutil.which(needed) is None:
            print(f"{needed} is needed for this benchmark")
            return 2
    trees = {"calm": ROOT} | ({"compared": args.compare.resolve()} if args.compare else {})
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "minimal.py").write_text(MINIMAL_APP, encoding="utf-8")
        minimal = Case("minimal Textual app", [sys.executable, str(base / "minimal.py")], {},
                       "A minimal Textual app")  # fmt: skip
        cases = [minimal]
        for name, tree in trees.items():
            cases += _calm_cases(name, tree, base)
        server_env = dict(os.environ, TERM="xterm-256color")
        server_env.pop("PYTHONDONTWRITEBYTECODE", None)
        server_env.pop("TMUX", None)
        tmux = Tmux(server_env)
        timings: dict[str, list[float]] = {case.label: [] for case in cases}
        counts: dict[str, float] = {}
        try:
            # Bytecode, the file cache, and what calm keeps in its cache folder (a bed, say).
            for number, case in enumerate(cases):
                tmux.first_frame(case, f"warm{number}", linger=2.0)
            if args.instructions:
                counts = _count_every_case(cases, tmux, base)
            for run in range(0 if args.instructions else args.runs):
                for number, case in enumerate(cases):
                    timings[case.label].append(tmux.first_frame(case, f"r{run}c{number}"))
        finally:
            tmux.stop()
    if args.instructions:
        return _report_counts(counts, trees, load)
    return _report(timings, trees, args.runs, load)


def _count_every_case(cases: list[Case], tmux: Tmux, base: Path) -> dict[str, float]:
    """Each case's instructions to its first frame, in millions, counted once each (the
    count hardly moves from run to run) in a window of the benchmark's tmux server."""
    counts: dict[str, float] = {}
    for number, case in enumerate(cases):
        if case.argv[0] == sys.executable:
            program = ["-", *case.argv[1:]]
        else:
            program = ["calm", *case.argv[1:]]
        out = base / f"callgrind-{number}.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                   sys.executable, "-P", "-c", TO_THE_FIRST_FRAME, *program]  # fmt: skip
        # -P: the checkout comes from PYTHONPATH, never from the folder tmux started in.
        env = case.env | {"PYTHONHASHSEED": "0"}
        tmux.run_to_its_end(command, env, f"count{number}")
        totals = [line for line in out.read_text().splitlines() if line.startswith("summary:")]
        counts[case.label] = int(totals[0].split()[1]) / 1e6
        print(f"  {case.label:<40} {counts[case.label]:7.0f} M", flush=True)
    return counts


def _report_counts(
    counts: dict[str, float], trees: dict[str, Path], load: tuple[float, float, float]
) -> int:
    """Print each case's count against the minimal app's; 0 when calm's meets the goal."""
    print(f"python {platform.python_version()}, instructions to the first frame (callgrind)")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in load)}")
    minimal = counts["minimal Textual app"]
    print(f"  minimal Textual app      {minimal:7.0f} M")
    ratio = 0.0
    for name, tree in trees.items():
        print(f"  {name} ({tree})")
        for label, count in counts.items():
            if label.startswith(f"{name}: "):
                shown = label.removeprefix(f"{name}: ")
                print(f"    {shown:<34} {count:7.0f} M  ratio {count / minimal:4.2f}")
        if name == "calm":
            ratio = counts[f"{name}: start box"] / minimal
    print(f"calm start box / minimal app: {ratio:.2f} (goal {RATIO_GOAL})")
    return 1 if ratio > RATIO_GOAL else 0


def _report(
    timings: dict[str, list[float]],
    trees: dict[str, Path],
    runs: int,
    load: tuple[float, float, float],
) -> int:
    """Print the medians, ratios and differences; 0 when calm meets every goal."""
    medians = {label: statistics.median(values) * 1000 for label, values in timings.items()}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {runs} runs each, median first frame, 80x24 tmux")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in load)}, "
          f"at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    minimal = medians["minimal Textual app"]
    spread = timings["minimal Textual app"]
    print(f"  minimal Textual app      {minimal:7.1f} ms  "
          f"({min(spread) * 1000:.0f} to {max(spread) * 1000:.0f})")  # fmt: skip
    missed: list[str] = []
    for name, tree in trees.items():
        print(f"  {name} ({tree})")
        caution = medians[f"{name}: start box"]
        session = medians[f"{name}: --skip-caution"]
        for label, values in timings.items():
            if label.startswith(f"{name}: "):
                shown = label.removeprefix(f"{name}: ")
                print(f"    {shown:<34} {medians[label]:7.1f} ms  ratio "
                      f"{medians[label] / minimal:4.2f}  "
                      f"({min(values) * 1000:.0f} to {max(values) * 1000:.0f})")  # fmt: skip
        ratio = caution / minimal
        ambient = medians[f"{name}: --ambient pink"] - caution
        ambient_session = medians[f"{name}: --skip-caution --ambient pink"] - session
        print(f"    start box / minimal app            {ratio:5.2f}   (goal {RATIO_GOAL})")
        print(f"    --ambient pink adds {ambient:+21.1f} ms (goal {AMBIENT_GOAL_MS:g})")
        print(f"    the same with --skip-caution       {ambient_session:+6.1f} ms")
        if name == "calm":
            if ratio > RATIO_GOAL:
                missed.append("ratio")
            if max(ambient, ambient_session) > AMBIENT_GOAL_MS:
                missed.append("ambient")
    print("calm " + ("misses: " + ", ".join(missed) if missed else "meets every goal"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
