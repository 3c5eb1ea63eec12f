"""Recording one session into the practice history, without ever costing the session.

Both front ends use a ``SessionRecorder`` the same way: ``started`` as the
session begins, ``ended`` with its outcome, then the after-session check-in and
the kind sentence for the summary. If the history fails part way, the recorder
says so once and goes quiet; the session carries on.

A history held by another program is waited for, never given up on: the
recorder opens it again at each write, and, at the end, waits a little longer.
A session the file is still too busy for then is kept beside it
(``calm.practice.pending``) and added the next time calm opens it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from calm.core.session import (
    EventKind,
    Listener,
    SessionEvent,
    SessionOutcome,
    SessionRunner,
    Status,
)
from calm.core.timeline import Timeline
from calm.practice import pending
from calm.practice.damaged_history import start_afresh
from calm.practice.history import HistoryStore, end_time, local_now, stamp
from calm.practice.history_errors import HistoryBusy, HistoryDamaged, HistoryError
from calm.practice.history_file import BUSY_SECONDS
from calm.practice.running_marks import RunningMark

Notify = Callable[[str], None]

PROGRESS_SECONDS = 30.0
"""How often, at most, a running session's time is written down, in seconds of session."""

SESSION_WAIT_SECONDS = 0.25
"""How long a write during a session waits for another program to let go of the file."""

CLOSING_WAIT_SECONDS = 5.0
"""How long the last try at writing a session waits for a busy file, once calm is done."""

BUSY_NOTICE = (
    "calm: another program is using the history; this session will be written down when it is free"
)


