"""Starting the Textual app from the command line, with the user's settings."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from calm import locations
from calm.config import Settings
from calm.core.clock import RunningClock
from calm.core.loader import describe_value
from calm.core.safe_text import one_line
from calm.core.session import SessionOutcome, Status
from calm.core.suggest import did_you_mean
from calm.core.timeline import Timeline
from calm.core.trace import TraceWriter
from calm.crash import write_nowhere
from calm.practice.recording import SessionRecorder
from calm.present.catalogue import Row
from calm.present.measures import practised_text
from calm.sound.choice import AudioChoice

if TYPE_CHECKING:
    # Only named here: the sound modules load when a session has sound.
    from calm.sound.cues import SessionSound
    from calm.tui.app import CalmApp

CHIME_SECONDS = 3.0
"""At most how long the end chime may keep ringing after the summary is left."""


class ThemeError(ValueError):
    """The theme asked for on the command line does not exist."""


def launch(
    *,
    timeline: Timeline | None,
    rows: list[Row] | None,
    settings: Settings,
    notices: list[str],
    trace: TraceWriter | None,
    audio: AudioChoice | None = None,
    theme: str | None = None,
    reduced_motion: bool = False,
    skip_caution: bool = False,
    recorder: SessionRecorder | None = None,
    check_in: bool = False,
    demo: bool = False,
) -> int:
    """Run the app until the user leaves; the exit status.

    ``demo`` leaves out the self-care tip, as ``--demo`` asks: the summary shows
    only what the script itself says afterwards.

    Raises:
        ThemeError: when ``theme`` is not a theme calm knows.
    """
    from textual.theme import BUILTIN_THEMES

    from calm.tui.app import CalmApp
    from calm.tui.theme import CALM_THEME

    # The session's clock leaves out any time calm spends stopped (Ctrl+Z).
    clock = RunningClock()
    # Checked before the app exists, so that a bad theme in the config is one of the
    # notices the app shows, like any other bad setting.
    themes = sorted({*BUILTIN_THEMES, CALM_THEME.name})
    chosen = theme or settings.theme
    if chosen not in themes:
        hint = did_you_mean(chosen, themes)
        message = f'no theme "{chosen}"' + (f"; {hint}" if hint else "")
        if theme:
            raise ThemeError(f"{message}. Themes: {', '.join(themes)}")
        # Worded by the config's one rule, and shown safely: the name came from a file.
        notice = one_line(
            f"{locations.config_file()}: theme: {describe_value(chosen)} is not a theme "
            f'calm knows; using the default, "{CALM_THEME.name}".'
            + (f" {hint[:1].upper()}{hint[1:]}" if hint else "")
        )
        print(f"calm: {notice}", file=sys.stderr)
        notices.append(notice)
        chosen = CALM_THEME.name
    app = CalmApp(
        timeline=timeline,
        rows=rows,
        trace=trace,
        audio=audio,
        theme=chosen,
        reduced_motion=reduced_motion or settings.reduced_motion,
        skip_caution=skip_caution or settings.skip_caution,
        notices=notices,
        recorder=recorder,
        check_in=check_in,
        tip=(lambda: "") if demo else None,
        clock=clock,
    )
    if trace is not None:
        # A trace that stops taking writes says so on the screen, not under it.
        told_elsewhere = trace.notify
        trace.notify = lambda message: app.notify(message, severity="warning")
    try:
        outcome = _run(app, clock)
        _let_go_of_a_terminal_that_has_gone()
        if app.sound is not None:
            ring_out(app.sound, outcome, left_at_once=app.left_at_once)
    finally:
        # However the app ended (a signal before the session's screen was up, say),
        # a session that began is written down as ended, with its time.
        _end_session(app)
        if app.sound is not None:
            app.sound.stop()
        if trace is not None:
            trace.notify = told_elsewhere
    # Notices held for a summary that never came (Ctrl+C in a session) are not lost.
    for notice in app.held:
        _tell(notice if notice.startswith("calm: ") else f"calm: {notice}")
    if app.left_at_once and outcome is not None and outcome.status is not Status.READY:
        breathing = app.runner is None or bool(app.runner.timeline.script.breathe_steps)
        done = practised_text(outcome.practised_seconds, outcome.breaths, breathing=breathing)
        # Ctrl+C on the summary of a finished session must not read as if it was cut short.
        if outcome.status is Status.COMPLETED:
            _say(f"Session complete: {done}. Take a moment before you get up.")
        else:
            _say(f"Session ended after {done}. Take a moment before you get up.")
    return app.return_code or 0


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
        with leaving_on_signals(loop, leave=app.action_leave, record=partial(_record_now, app)):
            return app.run(loop=loop)


def _end_session(app: CalmApp, late: float = 0.0) -> None:
    """End the app's session, if one is running, as of ``late`` seconds ago, and write
    it down; a session already written down stays as it was."""
    runner, recorder = app.runner, app.recorder
    if runner is None:
        return
    was_running = runner.running
    runner.finish()
    outcome = runner.outcome()
    if was_running and late > 0:
        practised = max(outcome.practised_seconds - late, 0.0)
        outcome = replace(outcome, practised_seconds=practised)
    if recorder is not None:
        recorder.ended(outcome)


def _record_now(app: CalmApp, late: float) -> None:
    """The app could not leave in time after a signal that came ``late`` seconds ago:
    write the session down as ended then, and let go of the history."""
    _end_session(app, late)
    if app.recorder is not None:
        app.recorder.close()


def _tell(line: str) -> None:
    """Print a notice on stderr, if anything still reads it."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _let_go_of_a_terminal_that_has_gone() -> None:
    """After a closed window, what calm still has to say (the summary, a last notice)
    goes to the null device: writing it would fail, and turn a session that ended
    calmly into an error."""
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
    try:
        print(line, flush=True)
    except OSError:
        # Nothing reads calm any more: what is left to say goes to the null device.
        write_nowhere(sys.stdout, sys.stderr)


def ring_out(sound: SessionSound, outcome: SessionOutcome | None, *, left_at_once: bool) -> None:
    """After a completed session, let the end chime finish, as the plain runner does.

    The summary can be left before the chime is over; Ctrl+C still stops at once.
    """
    if outcome is not None and outcome.status is Status.COMPLETED and not left_at_once:
        sound.finish(timeout=CHIME_SECONDS)


DUMB_TERMINALS = frozenset({"", "dumb", "unknown"})
"""``TERM`` values that say the terminal cannot draw a full screen, as Rich reads them."""


def terminal_is_interactive() -> bool:
    """Whether a full screen can run: both ends of a terminal are there, and it can draw.

    ``TERM=dumb`` (an editor's shell, say) gets plain lines, as does no ``TERM``
    at all outside Windows, where curses programs refuse to start: nothing says
    what the terminal understands. Windows terminals never set ``TERM``.
    """
    term = os.environ.get("TERM")
    if term is None:
        if sys.platform != "win32":
            return False
    elif term.strip().lower() in DUMB_TERMINALS:
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()
