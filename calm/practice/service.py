"""The practice-session service: everything around a session, for every front end.

A front end (the plain runner, the screen, and the coming browser view and audio
renderer) asks ``Practice`` for a runner, adds its own listener to it, draws and
reads keys. The service owns the rest, the same way for all of them:

- the trace that ``CALM_TRACE`` asks for, and the session's sound;
- the history recorder: started, followed and ended with each session, and the
  damaged-history policy it carries (``calm.practice.recording``);
- the check-in's answers, the week's sentence, and what to do afterwards (the
  script's reminder or a self-care tip);
- where notices go: stderr before and after a screen, the screen while it is up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from calm import locations
from calm.core.clock import Clock
from calm.core.session import Listener, SessionOutcome, SessionRunner, Status
from calm.core.timeline import Timeline
from calm.core.trace import TraceWriter, trace_from_environment
from calm.practice.options import SessionOptions
from calm.practice.recording import SessionRecorder
from calm.practice.tips import next_tip
from calm.practice.told import ToldOnce

if TYPE_CHECKING:
    # Only named here: the sound modules load when a session has sound.
    from calm.sound.cues import SessionSound

Notify = Callable[[str], None]
"""Where a one-line notice goes."""
Ring = Callable[[], None]
"""Rings the terminal's bell, for a machine with no sound device."""
SoundMaker = Callable[[Timeline, Ring | None], "SessionSound | None"]
"""Makes a session's sound ready before it starts; a seam tests fill with a fake."""


def _nowhere(message: str) -> None:
    """A notice nobody asked to hear."""


