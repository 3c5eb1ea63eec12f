"""The session screen: the breath visual, the phase, the countdown and the progress.

The screen keeps no time of its own. Each tick asks the runner where the
session is, and widgets change only when what they show changes.
"""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.widgets import Footer

from calm.core.breath import BreathCurve
from calm.core.session import SessionOutcome, SessionRunner, SessionState, Status
from calm.core.timeline import Timeline
from calm.practice.together import FollowingRunner
from calm.tui.screens.base import CalmScreen, TooSmall, too_small_for
from calm.tui.screens.session_bindings import SESSION_BINDINGS
from calm.tui.screens.session_looks import LookFailed, until_next_change
from calm.tui.screens.shared_words import PAUSED_THERE, WAITING_THERE, before_start

if TYPE_CHECKING:
    from calm.practice.pace_finder import PaceFinder
    from calm.sound.cues import SessionSound
from calm.present.steps import words_for
from calm.tui.widgets.blank import Blank, blank_lines
from calm.tui.widgets.countdown import Countdown
from calm.tui.widgets.orb import BreathOrb
from calm.tui.widgets.plain import Plain
from calm.tui.widgets.progress import SessionProgress
from calm.tui.widgets.still_bar import StillBar

FOLLOWED_LOOK_SECONDS = 0.05
"""The longest a followed session's screen goes without looking at the shared log."""
LED_KEYS = frozenset(
    binding.action for binding in SESSION_BINDINGS if isinstance(binding, Binding)
) - {"help"}
"""The session's keys that a viewer of a shared session does not have."""


