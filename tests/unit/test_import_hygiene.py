"""The domain core and the quick commands never import the heavy packages.

Each check runs in a fresh interpreter, so modules imported by other tests in
this process cannot hide or fake a heavy import.
"""

from __future__ import annotations

import json
import os
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
