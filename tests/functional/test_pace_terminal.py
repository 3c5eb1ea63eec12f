"""calm pace in a real terminal (tmux): the ladder on the screen and as plain text,
answered one key at a time as a person would, and the pace it keeps."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.support.terminal import Terminal, exited, tmux_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

QUICK = ("pace", "--quick", "--rung-minutes", "0.1", "--no-audio")
"""calm pace at its quickest: a tenth of a minute a rung, which is one breath."""


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    """A fresh 80x24 tmux session with a plain shell, in the test's isolated home."""
    with tmux_server("calm-pace") as socket:
        yield Terminal(socket, "calm")


def begin(terminal: Terminal) -> None:
    """Press Enter at the introduction until the ladder begins: a screen takes no key
    in its first moment, so one meant for the screen before is never taken for it."""
    for _ in range(20):
        terminal.send("Enter")
        try:
            terminal.wait_for(lambda screen: "Before you begin" not in screen, timeout=0.5)
            return
        except AssertionError:
            continue
    raise AssertionError(f"the ladder did not begin; the screen was:\n{terminal.screen()}")


def run_again(terminal: Terminal, *args: str) -> str:
    """Clear the shell's screen, run ``calm ARGS`` and wait for it to exit; the screen."""
    terminal.type_line("clear")
    terminal.wait_for(lambda screen: "calm-exited-" not in screen)
    terminal.run(*args)
    return terminal.wait_for(exited)


def answer_rung(
    terminal: Terminal, rung: str, ease: str, calm: str, dizzy: str, *, plain: bool = False
) -> None:
    """Wait for the questions about ``rung`` ("Rung 2 of 2"), then answer each; as
    plain text, each question stays on the screen once answered."""
    terminal.wait_for(lambda screen: rung in screen and "How easy was that pace?" in screen, 40)
    for question, key in (
        ("How easy was that pace?", ease),
        ("How calm do you feel?", calm),
        ("Any light-headedness or air hunger?", dizzy),
    ):
        if plain:
            terminal.answer(question, key)
        else:
            press_until_gone(terminal, question, key)


def press_until_gone(terminal: Terminal, question: str, key: str) -> None:
    """Answer ``question`` with ``key``, pressed again until the question is gone: a
    question takes no key in its first moment, as a person never answers that fast."""
    terminal.wait_for(lambda screen: question in screen)
    for _ in range(20):
        terminal.send(key)
        try:
            terminal.wait_for(lambda screen: question not in screen, timeout=0.5)
            return
        except AssertionError:
            continue
    raise AssertionError(f"{question!r} was never answered; the screen was:\n{terminal.screen()}")


def test_the_quick_ladder_on_the_screen_keeps_a_pace(terminal: Terminal) -> None:
    terminal.run(*QUICK, "--from", "6", "--to", "5.5")
    intro = terminal.wait_for(lambda screen: "Press Enter when you are ready." in screen)
    assert "light-headed" in intro and "not a measurement" in intro
    begin(terminal)
    terminal.wait_for(lambda screen: "Rung 1 of 2: 6 breaths a minute" in screen, 20)
    answer_rung(terminal, "Rung 1 of 2", "4", "3", "n")
    answer_rung(terminal, "Rung 2 of 2", "5", "4", "y")
    terminal.wait_for(lambda screen: "Breathe normally now" in screen)
    terminal.send("Enter")  # any key goes on
    summary = terminal.wait_for(lambda screen: "Session complete" in screen, 40)
    # 5.5 brought light-headedness, so only 6 counts.
    assert "Your preferred slow pace today: 6 breaths a minute" in " ".join(summary.split())
    screen = terminal.leave_summary()
    assert "calm-exited-0" in screen.splitlines()
    shown = run_again(terminal, "pace", "--show")
    assert "Your preferred slow pace: 6 breaths a minute (your one result so far)." in shown


def test_the_quick_ladder_as_plain_text_and_stopped_midway(terminal: Terminal) -> None:
    terminal.run(*QUICK, "--plain", "--from", "6", "--to", "5.5")
    answer_rung(terminal, "Rung 1 of 2", "5", "5", "n", plain=True)
    terminal.wait_for(lambda screen: "Rung 2 of 2" in screen, 20)
    terminal.send("C-c")
    assert terminal.exit_status() == 0
    screen = " ".join(terminal.screen().split())
    assert "How easy was that pace? 1 hard · 2 · 3 · 4 · 5 very easy: 5" in screen
    assert "You stopped before the end, so nothing was saved" in screen
    assert "No preferred pace is saved yet." in run_again(terminal, "pace", "--history")


def test_ctrl_c_on_the_screen_says_nothing_was_kept(terminal: Terminal) -> None:
    terminal.run(*QUICK)
    terminal.wait_for(lambda screen: "Press Enter when you are ready." in screen)
    begin(terminal)
    terminal.wait_for(lambda screen: "Sit comfortably" in screen)
    terminal.send("C-c")
    assert terminal.exit_status() == 0
    left = " ".join(terminal.screen().split())
    assert "Session ended after" in left
    assert "You stopped before the end, so nothing was saved" in left
