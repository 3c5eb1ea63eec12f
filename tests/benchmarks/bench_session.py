"""Benchmark: the session screen in a real 80x24 terminal (tmux).

Run it on its own:  python tests/benchmarks/bench_session.py [--seconds 120]

It starts `calm start box --skip-caution` in a detached tmux session with
CALM_TRACE set, and measures:

- the first frame: from starting the command to the title appearing on screen
  (goal: within 0.6 s);
- mean CPU over 30 s of the session, from /proc (goal: at most 2% of one core);
- every phase boundary, from the trace: how far each landed from its schedule
  (goal: all within 50 ms over 2 minutes);
- peak resident memory, VmHWM from /proc (goal: at most 80 MB).

It prints the figures and exits 1 when a goal is missed. Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

GOALS = {"first_frame": 0.6, "cpu_percent": 2.0, "boundary_ms": 50.0, "peak_rss_mb": 80.0}


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=True
    ).stdout


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _calm_command() -> str:
    script = Path(sys.executable).with_name("calm")
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m calm"


def main() -> int:
    """Run the session, measure it, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120, help="how long to run the session")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed for this benchmark")
        return 2
    socket = f"calm-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        trace = Path(folder) / "trace.jsonl"
        env = dict(
            os.environ,
            HOME=folder,
            XDG_CONFIG_HOME=f"{folder}/config",
            XDG_DATA_HOME=f"{folder}/data",
            CALM_TRACE=str(trace),
            TERM="xterm-256color",
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        command = f"exec {_calm_command()} start box --skip-caution --minutes 10"
        # A first run writes calm's bytecode, as an installed package would have it.
        subprocess.run([sys.executable, "-c", "import calm.cli, calm.tui.app"], env=env, check=True)
        started = time.monotonic()
        subprocess.run(
            [
                *("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "b"),
                *("-x", "80", "-y", "24", command),
            ],
            env=env,
            check=True,
        )
        try:
            while "Box breathing" not in _tmux(socket, "capture-pane", "-p", "-t", "b"):
                if time.monotonic() - started > 10:
                    print("the session did not appear within 10 s")
                    return 1
                time.sleep(0.005)
            first_frame = time.monotonic() - started
            pid = int(_tmux(socket, "display-message", "-p", "-t", "b", "#{pane_pid}").strip())
            time.sleep(5)  # Let start-up settle before measuring the steady state.
            cpu_before, wall_before = _cpu_seconds(pid), time.monotonic()
            time.sleep(30)
            cpu_percent = 100 * (_cpu_seconds(pid) - cpu_before) / (time.monotonic() - wall_before)
            time.sleep(max(args.seconds - (time.monotonic() - started), 0))
            peak_rss = _peak_rss_mb(pid)
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)
        events = [json.loads(line) for line in trace.read_text().splitlines()]
    boundaries = [e for e in events if e["event"] in ("step", "phase") and e["scheduled"]]
    lateness = [abs(e["t"] - e["scheduled"]) * 1000 for e in boundaries]
    figures = {
        "first_frame": first_frame,
        "cpu_percent": cpu_percent,
        "boundary_ms": max(lateness),
        "peak_rss_mb": peak_rss,
    }
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; box at 80x24 in tmux for {args.seconds:g} s")
    print(f"  first frame        {first_frame:6.2f} s    (goal {GOALS['first_frame']} s)")
    print(f"  mean CPU over 30 s {cpu_percent:6.2f} %    (goal {GOALS['cpu_percent']} %)")
    print(
        f"  phase boundaries   {len(boundaries)} events, worst {max(lateness):.1f} ms, "
        f"median {sorted(lateness)[len(lateness) // 2]:.1f} ms (goal {GOALS['boundary_ms']} ms)"
    )
    print(f"  peak RSS           {peak_rss:6.1f} MB   (goal {GOALS['peak_rss_mb']} MB)")
    missed = [name for name, value in figures.items() if value > GOALS[name]]
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
