"""Benchmark: what ``--ambient`` costs a session's start, the bed made afresh and read back.

Run it on its own:  python tests/benchmarks/bench_bed.py [--runs N] [--bed NAME]
                    [--compare FOLDER]

Each timing is one fresh process that loads calm's sound modules and pydub (which
the cues load anyway) and then times ``calm.sound.cues.load_bed(NAME, 80)``: the
bed made ready to loop at a session's volume, which is what ``--ambient`` adds.
Two cases, alternating run by run so that a busy moment slows both alike:

- **made**: an empty cache folder, so the bed is made: numpy imported and the
  noise synthesised, then kept;
- **kept**: the bed already in the cache folder, read back.

``--compare FOLDER`` times another checkout of calm (such as a ``git worktree`` of
an older commit, whose beds were synthesised sample by sample and never kept) in
the same runs, for a before-and-after table. The goal is for a kept bed to cost at
most 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

GOAL_MS = 50.0
ROOT = Path(__file__).resolve().parents[2]

PROBE = """\
import sys
import time

import calm.sound.cues
from calm.sound.pcm import pydub

pydub()
started = time.perf_counter()
clip = calm.sound.cues.load_bed(sys.argv[1], 80)
took = time.perf_counter() - started
assert clip is not None and clip.seconds > 10
print(took * 1000, "numpy" in sys.modules)
"""
"""Times one bed made ready in a fresh process; prints milliseconds and whether numpy
was imported."""


def _time(tree: Path, bed: str, cache: Path) -> tuple[float, bool]:
    """Milliseconds to make ``bed`` ready with ``tree``'s calm and ``cache`` as the cache
    folder, and whether numpy was imported for it."""
    env = dict(os.environ, PYTHONPATH=str(tree), XDG_CACHE_HOME=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, bed],
        env=env,
        cwd=cache.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    took, numpy = result.stdout.split()
    return float(took), numpy == "True"


def main() -> int:
    """Measure each case and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each case")
    parser.add_argument("--bed", default="pink", help="the bed to make: pink, brown or ocean")
    parser.add_argument("--compare", type=Path, help="another calm checkout to time alongside")
    args = parser.parse_args()
    cases = {"made": ROOT, "kept": ROOT}
    if args.compare:
        cases = {"compared": args.compare.resolve()} | cases
    timings: dict[str, list[float]] = {case: [] for case in cases}
    numpy: dict[str, bool] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        kept = base / "kept-cache"
        for tree in set(cases.values()):  # bytecode and the file cache; fills "kept"
            _time(tree, args.bed, kept)
        for run in range(args.runs):
            for case, tree in cases.items():
                cache = kept if case == "kept" else base / f"{case}-{run}"
                took, numpy[case] = _time(tree, args.bed, cache)
                timings[case].append(took)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {args.runs} runs each, median (range)")
    print(f"load_bed({args.bed!r}, 80) in a fresh process, sound modules and pydub loaded")
    medians = {case: statistics.median(times) for case, times in timings.items()}
    for case, times in timings.items():
        where = f"  ({cases[case]})" if case == "compared" else ""
        loads = ", numpy imported" if numpy[case] else ""
        print(
            f"  {case:9} {medians[case]:7.1f} ms  ({min(times):.1f} to {max(times):.1f})"
            f"{loads}{where}"
        )
    if args.compare:
        for case in ("made", "kept"):
            print(f"  compared / {case:5} {medians['compared'] / medians[case]:6.1f}x")
    met = medians["kept"] <= GOAL_MS
    verdict = "meets" if met else "misses"
    print(f"a kept bed in {medians['kept']:.1f} ms {verdict} the goal of {GOAL_MS:.0f} ms")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
