"""Benchmark: ``calm list`` and the picker with 500 user scripts, against the built-ins alone.

Run it on its own:  python tests/benchmarks/bench_list.py [--runs N] [--scripts N]
                    [--compare FOLDER]

It writes 500 user scripts (copies of the built-in ones under new names, dated an
hour ago) and times ``calm list > /dev/null`` with them (``CALM_SCRIPTS_PATH``
names their folder) and with an empty scripts folder, alternating run by run so
that a busy moment slows both alike. The header cache is warm: each case has its
own cache folder, filled by a first untimed run. The goal is for the 500 scripts
to take at most 1.5 times the built-ins' time.

The picker is timed the same way, in the same rounds: a fresh process collects the
library's rows as ``calm start`` does and opens the app on the picker, headless at
100x40, and the time from its first line to the list shown (mounted, filled and
painted once) is the figure. The goal is the same 1.5.

``--compare FOLDER`` times another checkout of calm (such as a ``git worktree``
of an older commit) in the same runs, for a before-and-after table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5
ROOT = Path(__file__).resolve().parents[2]
MEASURES = ("calm list", "picker")

PICKER = """
import time
started = time.perf_counter()
import asyncio
from calm.core.library import Library
from calm.present.catalogue import collect
from calm.tui.screens.picker import PickerScreen
from textual.widgets import OptionList
from tests.support.apps import calm_app

async def shown() -> int:
    app = calm_app(rows=collect(Library.discover()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        listed = len(app.screen.query_one(OptionList).options)
        print(time.perf_counter() - started)
        app.exit()
    return listed

assert asyncio.run(shown()) > 0
"""
"""Opens the picker on the library and prints the seconds from its first line to the
list shown; the test support's app (a plain practice service, no sound) stands in for
``calm start``'s, which differs only in what the session after the picker would use."""


def _time(env: dict[str, str], cwd: str, measure: str) -> float:
    if measure == "picker":
        command = [sys.executable, "-c", PICKER]
        done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"the picker did not open:\n{done.stderr}")
        return float(done.stdout.split()[-1])
    started = time.perf_counter()
    command = [sys.executable, "-m", "calm", "list"]
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _user_scripts(folder: Path, count: int) -> None:
    builtins = sorted((ROOT / "scripts").glob("*.toml"))
    an_hour_ago = time.time() - 3600
    for number in range(count):
        source = builtins[number % len(builtins)]
        target = folder / f"mine-{number:03d}-{source.name}"
        shutil.copyfile(source, target)
        os.utime(target, (an_hour_ago, an_hour_ago))


def main() -> int:
    """Measure both cases and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each case")
    parser.add_argument("--scripts", type=int, default=500, help="user scripts to write")
    parser.add_argument("--compare", type=Path, help="another calm checkout to time alongside")
    args = parser.parse_args()
    trees = {"calm": ROOT} | ({"compared": args.compare.resolve()} if args.compare else {})
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        many, none = base / "many", base / "none"
        many.mkdir()
        none.mkdir()
        _user_scripts(many, args.scripts)
        cases: dict[tuple[str, str], dict[str, str]] = {}
        for tree_name, tree in trees.items():
            for case, scripts in (("user scripts", many), ("built-ins only", none)):
                home = base / f"home-{tree_name}-{case.replace(' ', '-')}"
                env = dict(os.environ, HOME=str(home), COLUMNS="100")
                env |= {"XDG_CONFIG_HOME": f"{home}/config", "XDG_CACHE_HOME": f"{home}/cache"}
                env |= {"CALM_SCRIPTS_PATH": str(scripts), "PYTHONPATH": str(tree)}
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                cases[(tree_name, case)] = env
        timings: dict[tuple[str, str, str], list[float]] = {
            (*key, measure): [] for key in cases for measure in MEASURES
        }
        for env in cases.values():  # bytecode, the file cache and the header cache
            for measure in MEASURES:
                _time(env, folder, measure)
        for _ in range(args.runs):
            for key, env in cases.items():
                for measure in MEASURES:
                    timings[(*key, measure)].append(_time(env, folder, measure))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {args.runs} runs each, median wall time")
    print(f"{args.scripts} user scripts; the cache warmed by one untimed run")
    print("calm list: the whole command; picker: from the process's first line to the list")
    met = True
    for measure in MEASURES:
        ratios: dict[str, float] = {}
        print(measure)
        for tree_name, tree in trees.items():
            many_ms = statistics.median(timings[(tree_name, "user scripts", measure)]) * 1000
            none_ms = statistics.median(timings[(tree_name, "built-ins only", measure)]) * 1000
            ratios[tree_name] = many_ms / none_ms
            print(f"  {tree_name} ({tree})")
            print(f"    built-ins only   {none_ms:7.1f} ms")
            print(f"    user scripts     {many_ms:7.1f} ms")
            print(f"    ratio            {ratios[tree_name]:7.2f}")
        verdict = "meets" if ratios["calm"] <= GOAL else "misses"
        print(f"  {measure}: calm's ratio {ratios['calm']:.2f} {verdict} the goal of {GOAL}")
        met = met and ratios["calm"] <= GOAL
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
