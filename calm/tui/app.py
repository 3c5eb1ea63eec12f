"""The calm app: picker, caution, session and summary, one after another.

The same app serves ``calm start`` and the tests; the tests hand it a clock
they move by hand.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

if TYPE_CHECKING:
    from calm.practice.recording import SessionRecorder
    from calm.present.catalogue import Row
    from calm.sound.cues import SessionSound
    from calm.tui.screens.picker import PickerScreen

from calm import locations
from calm.core.clock import Clock
from calm.core.problems import ScriptError
from calm.core.safe_text import shown_safely
from calm.core.session import Listener, SessionOutcome, SessionRunner
from calm.core.timeline import LengthError, Timeline, compile_timeline
from calm.core.trace import TraceWriter
from calm.crash import report
from calm.practice.tips import next_tip
from calm.sound.choice import AudioChoice
from calm.tui.screens.base import CalmScreen, Settling, too_small_for
from calm.tui.screens.caution import CautionScreen
from calm.tui.screens.session import SessionScreen
from calm.tui.screens.summary import AfterSummary, SummaryScreen
from calm.tui.theme import CALM_THEME
from calm.tui.told import ToldOnce

NOTICE_SECONDS = 8.0
"""How long a notice stays on its line when nothing says otherwise."""
KEPT_NOTICES = 20
"""How many notices are remembered, and kept for a summary, at most."""


class CalmApp(App[SessionOutcome | None]):
    """Guides a session in the terminal; returns its outcome, or None when none ran."""

    CSS_PATH = "calm.tcss"
    TITLE = "calm"
    BINDINGS = [Binding("ctrl+c", "leave", "Leave at once", priority=True, show=False)]

    class Said(Message):
        """A notice for the user, on its way from any thread to the screen."""

        def __init__(self, text: str, seconds: float) -> None:
            super().__init__()
            self.text = text
            self.seconds = seconds

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
        told: ToldOnce | None = None,
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
            told: The sound notices already said; by default kept in calm's data folder.
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
        self._told = told or ToldOnce(locations.told_sound_file())
        self.recorder = recorder
        if recorder is not None:
            recorder.notify = lambda message: self.notify(message, severity="warning")
        self.check_in = check_in
        self.runner: SessionRunner | None = None
        self.sound: SessionSound | None = None
        self.left_at_once = False
        self.crash_log: Path | None = None
        self._sessions_run = 0
        self.said: list[str] = []
        """Every notice shown or held so far, as shown, oldest first."""
        self.held: list[str] = []
        """Notices that came while a session was on screen, kept for its summary."""

    def on_mount(self) -> None:
        # Signals are handled by calm.tui.leaving, which ``launch`` puts in place.
        if self._timeline is not None:
            self.begin(self._timeline, from_picker=False)
        else:
            self.pick()
        # After the first screen, so that they land on it (or wait for the summary).
        for notice in self._notices:
            self.notify(notice, severity="warning")

    # -- notices -----------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Tell the user something, exactly as written, where it covers nothing.

        Every notice in calm comes here, from any thread. It is never read as
        markup (a notice often quotes a setting or a file name) and never carries
        a control character. It goes on the notice line of the screen on top; while
        a session is on screen it waits for the summary, so nothing moves or covers
        the breath. ``markup`` is accepted for Textual's sake and ignored.
        """
        text = shown_safely(f"{title}: {message}" if title else message)
        self.post_message(self.Said(text, NOTICE_SECONDS if timeout is None else timeout))

    def on_calm_app_said(self, said: Said) -> None:
        """Put a notice on the screen on top, or keep it for the summary."""
        # Kept to the newest few: a notice said over and over must not grow without end.
        self.said = [*self.said[-KEPT_NOTICES + 1 :], said.text]
        screens = [screen for screen in self.screen_stack if isinstance(screen, CalmScreen)]
        top = screens[-1] if screens else None
        if top is None or isinstance(top, SessionScreen):
            if said.text not in self.held:
                self.held = [*self.held[-KEPT_NOTICES + 1 :], said.text]
        else:
            top.notices.say(said.text, said.seconds)

    def _sound_notice(self, message: str) -> None:
        """A notice about the sound: said the first time, not again until sound has worked."""
        if self._told.first_time(message):
            self.notify(message, severity="warning")

    # -- keys --------------------------------------------------------------------

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action, unless its key reached a screen that has not settled yet.

        Such a key was meant for the screen before (see ``Settling``): it is taken,
        and does nothing. The app's own keys, Ctrl+C above all, always count.
        """
        if isinstance(default_namespace, Settling) and not default_namespace.settled:
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def pop_screen(self) -> AwaitComplete:
        """Close the screen on top; the one beneath settles afresh (see ``Settling``)."""
        popped = super().pop_screen()
        if isinstance(self.screen, Settling):
            self.screen.shown_now()
        return popped

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

    def begin(self, timeline: Timeline, *, from_picker: bool, caution: bool = True) -> None:
        """Show the caution if there is one (and ``caution``), then run the session."""
        script = timeline.script
        if caution and script.caution and not self.skip_caution:

            def decided(chosen: Timeline | None) -> None:
                if chosen is not None:
                    self.check_in_then_run(chosen, from_picker=from_picker)
                elif not from_picker:
                    self.exit(None)

            self.push_screen(CautionScreen(timeline), decided)
        else:
            self.check_in_then_run(timeline, from_picker=from_picker)

    def check_in_then_run(self, timeline: Timeline, *, from_picker: bool) -> None:
        """Ask how tense the user feels, when the check-in is on, then run the session."""
        if not self.check_in:
            self.run_session(timeline, from_picker=from_picker)
            return
        # Imported here: a session without the check-in never needs it.
        from calm.tui.screens.check_in import CheckInAnswer, CheckInScreen

        def answered(answer: CheckInAnswer | None) -> None:
            if answer is not None and answer.begin:
                self.run_session(timeline, from_picker=from_picker, mood_before=answer.mood)
            elif not from_picker:
                self.exit(None)

        self.push_screen(CheckInScreen(timeline.script.title, from_list=from_picker), answered)

    def run_session(
        self, timeline: Timeline, *, from_picker: bool = False, mood_before: int | None = None
    ) -> None:
        """Run the session, then show its summary."""
        listeners: list[Listener] = []
        if self.sound is not None:
            self.sound.stop()  # the last session's end chime, if it still rings
        self.sound = self._prepare_sound(timeline)
        if self._trace is not None:
            # The trace hears each event first, so a cue's line follows its event's.
            listeners.append(self._trace)
        if self.sound is not None:
            # The sound hears it next, so a cue starts as its moment does.
            listeners.append(self.sound)
        self.runner = SessionRunner(timeline, clock=self._clock, listeners=listeners)
        self._sessions_run += 1
        recorder = self.recorder
        if recorder is not None:
            if self._sessions_run > 1:
                recorder.next_session()  # the list's "again", or another from the list
            recorder.started(timeline, mood_before=mood_before)
            self.runner.add_listener(recorder.follow(self.runner))

        def summarise(outcome: SessionOutcome | None) -> None:
            sound = self.sound
            if sound is not None:
                sound.stop_bed()
                if not sound.silenced:
                    self._told.sound_worked()
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
                from_list=from_picker,
            )
            # What came during the session is said here, where it covers nothing,
            # and stays until the summary is left.
            for text in self.held:
                summary.notices.say(text)
            self.held.clear()
            self.push_screen(summary, lambda choice: self._after_summary(choice, timeline, outcome))

        screen = SessionScreen(self.runner, reduced_motion=self.reduced_motion, sound=self.sound)
        self.push_screen(screen, summarise)

    def _after_summary(
        self, choice: AfterSummary | None, timeline: Timeline, outcome: SessionOutcome
    ) -> None:
        """Leave calm, run the session again, or go back to the list underneath."""
        if choice is AfterSummary.AGAIN:
            # The caution was read a moment ago; a check-in is asked afresh.
            self.begin(timeline, from_picker=True, caution=False)
        elif choice is AfterSummary.LIST:
            self.runner = None  # nothing is running: Ctrl+C at the list has nothing to report
        else:
            self.exit(outcome)

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
            notify=self._sound_notice,
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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The session's controls in the command palette, with Textual's own commands.

        The palette reads every title and help text as markup, so these are calm's
        own fixed words, never a script's (a test holds every one to that).
        """
        yield from super().get_system_commands(screen)
        if isinstance(screen, SessionScreen):
            yield SystemCommand("Pause or resume", "Freeze the session", screen.toggle_pause)
            yield SystemCommand("Next step", "Skip to the next step", screen.action_next_step)
            yield SystemCommand(
                "Previous step", "Back to the previous step", screen.action_previous_step
            )
            yield SystemCommand("End session", "End now and see the summary", screen.action_end)
            yield SystemCommand("Help", "Show the keys", screen.action_help)
            if screen.sound is not None:
                yield SystemCommand("Mute or unmute", "Sound off, or on again", screen.toggle_mute)

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
