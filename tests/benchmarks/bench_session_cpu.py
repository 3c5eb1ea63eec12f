"""Benchmark: the session screen's CPU, output and smoothness, against breathe-cli.

Run it on its own:  python tests/benchmarks/bench_session_cpu.py [--seconds 30] [--runs 3]
                    [--compare FOLDER]

Each case runs in a terminal of its own: a pseudo-terminal this script owns, of a
set size, which answers Textual's question about synchronized output as a modern
terminal does. The cases run one after another, interleaved run by run, so a
busy moment slows them alike:

- ``calm start box --skip-caution --no-audio --no-history`` at 80x24 and 200x60,
  and with ``--reduced-motion`` at 80x24;
- breathe-cli (``breathe --no-sound --no-log --quiet``, a single-file stdlib app
  from PyPI) at 80x24, installed into this benchmark's own venv under
  ``~/.cache/calm-bench/breathe-venv`` (made on the first run, reused after);
- with ``--compare FOLDER``, the same calm cases from another checkout of calm
  (such as ``git worktree add /tmp/calm-before <commit>``), run with PYTHONPATH.

For each it measures, after a settling moment: CPU as a share of one core
(utime + stime of the process tree, from /proc), the bytes written to the
terminal per second, and distinct pictures of the breath visual per second while
breathing in. For the last, the output is split into frames (on Textual's
synchronized-output markers, or on each read for breathe-cli), played into a
terminal emulator (pyte, in the same venv) and the visual's rows hashed, colours
and all, after each frame: for calm the rows between the top line and the
phase's words, for breathe-cli its bar.

Goals: calm at 80x24 at most 1.5 times breathe-cli's CPU; calm at 200x60 at most
3 times its own 80x24 CPU and bytes per second; at least 8 pictures a second in
an inhale at 80x24. It prints a table and exits 1 when a goal is missed. Linux only.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import platform
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PEER = "breathe-cli==1.14.0"
SETTLE = 3.0
"""Seconds left out at the start of each run: start-up is another benchmark's."""
SYNC_QUERY, SYNC_REPLY = b"\x1b[?2026$p", b"\x1b[?2026;2$y"
SYNC_END = b"\x1b[?2026l"
GOALS = {"cpu_vs_peer": 1.5, "cpu_big": 3.0, "bytes_big": 3.0, "pictures": 8.0}


@dataclass
class Case:
    """One way of running an app, and what it measured, run by run."""

    name: str
    argv: list[str]
    env: dict[str, str]
    size: tuple[int, int]
    breathing_in: str
    """Text on screen that says an inhale is under way."""
    peer: bool = False
    cpu: list[float] = field(default_factory=list)
    bytes_per_second: list[float] = field(default_factory=list)
    pictures: list[float] = field(default_factory=list)


def _bench_venv() -> Path:
    """This benchmark's own venv, with breathe-cli and pyte; made once and kept."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "calm-bench"
    venv = cache / "breathe-venv"
    python = venv / "bin" / "python"
    if (
        not (venv / "bin" / "breathe").exists()
        or subprocess.run([str(python), "-c", "import pyte"], capture_output=True).returncode
    ):
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER, "pyte"], check=True)
    return venv


def _tree_cpu(pid: int) -> float:
    """CPU seconds used by ``pid`` and every process below it that is still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    total, family = 0.0, {pid}
    for child, (parent, _) in sorted(stats.items()):
        if parent in family:
            family.add(child)
    for member in family:
        total += stats.get(member, (0, 0.0))[1]
    return total


def _run(case: Case, seconds: float) -> list[tuple[float, bytes]]:
    """Run ``case`` in a terminal of its size for ``seconds``; record its figures and
    return what it wrote after the settling moment, each read with its time."""
    master, slave = os.openpty()
    columns, rows = case.size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        case.argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=case.env,
        cwd=case.env["HOME"],  # not a checkout, whose calm would come before PYTHONPATH's
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(slave)
    started = time.monotonic()
    reads: list[tuple[float, bytes]] = []
    cpu_before = None
    try:
        while (now := time.monotonic()) < started + SETTLE + seconds:
            if cpu_before is None and now >= started + SETTLE:
                cpu_before, counted_from = _tree_cpu(process.pid), now
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if SYNC_QUERY in chunk:
                    os.write(master, SYNC_REPLY)
                reads.append((time.monotonic() - started, chunk))
        if cpu_before is None:
            said = b"".join(chunk for _, chunk in reads)[-2000:].decode(errors="replace")
            raise SystemExit(f"{case.name} ended before it settled; it said:\n{said}")
        cpu = _tree_cpu(process.pid) - cpu_before
        spent = time.monotonic() - counted_from
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    counted = [chunk for at, chunk in reads if at >= SETTLE]
    case.cpu.append(100 * cpu / spent)
    case.bytes_per_second.append(sum(map(len, counted)) / spent)
    return reads


def _frames(case: Case, reads: list[tuple[float, bytes]]) -> list[tuple[float, bytes]]:
    """The output as whole frames, each with the time its last byte arrived."""
    if case.peer:
        # breathe-cli flushes once a frame, but a read may end inside one: reads
        # that arrive within a few milliseconds of each other are one frame.
        frames: list[tuple[float, bytes]] = []
        for at, chunk in reads:
            if frames and at - frames[-1][0] < 0.005:
                frames[-1] = (at, frames[-1][1] + chunk)
            else:
                frames.append((at, chunk))
        return frames
    frames, pending = [], b""
    for at, chunk in reads:
        pending += chunk
        *whole, pending = pending.split(SYNC_END)
        frames += [(at, frame + SYNC_END) for frame in whole]
    return frames


