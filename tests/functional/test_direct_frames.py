"""In a real terminal, what calm writes past Textual's compositor (the orb, the
countdown, the time left) is what Textual itself draws: paused at any moment, the
screen is the same, colours and all, before and after Textual draws it all again."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.terminal import Terminal, tmux_server

pytestmark = pytest.mark.slow

BREATHS = """\
title = "Quick breaths"
summary = "Short even breaths, for a test."
category = "breathing"

[[steps]]
breathe = "Breathe evenly."
pattern = [
    { phase = "inhale", seconds = 2, text = "Rising in" },
    { phase = "hold_in", seconds = 2, text = "Holding" },
    { phase = "exhale", seconds = 2, text = "Falling out" },
    { phase = "hold_out", seconds = 2, text = "Resting" },
]
cycles = 12
"""


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    """A fresh 80x24 tmux session with a plain shell, in the test's isolated home."""
    with tmux_server("calm-direct") as socket:
        yield Terminal(socket, "calm")


def _coloured(terminal: Terminal) -> str:
    """The pane's text with its colours, as the terminal holds it."""
    return terminal.tmux("capture-pane", "-e", "-p", "-t", terminal.session)


def _drawn_again(terminal: Terminal) -> str:
    """The pane after Textual has laid out and drawn the whole screen anew: the
    window is made a column wider and back."""
    for width in (81, 80):
        terminal.tmux("resize-window", "-t", terminal.session, "-x", str(width), "-y", "24")
        assert terminal.flag("pane_width") == str(width)
        time.sleep(0.8)  # calm is told of the size, lays the screen out and draws it
    return _coloured(terminal)


def test_paused_anywhere_the_screen_is_textuals_own(terminal: Terminal, tmp_path: Path) -> None:
    """Paused at moments through several breaths, after each number and picture has
    been shown once, the screen matches Textual's own drawing of it cell for cell."""
    script = tmp_path / "breaths.toml"
    script.write_text(BREATHS, encoding="utf-8")
    command = shlex.join(
        [sys.executable, "-m", "calm", "start", str(script), "--skip-caution", "--no-audio"]
    )
    terminal.type_line(f"{command} --no-history; echo calm-exited-$?")
    terminal.wait_for(lambda screen: "Rising in" in screen)
    time.sleep(8.5)  # a whole breath: from here on numbers and pictures are kept
    for wait in (0.7, 1.9, 2.6, 3.3):
        time.sleep(wait)
        terminal.send("Space")
        terminal.wait_for(lambda screen: "space Resume" in screen)
        time.sleep(0.5)  # the paused picture, dimmed
        before = _coloured(terminal)
        assert _drawn_again(terminal) == before
        terminal.send("Space")
        terminal.wait_for(lambda screen: "space Pause" in screen)
    terminal.send("q")
    terminal.wait_for(lambda screen: "Ended early" in screen)
