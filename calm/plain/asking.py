"""Asking the check-in's question on a terminal, one keypress, for the plain runner."""

from __future__ import annotations

import contextlib
import os
import select
import signal
from collections.abc import Iterator
from types import FrameType
from typing import IO, Any

from calm.practice import pace_finder
from calm.practice.check_in import BACK_KEYS, NOT_NOW, SCALE, SKIP, NotNow, mood_from_key
from calm.practice.pace_finder import PaceFinder
from calm.practice.signals import handling

ESCAPE_SECONDS = 0.05
"""How soon the rest of a key that begins with Esc (an arrow key) follows it."""


def ask_mood(
    question: str, stdin: IO[str], out: IO[str], *, may_go_back: bool = False
) -> int | None:
    """Ask on a terminal and take one keypress; None when skipped or there is no terminal.

    Only a terminal gets asked, both ways: with input from a pipe or output to a
    file there is nobody to answer, and a session must never wait on a question
    no one sees.

    Raises:
        NotNow: when ``may_go_back`` and the key was Esc or q.
    """
    fd = _answering_terminal(stdin, out)
    if fd is None:
        return None
    # The plain runner always starts a session by name: Esc or q leaves calm.
    hint = f"{NOT_NOW} {SKIP}" if may_go_back else SKIP
    asked = f"{question}\n  {SCALE}. {hint} "
    out.write(asked)
    out.flush()
    try:
        key = _one_key(fd, out, asked)
    except EOFError:
        return None  # the terminal went away: nobody is left to answer
    if may_go_back and key in BACK_KEYS:
        out.write("not now\n")
        out.flush()
        raise NotNow
    mood = mood_from_key(key)
    out.write(f"{mood}\n" if mood is not None else "skipped\n")
    out.flush()
    return mood


def _answering_terminal(stdin: IO[str], out: IO[str]) -> int | None:
    """The file descriptor of the terminal a question is answered on; None unless both
    ``stdin`` and ``out`` are a terminal: with input from a pipe or output to a file
    there is nobody to answer, and a session must never wait on a question no one sees.
    """
    try:
        fd = stdin.fileno()
        seen = out.isatty()
    except (AttributeError, OSError, ValueError):
        return None
    if os.name == "nt" or not os.isatty(fd) or not seen:
        return None
    return fd


def _one_key(fd: int, out: IO[str], asked: str) -> str:
    """Read a single keypress without waiting for Enter, and without echoing it.

    Ctrl+C still interrupts, as anywhere else. After Ctrl+Z and ``fg`` the shell has
    put its own modes back and written over the question: the terminal is taken
    again and ``asked`` is written to ``out`` once more.

    Raises:
        EOFError: when the terminal has gone (its window closed): no key will come.
    """
    import termios
    import tty

    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        raise EOFError("the terminal has gone") from None
    try:
        # Keys typed while the question was not yet shown were not meant as answers.
        termios.tcflush(fd, termios.TCIFLUSH)
        tty.setcbreak(fd)
        attributes = termios.tcgetattr(fd)
        attributes[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, attributes)
        with _taken_back_after_a_stop(fd, attributes, out, asked):
            data = os.read(fd, 1)
        if data == b"\x1b" and select.select([fd], [], [], ESCAPE_SECONDS)[0]:
            # More bytes at once: an arrow or function key, which only starts with Esc.
            data = b"\x1b["
        # The rest of a key that sends several bytes is no answer to anything.
        termios.tcflush(fd, termios.TCIFLUSH)
    except (OSError, termios.error):
        data = b""  # the terminal went away while the question waited
    finally:
        with contextlib.suppress(termios.error):  # a terminal gone has no modes to put back
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    if not data:
        raise EOFError("the terminal has gone")
    return data.decode("utf-8", errors="replace")


@contextlib.contextmanager
def _taken_back_after_a_stop(
    fd: int, attributes: list[Any], out: IO[str], asked: str
) -> Iterator[None]:
    """Inside the block, a SIGCONT sets ``attributes`` on the terminal again and shows
    ``asked`` again, after whatever handled it before (the session's clock)."""
    import termios

    continuing = getattr(signal, "SIGCONT", None)
    if continuing is None:
        yield  # no job control here
        return
    before = signal.getsignal(continuing)

    def taken_back(signum: int, frame: FrameType | None) -> None:
        if callable(before):
            before(signum, frame)
        with contextlib.suppress(termios.error, OSError, ValueError):
            termios.tcsetattr(fd, termios.TCSANOW, attributes)
            out.write(asked)
            out.flush()

    with handling((continuing,), taken_back):
        yield


def ask_about_rung(finder: PaceFinder, rung: int, stdin: IO[str], out: IO[str]) -> bool:
    """Ask ``calm pace``'s three questions about ``rung``, one key each, and give the
    answers to ``finder``; False, asking nothing, without a terminal to ask on.

    A key that answers nothing is not taken for an answer: the question waits.

    Raises:
        EOFError: when the terminal goes away while a question waits.
    """
    fd = _answering_terminal(stdin, out)
    if fd is None:
        return False
    answers: list[int | bool] = []
    for (question, scale), read in zip(
        pace_finder.QUESTIONS,
        (pace_finder.scale_answer, pace_finder.scale_answer, pace_finder.yes_no_answer),
        strict=True,
    ):
        asked = f"  {question} {scale}: "
        out.write(asked)
        out.flush()
        while (answer := read(_one_key(fd, out, asked))) is None:
            pass
        shown = ("yes" if answer else "no") if read is pace_finder.yes_no_answer else str(answer)
        out.write(f"{shown}\n")
        out.flush()
        answers.append(answer)
    ease, calm, dizzy = answers
    assert isinstance(ease, int) and isinstance(calm, int) and isinstance(dizzy, bool)
    finder.answer(rung, ease, calm, dizzy)
    if dizzy:
        out.write(f"  {pace_finder.stop_if_dizzy('Ctrl+C')}\n")
        out.flush()
    return True
