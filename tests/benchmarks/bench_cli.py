"""Benchmark: how long ``calm list`` takes, against a minimal typer app in the same run.

Run it on its own:  python tests/benchmarks/bench_cli.py [--runs N]

The goal is for ``calm list`` to take at most 1.3 times as long as a typer app
that does nothing, measured back to back on the same machine. Runs alternate
between the two so that a busy moment slows both alike. It prints the figures
and exits 1 when the goal is missed.
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

GOAL = 1.3

MINIMAL_APP = """\
import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    print("hello")


app()
"""


def _time(command: list[str], env: dict[str, str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _calm_command() -> list[str]:
    script = Path(sys.executable).with_name("calm")
    if script.exists():
        return [str(script), "list"]
    return [sys.executable, "-m", "calm", "list"]


def main() -> int:
    """Measure both commands and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        env = dict(os.environ, HOME=folder, XDG_CONFIG_HOME=f"{folder}/config", COLUMNS="100")
        env.pop("CALM_SCRIPTS_PATH", None)
        # Installed packages carry compiled bytecode; let the warm-up write calm's too,
        # so that both commands are measured as a user would run them.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "minimal typer app": [sys.executable, str(minimal)],
            "calm list": _calm_command(),
        }
        timings: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache and bytecode first
            _time(command, env, folder)
        for _ in range(args.runs):
            for name, command in commands.items():
                timings[name].append(_time(command, env, folder))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}, {args.runs} runs each, median wall time")
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"  {name:<18} {value * 1000:7.1f} ms")
    ratio = medians["calm list"] / medians["minimal typer app"]
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"  ratio              {ratio:7.2f}  ({verdict} the goal of {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