class SessionScreen(CalmScreen[SessionOutcome]):
    """Guides one session; dismisses itself with the outcome when the session ends.

    It draws no notices: nothing may move or cover the breath, so what calm has to
    say while it is up waits for the summary (see ``CalmApp.notify``).
    """

    # The keys, with their names in the footer, their lines in the help and their
    # entries in the command palette, are in session_bindings.py.
    BINDINGS = SESSION_BINDINGS

    # What the screen shows. Each is set on every tick; a watcher redraws its widget
    # only when the value has changed, so a resting screen costs nothing.
    step_number: var[int] = var(0, init=False)
    """The step the session is in, counted from 1."""
    words: var[str] = var("", init=False)
    """The big words of the moment: the phase, the prompt, or "Paused"."""
    hint: var[str] = var("", init=False)
    """The line under the countdown: the step's instruction, or what to press."""
    countdown: var[str] = var("", init=False)
    """The whole seconds left in the phase or step, or nothing."""
    paused: var[bool] = var(False, init=False, toggle_class="-paused")
    """Whether the session is paused; the screen has the class ``-paused`` while it is."""
    keys_now: var[tuple[bool, ...]] = var((), init=False, bindings=True)
    """What decides the keys' names in the footer (paused, at a prompt, muted, silenced):
    when it changes, "Pause" becomes "Continue" or "Resume", and back."""

    def __init__(
        self,
        runner: SessionRunner,
        *,
        reduced_motion: bool = False,
        sound: SessionSound | None = None,
        pace: PaceFinder | None = None,
    ) -> None:
        """Guide the session ``runner`` runs; ``pace`` when it is a run of ``calm pace``,
        whose questions are asked at each rung's prompt."""
        super().__init__()
        self.runner = runner
        self.pace = pace
        self._asked_at: int | None = None
        """The prompt (a segment index) whose questions were last opened."""
        self._asking = False
        self.followed = isinstance(runner, FollowingRunner)
        """Whether the session is shared and led from elsewhere (``calm serve
        --together``): the screen looks often for what changed there, and its keys do
        nothing but show the help."""
        self.sound = sound
        self.timeline: Timeline = runner.timeline
        self.reduced_motion = reduced_motion
        self._curve = BreathCurve(self.timeline)
        self._next_look: asyncio.TimerHandle | None = None
        self._done = False
        self._begun = False
        """Whether the screen has been painted, and the session begun or looked for."""
        self._words_follow: tuple[object, ...] = ()
        """What the words, step and countdown were last shown for."""
        self._keys_shown: tuple[bool, ...] = ()
        self._held_for_room = False
        """Whether the session was paused because the window became too small."""
        self._bell_only = sound is not None and _rings_the_bell(sound)
        """Whether the only sound is the terminal bell, which rings for steps alone."""

    def compose(self) -> ComposeResult:
        script = self.timeline.script
        # Textual redraws each widget whose container overlaps what changed: the words
        # below the orb share one container, so the orb's frames leave them alone.
        # The top line and the footer sit each in a blank box of their own: Textual
        # draws a widget whenever its container overlaps what changed, and theirs
        # were the whole screen.
        with Blank(id="session"):
            with Blank(id="top-box"), Horizontal(id="top"):
                yield Plain(script.title, id="title")
                yield Plain("", id="step")
            with Blank(id="visual-box"):
                if self.reduced_motion:
                    yield StillBar(self.timeline, id="visual")
                else:
                    yield BreathOrb(id="visual")
            with Blank(id="below"):
                yield Plain("", id="phase")
                with Blank(id="countdown-row"):
                    yield Countdown("", id="countdown")
                yield Plain("", id="instruction")
                yield SessionProgress(id="progress")
        yield TooSmall()
        with Blank(id="footer-box"):
            yield Footer()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The screen's own rows are its background alone, drawn under every frame."""
        return blank_lines(self, crop)

    def on_mount(self) -> None:
        try:
            self._phase = self.query_one("#phase", Plain)
            self._instruction = self.query_one("#instruction", Plain)
            self._countdown = self.query_one("#countdown", Countdown)
            self._step = self.query_one("#step", Plain)
            self._progress = self.query_one("#progress", SessionProgress)
            self._visual = self.query_one("#visual")
        except NoMatches:
            # calm is already leaving (a window closed as the screen mounted) and the
            # screen's parts are gone: no session begins, so none is recorded at 0 s.
            return
        # The first moment is drawn now and the clock starts once it is on the screen,
        # so the first step is seen for all of its length. Textual tells of a layout
        # just after painting it, and a screen's first paint comes with its first
        # layout; after the refresh is the fallback, a frame or two later. A shared
        # session keeps the log's time instead: one already under way is drawn where
        # it is, for a page that joins late.
        if self.followed:
            self.runner.start()
        self._show(self.runner.state())
        self._session = self.query_one("#session")
        signal = self.screen_layout_refresh_signal
        signal.subscribe(self._session, lambda _: self._begin(), immediate=True)
        self.call_after_refresh(self._begin)

    def _begin(self) -> None:
        """The screen has been painted: the session begins now (a shared one, when the
        log says)."""
        if self._done or self._begun:
            return
        self._begun = True
        self.screen_layout_refresh_signal.unsubscribe(self._session)
        self.runner.start()
        if self.runner.status is not Status.READY:
            self.hold_for_room(too_small_for(self.app.size))
        self.tick()

    # -- the clock -------------------------------------------------------------

    def tick(self) -> None:
        """Bring the screen up to date with the runner, and plan the next look."""
        if self._done:
            return
        if isinstance(self.runner, FollowingRunner) and self.runner.status is Status.READY:
            self.runner.start()
            if self.runner.status is Status.READY:
                # Not begun: waiting for the serving terminal, or about to begin.
                waiting = before_start(self.runner)
                self.words, self.hint = waiting.words, waiting.hint
                self._look_again(waiting.changes_in)
                return
        self.runner.poll()
        if not self.runner.running:
            self._end()
            return
        state = self.runner.state()
        self._show(state)
        self._refresh_keys()
        self._look_again(self._until_next_change(state))
        if state.waiting and not state.paused:
            self._ask_about_rung(state.timeline.segment.index)

    def _look_again(self, delay: float | None) -> None:
        """Tick again in ``delay`` seconds (or never, for None), in place of any earlier plan.

        asyncio's timer, not ``set_timer``, which starts a task and reads the callback's
        signature twice a call: a tenth of a frame. It calls the tick itself, on the
        app's loop, rather than through a message to dispatch each frame."""
        if self._next_look is not None:
            self._next_look.cancel()
        self._next_look = None
        if isinstance(self.runner, FollowingRunner) and not self._done:
            # A pause, a skip or the end may come from the serving terminal at any time,
            # each a moment after it was given: looked for often, and met at its moment.
            for due in (FOLLOWED_LOOK_SECONDS, self.runner.follower.due_in()):
                delay = due if delay is None or (due is not None and due < delay) else delay
        if delay is not None:
            loop = asyncio.get_running_loop()
            self._next_look = loop.call_later(delay, self._look_now)

    def _look_now(self) -> None:
        """The moment planned for the next look has come."""
        self._next_look = None
        try:
            self.tick()
        except Exception as error:
            # Raised here it would reach only asyncio's log: as a message's, Textual
            # handles it as any other error in calm's screens.
            self.post_message(LookFailed(error))

    def on_look_failed(self, message: LookFailed) -> None:
        """A planned look went wrong: raise its error where Textual handles it."""
        raise message.error

    def on_unmount(self) -> None:
        self._look_again(None)

    def _until_next_change(self, state: SessionState) -> float | None:
        """Seconds until anything on screen changes; None while nothing moves."""
        orb = self._visual if isinstance(self._visual, BreathOrb) else None
        return until_next_change(self.runner, self._curve, orb, state)

    def _end(self) -> None:
        """The one way the screen ends, however many ways ask at once."""
        if self._done:
            return
        self._done = True
        self._look_again(None)
        # The help may be open on top; the session's end closes it first.
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        self.answer(self.runner.outcome())

    # -- drawing ---------------------------------------------------------------

    def watch_step_number(self, step_number: int) -> None:
        self._step.update(f"step {step_number} of {len(self.timeline.spans)}")

    def watch_words(self, words: str) -> None:
        self._phase.update(words)

    def watch_hint(self, hint: str) -> None:
        self._instruction.update(hint)

    def watch_countdown(self, countdown: str) -> None:
        self._countdown.show(countdown)

    def _show(self, state: SessionState) -> None:
        moment = state.timeline
        # The words, the step and the countdown follow from these alone; most ticks
        # are the orb's, a dozen a second, and leave all of them as they were.
        words_follow = (
            moment.segment.index,
            state.paused,
            state.waiting,
            self._seconds_left(state),
            self.has_class("-short"),
            self.runner.status,
        )
        if words_follow != self._words_follow:
            self._words_follow = words_follow
            self.step_number = moment.segment.step_number
            self._show_words(state)
            self._show_countdown(state)
            self.paused = state.paused
        self._show_visual(state)
        left = math.ceil(self.timeline.total_seconds - moment.elapsed - 1e-9)
        self._progress.show(moment.fraction, left)

    def _show_words(self, state: SessionState) -> None:
        segment = state.timeline.segment
        step = self.timeline.spans[segment.step].step
        if isinstance(self.runner, FollowingRunner) and self.runner.status is Status.READY:
            # A shared session not yet begun: nothing moves yet. (A session of one's
            # own is drawn at its first moment, and begins once that is on the screen.)
            waiting = before_start(self.runner)
            self.words, self.hint = waiting.words, waiting.hint
            return
        if state.paused:
            words, hint = "Paused", "Press space when you are ready to carry on."
            hint = PAUSED_THERE if self.followed else hint
        else:
            words, hint = words_for(segment.kind).words_and_hint(segment, step)
            hint = WAITING_THERE if self.followed and state.waiting else hint
        if self.has_class("-short") and not state.paused:
            # No room for the big digits: the seconds follow the words instead.
            seconds = self._seconds_left(state)
            words = f"{words}  {seconds}" if seconds else words
        self.words = words
        self.hint = hint

    @staticmethod
    def _seconds_left(state: SessionState) -> str:
        """The whole seconds left in the phase or step, or nothing while a prompt waits."""
        remaining = state.timeline.remaining
        if remaining is None or state.waiting:
            return ""
        return str(max(math.ceil(remaining - 1e-9), 0))

    def _show_countdown(self, state: SessionState) -> None:
        ready = self.runner.status is Status.READY
        self.countdown = "" if ready else self._seconds_left(state)

    def _show_visual(self, state: SessionState) -> None:
        moment = state.timeline
        if isinstance(self._visual, StillBar):
            self._visual.show_segment(moment.segment)
        elif isinstance(self._visual, BreathOrb):
            level = self._curve.level(moment.segment.index, moment.progress)
            self._visual.show(level, dimmed=state.paused)

    def on_resize(self) -> None:
        """The size classes may have changed what goes where: look again once they are set."""
        if self._done or not self.runner.running:
            return
        self.call_after_refresh(self._after)

    def hold_for_room(self, too_small: bool) -> None:
        """Hold the session while the window is too small to follow it, and go on after.

        The app calls this on every resize, whichever screen is on top, so that a
        session under the help or the command palette waits too.
        """
        if self._done or not self.runner.running:
            return
        if too_small and not self.runner.paused:
            self._held_for_room = True
            self.runner.pause()
        elif not too_small and self._held_for_room:
            self._held_for_room = False
            if self.runner.paused:
                self.runner.resume()
        else:
            return
        self.call_after_refresh(self._after)

    # -- actions ---------------------------------------------------------------

    def _after(self) -> None:
        """Show what a key (or the window) just changed, or end if the session is over."""
        if self._done or self.runner.status is Status.READY:
            return  # nothing has begun: the first paint starts the session
        if not self.runner.running:
            self._end()
            return
        self.tick()

    def _refresh_keys(self) -> None:
        muted = self.sound is not None and self.sound.muted
        silenced = self.sound is not None and self.sound.silenced
        keys_now = (self.runner.paused, self.runner.at_prompt, muted, silenced)
        if keys_now != self._keys_shown:
            self._keys_shown = self.keys_now = keys_now

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer each key under the name of what it does now."""
        if not super().check_action(action, parameters):
            return False
        if self.followed and action in LED_KEYS:
            return False
        paused = self.runner.paused
        sound = self.sound
        muted = sound is not None and sound.muted
        can_mute = sound is not None and not sound.silenced
        narrow = not self.has_class("-wide")
        shown = {
            "pause": not paused and not self.runner.at_prompt,
            "resume": paused,
            "carry_on": not paused and self.runner.at_prompt,
            "mute": can_mute and not self._bell_only and not muted,
            "unmute": can_mute and not self._bell_only and muted,
            "bell_off": can_mute and self._bell_only and not muted,
            "bell_on": can_mute and self._bell_only and muted,
            "next_step": not narrow,
            "previous_step": not narrow,
            "skip_forward": narrow,
            "skip_back": narrow,
        }
        return shown.get(action, True)

    def toggle_pause(self) -> None:
        """Pause, or carry on after a pause."""
        self.runner.toggle_pause()
        self._after()

    def action_pause(self) -> None:
        """Space while the session runs: hold it just where it is."""
        self.toggle_pause()

    def action_resume(self) -> None:
        """Space while paused: carry on."""
        self.toggle_pause()

    def action_carry_on(self) -> None:
        """Space at a prompt: move on, as Enter does."""
        self.action_continue()

    def action_continue(self) -> None:
        """Enter: move on from a prompt; at a rung's questions, ask them again."""
        if self.pace is not None and self._rung_asked_about() is not None:
            self._asked_at = None
            self._ask_about_rung(self.runner.segment.index)
            return
        self.runner.continue_prompt()
        self._after()

    def _rung_asked_about(self) -> int | None:
        """The rung whose questions the session waits at, if it waits at any."""
        if self.pace is None or not self.runner.waiting:
            return None
        return self.pace.rung_at(self.runner.segment.step)

    def _ask_about_rung(self, segment: int) -> None:
        """Ask the three questions about the rung just breathed, once each time the
        session comes to them; the answers move the session on."""
        rung = self._rung_asked_about()
        if rung is None or self.pace is None or self._asking or self._asked_at == segment:
            return
        from calm.tui.screens.pace_questions import END, PaceAnswers, PaceQuestionsScreen

        self._asked_at, self._asking = segment, True
        finder = self.pace

        def answered(answers: PaceAnswers | str | None) -> None:
            self._asking = False
            if answers == END and not self._done:
                self.action_end()
                return
            if not isinstance(answers, PaceAnswers) or self._done:
                return  # back to the session: Enter asks again
            if self._rung_asked_about() != rung:
                return
            finder.answer(rung, answers.ease, answers.calm, answers.light_headed)
            self.runner.continue_prompt()
            self._after()

        screen = PaceQuestionsScreen(finder.pace_of(rung), rung, len(finder.ladder.paces))
        self.app.push_screen(screen, answered)

    def action_next_step(self) -> None:
        """Skip to the next step."""
        self.runner.next_step()
        self._after()

    def action_previous_step(self) -> None:
        """Go back to the previous step."""
        self.runner.previous_step()
        self._after()

    def action_skip_forward(self) -> None:
        """n in a narrow window: the next step."""
        self.action_next_step()

    def action_skip_back(self) -> None:
        """b in a narrow window: the previous step."""
        self.action_previous_step()

    def action_end(self) -> None:
        """End the session now and show the summary."""
        self.runner.finish()
        self._after()

    def toggle_mute(self) -> None:
        """Turn the sound (or the bell) off, or on again; the footer says which it is now."""
        if self.sound is None or self.sound.silenced:
            return
        self.sound.toggle_mute()
        self._refresh_keys()

    def action_mute(self) -> None:
        """Turn the sound off."""
        self.toggle_mute()

    def action_unmute(self) -> None:
        """Turn the sound on again."""
        self.toggle_mute()

    def action_bell_off(self) -> None:
        """Stop ringing the terminal bell."""
        self.toggle_mute()

    def action_bell_on(self) -> None:
        """Ring the terminal bell again."""
        self.toggle_mute()

    def action_help(self) -> None:
        """Show the keys, holding the session while they are read."""
        from calm.tui.screens.help import HelpScreen

        if self._done or any(isinstance(screen, HelpScreen) for screen in self.app.screen_stack):
            return  # A second ? pressed before the first help appeared.
        held_here = not self.runner.paused
        if held_here:
            self.runner.pause()
            self._after()

        def closed(_: None) -> None:
            if held_here:
                self._carry_on_after_help()

        self.app.push_screen(HelpScreen(followed=self.followed), closed)

    def _carry_on_after_help(self) -> None:
        """Resume what the help paused, unless the window is now too small to follow."""
        if self._done or not self.runner.running or not self.runner.paused:
            return
        if too_small_for(self.app.size):
            self._held_for_room = True  # it resumes when the window grows again
            return
        self.runner.resume()
        self._after()


def _rings_the_bell(sound: SessionSound) -> bool:
    """Whether the session's only sound is the terminal bell."""
    # Imported here: the players load only for a session with sound.
    from calm.sound.players import BellPlayer

    return isinstance(sound.player, BellPlayer)
