"""Starting the Textual app from the command line, with the user's settings."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from calm import locations
from calm.catalogue import Row
from calm.config import Settings
from calm.loader import describe_value
from calm.recording import SessionRecorder
from calm.session import SessionOutcome, Status
from calm.sound.choice import AudioChoice
from calm.suggest import did_you_mean
from calm.timeline import Timeline
from calm.trace import TraceWriter
from calm.wording import one_line, practised_text

if TYPE_CHECKING:
    # Only named here: the sound modules load when a session has sound.
    from calm.sound.cues import SessionSound

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
    )
    try:
        outcome = app.run()
        if app.sound is not None:
            ring_out(app.sound, outcome, left_at_once=app.left_at_once)
    finally:
        if app.sound is not None:
            app.sound.stop()
    if app.left_at_once and outcome is not None and outcome.status is not Status.READY:
        breathing = app.runner is None or bool(app.runner.timeline.script.breathe_steps)
        done = practised_text(outcome.practised_seconds, outcome.breaths, breathing=breathing)
        # Ctrl+C on the summary of a finished session must not read as if it was cut short.
        if outcome.status is Status.COMPLETED:
            print(f"Session complete: {done}. Take a moment before you get up.")
        else:
            print(f"Session ended after {done}. Take a moment before you get up.")
    return app.return_code or 0


def ring_out(sound: SessionSound, outcome: SessionOutcome | None, *, left_at_once: bool) -> None:
    """After a completed session, let the end chime finish, as the plain runner does.

    The summary can be left before the chime is over; Ctrl+C still stops at once.
    """
    if outcome is not None and outcome.status is Status.COMPLETED and not left_at_once:
        sound.finish(timeout=CHIME_SECONDS)


def terminal_is_interactive() -> bool:
    """Whether both ends of the terminal are there, so a full screen can run."""
    return sys.stdin.isatty() and sys.stdout.isatty()
