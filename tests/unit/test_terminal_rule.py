"""Which terminals get the full screen: both ends a terminal, and one that can draw."""

from __future__ import annotations

import io
import sys

import pytest

from calm.tui.launch import terminal_is_interactive


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, term: str | None) -> None:
    """Both ends a terminal, and TERM as given (None: not set). Done inside the test,
    since pytest puts its own capture in place of stdout between a fixture and its test."""
    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(sys, "stdout", Tty())
    if term is None:
        monkeypatch.delenv("TERM", raising=False)
    else:
        monkeypatch.setenv("TERM", term)


@pytest.mark.parametrize("term", ["xterm-256color", "screen", "tmux-256color", "linux", "vt100"])
def test_a_terminal_that_can_draw_gets_the_full_screen(
    monkeypatch: pytest.MonkeyPatch, term: str
) -> None:
    """The usual terminals draw the full screen."""
    on_a_terminal(monkeypatch, term)
    assert terminal_is_interactive()


@pytest.mark.parametrize("term", ["dumb", "DUMB", "unknown", "", "  "])
def test_a_dumb_terminal_gets_plain_lines(monkeypatch: pytest.MonkeyPatch, term: str) -> None:
    """TERM=dumb, as in an editor's shell, or a TERM that names nothing."""
    on_a_terminal(monkeypatch, term)
    assert not terminal_is_interactive()


def test_no_term_at_all_gets_plain_lines_outside_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing says what the terminal understands; Windows terminals never set TERM."""
    on_a_terminal(monkeypatch, None)
    assert terminal_is_interactive() is (sys.platform == "win32")


def test_pipes_get_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output to a pipe or a file is never a full screen, whatever TERM says."""
    on_a_terminal(monkeypatch, "xterm-256color")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert not terminal_is_interactive()
