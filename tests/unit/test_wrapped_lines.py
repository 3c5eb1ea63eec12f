"""Lines printed outside a screen wrap between words on a terminal, and only there."""

from __future__ import annotations

import io

import pytest

from calm.present.lines import wrapped

LINE = "Session ended after 2 s, 0 breaths. Take a moment before you get up."


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        super().isatty()  # as a real stream does, refuses once closed
        return True


def test_a_terminal_gets_the_line_wrapped_between_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = wrapped(LINE, Terminal()).splitlines()
    assert len(lines) == 2
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == LINE


def test_an_indent_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    lines = wrapped("  " + LINE, Terminal()).splitlines()
    assert lines[0].startswith("  S")
    assert all(line.startswith("    ") for line in lines[1:])


def test_a_pipe_or_a_closed_stream_gets_the_line_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    assert wrapped(LINE, io.StringIO()) == LINE
    closed = Terminal()
    closed.close()
    assert wrapped(LINE, closed) == LINE
