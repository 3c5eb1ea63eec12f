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
    HistoryDamaged,
    HistoryError,
    HistoryStore,
    local_now,
    open_history,
    start_afresh,
)
from calm.session import EventKind, Listener, SessionEvent, SessionOutcome, SessionRunner, Status
from calm.timeline import Timeline

Notify = Callable[[str], None]

PROGRESS_SECONDS = 30.0
"""How often, at most, a running session's time is written down, in seconds of session."""


class SessionRecorder:
    """Writes one session into the history: its row as it starts, completed as it ends."""

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
        """Where the one notice goes if recording fails; a front end may point it elsewhere."""
        self._now = now
        self._row: int | None = None
        self._ended = False
        self._failed = False

    @classmethod
    def open(
        cls, path: Path, *, notify: Notify, now: Callable[[], datetime] = local_now
    ) -> SessionRecorder | None:
        """A recorder on the history at ``path``; None, after one notice, when it cannot be used."""
        store, notice = open_history(path)
        if notice:
            notify(notice)
        return cls(store, notify=notify, now=now, path=path) if store is not None else None

    @property
    def row(self) -> int | None:
        """The session's row in the history, once it has started."""
        return self._row

    def started(self, timeline: Timeline, *, mood_before: int | None = None) -> None:
        """The session has begun: write its row, which reads as interrupted until it ends."""
        script = timeline.script

        def begin() -> None:
            self._begin(script.name, script.title, timeline.total_seconds, mood_before)

        try:
            begin()
        except HistoryDamaged:
            # Damage the first look missed: keep the file aside and record in a new one.
            if self._path is None or not self._start_afresh(self._path):
                return
            self._attempt(begin)
        except (HistoryError, sqlite3.Error) as error:
            self._give_up(error)

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
            if row is None or self._ended or event.kind not in (EventKind.STEP, EventKind.PHASE):
                return
            if event.t - written_at < PROGRESS_SECONDS:
                return
            written_at = event.t
            self._attempt(
                lambda: self._store.progress(
                    row, practised_seconds=runner.practised(), breaths=runner.breaths
                )
            )

        return heard

    def ended(self, outcome: SessionOutcome) -> None:
        """The session is over: complete its row. Only the first call counts."""
        row = self._row
        if row is None or self._ended:
            return
        self._ended = True
        status = "completed" if outcome.status is Status.COMPLETED else "ended_early"
        self._attempt(
            lambda: self._store.finish(
                row,
                status=status,
                practised_seconds=outcome.practised_seconds,
                breaths=outcome.breaths,
                ended_at=self._now(),
            )
        )

    def mood_after(self, mood: int) -> None:
        """How tense the user feels after the session, 1 to 5."""
        row = self._row
        if row is not None:
            self._attempt(lambda: self._store.set_mood_after(row, mood))

    def progress(self) -> str | None:
        """The summary's one kind sentence about this week's practice; None without one."""
        if self._row is None or self._failed:
            return None
        from calm.stats import gather, progress_sentence

        try:
            return progress_sentence(gather(self._store, self._now().date()))
        except (HistoryError, sqlite3.Error):
            return None  # A sentence is not worth a notice.

    def close(self) -> None:
        """Close the history file."""
        self._store.close()

    def _begin(self, script: str, title: str, planned: float, mood: int | None) -> None:
        self._row = self._store.begin(
            script=script,
            title=title,
            planned_seconds=planned,
            started_at=self._now(),
            mood_before=mood,
        )

    def _start_afresh(self, path: Path) -> bool:
        self._store.close()
        store, notice = start_afresh(path)
        self.notify(notice)
        if store is None:
            self._failed = True
            return False
        self._store = store
        return True

    def _attempt(self, write: Callable[[], None]) -> None:
        if self._failed:
            return
        try:
            write()
        except (HistoryError, sqlite3.Error) as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        self._failed = True
        self.notify(f"calm: this session is not being recorded: {error}")