class Practice:
    """Runs practice sessions for one front end, one after another, and closes up after.

    Each session goes ``prepare_sound`` (optional, to say sound notices early),
    ``begin``, then ``end`` with its outcome; ``close`` once at the very end.
    """

    def __init__(
        self,
        options: SessionOptions | None = None,
        *,
        trace: TraceWriter | None = None,
        recorder: SessionRecorder | None = None,
        notify: Notify = _nowhere,
        tip: Callable[[], str] | None = None,
        told: ToldOnce | None = None,
        make_sound: SoundMaker | None = None,
    ) -> None:
        """Set up the service; ``Practice.open`` opens the trace and the history too.

        Args:
            options: How sessions run; silent, unrecorded and without a check-in by default.
            trace: Hears every session event first.
            recorder: Writes each session into the history; None to keep no record.
            notify: Where notices go until ``telling`` points them elsewhere.
            tip: Gives the self-care tip for a script with no reminder of its own.
            told: The sound notices already said, to say each only once; None says each.
            make_sound: Makes a session's sound; by default from the options' volume and bed.
        """
        self.options = options or SessionOptions()
        self.trace = trace
        self.recorder = recorder
        self._sink = notify
        self._tip = tip or (lambda: next_tip(locations.tip_state_file()))
        self._told = told
        self._make_sound = make_sound or self._sound_from_options
        self.runner: SessionRunner | None = None
        """The session begun last, while it runs and after."""
        self.sound: SessionSound | None = None
        """The sound of the session begun last, if it has any."""
        self._prepared: tuple[Timeline, SessionSound | None] | None = None
        self._sessions = 0
        for listener in (trace, recorder):
            if listener is not None:
                listener.notify = self.notify

    @classmethod
    def open(
        cls,
        options: SessionOptions,
        *,
        notify: Notify,
        history_file: Path | None = None,
        told: ToldOnce | None = None,
    ) -> Practice:
        """The service with the trace ``CALM_TRACE`` asks for and, when recording, the
        history (``history_file``, calm's own by default); what they found is said."""
        # The history first: what it has to say (a damaged file kept aside) comes
        # before the trace's notice, on stderr and at the top of the screen.
        recorder = None
        if options.history:
            path = history_file or locations.history_file()
            recorder = SessionRecorder.open(path, notify=notify)
        trace, notice = trace_from_environment()
        if notice:
            notify(notice)
        # The service points both at its own notify, which ``telling`` can move.
        return cls(options, trace=trace, recorder=recorder, notify=notify, told=told)

    # -- notices -------------------------------------------------------------------

    def notify(self, message: str) -> None:
        """Say one line, wherever notices go now: the trace, the history and the sound
        all speak through here."""
        self._sink(message)

    @contextlib.contextmanager
    def telling(self, sink: Notify) -> Iterator[None]:
        """Send every notice to ``sink`` for a while, such as a screen while it is up."""
        before = self._sink
        self._sink = sink
        try:
            yield
        finally:
            self._sink = before

    # -- a session -----------------------------------------------------------------

    @property
    def check_in(self) -> bool:
        """Whether to ask how tense the user feels, before and after."""
        return self.options.check_in

    def prepare_sound(self, timeline: Timeline, ring: Ring | None = None) -> None:
        """Make the session's sound ready now, so that what it has to say is said first."""
        if self._prepared is None or self._prepared[0] is not timeline:
            self._prepared = (
                timeline,
                self._make_sound(timeline, ring) if self.options.sound else None,
            )

    def begin(
        self,
        timeline: Timeline,
        *,
        mood_before: int | None = None,
        clock: Clock | None = None,
        ring: Ring | None = None,
        listeners: Iterable[Listener] = (),
    ) -> SessionRunner:
        """A runner for a new session, with the trace, the sound, ``listeners`` and the
        history following it in that order, its row written as begun; start it yourself.

        The trace hears each event first, so a cue's line follows its event's; the
        sound next, so a cue starts as its moment does.
        """
        if self.sound is not None:
            self.sound.stop()  # the last session's end chime, if it still rings
        self.prepare_sound(timeline, ring)
        assert self._prepared is not None
        self.sound = self._prepared[1]
        self._prepared = None
        runner = SessionRunner(timeline, clock=clock)
        for listener in (self.trace, self.sound, *listeners):
            if listener is not None:
                runner.add_listener(listener)
        self._sessions += 1
        recorder = self.recorder
        if recorder is not None:
            if self._sessions > 1:
                recorder.next_session()  # the list's "again", or another from the list
            recorder.started(timeline, mood_before=mood_before)
            runner.add_listener(recorder.follow(runner))
        self.runner = runner
        return runner

    def end(self, outcome: SessionOutcome) -> str | None:
        """The session is over: the bed stops, it is written down; the week's sentence."""
        sound = self.sound
        if sound is not None:
            sound.stop_bed()
            if self._told is not None and not sound.silenced:
                self._told.sound_worked()
        if self.recorder is None:
            return None
        self.recorder.ended(outcome)
        return self.recorder.week_sentence()

    def end_now(self, late: float = 0.0) -> SessionOutcome | None:
        """End the running session, if any, as of ``late`` seconds ago, and write it
        down; a session already written down stays as it was. Its outcome, if any."""
        runner = self.runner
        if runner is None:
            return None
        was_running = runner.running
        runner.finish()
        outcome = runner.outcome()
        if was_running and late > 0:
            outcome = replace(outcome, practised_seconds=max(outcome.practised_seconds - late, 0.0))
        if self.recorder is not None:
            self.recorder.ended(outcome)
        return outcome

    def put_down(self) -> None:
        """Nothing is running any more (back at the list): leaving has nothing to report."""
        self.runner = None

    def mood_after(self, mood: int) -> None:
        """How tense the user feels after the session, 1 to 5, into the history."""
        if self.recorder is not None:
            self.recorder.mood_after(mood)

    def afterwards(self, timeline: Timeline) -> str:
        """What to do after the session: the script's reminder, else the next self-care
        tip; a demo shows only the script's own."""
        reminder = timeline.script.reminder
        if reminder or self.options.demo:
            return reminder or ""
        return self._tip()

    def ring_out(
        self, outcome: SessionOutcome | None, *, timeout: float, left_at_once: bool = False
    ) -> None:
        """After a completed session, let the end chime finish, for up to ``timeout`` s;
        leaving at once (Ctrl+C) stops it at once."""
        completed = outcome is not None and outcome.status is Status.COMPLETED
        if self.sound is not None and completed and not left_at_once:
            self.sound.finish(timeout=timeout)

    def close(self) -> None:
        """Stop every sound, close the trace, and write down anything the history held back."""
        if self.sound is not None:
            self.sound.stop()
        if self.trace is not None:
            self.trace.close()
        if self.recorder is not None:
            self.recorder.close()

    def _sound_from_options(self, timeline: Timeline, ring: Ring | None) -> SessionSound:
        from calm.sound.cues import prepare_sound

        return prepare_sound(
            timeline,
            volume=self.options.volume,
            ambient=self.options.ambient,
            trace=self.trace,
            ring=ring,
            notify=self._sound_notice,
        )

    def _sound_notice(self, message: str) -> None:
        """A notice about the sound: with a ``told`` mark, said the first time only,
        until sound has worked."""
        if self._told is None or self._told.first_time(message):
            self.notify(message)
