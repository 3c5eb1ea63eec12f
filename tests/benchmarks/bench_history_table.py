"""Benchmark: ``calm history --limit 0`` at 100,000 sessions, and ``calm stats`` as it grows.

Run it on its own:  python tests/benchmarks/bench_history_table.py [--runs N] [--rows N]

Goals:
- ``calm history --limit 0 > /dev/null`` over 100,000 sessions takes at most 1 s
  and 60 MB of peak memory. Beside it, interleaved run by run, ``--limit 20``
  over the same history is the floor the ratio is taken against.
- ``calm stats`` over 100,000 sessions takes at most 1.3 times its time over
  1,000, the two interleaved run by run.

Each run is a whole command in a fresh process, Python's start-up included; its
peak memory is the resident set high-water mark GNU time reports for it, so it
needs Linux and /usr/bin/time.
``--tree PATH`` runs calm from another checkout (put first on ``PYTHONPATH``);
given more than once, each tree is measured in turn within every round, so a
before and an after are compared in one run.
It prints the figures and the ratios, and exits 1 when a goal is missed. With more
than one tree it first checks that each prints ``calm history --limit 0`` over the big
history byte for byte as the first does, piped and 80 columns wide, and exits 1 if not:
a quicker table must be the same table.

``--instructions`` also counts, with valgrind, the machine instructions each tree
runs for ``calm history --limit 0`` and ``--limit 20`` over a history of 10,000
sessions: unlike a time, the count hardly moves when the machine is busy, so two
trees compare fairly on a loaded machine. It is informative; no goal rests on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_history import seed

TABLE_GOAL = 1.0
MEMORY_GOAL_MB = 60
STATS_RATIO_GOAL = 1.3
TIME = "/usr/bin/time"
"""GNU time, which measures each run's peak memory."""


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The command's wall time in seconds and its peak resident memory in MB."""
    with tempfile.NamedTemporaryFile("r") as peak:
        # GNU time reports the command's own high-water mark: the kernel's figure for a
        # child of this process would start from this process's size, copied at the fork.
        timed = [TIME, "--format", "%M", "--output", peak.name, *command]
        started = time.perf_counter()
        # Started in the history's folder, so that ``-m calm`` finds the tree asked for.
        subprocess.run(timed, env=env, stdout=subprocess.DEVNULL, cwd=env["HOME"], check=True)
        seconds = time.perf_counter() - started
        return seconds, int(peak.read().split()[-1]) * 1024 / 1_000_000


def _environment(folder: str, tree: str | None) -> dict[str, str]:
    env = dict(os.environ, HOME=folder, XDG_DATA_HOME=f"{folder}/data")
    env.pop("COLUMNS", None)  # output goes to /dev/null: no width limit, as in a pipe
    if tree:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [tree, env.get("PYTHONPATH")]))
    return env


