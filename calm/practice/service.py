"""The practice-session service: everything around a session, for every front end.

A front end (the plain runner, the screen, and the coming browser view and audio
renderer) asks ``Practice`` for a runner, adds its own listener to it, draws and
reads keys. The service owns the rest, the same way for all of them:

- the trace that ``CALM_TRACE`` asks for, and the session's sound (made ahead in
  a thread of its own when the screen asks, ``calm.practice.sound_ahead``);
- the history recorder: started, followed and ended with each session, and the
  damaged-history policy it carries (``calm.practice.recording``);
- the check-in's answers, the week's sentence, and what to do afterwards (the
  script's reminder or a self-care tip);
- where notices go: stderr before and after a screen, the screen while it is up.

The screen opens the service with ``opening_later`` and calls ``open_records``
once its first screen is up, so that nothing the first frame does not need (the
history, sqlite3, the sound) is loaded or done before it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from calm import locations
from calm.core.timeline import Timeline
from calm.practice.options import SessionOptions
from calm.practice.tips import next_tip
from calm.practice.told import ToldOnce

if TYPE_CHECKING:
    # Only named here: each loads when it is used, none before a screen's first frame.
    from calm.core.clock import Clock
    from calm.core.session import Listener, SessionOutcome, SessionRunner
    from calm.core.trace import TraceWriter
    from calm.practice.pace_finder import PaceFinder
    from calm.practice.recording import SessionRecorder
    from calm.practice.sound_ahead import HandOver, SoundAhead
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
        plan_line: Callable[[], str | None] | None = None,
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
            plan_line: Gives the care plan's next reminder for today, if any, which
                comes before a script's own reminder (``calm.care.closing_words``).
            told: The sound notices already said, to say each only once; None says each.
            make_sound: Makes a session's sound; by default from the options' volume and bed.
        """
        self.options = options or SessionOptions()
        self.trace = trace
        self.recorder = recorder
        self._sink = notify
        self._tip = tip or (
            lambda: next_tip(locations.tip_state_file(), move_on=self.options.history)
        )
        self._plan_line = plan_line
        self._told = told
        self._make_sound = make_sound or self._sound_from_options
        self.runner: SessionRunner | None = None
        """The session begun last, while it runs and after."""
        self.pace_finder: PaceFinder | None = None
        """The run of ``calm pace`` its sessions are, if they are: the front ends ask its
        questions, and its result is kept as the session ends."""
        self.sound: SessionSound | None = None
        """The sound of the session begun last, if it has any."""
        self._prepared: tuple[Timeline, SessionSound | SoundAhead | None] | None = None
        self.hand_over: HandOver | None = None
        """Runs a callable on the front end's thread, from any other; a front end with a
        thread of its own (the screen) sets it, so that a session that begins at once
        gets its bed a moment later instead of waiting for it."""
        self._sessions = 0
        self._history_file: Path | None = None
        self._records_closed = False
        """Whether ``open_records`` has the history and the trace still to open."""
        self._trace_closed = False
        self._trace_notice: str | None = None
        self._unrecorded: tuple[SessionRunner, Timeline, int | None] | None = None
        """A session begun before the history was opened, written down once it is."""
        self._screen_coming = False
        """Whether a front end's first screen is still to come (see ``screen_up``)."""
        self._after_screen: list[Callable[[], None]] = []
        """Work that waits for that screen: making a bed."""
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
        plan_line: Callable[[], str | None] | None = None,
    ) -> Practice:
        """The service with the trace ``CALM_TRACE`` asks for and, when recording, the
        history (``history_file``, calm's own by default); what they found is said."""
        practice = cls.opening_later(
            options, notify=notify, history_file=history_file, told=told, plan_line=plan_line
        )
        practice.open_records()
        return practice

    @classmethod
    def opening_later(
        cls,
        options: SessionOptions,
        *,
        notify: Notify,
        history_file: Path | None = None,
        told: ToldOnce | None = None,
        plan_line: Callable[[], str | None] | None = None,
    ) -> Practice:
        """The service as ``open`` makes it, but with the history and the trace still
        closed: ``open_records`` opens them, else the first session's ``begin``."""
        practice = cls(options, notify=notify, told=told, plan_line=plan_line)
        practice._history_file = history_file
        practice._records_closed = practice._trace_closed = True
        practice._screen_coming = True
        return practice

    def screen_up(self) -> None:
        """The front end's first screen is up: open the records (``open_records``), then
        start what waited for it, such as the bed of a session that began at once."""
        self._screen_coming = False
        self.open_records()
        waiting, self._after_screen = self._after_screen, []
        for work in waiting:
            work()

    def open_records(self) -> None:
        """Open what ``opening_later`` left closed, once: the history, when sessions are
        recorded, and the trace. What each found is said, the history's first, so a
        damaged history is never pushed off the screen's notice lines by the trace. A
        session begun before is written down from now."""
        if not self._records_closed:
            return
        self._records_closed = False
        if self.options.history:
            from calm.practice.recording import SessionRecorder

            path = self._history_file or locations.history_file()
            self.recorder = SessionRecorder.open(path, notify=self.notify)
        self._open_trace()
        notice, self._trace_notice = self._trace_notice, None
        if notice:
            self.notify(notice)
        unrecorded, self._unrecorded = self._unrecorded, None
        if unrecorded is not None:
            self._record(*unrecorded)

    def _open_trace(self) -> None:
        """Open the trace, if still closed; its notice waits for ``open_records``."""
        if not self._trace_closed:
            return
        self._trace_closed = False
        from calm.core.trace import trace_from_environment

        self.trace, self._trace_notice = trace_from_environment()
        if self.trace is not None:
            self.trace.notify = self.notify

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

    def prepare_sound_soon(self, timeline: Timeline, ring: Ring | None = None) -> None:
        """Start making the session's sound ready in a thread of its own, for ``begin``
        to find made; what it has to say is said as it is found."""
        if self.options.sound and (self._prepared is None or self._prepared[0] is not timeline):
            from calm.practice.sound_ahead import SoundAhead

            self._prepared = (timeline, SoundAhead(lambda: self._make_sound(timeline, ring)))

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
        # The trace hears the first event; a history still closed is opened once the
        # screen is up, and writes the session down from then (see ``open_records``).
        self._open_trace()
        from calm.practice.sound_ahead import SoundAhead

        if self._prepared is None or self._prepared[0] is not timeline:
            self._prepared = (timeline, self._sound_now(timeline, ring))
        made = self._prepared[1]
        self._prepared = None
        self.sound = made.result() if isinstance(made, SoundAhead) else made
        runner = self._runner_for(timeline, clock)
        for listener in (self.trace, self.sound, *listeners):
            if listener is not None:
                runner.add_listener(listener)
        self._sessions += 1
        self.runner = runner
        if self.pace_finder is not None:
            self.pace_finder.restart()
        if self._records_closed and self.options.history:
            self._unrecorded = (runner, timeline, mood_before)
        else:
            self._record(runner, timeline, mood_before)
        return runner

    def _runner_for(self, timeline: Timeline, clock: Clock | None) -> SessionRunner:
        """A runner of the session's own, or one that follows the shared session
        (``calm serve --together``); after one session followed, the next that begins."""
        from calm.core.session import SessionRunner

        if self.options.follow is None:
            return SessionRunner(timeline, clock=clock)
        from calm.practice.together import FollowingRunner

        before = self.runner
        after = before.shared_start if isinstance(before, FollowingRunner) else None
        # The log's moments are read on the clock given (a test's), as the leader's are.
        now = time.monotonic if clock is None else clock.now
        return FollowingRunner(timeline, self.options.follow, after=after, now=now)

    def _record(self, runner: SessionRunner, timeline: Timeline, mood_before: int | None) -> None:
        """Write the session down as begun, and follow it into the history."""
        recorder = self.recorder
        if recorder is not None:
            if self._sessions > 1:
                recorder.next_session()  # the list's "again", or another from the list
            recorder.started(timeline, mood_before=mood_before)
            runner.add_listener(recorder.follow(runner))

    def end(self, outcome: SessionOutcome) -> str | None:
        """The session is over: the bed stops, it is written down; the week's sentence."""
        self.open_records()  # a session begun before the history opened is written first
        sound = self.sound
        if sound is not None:
            sound.stop_bed()
            if self._told is not None and not sound.silenced:
                self._told.sound_worked()
        self._keep_pace(outcome)
        if self.recorder is None:
            return None
        self.recorder.ended(outcome)
        return self.recorder.week_sentence()

    def _keep_pace(self, outcome: SessionOutcome) -> None:
        """A run of ``calm pace`` that reached its end keeps what it found, if anything
        was answered; one stopped early keeps nothing."""
        from calm.core.session import Status

        finder = self.pace_finder
        if finder is None or finder.kept is not None:
            return
        # Every rung answered is the ladder's work done: q in its last quiet moments
        # ("That is the whole ladder") must not throw the answers away.
        finder.completed = outcome.status is Status.COMPLETED or finder.every_rung_answered
        choice = finder.choice()
        finder.kept = False
        if not finder.completed or choice is None or self.recorder is None:
            return
        from calm.practice.pace_results import answers_json, preferred_pace

        answers = answers_json(finder.ordered_answers())
        self.recorder.pace_found(choice.pace, found=choice.found, answers=answers)
        finder.kept = True
        # What scripts now breathe at, read back as they will read it.
        history = self.recorder.history
        finder.preferred_now = preferred_pace(history) if history is not None else None

    def end_now(self, late: float = 0.0) -> SessionOutcome | None:
        """End the running session, if any, as of ``late`` seconds ago, and write it
        down; a session already written down stays as it was. Its outcome, if any."""
        runner = self.runner
        if runner is None:
            return None
        self.open_records()
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
        """What to do after the session: the care plan's next reminder when a plan has
        one today (the therapist's words come first), else the script's reminder, else
        the next self-care tip; a demo shows only the script's own."""
        if self.pace_finder is not None:
            return self.pace_finder.closing_words()
        reminder = timeline.script.reminder
        if self.options.demo:
            return reminder or ""
        planned = self._plan_line() if self._plan_line is not None else None
        return planned or reminder or self._tip()

    def ring_out(
        self, outcome: SessionOutcome | None, *, timeout: float, left_at_once: bool = False
    ) -> None:
        """After a completed session, let the end chime finish, for up to ``timeout`` s;
        leaving at once (Ctrl+C) stops it at once."""
        from calm.core.session import Status

        completed = outcome is not None and outcome.status is Status.COMPLETED
        if self.sound is not None and completed and not left_at_once:
            self.sound.finish(timeout=timeout)

    def close(self) -> None:
        """Stop every sound, close the trace, and write down anything the history held back."""
        if self._unrecorded is not None:
            self.open_records()
        if self.sound is not None:
            self.sound.stop()
        if self.trace is not None:
            self.trace.close()
        if self.recorder is not None:
            self.recorder.close()

    def _sound_now(self, timeline: Timeline, ring: Ring | None) -> SessionSound | None:
        """The sound of a session beginning now, with nothing made ahead: the cues at
        once, so the first rings as the session starts; a bed, on a screen, a moment
        later, from a thread of its own (see ``SessionSound.bed_arrived``)."""
        if not self.options.sound:
            return None
        ambient, hand_over = self.options.ambient, self.hand_over
        own_sound = self._make_sound == self._sound_from_options
        if not (ambient and hand_over is not None and own_sound):
            return self._make_sound(timeline, ring)
        from calm.practice.sound_ahead import make_bed_later
        from calm.sound.cues import load_bed

        sound = self._sound_from_options(timeline, ring, with_bed=False)
        volume = self.options.volume

        def failed(reason: str) -> None:
            self._sound_notice(f"calm: no sound for ambient {ambient}: {reason}")

        def make() -> None:
            make_bed_later(sound, lambda: load_bed(ambient, volume), hand_over, failed)

        # Not a moment of it before the first screen is up (``screen_up``).
        if self._screen_coming:
            self._after_screen.append(make)
        else:
            make()
        return sound

    def _sound_from_options(
        self, timeline: Timeline, ring: Ring | None, *, with_bed: bool = True
    ) -> SessionSound:
        """The session's sound from the options: its cues and, unless not ``with_bed``, its bed."""
        from calm.sound.cues import Speaking, prepare_sound

        options = self.options
        return prepare_sound(
            timeline,
            volume=options.volume,
            ambient=options.ambient if with_bed else None,
            trace=self.trace,
            ring=ring,
            notify=self._sound_notice,
            voice=Speaking(options.voice_rate, options.voice_phases) if options.voice else None,
        )

    def _sound_notice(self, message: str) -> None:
        """A notice about the sound: with a ``told`` mark, said the first time only,
        until sound has worked."""
        if self._told is None or self._told.first_time(message):
            self.notify(message)
