"""The domain core and the quick commands never import the heavy packages.

Each check runs in a fresh interpreter, so modules imported by other tests in
this process cannot hide or fake a heavy import.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

HEAVY = ("textual", "pydub", "simpleaudio", "numpy")
"""Packages that are slow to import and belong only to the screen and sound front ends."""

CORE = (
    "calm.core.script",
    "calm.core.loader",
    "calm.core.timeline",
    "calm.core.session",
    "calm.core.clock",
    "calm.core.library",
    "calm.core.trace",
    "calm.plain.runner",
    "calm.present.measures",
    "calm.locations",
    "calm.config",
    "calm.core.breath",
    "calm.practice.history",
    "calm.practice.export",
    "calm.practice.recording",
    "calm.practice.stats",
    "calm.practice.check_in",
    "calm.practice.options",
    "calm.practice.service",
    "calm.present.steps",
    # The sound modules load pydub and simpleaudio only when a sound is made.
    "calm.sound.cues",
    "calm.sound.players",
    "calm.sound.synth",
    "calm.sound.beds",
)
"""The domain core: everything a session needs, with no front end."""

PROBE = """\
import json
import sys

report_path = sys.argv[1]
exit_code = None
{body}
with open(report_path, "w", encoding="utf-8") as report:
    json.dump({{"modules": sorted(sys.modules), "exit_code": exit_code}}, report)
"""
"""A program that runs ``body`` and then writes the loaded module names to a file."""

RUN_CLI = """\
from calm.cli import main

sys.argv = ["calm", *{args!r}]
try:
    main()
except SystemExit as stop:
    exit_code = stop.code
"""
"""A probe body that runs the real ``calm`` entry point with ``args``."""


def probe(body: str, tmp_path: Path) -> dict[str, Any]:
    """Run ``body`` in a fresh interpreter; the modules it loaded and how the CLI exited."""
    report = tmp_path / "report.json"
    program = PROBE.format(body=textwrap.dedent(body))
    result = subprocess.run(
        [sys.executable, "-c", program, str(report)],
        cwd=tmp_path,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def heavy_in(modules: list[str]) -> list[str]:
    """The loaded modules that belong to a heavy package."""
    return [name for name in modules if name.split(".")[0] in HEAVY]


def test_probe_notices_a_heavy_import(tmp_path: Path) -> None:
    """The probe sees a heavy package when one is imported, so the checks below mean something."""
    loaded = probe("import textual.app", tmp_path)["modules"]
    assert "textual" in heavy_in(loaded)


def test_domain_core_imports_no_heavy_package(tmp_path: Path) -> None:
    """Importing every core module loads none of textual, pydub or simpleaudio, nor rich."""
    body = "\n".join(f"import {module}" for module in CORE)
    loaded = probe(body, tmp_path)["modules"]
    assert set(CORE) <= set(loaded)
    assert heavy_in(loaded) == []
    # rich draws for the CLI's previews and stats; the core hands it data, not text.
    assert [name for name in loaded if name.split(".")[0] == "rich"] == []


@pytest.mark.parametrize(
    ("args", "ran"),
    [
        (["--help"], "calm.cli"),
        (["list"], "calm.present.catalogue"),
        (["list", "--json"], "calm.present.catalogue"),
        (["history"], "calm.practice.export"),
        (["stats", "--json"], "calm.practice.stats"),
    ],
    ids=["help", "list", "list-json", "history", "stats-json"],
)
def test_quick_commands_import_no_heavy_package(args: list[str], ran: str, tmp_path: Path) -> None:
    """`calm --help` and `calm list` run through main() without loading a heavy package."""
    report = probe(RUN_CLI.format(args=args), tmp_path)
    assert report["exit_code"] == 0
    assert ran in report["modules"]
    assert heavy_in(report["modules"]) == []
    # typer 0.29 and later check options through pydantic: some 80 ms on every command.
    assert [name for name in report["modules"] if name.split(".")[0] == "pydantic"] == []


FIRST_FRAME = """\
import json, os, sys
import textual.app  # the first frame needs it: loading it first hides nothing