def _visual(case: Case, lines: list[str], screen: Any) -> str | None:
    """A hash of the breath visual's rows, colours and all; None when not breathing in."""
    found = [row for row, line in enumerate(lines) if case.breathing_in in line]
    if not found:
        return None
    if case.peer:
        rows = [row for row, line in enumerate(lines) if "█" in line or "░" in line][:1]
    else:
        rows = list(range(1, found[0]))
    digest = hashlib.blake2b()
    for row in rows:
        line = screen.buffer[row]
        for column in range(screen.columns):
            char = line[column]
            digest.update(f"{char.data}{char.fg}{char.bg}".encode())
    return digest.hexdigest()


def _pictures_per_second(case: Case, reads: list[tuple[float, bytes]], pyte: Any) -> float:
    """Distinct pictures a second of the visual while breathing in, after settling."""
    columns, rows = case.size
    screen = pyte.Screen(columns, rows)
    stream = pyte.ByteStream(screen)
    changes, inhaling, last, since = 0, 0.0, None, None
    for at, frame in _frames(case, reads):
        stream.feed(frame)
        picture = _visual(case, screen.display, screen) if at >= SETTLE else None
        if picture is None:
            last = since = None
            continue
        if since is not None:
            inhaling += at - since
            changes += picture != last
        last, since = picture, at
    return changes / inhaling if inhaling else 0.0


def _cases(venv: Path, trees: dict[str, Path], home: Path) -> list[Case]:
    env = dict(os.environ, HOME=str(home), TERM="xterm-256color", COLORTERM="truecolor")
    env |= {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CONFIG", "DATA", "CACHE")}
    for name in ("NO_COLOR", "CALM_TRACE", "PYTHONDONTWRITEBYTECODE", "TEXTUAL"):
        env.pop(name, None)
    cases = []
    for tree_name, tree in trees.items():
        calm = [sys.executable, "-m", "calm", "start", "box"]
        calm += ["--skip-caution", "--no-audio", "--no-history"]
        tree_env = env | {"PYTHONPATH": str(tree)}
        for label, size, extra in (
            ("80x24", (80, 24), []),
            ("200x60", (200, 60), []),
            ("--reduced-motion", (80, 24), ["--reduced-motion"]),
        ):
            cases.append(Case(f"{tree_name} {label}", calm + extra, tree_env, size, "Breathe in"))
    # Its evening preset's 4 s in and 6 s out, whatever the time of day.
    breathe = [str(venv / "bin" / "breathe"), "--no-sound", "--no-log", "--quiet"]
    breathe += ["--ratio", "4-6", "--duration", "20"]
    cases.append(Case("breathe-cli 80x24", breathe, env, (80, 24), " IN", peer=True))
    return cases


def main() -> int:
    """Run every case, interleaved, and print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds per run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each case")
    parser.add_argument("--compare", type=Path, help="another calm checkout to run alongside")
    args = parser.parse_args()
    venv = _bench_venv()
    sys.path.insert(0, str(next((venv / "lib").glob("python3*/site-packages"))))
    import pyte  # type: ignore[import-not-found]  # from the benchmark's own venv

    trees = {"calm": ROOT} | ({"compared": args.compare.resolve()} if args.compare else {})
    with tempfile.TemporaryDirectory() as folder:
        cases = _cases(venv, trees, Path(folder))
        for env in {id(case.env): case.env for case in cases if not case.peer}.values():
            # Bytecode first, as an installed package would have it.
            subprocess.run([sys.executable, "-c", "import calm.cli, calm.tui.app"], env=env)
        for _ in range(args.runs):
            for case in cases:
                reads = _run(case, args.seconds)
                case.pictures.append(_pictures_per_second(case, reads, pyte))
    return _report(cases, args)


def _report(cases: list[Case], args: argparse.Namespace) -> int:
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{args.runs} interleaved runs of {args.seconds:g} s each, medians")
    print(f"  {'case':<30} {'CPU %':>7} {'bytes/s':>9} {'pictures/s':>11}")
    figures = {}
    for case in cases:
        cpu = statistics.median(case.cpu)
        sent = statistics.median(case.bytes_per_second)
        pictures = statistics.median(case.pictures)
        figures[case.name] = (cpu, sent, pictures)
        print(f"  {case.name:<30} {cpu:7.2f} {sent:9.0f} {pictures:11.1f}")
    peer = figures["breathe-cli 80x24"]
    missed = []
    for tree in ("calm", "compared") if args.compare else ("calm",):
        small, big = figures[f"{tree} 80x24"], figures[f"{tree} 200x60"]
        ratios = {
            "cpu_vs_peer": small[0] / peer[0],
            "cpu_big": big[0] / small[0],
            "bytes_big": big[1] / small[1],
        }
        print(f"  {tree}:")
        print(f"    CPU 80x24 / breathe-cli    {ratios['cpu_vs_peer']:6.2f}  (goal <= 1.5)")
        print(f"    CPU 200x60 / 80x24         {ratios['cpu_big']:6.2f}  (goal <= 3)")
        print(f"    bytes/s 200x60 / 80x24     {ratios['bytes_big']:6.2f}  (goal <= 3)")
        print(f"    pictures/s in an inhale    {small[2]:6.1f}  (goal >= 8)")
        if tree == "calm":
            missed = [name for name, value in ratios.items() if value > GOALS[name]]
            missed += ["pictures"] if small[2] < GOALS["pictures"] else []
    print("missed: " + ", ".join(missed) if missed else "every goal met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
