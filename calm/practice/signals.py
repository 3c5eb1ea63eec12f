"""Signals from outside calm: which ones end a session, and following stops (Ctrl+Z).

Both front ends use these: a signal that would end calm on the spot ends the
session as Ctrl+C does instead, so the terminal is put back and the session is
written down; and the session's clock leaves out the time calm was stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from calm.core.clock import HEARTBEAT_SECONDS, RunningClock

Handler = Callable[[int, FrameType | None], Any]

_ENDING = (
    "SIGINT",
    "SIGTERM",
    "SIGHUP",
    "SIGQUIT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGPIPE",
    "SIGPWR",
    "SIGSTKFLT",
    "SIGEMT",
)
"""Signals whose default is to end the process, on the systems that have them.

Left out: SIGKILL and SIGSTOP, which cannot be caught, and the signals of a fault
inside the process (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS),
after which no handler could run safely; faulthandler reports those."""


def _ending_signals() -> tuple[int, ...]:
    """Every signal that can be caught and whose default is to end the process."""
    found: set[int] = {getattr(signal, name) for name in _ENDING if hasattr(signal, name)}
    if sys.platform.startswith("linux"):
        # SIGIO (SIGPOLL) ends a process on Linux; elsewhere it is ignored by default.
        found.add(signal.SIGIO)
    if hasattr(signal, "SIGRTMIN"):
        # The real-time signals end a process by default, too.
        found.update(range(signal.SIGRTMIN, signal.SIGRTMAX + 1))
    return tuple(sorted(found))


ENDING_SIGNALS = _ending_signals()
"""Signals that end a session as Ctrl+C does, rather than killing calm on the spot."""


@contextlib.contextmanager
def handling(signals: tuple[int, ...], handler: Handler) -> Iterator[bool]:
    """Handle ``signals`` with ``handler`` inside the block, then put the old handlers back.

    A signal ignored when calm started stays ignored: ``nohup calm`` keeps
    running when its terminal closes, and Python ignores SIGPIPE and SIGXFSZ
    so that they show as errors on the write instead. Yields whether the
    handlers are in place: outside the main thread they cannot be, and the
    defaults stay.
    """
    previous: dict[int, Any] = {}
    try:
        for signum in signals:
            try:
                if signal.getsignal(signum) is signal.SIG_IGN:
                    continue
                previous[signum] = signal.signal(signum, handler)
            except OSError:
                continue  # a signal this system will not let a program handle
    except ValueError:
        # Not the main thread: leave signals alone.
        yield False
        return
    try:
        yield True
    finally:
        for signum, old in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, old)


@contextlib.contextmanager
def following_stops(clock: RunningClock) -> Iterator[None]:
    """Inside the block, time calm spends stopped is left out of ``clock``.

    Handlers already in place for SIGTSTP and SIGCONT (Textual's, which put the
    terminal back before a stop and take it again after) still run, inside
    these. A heartbeat thread lets the clock tell a SIGSTOP, which cannot be
    caught, from time calm ran through.
    """
    if not hasattr(signal, "SIGTSTP"):
        yield  # Windows: no job control
        return
    try:
        before_stop = signal.getsignal(signal.SIGTSTP)
        before_continue = signal.getsignal(signal.SIGCONT)
    except ValueError:
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        clock.stopping()
        if callable(before_stop):
            before_stop(signum, frame)
        else:
            # Stop as the default would: the shell sees calm stopped by Ctrl+Z.
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)
            signal.signal(signal.SIGTSTP, stop)
        # Here calm runs again; if SIGCONT's handler has not yet run, this counts the stop.
        clock.continued(unannounced=False)

    def go_on(signum: int, frame: FrameType | None) -> None:
        clock.continued()
        if callable(before_continue):
            before_continue(signum, frame)

    beating = threading.Event()

    def heartbeat() -> None:
        clock.beat()
        while not beating.wait(HEARTBEAT_SECONDS):
            clock.beat()

    with handling((signal.SIGTSTP,), stop), handling((signal.SIGCONT,), go_on):
        thread = threading.Thread(target=heartbeat, name="calm-heartbeat", daemon=True)
        start_unsignalled(thread)
        try:
            yield
        finally:
            beating.set()


def start_unsignalled(thread: threading.Thread) -> None:
    """Start ``thread`` with every signal blocked in it, so that each goes to the main
    thread, where Python runs the handlers: the kernel may hand a signal to any thread
    that does not block it (a closing window sends two at once), and one handed to
    another thread is not heard until the main thread wakes by itself, perhaps only
    at the end of a long step."""
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    except (AttributeError, OSError, ValueError):
        thread.start()  # no signal masks here
        return
    try:
        thread.start()  # a new thread starts with the mask of the thread that starts it
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