report_path = sys.argv[1]
draw = textual.app.App._display


def display(self, screen, update):
    draw(self, screen, update)
    drawn = update is not None and type(screen).__module__.startswith("calm.")
    if drawn and not os.path.exists(report_path):
        loaded = {"screen": type(screen).__name__, "modules": sorted(sys.modules)}
        with open(report_path, "w", encoding="utf-8") as report:
            json.dump(loaded, report)
        self.exit()


textual.app.App._display = display
sys.argv = ["calm", *sys.argv[2:]]
from calm.__main__ import run

run()
"""
"""Runs calm as its command does, and notes the loaded modules as calm's first screen is
drawn on the terminal, then leaves."""

NOT_BEFORE_THE_FIRST_FRAME = (
    "typer",
    "calm.cli.root",
    "sqlite3",
    "_sqlite3",
    "calm.sound.beds",
    "calm.practice.recording",
    "calm.practice.history",
    "calm.present.catalogue",
    "calm.cli.history",
    "calm.cli.stats",
    "calm.cli.audio",
    "calm.cli.scripts",
    "calm.tui.screens.picker",
    "calm.tui.screens.summary",
    "calm.tui.screens.check_in",
)
"""What no first frame of a session started by name needs: typer and calm's app made
with it (``calm.cli.quick_start`` reads the command line), the history, the list, the
other commands, the later screens, and the ambient bed."""

BEFORE_A_CAUTION = (
    "pydub",
    "simpleaudio",
    "miniaudio",
    "numpy",
    "calm.sound.cues",
    "calm.sound.players",
    "calm.sound.bed_loop",
    "calm.core.session",
    "calm.core.trace",
    "calm.tui.screens.session",
)
"""What a caution does not need either: the session's sound (numpy mixes its one stream),
runner and screen."""


def first_frame(args: list[str], tmp_path: Path) -> dict[str, Any]:
    """Run calm with ``args`` in an 80x24 terminal of its own, up to its first frame."""
    import fcntl
    import pty
    import struct
    import termios

    report = tmp_path / "first-frame.json"
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    command = [sys.executable, "-c", FIRST_FRAME, str(report), *args]
    try:
        started = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdin=follower, stdout=follower, stderr=follower
        )
        os.close(follower)
        while started.poll() is None:
            # The terminal's output is read, as a terminal would, so calm never blocks on it.
            readable, _, _ = select.select([leader], [], [], 0.1)
            if readable:
                with contextlib.suppress(OSError):
                    os.read(leader, 65536)
        started.wait(timeout=60)
    finally:
        os.close(leader)
    assert report.exists(), f"calm {' '.join(args)} drew no screen"
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    ("args", "screen", "also_not"),
    [
        (["start", "box"], "CautionScreen", BEFORE_A_CAUTION),
        (["start", "box", "--ambient", "pink"], "CautionScreen", BEFORE_A_CAUTION),
        (["start", "box", "--skip-caution", "--ambient", "pink"], "SessionScreen", ()),
    ],
    ids=["caution", "caution-ambient", "session-ambient"],
)
def test_the_first_frame_loads_only_what_it_shows(
    args: list[str], screen: str, also_not: tuple[str, ...], tmp_path: Path
) -> None:
    """By the time calm's first screen is drawn, nothing it does not need is loaded: not
    the history nor sqlite3, the list, the other commands, later screens or the bed;
    before a caution, not the session's sound either. A session that begins at once has
    its cues ready (its first cue rings at its start) but not its bed."""
    drawn = first_frame(args, tmp_path)
    assert drawn["screen"] == screen
    loaded = set(drawn["modules"])
    assert "textual" in loaded and "calm.tui.app" in loaded  # the probe saw the real thing
    assert [name for name in (*NOT_BEFORE_THE_FIRST_FRAME, *also_not) if name in loaded] == []
    if screen == "SessionScreen":
        assert "calm.sound.cues" in loaded
