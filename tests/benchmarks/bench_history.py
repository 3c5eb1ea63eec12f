"""Benchmark: ``calm stats`` over 100,000 sessions, and what recording adds to start-up.

Run it on its own:  python tests/benchmarks/bench_history.py [--runs N] [--rows N]

Goals:
- ``calm stats`` over 100,000 recorded sessions answers in at most 0.3 s. This
  is measured inside the process, from opening the history to the last line
  printed, and also reported for the whole command, Python's start-up included.
- ``calm history`` lists a session whose title and note are ten megabytes each in
  at most 1 s, measured inside the process like the stats: only what a line can
  show is ever looked at, so it takes about as long as a short title.
- Recording a session adds at most 20 ms to its start-up: importing sqlite3
  and the history, opening (and, on first use, creating) the file, and writing
  the session's first row. Each run is a fresh process that has already loaded
  what every session loads (the CLI, the loader and the engine), so the figure
  is what recording adds and nothing else.

It prints the figures and exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

STATS_GOAL = 0.3
HUGE_GOAL = 1.0
RECORD_GOAL = 0.020
SCRIPTS = [
    ("box", "Box breathing"),
    ("coherent", "Coherent breathing"),
    ("pmr", "Progressive muscle relaxation"),
    ("body-scan", "Body scan"),
    ("4-7-8", "4-7-8 breathing"),
]

RECORD_ONCE = """
import sys, time
from pathlib import Path
import calm.cli, calm.core.loader, calm.core.session, calm.core.timeline  # in every session
started = time.perf_counter()
from calm.practice.damaged_history import open_to_record
from calm.practice.history import local_now
store, notice = open_to_record(Path(sys.argv[1]))
store.begin(script="box", title="Box breathing", planned_seconds=240.0, started_at=local_now())
print(time.perf_counter() - started)
"""

STATS_ONCE = """
import io, sys, time
started = time.perf_counter()
from rich.console import Console
from calm.practice.history import HistoryStore
from calm.practice.stats import gather
from calm.cli.stats_view import stats_renderable
from calm.practice.history import local_now
store = HistoryStore.open(__import__("pathlib").Path(sys.argv[1]))
figures = gather(store, local_now().date())
Console(file=io.StringIO(), width=80).print(stats_renderable(figures))
print(time.perf_counter() - started)
"""

HISTORY_ONCE = """
import io, os, sys, time
os.environ["COLUMNS"] = "80"
started = time.perf_counter()
from pathlib import Path
from calm.practice.history import HistoryStore
from calm.practice.export import table_lines
store = HistoryStore.open(Path(sys.argv[1]), read_only=True)
lines = table_lines(store.sessions(20, left_out=[]), width=80)
store.close()
print(time.perf_counter() - started)
"""

HUGE = 10_000_000
"""Characters in the huge title and note."""


def seed_huge(path: Path) -> None:
    """Write one session whose title and note are ``HUGE`` characters each."""
    from calm.practice.history import HistoryStore

    store = HistoryStore.open(path)
    started = datetime.now(ZoneInfo("Europe/London"))
    row = store.begin(script="big", title="T" * HUGE, planned_seconds=60.0, started_at=started)
    store.finish(row, status="completed", practised_seconds=60.0, breaths=6)
    store.set_note(row, "n é " * (HUGE // 4))
    store.close()


def seed(path: Path, rows: int) -> None:
    """Write ``rows`` sessions over the last three years, a few on most days."""
    from calm.practice.history import HistoryStore

    store = HistoryStore.open(path)
    store.close()
    import sqlite3

    zone = ZoneInfo("Europe/London")
    now = datetime.now(zone)
    chance = random.Random(7)
    values = []
    for number in range(rows):
        start = now - timedelta(minutes=number * 15 + chance.randrange(10))
        script, title = SCRIPTS[number % len(SCRIPTS)]
        practised = chance.uniform(60, 900)
        mood = (chance.randint(2, 5), chance.randint(1, 4)) if number % 4 == 0 else (None, None)
        end = start + timedelta(seconds=practised)
        values.append(
            (script, title, start.isoformat(), end.isoformat(), 600.0, practised, "completed",
             20, *mood)
        )  # fmt: skip
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO sessions (script, title, started_at, ended_at, planned_seconds,"
            " practised_seconds, status, breaths, mood_before, mood_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )


def _seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The whole command's wall time, and the time it reports for itself."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Seed a history, time ``calm stats`` and the first write, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each measure")
    parser.add_argument("--rows", type=int, default=100_000, help="sessions in the history")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, HOME=folder, XDG_DATA_HOME=f"{folder}/data", COLUMNS="80")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        history = Path(folder) / "data" / "calm" / "history.sqlite3"
        seed(history, args.rows)
        calm = [sys.executable, "-m", "calm", "stats"]
        subprocess.run(calm, env=env, capture_output=True, check=True)  # warm caches
        stats_inside = [_seconds([sys.executable, "-c", STATS_ONCE, str(history)], env)[1]
                        for _ in range(args.runs)]  # fmt: skip
        stats_whole = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(calm, env=env, stdout=subprocess.DEVNULL, check=True)
            stats_whole.append(time.perf_counter() - started)
        recording = []
        for run in range(args.runs):
            fresh = Path(folder) / f"fresh-{run}" / "history.sqlite3"
            recording.append(_seconds([sys.executable, "-c", RECORD_ONCE, str(fresh)], env)[1])
        busy = [_seconds([sys.executable, "-c", RECORD_ONCE, str(history)], env)[1]
                for _ in range(args.runs)]  # fmt: skip
        huge = Path(folder) / "huge" / "history.sqlite3"
        seed_huge(huge)
        listing = [_seconds([sys.executable, "-c", HISTORY_ONCE, str(huge)], env)[1]
                   for _ in range(args.runs)]  # fmt: skip
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {args.runs} runs each, {args.rows:,} sessions")
    figures = {
        "calm stats, in the process": (stats_inside, STATS_GOAL),
        "calm stats, whole command": (stats_whole, None),
        "calm history, 10 MB title": (listing, HUGE_GOAL),
        "record, new history": (recording, RECORD_GOAL),
        f"record, {args.rows:,} sessions": (busy, RECORD_GOAL),
    }
    met = True
    for name, (values, goal) in figures.items():
        median = statistics.median(values)
        spread = f"{min(values) * 1000:.1f}-{max(values) * 1000:.1f}"
        verdict = ""
        if goal is not None:
            verdict = f"  ({'meets' if median <= goal else 'misses'} {goal * 1000:.0f} ms)"
            met = met and median <= goal
        print(f"  {name:<30} {median * 1000:7.1f} ms median, {spread} ms{verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
