"""The calm app: picker, caution, session and summary, one after another.

The same app serves ``calm start`` and the tests; the tests hand it a clock
they move by hand.
"""

from __future__ import annotations

import asyncio
import io
import signal
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from calm.catalogue import Row
    from calm.recording import SessionRecorder
    from calm.sound.cues import SessionSound
    from calm.tui.screens.picker import PickerScreen

from calm import locations
from calm.clock import Clock
from calm.crash import report
from calm.problems import ScriptError
from calm.session import Listener, SessionOutcome, SessionRunner
from calm.sound.choice import AudioChoice
from calm.timeline import LengthError, Timeline, compile_timeline
from calm.tips import next_tip
from calm.trace import TraceWriter
from calm.tui.screens.base import too_small_for
from calm.tui.screens.caution import CautionScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import SummaryScreen
from calm.tui.theme import CALM_THEME


class CalmApp(App[SessionOutcome | None]):
    """Guides a session in the terminal; returns its outcome, or None when none ran."""

    CSS_PATH = "calm.tcss"
    TITLE = "calm"
    BINDINGS = [Binding("ctrl+c", "leave", "Leave at once", priority=True, show=False)]

    def __init__(
        self,
        *,
        timeline: Timeline | None = None,
        rows: list[Row] | None = None,
        clock: Clock | None = None,
        trace: TraceWriter | None = None,
        theme: str = CALM_THEME.name,
        reduced_motion: bool = False,
        skip_caution: bool = False,
        notices: Iterable[str] = (),
        tip: Callable[[], str] | None = None,
        audio: AudioChoice | None = None,
        recorder: SessionRecorder | None = None,
        check_in: bool = False,
    ) -> None:
        """Set up the app.

        Args:
            timeline: The session to run; None to open the picker instead.
            rows: The scripts the picker offers.
            clock: The clock sessions run on; the monotonic clock by default.
            trace: Where to record session events, if anywhere.
            theme: The colour theme's name.
            reduced_motion: Show a still bar instead of the moving orb.
            skip_caution: Start without showing the script's caution.
            notices: One-line messages to show once the app is up, such as config problems.
            tip: Gives the self-care tip for a script with no reminder of its own.
            audio: The sound asked for; None for silence.
            recorder: Records the session in the history; None to keep no record.
            check_in: Ask how tense the user feels before and after.
        """
        super().__init__()
        self.register_theme(CALM_THEME)
        self.theme = theme
        self._timeline = timeline
        self._rows = rows or []
        self._clock = clock
        self._trace = trace
        self.reduced_motion = reduced_motion or self.animation_level == "none"
        self.skip_caution = skip_caution
        self._notices = list(notices)
        self._tip = tip or (lambda: next_tip(locations.tip_state_file()))
        self._audio = audio or AudioChoice()
        self.recorder = recorder
        if recorder is not None:
            recorder.notify = lambda message: self.notify(message, severity="warning")
        self.check_in = check_in
        self.runner: SessionRunner | None = None
        self.sound: SessionSound | None = None
        self.left_at_once = False
        self.crash_log: Path | None = None

    def on_mount(self) -> None:
        self._catch_signals()
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=8)
        if self._timeline is not None:
            self.begin(self._timeline, from_picker=False)
        else:
            self.pick()

    # -- the flow ----------------------------------------------------------------

    def pick(self) -> None:
        """Open the picker."""
        # Imported here: a session started by name never needs the picker.
        from calm.tui.screens.picker import PickerScreen

        self.push_screen(PickerScreen(self._rows))

    def on_picker_screen_chosen(self, chosen: PickerScreen.Chosen) -> None:
        """Start what was chosen in the picker, which stays underneath."""
        try:
            timeline = compile_timeline(chosen.entry.load(), chosen.options)
        except (LengthError, ScriptError) as error:
            self.notify(str(error), severity="warning")
            return
        self.begin(timeline, from_picker=True)

    def begin(self, timeline: Timeline, *, from_picker: bool) -> None:
        """Show the caution if there is one, then run the session."""
        script = timeline.script
        if script.caution and not self.skip_caution:

            def decided(ready: bool | None) -> None:
                if ready:
                    self.check_in_then_run(timeline, from_picker=from_picker)
                elif not from_picker:
                    self.exit(None)

            caution = CautionScreen(script, from_list=from_picker, gentle=timeline.options.gentle)
            self.push_screen(caution, decided)
        else:
            self.check_in_then_run(timeline, from_picker=from_picker)

    def check_in_then_run(self, timeline: Timeline, *, from_picker: bool) -> None:
        """Ask how tense the user feels, when the check-in is on, then run the session."""
        if not self.check_in:
            self.run_session(timeline)
            return
        # Imported here: a session without the check-in never needs it.
        from calm.tui.screens.check_in import CheckInAnswer, CheckInScreen

        def answered(answer: CheckInAnswer | None) -> None:
            if answer is not None and answer.begin:
                self.run_session(timeline, mood_before=answer.mood)
            elif not from_picker:
                self.exit(None)

        self.push_screen(CheckInScreen(timeline.script.title), answered)

    def run_session(self, timeline: Timeline, *, mood_before: int | None = None) -> None:
        """Run the session, then show its summary."""
        listeners: list[Listener] = []
        self.sound = self._prepare_sound(timeline)
        if self.sound is not None:
            # The sound hears each event first, so a cue starts as its moment does.
            listeners.append(self.sound)
        if self._trace is not None:
            listeners.append(self._trace)
        self.runner = SessionRunner(timeline, clock=self._clock, listeners=listeners)
        recorder = self.recorder
        if recorder is not None:
            recorder.started(timeline, mood_before=mood_before)
            self.runner.add_listener(recorder.follow(self.runner))

        def summarise(outcome: SessionOutcome | None) -> None:
            if self.sound is not None:
                self.sound.stop_bed()
            if outcome is None:
                return
            if recorder is not None:
                recorder.ended(outcome)
            afterwards = timeline.script.reminder or self._tip()
            summary = SummaryScreen(
                timeline.script,
                outcome,
                afterwards,
                progress=recorder.week_sentence() if recorder is not None else None,
                on_mood=self._mood_taker(),
            )
            self.push_screen(summary, lambda _: self.exit(outcome))

        screen = SessionScreen(self.runner, reduced_motion=self.reduced_motion, sound=self.sound)
        self.push_screen(screen, summarise)

    def _mood_taker(self) -> Callable[[int], None] | None:
        """Where the closing check-in goes: the history, or nowhere but the screen."""
        if not self.check_in:
            return None
        if self.recorder is not None:
            return self.recorder.mood_after
        return lambda mood: None

    def _prepare_sound(self, timeline: Timeline) -> SessionSound | None:
        if not self._audio.volume:
            return None
        from calm.sound.cues import prepare_sound

        return prepare_sound(
            timeline,
            volume=self._audio.volume,
            ambient=self._audio.ambient,
            trace=self._trace,
            ring=self.bell,
            notify=lambda message: self.notify(message, severity="warning"),
        )

    # -- leaving -----------------------------------------------------------------

    def action_leave(self) -> None:
        """Ctrl+C: end any session and leave at once."""
        self.left_at_once = True
        outcome = None
        if self.runner is not None:
            self.runner.finish()
            outcome = self.runner.outcome()
            if self.recorder is not None:
                self.recorder.ended(outcome)
        self.exit(outcome)

    def on_resize(self, event: events.Resize) -> None:
        """A window too small to follow holds the session, whatever screen is on top."""
        too_small = too_small_for(event.size)
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.hold_for_room(too_small)

    async def action_quit(self) -> None:
        """Quit, from the command palette or Ctrl+Q: the same as Ctrl+C, so the session
        is written down as it ended rather than left as cut off."""
        self.action_leave()

    def _catch_signals(self) -> None:
        # SIGTERM and SIGHUP leave like Ctrl+C does, so Textual restores the terminal.
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self.action_leave)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            pass  # Windows, or not the main thread: keep the defaults.

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        """The session's controls in the command palette, with Textual's own commands."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, SessionScreen):
            yield SystemCommand("Pause or resume", "Freeze the session", screen.action_space)
            yield SystemCommand("Next step", "Skip to the next step", screen.action_next_step)
            yield SystemCommand(
                "Previous step", "Back to the previous step", screen.action_previous_step
            )
            yield SystemCommand("End session", "End now and see the summary", screen.action_end)
            yield SystemCommand("Help", "Show the keys", screen.action_help)
            if screen.sound is not None:
                yield SystemCommand("Mute or unmute", "Sound off, or on again", screen.action_mute)

    def _print_error_renderables(self) -> None:
        # An internal error: keep the traceback in a log, and tell the user in one line.
        if not self._exit_renderables:
            return
        text = io.StringIO()
        console = Console(file=text, width=120, color_system=None, legacy_windows=False)
        for renderable in self._exit_renderables:
            console.print(renderable)
        self._exit_renderables.clear()
        self.crash_log = report(text.getvalue())
