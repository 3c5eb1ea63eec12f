"""``calm start NAME`` read without typer ends exactly as typer's reading of it does.

``calm.cli.quick_start`` reads only the command lines it knows for sure and leaves
every other to typer; each case below runs the real entry point twice, in fresh
interpreters, once as it is and once with the quick reading turned off, and the two
must say the same on stdout and stderr and exit with the same status.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from calm.cli.quick_start import read_start
from tests.support.scripts import tiny_script

RUN = """\
import sys
from pathlib import Path

import calm.cli.quick_start as quick

marker = Path(sys.argv[1])
if sys.argv[2] == "typer":
    quick.start_at_once = lambda args: None
else:
    read = quick.start_at_once

    def start_at_once(args):
        code = read(args)
        marker.write_text(repr(code), encoding="utf-8")
        return code

    quick.start_at_once = start_at_once
sys.argv = ["calm", *sys.argv[3:]]
from calm.cli import main

main()
"""
"""Runs ``calm`` with the quick reading on (noting what it returned) or off."""


@pytest.mark.parametrize(
    ("args", "given"),
    [
        (["start", "box"], {"script": "box"}),
        (
            ["start", "--plain", "box", "--ambient", "pink", "--no-check-in"],
            {"plain": True, "script": "box", "ambient": "pink", "check_in": False},
        ),
        (
            ["start", "x.toml", "--theme", "nord", "--gentle"],
            {"script": "x.toml", "theme": "nord", "gentle": True},
        ),
    ],
)
def test_plain_start_command_lines_are_read(args: list[str], given: dict[str, object]) -> None:
    """A script's name with known flags, each once, is read as typer would pass it."""
    assert read_start(args) == given


@pytest.mark.parametrize(
    "args",
    [
        ["start"],
        ["start", "--plain"],
        ["list"],
        ["--demo", "start", "box"],
        ["start", "box", "--help"],
        ["start", "box", "-h"],
        ["start", "box", "--minutes", "5"],
        ["start", "box", "-m", "5"],
        ["start", "box", "--volume", "5"],
        ["start", "box", "extra"],
        ["start", "box", "--ambient"],
        ["start", "box", "--ambient", "--plain"],
        ["start", "box", "--ambient", ""],
        ["start", "box", "--ambient=pink"],
        ["start", "box", "--plain", "--plain"],
        ["start", "box", "--check-in", "--no-check-in"],
        ["start", "--", "box"],
        ["start", "-"],
        ["start", ""],
        ["start", "box", "--Plain"],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    """A number, help, a word too many or too few, a value that looks like an option,
    a flag given twice or anything unknown goes to typer, which says what is wrong."""
    assert read_start(args) is None


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shell asking for completions is typer's to answer."""
    monkeypatch.setenv("_CALM_COMPLETE", "bash_complete")
    assert read_start(["start", "box"]) is None


def _calm(args: list[str], reading: str, base: Path) -> Callable[[], tuple[str, str, int, str]]:
    """Start ``calm`` in a home of its own; the call it returns waits for it and gives its
    stdout, stderr, exit status and what the quick reading returned ("" when it was off
    or never returned). Both readings of a case run at once: each session is real time."""
    home = base / reading
    home.mkdir()
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        TERM="dumb",
    )
    marker = home / "quick"
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, str(marker), reading, *args],
        cwd=base,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def finished() -> tuple[str, str, int, str]:
        try:
            stdout, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        returned = marker.read_text(encoding="utf-8") if marker.exists() else ""
        return stdout, stderr, process.returncode, returned

    return finished


@pytest.mark.parametrize(
    "args",
    [
        ["start", "nosuch"],
        ["start", "bx"],
        ["start", "box", "--ambient", "nosuch"],
        ["start", "tiny.toml", "--ambient", "pink", "--no-audio"],
        ["start", "broken.toml"],
        ["start", "tiny.toml", "--plain", "--no-audio", "--no-history"],
        ["start", "tiny.toml", "--gentle", "--skip-caution", "--demo", "--no-check-in"],
        ["start", "tiny.toml", "--no-audio", "--check-in"],
        ["start", "tiny.toml", "--no-audio", "--theme", "nosuch", "--reduced-motion"],
    ],
)
def test_a_quick_start_ends_as_typer_would_end_it(args: list[str], tmp_path: Path) -> None:
    """The same lines on stdout and stderr and the same exit status, read either way."""
    (tmp_path / "tiny.toml").write_text(tiny_script(), encoding="utf-8")
    (tmp_path / "broken.toml").write_text('title = "T"\nsteps = 3\n', encoding="utf-8")
    quickly, slowly = _calm(args, "quick", tmp_path), _calm(args, "typer", tmp_path)
    *quick, returned = quickly()
    *typer, _ = slowly()
    assert returned not in ("", "None"), "the quick reading should have run this"
    assert quick == typer
