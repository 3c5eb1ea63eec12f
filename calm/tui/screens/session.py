"""The session screen: the breath visual, the phase, the countdown and the progress.

The screen keeps no time of its own. Each tick asks the runner where the
session is, and widgets change only when what they show changes.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Label, ProgressBar, Static

from calm.breath import BreathCurve
from calm.script import StepKind
from calm.session import SessionOutcome, SessionRunner, SessionState
from calm.timeline import Timeline
from calm.tui.widgets.orb import BreathOrb
from calm.tui.widgets.still_bar import StillBar
from calm.wording import clock_text, phase_label

FRAME_SECONDS = 1 / 20
"""How often the visual is brought up to date while the breath moves."""
TOO_SMALL = "Make the window a little larger to breathe along (at least 40 × 12)."


class SessionScreen(Screen[SessionOutcome]):
    """Guides one session; dismisses itself with the outcome when the session ends."""

    BINDINGS = [
        Binding("space", "space", "Pause", key_display="space"),
        Binding("enter", "continue", "Continue", show=False),
        Binding("n,right", "next_step", "Next"),
        Binding("b,left", "previous_step", "Back"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q,escape", "end", "End"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (40, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (12, "-short"), (18, "-tall")]

    def __init__(self, runner: SessionRunner, *, reduced_motion: bool = False) -> None:
        super().__init__()
        self.runner = runner
        self.timeline: Timeline = runner.timeline
        self.reduced_motion = reduced_motion
        self._curve = BreathCurve(self.timeline)
        self._frame: Timer | None = None
        self._boundary: Timer | None = None
        self._shown: dict[str, object] = {}
        self._done = False

    def compose(self) -> ComposeResult:
        script = self.timeline.script
        with Vertical(id="session"):
            with Horizontal(id="top"):
                yield Label(script.title, id="title")
                yield Label("", id="step")
            if self.reduced_motion:
                yield StillBar(self.timeline, id="visual")
            else:
                yield BreathOrb(id="visual")
            yield Static("", id="phase")
            with Center(id="countdown-row"):
                yield Digits("", id="countdown")
            yield Static("", id="instruction")
            with Horizontal(id="progress-row"):
                yield ProgressBar(
                    total=max(self.timeline.total_seconds, 0.001),
                    show_eta=False,
                    show_percentage=False,
                    id="progress",
                )
                yield Label("", id="left")
        yield Static(TOO_SMALL, id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self.runner.start()
        self._frame = self.set_interval(FRAME_SECONDS, self.tick)
        self.tick()

    # -- the clock -------------------------------------------------------------

    def tick(self) -> None:
        """Bring the screen up to date with the runner."""
        if self._done:
            return
        self.runner.poll()
        if not self.runner.running:
            self._end()
            return
        self._show(self.runner.state())
        self._aim_at_next_boundary()

    def _aim_at_next_boundary(self) -> None:
        # Frames come every FRAME_SECONDS; a boundary between two frames gets a
        # timer of its own, so the phase changes on time rather than on the next frame.
        delay = self.runner.seconds_to_next_boundary()
        if self._boundary is not None:
            self._boundary.stop()
            self._boundary = None
        if delay is not None and delay < FRAME_SECONDS:
            self._boundary = self.set_timer(max(delay, 0.001), self.tick)

    def _end(self) -> None:
        self._done = True
        if self._frame is not None:
            self._frame.stop()
        if self._boundary is not None:
            self._boundary.stop()
        self.dismiss(self.runner.outcome())

    # -- drawing ---------------------------------------------------------------

    def _set(self, key: str, value: object) -> bool:
        """Remember what a widget shows; True when it changed."""
        if self._shown.get(key) == value and key in self._shown:
            return False
        self._shown[key] = value
        return True

    def _show(self, state: SessionState) -> None:
        moment = state.timeline
        segment = moment.segment
        if self._set("step", segment.step):
            self.query_one("#step", Label).update(
                f"step {segment.step_number} of {len(self.timeline.steps)}"
            )
        self._show_words(state)
        self._show_countdown(state)
        self._show_visual(state)
        left = self.timeline.total_seconds - moment.elapsed
        if self._set("left", math.ceil(left)):
            self.query_one("#left", Label).update(f"{clock_text(left)} left")
            self.query_one("#progress", ProgressBar).update(progress=moment.elapsed)
        self.set_class(state.paused, "-paused")

    def _show_words(self, state: SessionState) -> None:
        segment = state.timeline.segment
        step_text = self.timeline.steps[segment.step].step.text
        if state.paused:
            words, hint = "Paused", "Press space when you are ready to carry on."
        elif segment.kind is StepKind.BREATHE:
            assert segment.phase is not None
            words, hint = segment.text or phase_label(segment.phase), step_text
        elif segment.kind is StepKind.PROMPT:
            words = segment.text or ""
            hint = "Press Enter when you are ready."
        else:
            words, hint = segment.text or "", ""
        if self._set("words", words):
            self.query_one("#phase", Static).update(words)
        if self._set("hint", hint):
            self.query_one("#instruction", Static).update(hint)

    def _show_countdown(self, state: SessionState) -> None:
        remaining = state.timeline.remaining
        shown = "" if remaining is None else str(max(math.ceil(remaining - 1e-9), 0))
        if state.timeline.kind is StepKind.PROMPT and state.waiting:
            shown = ""
        if self._set("countdown", shown):
            self.query_one("#countdown", Digits).update(shown)

    def _show_visual(self, state: SessionState) -> None:
        moment = state.timeline
        if self.reduced_motion:
            self.query_one("#visual", StillBar).show_segment(moment.segment)
            return
        orb = self.query_one("#visual", BreathOrb)
        orb.level = self._curve.level(moment.segment.index, moment.progress)
        orb.dimmed = state.paused

    # -- actions ---------------------------------------------------------------

    def _after(self) -> None:
        if not self.runner.running:
            self._end()
        else:
            self.tick()

    def action_space(self) -> None:
        """Space continues a prompt; anywhere else it pauses and resumes."""
        if self.runner.segment.kind is StepKind.PROMPT and not self.runner.paused:
            self.runner.continue_prompt()
        else:
            self.runner.toggle_pause()
        self._after()

    def action_continue(self) -> None:
        """Enter: move on from a prompt."""
        self.runner.continue_prompt()
        self._after()

    def action_next_step(self) -> None:
        """Skip to the next step."""
        self.runner.next_step()
        self._after()

    def action_previous_step(self) -> None:
        """Go back to the previous step."""
        self.runner.previous_step()
        self._after()

    def action_end(self) -> None:
        """End the session now and show the summary."""
        self.runner.finish()
        self._after()

    def action_help(self) -> None:
        """Show the keys."""
        from calm.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