def _instructions(command: list[str], env: dict[str, str]) -> int:
    """The instructions valgrind counts while the command runs."""
    counted = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    env = dict(env, PYTHONHASHSEED="0")  # the same dictionaries every run
    # Started in the history's folder, as ``_run`` does, so that ``-m calm`` finds the tree.
    done = subprocess.run(
        counted, env=env, cwd=env["HOME"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    found = [line for line in done.stderr.splitlines() if "Collected :" in line]
    if done.returncode or not found:
        raise SystemExit(f"valgrind could not count:\n{done.stderr[-2000:]}")
    return int(found[-1].split()[-1])


def _count_instructions(trees: list[str | None], rows: int) -> None:
    """Print each tree's instructions for the whole table and for the latest 20."""
    calm = [sys.executable, "-m", "calm", "history", "--limit"]
    with tempfile.TemporaryDirectory() as folder:
        seed(Path(folder) / "data" / "calm" / "history.sqlite3", rows)
        print(f"instructions (valgrind), {rows:,} sessions:")
        for tree in trees:
            every = _instructions([*calm, "0"], _environment(folder, tree))
            latest = _instructions([*calm, "20"], _environment(folder, tree))
            print(f"  {tree or '.'}: --limit 0 {every / 1e6:,.0f} M instructions,")
            print(f"    --limit 20 {latest / 1e6:,.0f} M")
            print(f"    {(every - latest) / rows:,.0f} for each session")


def _same_output(trees: list[str | None], folder: str) -> bool:
    """Whether every tree prints the whole table as the first does, piped and 80 wide."""
    same = True
    for columns in (None, "80"):
        printed = []
        for tree in trees:
            env = _environment(folder, tree)
            if columns:
                env["COLUMNS"] = columns
            command = [sys.executable, "-m", "calm", "history", "--limit", "0"]
            done = subprocess.run(command, env=env, cwd=folder, capture_output=True, check=True)
            printed.append(done.stdout)
        kept = all(output == printed[0] for output in printed)
        print(
            f"output {'piped' if columns is None else columns + ' wide'}: "
            f"{'the same' if kept else 'DIFFERS'} in every tree ({len(printed[0]):,} bytes)"
        )
        same = same and kept
    return same


def _line(name: str, runs: list[tuple[float, float]]) -> tuple[float, float]:
    seconds = statistics.median(run[0] for run in runs)
    memory = max(run[1] for run in runs)
    spread = f"{min(run[0] for run in runs) * 1000:.0f}-{max(run[0] for run in runs) * 1000:.0f}"
    print(f"  {name:<34} {seconds * 1000:7.0f} ms median ({spread} ms), {memory:5.1f} MB peak")
    return seconds, memory


MEASURES = ("history --limit 0", "history --limit 20", "stats, big", "stats, small")


def main() -> int:
    """Seed two histories, time the commands interleaved, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each measure")
    parser.add_argument("--rows", type=int, default=100_000, help="sessions in the big history")
    parser.add_argument("--small", type=int, default=1_000, help="sessions in the small one")
    parser.add_argument(
        "--tree", action="append", help="run calm from this checkout; give it again to compare"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with valgrind too"
    )
    args = parser.parse_args()
    trees: list[str | None] = args.tree or [None]
    runs: dict[str | None, dict[str, list[tuple[float, float]]]] = {
        tree: {measure: [] for measure in MEASURES} for tree in trees
    }
    calm = [sys.executable, "-m", "calm"]
    commands = dict(
        zip(
            MEASURES,
            [
                ([*calm, "history", "--limit", "0"], True),
                ([*calm, "history", "--limit", "20"], True),
                ([*calm, "stats"], True),
                ([*calm, "stats"], False),
            ],
            strict=True,
        )
    )
    with tempfile.TemporaryDirectory() as big, tempfile.TemporaryDirectory() as small:
        seed(Path(big) / "data" / "calm" / "history.sqlite3", args.rows)
        seed(Path(small) / "data" / "calm" / "history.sqlite3", args.small)
        same = len(trees) < 2 or _same_output(trees, big)
        for run in range(args.runs + 1):  # the first run warms the caches, and is not kept
            for tree in trees:
                for measure, (command, in_big) in commands.items():
                    figures = _run(command, _environment(big if in_big else small, tree))
                    if run:
                        runs[tree][measure].append(figures)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {args.runs} runs each, interleaved")
    met = True
    for tree, measured in runs.items():
        print(f"calm from {tree or '.'}:")
        table_seconds, table_memory = _line(
            f"history --limit 0, {args.rows:,}", measured["history --limit 0"]
        )
        latest_seconds, _ = _line(
            f"history --limit 20, {args.rows:,}", measured["history --limit 20"]
        )
        big_seconds, _ = _line(f"stats, {args.rows:,}", measured["stats, big"])
        small_seconds, _ = _line(f"stats, {args.small:,}", measured["stats, small"])
        stats_ratio = big_seconds / small_seconds
        print(f"  history all / latest 20: {table_seconds / latest_seconds:.2f}x")
        print(f"  stats {args.rows:,} / {args.small:,}: {stats_ratio:.2f}x")
        verdicts = {
            f"history --limit 0 within {TABLE_GOAL:.0f} s": table_seconds <= TABLE_GOAL,
            f"history --limit 0 within {MEMORY_GOAL_MB} MB": table_memory <= MEMORY_GOAL_MB,
            f"stats ratio within {STATS_RATIO_GOAL}x": stats_ratio <= STATS_RATIO_GOAL,
        }
        for goal, kept in verdicts.items():
            print(f"  {'meets' if kept else 'misses'}: {goal}")
        met = met and all(verdicts.values())
    if args.instructions:
        _count_instructions(trees, 10_000)
    return 0 if met and same else 1


if __name__ == "__main__":
    sys.exit(main())
