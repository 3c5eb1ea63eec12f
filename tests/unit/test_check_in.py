"""The plain check-in question on a real pseudo-terminal: one key answers, others skip."""

from __future__ import annotations

import io
import os
import select
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import pytest

from calm.plain.asking import ask_mood
from calm.practice.check_in import AFTER, BEFORE, NotNow, mood_from_key


@contextmanager
def terminal() -> Iterator[tuple[int, IO[str]]]:
    """A pseudo-terminal: the side a person types into, and calm's stdin."""
    typist, calm_side = os.openpty()
    stdin = os.fdopen(calm_side, "r", encoding="utf-8")
    try:
        yield typist, stdin
    finally:
        stdin.close()
        os.close(typist)


def read_until(fd: int, end: bytes, seconds: float = 5.0) -> bytes:
    """What the terminal shows, up to ``end``: a pty hands output over in pieces."""
    shown = b""
    deadline = time.monotonic() + seconds
    while not shown.endswith(end) and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            shown += os.read(fd, 4096)
    return shown


@pytest.mark.parametrize(
    ("key", "mood"),
    [("1", 1), ("3", 3), ("5", 5), ("0", None), ("6", None), ("x", None), ("", None), ("12", None)],
)
def test_only_one_to_five_is_a_mood(key: str, mood: int | None) -> None:
    """Digits 1 to 5 are moods; everything else, even other digits, skips."""
    assert mood_from_key(key) == mood


def test_one_key_answers_without_enter_and_the_terminal_is_restored() -> None:
    """4 is taken at once, echoed as the answer, and the terminal's modes come back."""
    with terminal() as (typist, stdin), os.fdopen(os.dup(stdin.fileno()), "w") as out:
        before = termios.tcgetattr(stdin.fileno())
        # Typed once the question is up: the question flushes anything typed earlier.
        typing = threading.Timer(0.3, os.write, (typist, b"4"))
        typing.start()
        mood = ask_mood(BEFORE, stdin, out)
        typing.join()
        shown = read_until(typist, b" 4\r\n").decode()
        assert mood == 4
        assert shown.startswith(BEFORE)
        assert shown.endswith(" 4\r\n")
        assert termios.tcgetattr(stdin.fileno()) == before


def test_output_to_a_file_means_no_question() -> None:
    """A terminal to type on but output going elsewhere: nobody would see it, so no question."""
    with terminal() as (_, stdin):
        out = io.StringIO()
        assert ask_mood(BEFORE, stdin, out) is None
        assert out.getvalue() == ""


def test_keys_typed_before_the_question_are_not_answers() -> None:
    """A 2 already waiting when the question appears is thrown away; the next key counts."""
    with terminal() as (typist, stdin):
        os.write(typist, b"2")
        typing = threading.Timer(0.3, os.write, (typist, b"x"))
        typing.start()
        with os.fdopen(os.dup(stdin.fileno()), "w") as out:
            mood = ask_mood(AFTER, stdin, out)
        typing.join()
        assert mood is None


def test_without_a_terminal_nothing_is_asked() -> None:
    """Input from a pipe: no question printed, no waiting, no mood."""
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "r") as stdin:
        out = io.StringIO()
        assert ask_mood(BEFORE, stdin, out) is None
        assert out.getvalue() == ""
    os.close(write_end)


@pytest.mark.parametrize("key", [b"\x1b", b"q"], ids=["esc", "q"])
def test_esc_or_q_goes_back_from_the_first_question(key: bytes) -> None:
    """Before a session, Esc or q means not now."""
    with terminal() as (typist, stdin), os.fdopen(os.dup(stdin.fileno()), "w") as out:
        typing = threading.Timer(0.3, os.write, (typist, key))
        typing.start()
        with pytest.raises(NotNow):
            ask_mood(BEFORE, stdin, out, may_go_back=True)
        typing.join()
        shown = read_until(typist, b"not now\r\n").decode()
        assert "Esc or q leaves without starting." in shown
        assert shown.endswith("not now\r\n")
        assert not select.select([stdin.fileno()], [], [], 0.1)[0]


def test_after_the_session_esc_only_skips() -> None:
    """The closing question has nothing to go back to: Esc skips it."""
    with terminal() as (typist, stdin), os.fdopen(os.dup(stdin.fileno()), "w") as out:
        typing = threading.Timer(0.3, os.write, (typist, b"\x1b"))
        typing.start()
        assert ask_mood(AFTER, stdin, out) is None
        typing.join()
        assert "Esc or q" not in read_until(typist, b"skipped\r\n").decode()


def test_an_arrow_key_skips_and_leaves_nothing_behind() -> None:
    """An arrow key begins with Esc but is not Esc: it skips, as any other key does, and the
    rest of it is not left for whatever reads next."""
    with terminal() as (typist, stdin), os.fdopen(os.dup(stdin.fileno()), "w") as out:
        typing = threading.Timer(0.3, os.write, (typist, b"\x1b[A"))
        typing.start()
        assert ask_mood(BEFORE, stdin, out, may_go_back=True) is None
        typing.join()
        assert read_until(typist, b"skipped\r\n").decode().endswith("skipped\r\n")
        assert not select.select([stdin.fileno()], [], [], 0.1)[0]
