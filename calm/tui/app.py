"""The calm app: picker, caution, check-in, session and summary, one after another.

The flow reads top to bottom in one worker (``CalmApp.flow``). Everything around a
session (sound, trace, history, closing words) is the practice service's; the app
draws and reads keys. The same app serves ``calm start`` and the tests; the tests
hand it a clock they move by hand.

The first frame comes first: each screen's module loads when the flow first shows
one, and what the first screen does not need waits until it is painted
(``_first_screen_up``): the history and the trace open, the notices are shown, and
the session's sound starts being made in a thread of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from rich.console import Console
from textual import events, work
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

if TYPE_CHECKING:
    from calm.core.clock import Clock
    from calm.core.session import SessionOutcome, SessionRunner
    from calm.core.timeline import Timeline
    from calm.practice.recording import SessionRecorder
    from calm.present.catalogue import Row
    from calm.sound.cues import SessionSound
    from calm.tui.screens.picker import PickerScreen
    from calm.tui.screens.session import SessionScreen
    from calm.tui.screens.summary import SummaryScreen

from calm.core.safe_text import shown_safely
from calm.practice.service import Practice
from calm.tui.screens.base import CalmScreen, Settling, too_small_for
from calm.tui.theme import CALM_THEME

NOTICE_SECONDS = 8.0
"""How long a notice stays on its line when nothing says otherwise."""
KEPT_NOTICES = 20
"""How many notices are remembered, and kept for a summary, at most."""


# The outcome is named as text: its module loads with the first session, not before.
class CalmApp(App["SessionOutcome | None"]):
    """Guides a session in the terminal; returns its outcome, or None when none ran."""

    CSS_PATH = "calm.tcss"
    TITLE = "calm"
    BINDINGS = [
        Binding("ctrl+c", "leave", "Leave at once", priority=True, show=False),
        # Textual reads Ctrl+Z as a key, so a terminal's own suspend never comes: this
        # asks for it. The time calm spends stopped is left out of the session's
        # clock (calm.practice.signals), so it goes on where it was. Served to a
        # browser, the driver cannot suspend, and the key does nothing.
        Binding(
            "ctrl+z",
            "suspend_process",
            "Step out to the shell",
            show=False,
            tooltip="step out to the shell",
        ),
    ]

    class Said(Message):
        """A notice for the user, on its way from any thread to the screen."""

        def __init__(self, text: str, seconds: float) -> None:
            super().__init__()
            self.text = text
            self.seconds = seconds

    def __init__(
        self,
        practice: Practice | None = None,
        *,
        timeline: Timeline | None = None,
        rows: list[Row] | None = None,
        clock: Clock | None = None,
        notices: Iterable[str] = (),
        planned: dict[str, bool] | None = None,
        planned_later: Callable[[], dict[str, bool] | None] | None = None,
    ) -> None:
        """Set up the app.

        Args:
            practice: Runs each session's sound, trace, history and closing; by
                default silent, unrecorded and without a check-in.
            timeline: The session to run; None to open the picker instead.
            rows: The scripts the picker offers.
            clock: The clock sessions run on; the monotonic clock by default.
            notices: One-line messages to show once the app is up, such as config problems.
            planned: Today's practices from the care plans, and whether each is done,
                which the picker lists first (``calm.care.today.planned_in_picker``).
            planned_later: Works ``planned`` out once the first screen is up, rather
                than before it: it reads the plans and the history.
        """
        super().__init__()
        self.practice = practice or Practice()
        options = self.practice.options
        self.register_theme(CALM_THEME)
        self.theme = options.theme if options.theme in self.available_themes else CALM_THEME.name
        self._timeline = timeline
        self._rows = rows or []
        self._planned = planned
        self._planned_later = planned_later
        self._clock = clock
        self.reduced_motion = options.reduced_motion or self.animation_level == "none"
        self._notices = list(notices)
        self._while_up = contextlib.ExitStack()
        self._choices: asyncio.Queue[Timeline] = asyncio.Queue()
        """What was chosen in the picker, for the flow to run."""
        self.left_at_once = False
        self.crash_log: Path | None = None
        self.said: list[str] = []
        """Every notice shown or held so far, as shown, oldest first."""
        self.held: list[str] = []
        """Notices that came while a session was on screen, kept for its summary."""
        self.opened_with: list[str] = []
        """What opening the history and the trace found, once the first screen was up:
        said on the screen, and again after it, as it would have been before it."""
        self._first_shown = False

    @property
    def runner(self) -> SessionRunner | None:
        """The session begun last, if one is running or on its summary."""
        return self.practice.runner

    @property
    def sound(self) -> SessionSound | None:
        """The sound of the session begun last, if it has any."""
        return self.practice.sound

    @property
    def recorder(self) -> SessionRecorder | None:
        """What writes sessions into the history; None when nothing is recorded."""
        return self.practice.recorder

    def on_mount(self) -> None:
        # While the app is up, what the practice service has to say goes on the screen.
        self._while_up.enter_context(self.practice.telling(self._warn))
        # A bed made in a thread joins its session on this one.
        self.practice.hand_over = asyncio.get_running_loop().call_soon_threadsafe
        self.screen_change_signal.subscribe(self, self._screen_changed)
        # Signals are handled by calm.tui.leaving, which ``launch`` puts in place.
        self.flow(self._timeline)

    def on_unmount(self) -> None:
        self.practice.hand_over = None
        self._while_up.close()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        """A screen is on top: after the first of calm's own is painted, what it did not need."""
        if isinstance(screen, CalmScreen) and not self._first_shown:
            self._first_shown = True
            # Callbacks after a refresh run once the screen on top has been painted.
            self.call_after_refresh(self.call_later, self._first_screen_up)

    def _first_screen_up(self) -> None:
        """The first screen is on the terminal: open the history and the trace, whose
        notices lead, then show the notices kept till now (the config's), then start
        making the session's sound, in a thread, while its first screen is read (or a
        bed, for a session that began at once).

        Called after the screen's own after-paint work (a session's clock starting),
        so that none of this delays it. Python's garbage collector, held off while
        calm started (``calm.tui.launch.hold_collection``), runs again from here.
        """
        gc.enable()
        with self.practice.telling(self._opening_notice):
            self.practice.screen_up()
        for notice in self._notices:
            self.notify(notice, severity="warning")
        self._plan_today()
        if self._timeline is not None and self.practice.runner is None:
            self.practice.prepare_sound_soon(self._timeline, self.bell)

    def _plan_today(self) -> None:
        """Work out today's practices from the care plans, which waited for the first
        screen, and list them first in the list, if it is up."""
        later, self._planned_later = self._planned_later, None
        planned = later() if later is not None else None
        if not planned:
            return
        self._planned = planned
        module = sys.modules.get("calm.tui.screens.picker")
        if module is None:
            return  # no list yet: it gets them when it opens
        for screen in self.screen_stack:
            if isinstance(screen, module.PickerScreen):
                screen.plan_today(planned)

    def _opening_notice(self, message: str) -> None:
        """What opening the history or the trace found: on the screen, and kept for after."""
        self.opened_with.append(message)
        self._warn(message)

    def refresh_css(self, animate: bool = True) -> None:
        """Refresh the CSS, as Textual does when the theme changes.

        Choosing the theme in ``__init__`` asks for a refresh before anything has been
        styled (there is no screen yet): then the stylesheet is only parsed in place,
        with the theme's variables, and what later screens add to it is parsed alone.
        Textual's own refresh parses a fresh copy, then every rule again, before the
        first frame.
        """
        if self.screen_stack:
            super().refresh_css(animate)
            return
        self.stylesheet.set_variables(self.get_css_variables())
        self.stylesheet.parse()

    # -- notices -----------------------------------------------------------------

    def _warn(self, message: str) -> None:
        """A notice from the practice service: the sound, the history or the trace."""
        self.notify(message, severity="warning")

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
        if top is None or _is_session(top):
            if said.text not in self.held:
                self.held = [*self.held[-KEPT_NOTICES + 1 :], said.text]
        else:
            top.notices.say(said.text, said.seconds)

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

    @work(exclusive=True, group="flow")
    async def flow(self, named: Timeline | None) -> None:
        """Picker, caution, check-in, session and summary, until the user leaves.

        A session started by name leaves calm wherever the user turns back; one
        chosen from the list goes back to the list, which stays underneath.
        """
        from_list = named is None
        if from_list:
            self.pick()
        timeline = named
        caution = True
        while True:
            if timeline is None:
                timeline = await self._choices.get()
                caution = True
                # Made while the caution and the check-in are read.
                self.practice.prepare_sound_soon(timeline, self.bell)
            ready = await self._ready_to_begin(timeline, caution=caution, from_list=from_list)
            if ready is None:
                if not from_list:
                    self.exit(None)
                    return
                timeline = None
                continue
            timeline, mood_before = ready
            outcome = await self._run_session(timeline, mood_before)
            if from_list:
                self._mark_practised(timeline, outcome)
            choice = await self.push_screen_wait(self._summary(timeline, outcome, from_list))
            from calm.tui.screens.summary import AfterSummary

            if choice is AfterSummary.AGAIN:
                caution = False  # read a moment ago; the check-in is asked afresh
            elif choice is AfterSummary.LIST:
                self.practice.put_down()  # Ctrl+C at the list has nothing to report
                timeline = None
            else:
                self.exit(outcome)
                return

    def pick(self) -> None:
        """Open the picker, which stays underneath every session chosen from it."""
        # Imported here: a session started by name never needs the picker.
        from calm.tui.screens.picker import PickerScreen

        self.push_screen(PickerScreen(self._rows, self._planned))

    def on_picker_screen_chosen(self, chosen: PickerScreen.Chosen) -> None:
        """Hand what was chosen in the picker to the flow."""
        from calm.core.length_plan import LengthError
        from calm.core.problems import ScriptError
        from calm.core.timeline import compile_timeline

        try:
            timeline = compile_timeline(chosen.entry.load(), chosen.options)
        except (LengthError, ScriptError) as error:
            self.notify(str(error), severity="warning")
            return
        self._choices.put_nowait(timeline)

    async def _ready_to_begin(
        self, timeline: Timeline, *, caution: bool, from_list: bool
    ) -> tuple[Timeline, int | None] | None:
        """The caution, if there is one, then the check-in, if it is on: the timeline
        to run (gentle or not) and how tense the user feels; None to turn back."""
        skip_caution = self.practice.options.skip_caution
        if caution and timeline.script.caution and not skip_caution:
            from calm.tui.screens.caution import CautionScreen

            decided = await self.push_screen_wait(CautionScreen(timeline))
            if decided is None:
                return None
            timeline = decided
        if not self.practice.check_in:
            return timeline, None
        # Imported here: a session without the check-in never needs it.
        from calm.tui.screens.check_in import CheckInScreen

        answer = await self.push_screen_wait(
            CheckInScreen(timeline.script.title, from_list=from_list)
        )
        if answer is None or not answer.begin:
            return None
        return timeline, answer.mood

    async def _run_session(self, timeline: Timeline, mood_before: int | None) -> SessionOutcome:
        """The session on its screen, its runner from the practice service. A shared
        one (``calm serve --together``) waits on that screen until the serving
        terminal begins it."""
        from calm.tui.screens.session import SessionScreen

        runner = self.practice.begin(
            timeline, mood_before=mood_before, clock=self._clock, ring=self.bell
        )
        screen = SessionScreen(
            runner,
            reduced_motion=self.reduced_motion,
            sound=self.sound,
            pace=self.practice.pace_finder,
        )
        return await self.push_screen_wait(screen)

    def _mark_practised(self, timeline: Timeline, outcome: SessionOutcome) -> None:
        """A session long enough to count is marked done in the list's "Your plan"."""
        from calm.care.done_today import counts_as_done
        from calm.tui.screens.picker import PickerScreen

        practised, planned = outcome.practised_seconds, outcome.planned_seconds
        if counts_as_done(practised, planned, outcome.status.value):
            for screen in self.screen_stack:
                if isinstance(screen, PickerScreen):
                    screen.practised(timeline.script.name)

    def _summary(
        self, timeline: Timeline, outcome: SessionOutcome, from_list: bool
    ) -> SummaryScreen:
        """The summary of a session just ended, with what came while it was on screen."""
        from calm.tui.screens.summary import SummaryScreen
        from calm.tui.take_home import downloader

        progress = self.practice.end(outcome)
        summary = SummaryScreen(
            timeline.script,
            outcome,
            self.practice.afterwards(timeline),
            progress=progress,
            on_mood=self.practice.mood_after if self.practice.check_in else None,
            from_list=from_list,
            followed=self.practice.options.follow is not None,
            download=downloader(self, timeline),
        )
        # What came during the session is said here, where it covers nothing,
        # and stays until the summary is left.
        for text in self.held:
            summary.notices.say(text)
        self.held.clear()
        return summary

    # -- leaving -----------------------------------------------------------------

    def action_leave(self) -> None:
        """Ctrl+C: end any session and leave at once."""
        self.left_at_once = True
        self.exit(self.practice.end_now())

    def on_resize(self, event: events.Resize) -> None:
        """A window too small to follow holds the session, whatever screen is on top."""
        too_small = too_small_for(event.size)
        for screen in self.screen_stack:
            if _is_session(screen):
                screen.hold_for_room(too_small)

    async def action_quit(self) -> None:
        """Quit, from the command palette or Ctrl+Q: the same as Ctrl+C, so the session
        is written down as it ended rather than left as cut off."""
        self.action_leave()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The screen's controls in the command palette, with Textual's own commands.

        They come from the screen's bindings (see ``calm.tui.key_help``). The palette
        reads every title and help text as markup, so these are calm's own fixed
        words, never a script's (a test holds every one to that).
        """
        # Imported here, not above: this method is the only part of the app that needs it.
        from calm.tui.key_help import palette_commands

        yield from super().get_system_commands(screen)
        yield from palette_commands(screen)

    def _print_error_renderables(self) -> None:
        # An internal error: keep the traceback in a log, and tell the user in one line.
        if not self._exit_renderables:
            return
        text = io.StringIO()
        console = Console(file=text, width=120, color_system=None, legacy_windows=False)
        for renderable in self._exit_renderables:
            console.print(renderable)
        self._exit_renderables.clear()
        from calm.crash import report

        self.crash_log = report(text.getvalue())


def _is_session(screen: object) -> TypeGuard[SessionScreen]:
    """Whether ``screen`` is a session's screen. There is none before its module is
    loaded, and the first frame of a caution or of the list does not load it."""
    module = sys.modules.get("calm.tui.screens.session")
    return module is not None and isinstance(screen, module.SessionScreen)
