"""Benchmark: `calm render` of ten minutes of box breathing over an ambient bed.

Run it on its own:  python tests/benchmarks/bench_render.py [--runs N] [--bed NAME]
                    [--formats wav,mp3,...]

Each timing is the wall-clock time of one fresh ``calm render box --minutes 10
--ambient NAME -o FILE`` process, as a user waits for it: start-up, the script,
the cues and the bed (already in the cache folder, as from a second render on),
the mixing and the encoding. Alongside, in the same runs and in turn, a fresh
process that does all of that but the file: it builds the soundtrack's samples a
second at a time, as the render does, and throws them away. The ratio of each
render to it is what writing the file costs on top of the mixing.

The goals are the issue's, absolute: at most 2 s to WAV and at most 6 s to MP3 on
this 2-core machine. Exit 1 when a median misses one.
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

ROOT = Path(__file__).resolve().parents[2]
GOALS = {"wav": 2.0, "mp3": 6.0}
"""The most seconds a render to each format may take, from the issue."""

MIX_ONLY = """\
import sys

from calm.cli.script_lookup import compile_script
from calm.sound.cues import load_bed, load_clips
from calm.sound.pcm import RATE
from calm.sound.soundtrack import Soundtrack

entry, timeline = compile_script("box", 10, None, False)
clips, _ = load_clips(timeline, 70)
track = Soundtrack(timeline, clips, bed=load_bed(sys.argv[1], 70), rate=RATE)
for start in range(0, track.length, RATE):
    track.samples(start, min(start + RATE, track.length))
"""
"""Everything a render does but write the file."""


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds ``command`` takes to run to its end, which must be a success."""
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    """Time each case in turn, run after run, and print the medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each case")
    parser.add_argument("--bed", default="ocean", help="the bed: pink, brown or ocean")
    parser.add_argument(
        "--formats", default="wav,mp3,flac,ogg", help="extensions to render, comma-separated"
    )
    args = parser.parse_args()
    formats = [name.strip().lower() for name in args.formats.split(",") if name.strip()]
    timings: dict[str, list[float]] = {"mix only": [], **{name: [] for name in formats}}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(base / "cache"))
        env |= {"XDG_CONFIG_HOME": str(base / "config"), "XDG_STATE_HOME": str(base / "state")}
        mix = [sys.executable, "-c", MIX_ONLY, args.bed]
        _timed(mix, env, base)  # bytecode, and the bed made once into the cache folder
        for run in range(args.runs):
            for case in timings:
                if case == "mix only":
                    timings[case].append(_timed(mix, env, base))
                    continue
                target = base / f"box-{run}.{case}"
                command = [sys.executable, "-m", "calm", "render", "box", "--minutes", "10"]
                command += ["--ambient", args.bed, "-o", str(target)]
                timings[case].append(_timed(command, env, base))
                sizes[case] = target.stat().st_size
                target.unlink()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {args.runs} runs each, median (range)")
    print(f"calm render box --minutes 10 --ambient {args.bed}, a fresh process each")
    medians = {case: statistics.median(times) for case, times in timings.items()}
    mixing = medians["mix only"]
    met = True
    for case, times in timings.items():
        line = f"  {case:9} {medians[case]:6.2f} s  ({min(times):.2f} to {max(times):.2f})"
        if case != "mix only":
            line += f"  {medians[case] / mixing:5.1f}x mix only, {sizes[case] / 1e6:5.1f} MB"
        goal = GOALS.get(case)
        if goal is not None:
            meets = medians[case] <= goal
            met = met and meets
            line += f"  {'meets' if meets else 'MISSES'} the goal of {goal:.0f} s"
        print(line)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
