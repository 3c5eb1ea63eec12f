"""The real app in a real terminal: tmux runs calm, and the test reads the screen."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.scripts import tiny_script
from tests.support.terminal import Terminal, exited, tmux_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SHORT = tiny_script(
    title="Short",
    summary="A short script for the terminal test.",
    category="breathing",
    say="Arrive here.",
    say_seconds=1,
    breathe="Follow the orb.",
    cycles=20,
    inhale=1.5,
    exhale=1.5,
    inhale_text="Rising in",
    exhale_text="Falling out",
)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    """A fresh 80x24 tmux session with a plain shell, in the test's isolated home."""
    with tmux_server("calm-test") as socket:
        yield Terminal(socket, "calm")


def test_session_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    """Phases change on screen, space pauses, q ends, Enter leaves and the shell is restored."""
    script = tmp_path / "short.toml"
    script.write_text(SHORT, encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} -m calm start {shlex.quote(str(script))}"
    terminal.type_line(f"{command}; echo calm-exited-$?")

    terminal.wait_for(lambda screen: "Rising in" in screen)
    assert terminal.flag("alternate_on") == "1"
    terminal.wait_for(lambda screen: "Falling out" in screen)

    terminal.send("Space")
    # Paused in full: the words, and the footer offering to resume.
    paused = terminal.wait_for(_fully_paused)
    time.sleep(2)  # Longer than a whole phase: a running session would have moved on.
    still = terminal.screen()
    assert _fully_paused(still)
    assert _progress(still) == _progress(paused)

    terminal.send("q")
    terminal.wait_for(lambda screen: "Ended early" in screen)
    screen = terminal.leave_summary()
    assert "calm-exited-0" in screen.splitlines()

    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"
    assert terminal.modes() == {"icanon", "echo"}


def _fully_paused(screen: str) -> bool:
    """The session shows it is paused, and its footer says space will resume it."""
    return "Paused" in screen and "space Resume" in screen and "space Pause" not in screen


def _progress(screen: str) -> list[str]:
    """The lines that move while a session runs: the progress bar and the time left."""
    return [line for line in screen.splitlines() if " left" in line]


def test_sigterm_restores_the_terminal(terminal: Terminal, tmp_path: Path) -> None:
    """SIGTERM mid-session leaves calm with the alternate screen gone and the tty sane."""
    script = tmp_path / "short.toml"
    script.write_text(SHORT, encoding="utf-8")
    pid_file = tmp_path / "calm.pid"
    command = (
        f"{shlex.quote(sys.executable)} -m calm start {shlex.quote(str(script))} & "
        f"echo $! > {shlex.quote(str(pid_file))}; fg; echo calm-exited-$?"
    )
    terminal.type_line(command)
    terminal.wait_for(lambda screen: "Rising in" in screen)
    pid = int(pid_file.read_text().split()[0])
    os.kill(pid, 15)
    terminal.wait_for(exited)
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"


def _start(terminal: Terminal, tmp_path: Path, env: str = "", script_text: str = SHORT) -> Path:
    script = tmp_path / "short.toml"
    script.write_text(script_text, encoding="utf-8")
    pid_file = tmp_path / "calm.pid"
    command = f"{shlex.quote(sys.executable)} -m calm start {shlex.quote(str(script))}"
    terminal.type_line(
        f"{env} {command} & echo $! > {shlex.quote(str(pid_file))}; fg; echo calm-exited-$?"
    )
    return pid_file


def test_ctrl_c_leaves_at_once_with_a_one_line_summary(terminal: Terminal, tmp_path: Path) -> None:
    """Ctrl+C mid-session leaves straight away, restores the terminal and prints one line."""
    _start(terminal, tmp_path)
    terminal.wait_for(lambda screen: "Rising in" in screen)
    terminal.send("C-c")
    screen = terminal.wait_for(exited)
    assert "calm-exited-0" in screen.splitlines()
    assert "Session ended after" in screen
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"


def test_ctrl_c_on_the_summary_of_a_finished_session_says_it_was_complete(
    terminal: Terminal, tmp_path: Path
) -> None:
    """Ctrl+C to leave the summary of a completed session does not read as cut short."""
    _start(terminal, tmp_path, script_text=SHORT.replace("cycles = 20", "cycles = 1"))
    terminal.wait_for(lambda screen: "Session complete" in screen)
    terminal.send("C-c")
    screen = terminal.wait_for(exited)
    assert "calm-exited-0" in screen.splitlines()
    assert "Session complete: 4 s, 1 breath. Take a moment before you get up." in screen
    assert "Session ended after" not in screen


def test_sighup_restores_the_terminal(terminal: Terminal, tmp_path: Path) -> None:
    """SIGHUP, as when a terminal window closes, still leaves the screen and cursor as they were."""
    pid_file = _start(terminal, tmp_path)
    terminal.wait_for(lambda screen: "Rising in" in screen)
    os.kill(int(pid_file.read_text().split()[0]), 1)
    terminal.wait_for(exited)
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"


LONG_FIRST_STEP = SHORT.replace(
    'say = "Arrive here."',
    'say = "Arrive here, and take a moment. ' + "Let the words run on " * 8 + 'until they wrap."',
)


def test_no_color_draws_without_colour(terminal: Terminal, tmp_path: Path) -> None:
    """With NO_COLOR set, the session draws no colours, and the orb is still there in blocks."""
    # A first step of several lines makes the orb change height at the next step.
    _start(terminal, tmp_path, env="NO_COLOR=1", script_text=LONG_FIRST_STEP)
    terminal.wait_for(lambda screen: "Rising in" in screen)
    coloured = terminal.tmux("capture-pane", "-p", "-e", "-t", terminal.session)
    # Textual honours NO_COLOR by drawing in greys; no colour of any hue reaches the screen.
    indexed = [int(code) for code in re.findall(r"\x1b\[[34]8;5;(\d+)m", coloured)]
    assert indexed, "expected some shading in greys"
    assert all(code >= 232 or code in (0, 7, 8, 15, 16, 231) for code in indexed), indexed
    for red, green, blue in re.findall(r"\x1b\[[34]8;2;(\d+);(\d+);(\d+)m", coloured):
        assert red == green == blue
    assert "█" in coloured
    time.sleep(1.0)
    assert "something went wrong" not in terminal.screen()
    assert terminal.flag("alternate_on") == "1"
    terminal.send("C-c")
    terminal.wait_for(exited)


def test_a_bad_config_is_one_line_and_the_session_still_runs(
    terminal: Terminal, tmp_path: Path
) -> None:
    """A config with a wrong value gives one line naming the key, and the session runs anyway."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("reduced_motion = 3\n", encoding="utf-8")
    _start(terminal, tmp_path)
    terminal.wait_for(lambda screen: "Rising in" in screen)
    terminal.send("q")
    terminal.wait_for(lambda screen: "Ended early" in screen)
    screen = terminal.leave_summary()
    assert "calm-exited-0" in screen.splitlines()
    unwrapped = screen.replace("\n", "")  # tmux wraps long lines at 80 columns
    assert unwrapped.count("reduced_motion: 3 is not true or false; using the default, false") == 1