class SessionRecorder:
    """Writes one session into the history: its row as it starts, completed as it ends.

    A write that finds the file busy (another program holding it) is kept and
    tried again with the next write, and once more, waiting longer, when the
    recorder closes; a session still held back then is kept beside the history
    for the next calm to add. Any other failure gives one notice and recording stops.
    """

    def __init__(
        self,
        store: HistoryStore | None,
        *,
        notify: Notify,
        now: Callable[[], datetime] = local_now,
        path: Path | None = None,
        closing_wait: float = CLOSING_WAIT_SECONDS,
    ) -> None:
        """Record into ``store``, or, while it is None (busy), into the history at ``path``.

        With ``path``, a file found damaged is replaced, and a session the file
        stays too busy for is kept beside it. ``closing_wait`` is how long
        ``close`` waits for a busy file.
        """
        if store is None and path is None:
            raise ValueError("a recorder needs a store or the path to open one")
        self._store = store
        self._path = path
        self.notify = notify
        """Where notices go; a front end may point it elsewhere while it runs."""
        self._now = now
        self._closing_wait = closing_wait
        self._row: int | None = None
        self._started_at: datetime | None = None
        self._ended = False
        self._failed = False
        self._mark: RunningMark | None = None
        self._waiting: list[Callable[[], None]] = []
        """Writes held back by a busy file, oldest first."""
        self._told_busy = False
        self._session: pending.PendingSession | None = None
        """The session as it stands, to keep beside the history if the file stays busy."""

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        notify: Notify,
        now: Callable[[], datetime] = local_now,
        closing_wait: float = CLOSING_WAIT_SECONDS,
    ) -> SessionRecorder | None:
        """A recorder on the history at ``path``; None, after one notice, when it cannot be used.

        A history another program holds is not a reason to give up: the
        recorder opens it again when it next writes.
        """
        try:
            store: HistoryStore | None = HistoryStore.open(path)
        except HistoryBusy:
            store = None
        except HistoryDamaged:
            store, notice = start_afresh(path)
            notify(notice)
            if store is None:
                return None
        except HistoryError as error:
            notify(f"calm: not recording this session: {error}")
            return None
        recorder = cls(store, notify=notify, now=now, path=path, closing_wait=closing_wait)
        if store is None:
            recorder._say_busy()
        else:
            recorder._opened(store)
        return recorder

    def started(self, timeline: Timeline, *, mood_before: int | None = None) -> None:
        """The session has begun: write its row, which reads as interrupted until it ends."""
        script = timeline.script
        started_at = self._started_at = self._now()
        self._session = pending.PendingSession(
            script=script.name,
            title=script.title,
            started_at=stamp(started_at),
            planned_seconds=timeline.total_seconds,
            status=Status.INTERRUPTED,
            practised_seconds=0.0,
            breaths=0,
            mood_before=mood_before,
        )

        def begin() -> None:
            self._row = self._ready().begin(
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

    def next_session(self) -> None:
        """Make ready for another session in the same run, such as the list's "again".

        The last session's held-back writes are tried once more, and kept beside
        the history if the file is still busy, so they can never land in the next
        session's row; its running mark is let go.
        """
        if self._waiting and not self._failed:
            self._flush(deadline=None)
            if self._waiting:
                self._keep_aside()
        if self._mark is not None:
            self._mark.release()
            self._mark = None
        self._row = None
        self._started_at = None
        self._ended = False
        self._session = None

    def follow(self, runner: SessionRunner) -> Listener:
        """A listener that writes down the session's time as it goes.

        It writes at a step or phase boundary at most every ``PROGRESS_SECONDS``,
        so that a session cut off by a power cut still shows (and counts) most
        of the time that was practised.
        """
        written_at = 0.0

        def heard(event: SessionEvent) -> None:
            nonlocal written_at
            if event.kind not in (EventKind.STEP, EventKind.PHASE) or self._ended:
                return
            row = self._row
            if row is None or self._waiting:
                return
            if event.t - written_at < PROGRESS_SECONDS:
                return
            written_at = event.t
            practised, breaths = runner.practised(), runner.breaths
            self._keep_track(practised_seconds=practised, breaths=breaths)
            self._write(
                lambda: self._ready().progress(row, practised_seconds=practised, breaths=breaths)
            )

        return heard

    def ended(self, outcome: SessionOutcome) -> None:
        """The session is over: complete its row. Only the first call counts."""
        if self._started_at is None or self._ended:
            return
        self._ended = True
        status = Status.COMPLETED if outcome.status is Status.COMPLETED else Status.ENDED_EARLY
        ended_at = self._now()
        started_at = self._started_at
        self._keep_track(
            status=status,
            practised_seconds=max(outcome.practised_seconds, 0.0),
            breaths=max(outcome.breaths, 0),
            ended_at=stamp(end_time(started_at, outcome.practised_seconds, ended_at)),
        )

        def finish() -> None:
            if self._row is not None:
                self._ready().finish(
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
        self._keep_track(mood_after=mood)

        def note_mood() -> None:
            if self._row is not None:
                self._ready().set_mood_after(self._row, mood)

        self._write(note_mood)

    @property
    def history(self) -> Path | None:
        """The history file it writes, when it was given one."""
        return self._path

    def pace_found(self, pace: float, *, found: bool, answers: str) -> None:
        """Keep what ``calm pace`` found, beside this session's row."""
        if self._started_at is None:
            return
        moment = self._now()

        def keep() -> None:
            self._ready().keep_pace(
                pace, found=found, answers=answers, moment=moment, session=self._row
            )

        self._write(keep)

    def week_sentence(self) -> str | None:
        """The summary's one kind sentence about this week's practice; None without one."""
        store = self._store
        if self._row is None or self._failed or self._waiting or self._started_at is None:
            return None
        if store is None:
            return None
        from calm.practice.stats import gather, progress_sentence

        try:
            # As of the day the session began, which is the day it counts for.
            return progress_sentence(gather(store, self._started_at.date()))
        except (HistoryError, sqlite3.Error):
            return None  # A sentence is not worth a notice.

    def close(self) -> None:
        """Write anything a busy file held back, waiting a little longer, then close it.

        A session the file is still too busy for is kept beside it, with one line saying so.
        """
        if self._waiting and not self._failed:
            deadline = time.monotonic() + self._closing_wait
            if self._store is not None:
                self._store.wait_when_busy(self._closing_wait)
            self._flush(deadline=deadline)
        if self._store is not None:
            self._store.close()
        if self._mark is not None:
            self._mark.release()

    def _opened(self, store: HistoryStore) -> None:
        """Say what opening the file found, and wait only briefly from now on:
        during a session the screen waits with every write."""
        for notice in store.notices:
            self.notify(f"calm: {notice}")
        store.wait_when_busy(SESSION_WAIT_SECONDS)

    def _ready(self) -> HistoryStore:
        """The open store; a write while it is None has already opened it in ``_flush``."""
        assert self._store is not None
        return self._store

    def _keep_track(self, **changes: Any) -> None:
        if self._session is not None:
            self._session = replace(self._session, **changes)

    def _start_afresh(self, path: Path) -> bool:
        if self._store is not None:
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
        self._flush(deadline=None)

    def _open_again(self, seconds: float) -> None:
        """Open the history, which was busy when the session began."""
        assert self._path is not None
        try:
            store = HistoryStore.open(self._path, busy_seconds=min(seconds, BUSY_SECONDS))
        except HistoryDamaged:
            if not self._start_afresh(self._path):
                return
            store = self._ready()
        self._store = store
        self._opened(store)

    def _flush(self, *, deadline: float | None) -> None:
        """Write what is waiting, oldest first. Before ``deadline`` (the last try, as the
        recorder closes) a busy file is tried again; after it, the session is kept aside."""
        while self._waiting and not self._failed:
            try:
                if self._store is None:
                    left = SESSION_WAIT_SECONDS if deadline is None else deadline - time.monotonic()
                    self._open_again(max(left, 0.0))
                    if self._store is None:
                        return  # started afresh and failed: already said
                    if deadline is not None:
                        self._ready().wait_when_busy(max(deadline - time.monotonic(), 0.0))
                self._waiting[0]()
            except HistoryBusy:
                if deadline is None:
                    self._say_busy()
                    return
                if time.monotonic() < deadline:
                    time.sleep(0.05)  # opening does not always wait by itself
                    continue
                self._keep_aside()
                return
            except (HistoryError, sqlite3.Error) as error:
                self._give_up(str(error))
                return
            self._waiting.pop(0)

    def _say_busy(self) -> None:
        if not self._told_busy:
            self._told_busy = True
            self.notify(BUSY_NOTICE)

    def _keep_aside(self) -> None:
        """The file is still busy as calm closes: keep the session beside it for next time."""
        self._waiting.clear()
        if self._path is None or self._session is None:
            self._give_up("another program is still using the history")
            return
        try:
            pending.keep(self._path, self._session)
        except OSError as error:
            self._give_up(f"another program is still using the history, and {error}")
            return
        self.notify(
            "calm: another program is still using the history; this session is kept in "
            f"{pending.pending_folder(self._path)} and will be added the next time calm opens it"
        )

    def _give_up(self, reason: str) -> None:
        self._failed = True
        self._waiting.clear()
        self.notify(f"calm: this session could not be written to the history: {reason}")
