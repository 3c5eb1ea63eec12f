"""Starting the Textual app for a practice session, on calm's own terminal driver.

The command imports this module to ask whether a screen can run at all, so it
imports nothing heavy itself: the app, Textual and the session's parts load in
``launch``, and only what the first frame needs (see ``CalmApp``).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from calm.core.clock import RunningClock
    from calm.core.session import SessionOutcome
    from calm.core.timeline import Timeline
    from calm.practice.service import Practice
    from calm.present.catalogue import Row
    from calm.tui.app import CalmApp

CHIME_SECONDS = 3.0
"""At most how long the end chime may keep ringing after the summary is left."""


def launch(
    practice: Practice,
    *,
    timeline: Timeline | None,
    rows: list[Row] | None,
    notices: list[str],
    planned_later: Callable[[], dict[str, bool] | None] | None = None,
) -> int:
    """Run the app until the user leaves; the exit status.

    While the app is up, every notice from the practice service goes onto the
    screen; before and after, wherever the service was told. What opening the
    history and the trace found, once the first screen was up, is said there too
    after the app, as it would have been before it.
    """
    from calm.core.clock import RunningClock
    from calm.tui.app import CalmApp

    # The session's clock leaves out any time calm spends stopped (Ctrl+Z).
    clock = RunningClock()
    app = CalmApp(
        practice,
        timeline=timeline,
        rows=rows,
        clock=clock,
        notices=notices,
        planned_later=planned_later,
    )
    outcome: SessionOutcome | None = None
    try:
        outcome = _run(app, clock)
        _let_go_of_a_terminal_that_has_gone()
        # The summary can be left before the chime is over; Ctrl+C stops at once.
        practice.ring_out(outcome, timeout=CHIME_SECONDS, left_at_once=app.left_at_once)
    finally:
        gc.enable()  # if the app ended before its first screen was up
        # However the app ended (a signal before the session's screen was up, say),
        # a session that began is written down as ended, with its time.
        practice.end_now()
        if practice.sound is not None:
            practice.sound.stop()
    from calm.core.safe_text import shown_safely
    from calm.core.session import Status

    for notice in app.opened_with:
        practice.notify(notice)
    said = {shown_safely(notice) for notice in app.opened_with}
    # Notices held for a summary that never came (Ctrl+C in a session) are not lost.
    for notice in app.held:
        if notice not in said:
            _tell(notice if notice.startswith("calm: ") else f"calm: {notice}")
    runner = practice.runner
    left = app.left_at_once and outcome is not None and outcome.status is not Status.READY
    if left and outcome is not None and runner is not None:
        from calm.practice.closing import parting_line

        _say(parting_line(runner.timeline, outcome))
        if practice.pace_finder is not None:
            _say(practice.pace_finder.closing_words())  # that nothing was kept, and why
    return app.return_code or 0


def hold_collection() -> None:
    """Hold off Python's cyclic garbage collector until the first screen is up.

    Starting the screen makes tens of thousands of objects that live on (Textual's
    modules, widgets, styles and rules): the collector would stop a hundred times
    to look through them for cycles, and find next to none, for some 20 ms of the
    first frame. The app lets it go again once its first screen is painted, and
    ``launch`` as it ends, however it ends. ``calm`` holds it off from its very
    start; a command without a screen lets it go as it begins (``release_collection``).
    """
    gc.disable()


def release_collection() -> None:
    """Let Python's garbage collector run again, as every command without a screen does."""
    gc.enable()


def _run(app: CalmApp, clock: RunningClock) -> SessionOutcome | None:
    """Run the app on an event loop of its own, on calm's terminal driver, with every
    signal that would end calm ending the session as Ctrl+C does instead."""
    import asyncio

    from calm.tui.leaving import leaving_on_signals

    stops = contextlib.ExitStack()
    if sys.platform != "win32":
        from textual.drivers.linux_driver import LinuxDriver

        from calm.tui.driver import calm_driver

        # Only in place of Textual's own terminal driver: one chosen through
        # TEXTUAL_DRIVER (a browser's, say) is left as it is.
        if app.driver_class is LinuxDriver:
            app.driver_class = calm_driver(clock, stops)
    with asyncio.Runner() as runner, stops:
        loop = runner.get_loop()
        with leaving_on_signals(
            loop, leave=app.action_leave, record=partial(_record_now, app.practice)
        ):
            return app.run(loop=loop)


def _record_now(practice: Practice, late: float) -> None:
    """The app could not leave in time after a signal that came ``late`` seconds ago:
    write the session down as ended then, and let go of the history."""
    practice.end_now(late)
    if practice.recorder is not None:
        practice.recorder.close()


def _tell(line: str) -> None:
    """Print a notice on stderr, if anything still reads it."""
    from calm.present.lines import wrapped

    with contextlib.suppress(OSError, ValueError):
        print(wrapped(line, sys.stderr), file=sys.stderr, flush=True)


def _let_go_of_a_terminal_that_has_gone() -> None:
    """After a closed window, what calm still has to say (the summary, a last notice)
    goes to the null device: writing it would fail, and turn a session that ended
    calmly into an error."""
    from calm.crash import write_nowhere

    for stream in (sys.stdout, sys.stderr):
        try:
            # Nothing is written: a terminal that has hung up refuses even that.
            os.write(stream.fileno(), b"")
        except (OSError, ValueError, AttributeError) as error:
            if getattr(error, "errno", None) in (errno.EIO, errno.ENXIO):
                write_nowhere(sys.stdout, sys.stderr)
                return


def _say(line: str) -> None:
    """Print a line under the screen; after a hang-up there is no terminal to take it."""
    from calm.present.lines import wrapped

    try:
        print(wrapped(line, sys.stdout), flush=True)
    except OSError:
        from calm.crash import write_nowhere

        # Nothing reads calm any more: what is left to say goes to the null device.
        write_nowhere(sys.stdout, sys.stderr)


DUMB_TERMINALS = frozenset({"", "dumb", "unknown"})
"""``TERM`` values that say the terminal cannot draw a full screen, as Rich reads them."""


DRIVER_VARIABLE = "TEXTUAL_DRIVER"
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets ``TEXTUAL_DRIVER`` to for the app it runs over pipes."""


def served_to_a_browser() -> bool:
    """Whether calm runs under textual-serve (``calm serve``), drawing into a browser
    over pipes rather than on a terminal."""
    return os.environ.get(DRIVER_VARIABLE, "").strip() == WEB_DRIVER


def terminal_is_interactive() -> bool:
    """Whether a full screen can run: both ends of a terminal are there, and it can draw,
    or a browser is drawing it (``calm serve``).

    ``TERM=dumb`` (an editor's shell, say) gets plain lines, as does no ``TERM``
    at all outside Windows, where curses programs refuse to start: nothing says
    what the terminal understands. Windows terminals never set ``TERM``. Any other
    ``TEXTUAL_DRIVER`` is set aside with one notice: calm draws with its own driver,
    and Textual would fail on a driver it cannot load.
    """
    if served_to_a_browser():
        return True
    named = os.environ.pop(DRIVER_VARIABLE, None)
    if named is not None and named.strip():
        from calm.core.safe_text import one_line
        from calm.core.value_text import describe_value

        _tell(
            one_line(
                f"calm: {DRIVER_VARIABLE}: {describe_value(named)} is not a driver calm "
                "draws with; using the terminal."
            )
        )
    term = os.environ.get("TERM")
    if term is None:
        if sys.platform != "win32":
            return False
    elif term.strip().lower() in DUMB_TERMINALS:
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()
