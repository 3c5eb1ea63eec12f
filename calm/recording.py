"""Recording one session into the practice history, without ever costing the session.

Both front ends use a ``SessionRecorder`` the same way: ``started`` as the
session begins, ``ended`` with its outcome, then the after-session check-in and
the kind sentence for the summary. If the history fails part way, the recorder
says so once and goes quiet; the session carries on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from calm.history import (
    HistoryBusy,
    HistoryDamaged,
    HistoryError,
    HistoryStore,
    local_now,
    open_history,
    start_afresh,
)
from calm.running import RunningMark
from calm.session import EventKind, Listener, SessionEvent, SessionOutcome, SessionRunner, Status
from calm.timeline import Timeline

Notify = Callable[[str], None]

PROGRESS_SECONDS = 30.0
"""How often, at most, a running session's time is written down, in seconds of session."""

SESSION_WAIT_SECONDS = 0.25
"""How long a write during a session waits for another program to let go of the file."""

CLOSING_WAIT_SECONDS = 5.0
"""How long the last try at writing a session waits for a busy file, once calm is done."""


class SessionRecorder:
    """Writes one session into the history: its row as it starts, completed as it ends.

    A write that finds the file busy (another program holding it) is kept and
    tried again with the next write, and once more, waiting longer, when the
    recorder closes; any other failure gives one notice and recording stops.
    """

    def __init__(
        self,
        store: HistoryStore,
        *,
        notify: Notify,
        now: Callable[[], datetime] = local_now,
        path: Path | None = None,
    ) -> None:
        """Record into ``store``; with its ``path``, a file found damaged is replaced."""
        self._store = store
        self._path = path
        self.notify = notify
        """Where notices go; a front end may point it elsewhere while it runs."""
        self._now = now
        self._row: int | None = None
        self._started_at: datetime | None = None
        self._ended = False
        self._failed = False
        self._mark: RunningMark | None = None
        self._waiting: list[Callable[[], None]] = []
        """Writes held back by a busy file, oldest first."""
        self._told_busy = False

    @classmethod
    def open(
        cls, path: Path, *, notify: Notify, now: Callable[[], datetime] = local_now
    ) -> SessionRecorder | None:
        """A recorder on the history at ``path``; None, after one notice, when it cannot be used."""
        store, notice = open_history(path)
        if notice:
            notify(notice)
        if store is None:
            return None
        # During a session a write waits only briefly, since the screen waits with it;
        # a write the file is too busy for is kept and tried again later.
        store.wait_when_busy(SESSION_WAIT_SECONDS)
        return cls(store, notify=notify, now=now, path=path)

    def started(self, timeline: Timeline, *, mood_before: int | None = None) -> None:
        """The session has begun: write its row, which reads as interrupted until it ends."""
        script = timeline.script
        started_at = self._started_at = self._now()

        def begin() -> None:
            self._row = self._store.begin(
                script=script.name,
                title=script.title,
                planned_seconds=timeline.total_seconds,
                started_at=started_at,
                mood_before=mood_before,
            )
            if self._path is not None:
                # So that `calm history` can tell this session, still going, from one cut off.
                self._mark = RunningMark.hold(self._path, self._row)

        def begin_or_start_afresh() -> None:
            try:
                begin()
            except HistoryDamaged:
                # Damage that opening the file could not see: keep it aside, use a new one.
                if self._path is not None and self._start_afresh(self._path):
                    begin()

        self._write(begin_or_start_afresh)

    def follow(self, runner: SessionRunner) -> Listener:
        """A listener that writes down the session's time as it goes.

        It writes at a step or phase boundary at most every ``PROGRESS_SECONDS``,
        so that a session cut off by a power cut still shows (and counts) most
        of the time that was practised.
        """
        written_at = 0.0

        def heard(event: SessionEvent) -> None:
            nonlocal written_at
            row = self._row
            if row is None or self._ended or self._waiting:
                return
            if event.kind not in (EventKind.STEP, EventKind.PHASE):
                return
            if event.t - written_at < PROGRESS_SECONDS:
                return
            written_at = event.t
            self._write(
                lambda: self._store.progress(
                    row, practised_seconds=runner.practised(), breaths=runner.breaths
                )
            )

        return heard

    def ended(self, outcome: SessionOutcome) -> None:
        """The session is over: complete its row. Only the first call counts."""
        if self._started_at is None or self._ended:
            return
        self._ended = True
        status = "completed" if outcome.status is Status.COMPLETED else "ended_early"
        ended_at = self._now()

        def finish() -> None:
            if self._row is not None:
                self._store.finish(
                    self._row,
                    status=status,
                    practised_seconds=outcome.practised_seconds,
                    breaths=outcome.breaths,
                    ended_at=ended_at,
                )

        self._write(finish)

    def mood_after(self, mood: int) -> None:
        """How tense the user feels after the session, 1 to 5."""
        if self._started_at is None:
            return

        def note_mood() -> None:
            if self._row is not None:
                self._store.set_mood_after(self._row, mood)

        self._write(note_mood)

    def week_sentence(self) -> str | None:
        """The summary's one kind sentence about this week's practice; None without one."""
        if self._row is None or self._failed or self._waiting or self._started_at is None:
            return None
        from calm.stats import gather, progress_sentence

        try:
            # As of the day the session began, which is the day it counts for.
            return progress_sentence(gather(self._store, self._started_at.date()))
        except (HistoryError, sqlite3.Error):
            return None  # A sentence is not worth a notice.

    def close(self) -> None:
        """Write anything a busy file held back, waiting a little longer, then close it."""
        if self._waiting and not self._failed:
            self._store.wait_when_busy(CLOSING_WAIT_SECONDS)
            self._flush(final=True)
        self._store.close()
        if self._mark is not None:
            self._mark.release()

    def _start_afresh(self, path: Path) -> bool:
        self._store.close()
        store, notice = start_afresh(path)
        self.notify(notice)
        if store is None:
            self._failed = True
            return False
        self._store = store
        return True

    def _write(self, write: Callable[[], None]) -> None:
        if self._failed:
            return
        self._waiting.append(write)
        self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        while self._waiting and not self._failed:
            try:
                self._waiting[0]()
            except HistoryBusy:
                if final:
                    self._give_up("another program is still using the history")
                elif not self._told_busy:
                    self._told_busy = True
                    self.notify(
                        "calm: another program is using the history; "
                        "this session will be written down when it is free"
                    )
                return
            except (HistoryError, sqlite3.Error) as error:
                self._give_up(str(error))
                return
            self._waiting.pop(0)

    def _give_up(self, reason: str) -> None:
        self._failed = True
        self._waiting.clear()
        self.notify(f"calm: this session could not be written to the history: {reason}")
