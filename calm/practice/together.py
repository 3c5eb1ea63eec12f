"""Breathing together (``calm serve --together``): one session that many calms follow.

Every viewer is a calm of its own, started by ``calm serve`` on the same machine,
so all of them read the same monotonic clock. They agree through a small log that
``calm serve`` keeps (a ``Leader``) and each viewer reads (a ``Follower``): the
moment the session starts, and each control from the serving terminal (pause,
resume, next, back, continue, end), with the monotonic moment it was given.

A follower's runner runs on a ``ManualClock``. Before each poll it applies every
control up to now at that control's own moment, then sets its clock to now. Every
viewer therefore replays the same log and is in the same place at the same
moment, to the millisecond, however late it joined; no message passes between
them, and nothing is sent over the network but the pages themselves.

The log is data like any other file calm reads: bounded in size and checked
field by field, and a log that cannot be read is ignored until it can.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from calm.core.clock import ManualClock
from calm.core.safe_read import ReadError, read_bytes
from calm.core.session import SessionRunner, Status

if TYPE_CHECKING:
    from calm.core.session import SessionEvent
    from calm.core.timeline import Timeline

CONTROLS = ("pause", "resume", "next", "back", "continue", "end")
"""What the serving terminal can do to the shared session."""
MAX_LOG_BYTES = 1_000_000
"""The biggest log a viewer reads; a long session's log is a few kilobytes."""
MAX_CONTROLS = 10_000
"""The most controls a log may hold."""
FORMAT = 1


@dataclass(frozen=True, slots=True)
class SharedLog:
    """The shared session so far: when it started, and each control since."""

    start: float | None = None
    """The monotonic moment the session began; None while it waits to."""
    controls: tuple[tuple[float, str], ...] = ()
    """Each control with its monotonic moment, in order."""

    @property
    def ended(self) -> bool:
        """Whether the serving terminal has ended the session."""
        return bool(self.controls) and self.controls[-1][1] == "end"

    def to_bytes(self) -> bytes:
        """The log as written to its file."""
        document = {"format": FORMAT, "start": self.start, "controls": list(self.controls)}
        return json.dumps(document).encode()


class LogError(ValueError):
    """A log file that is not a log calm wrote."""


def parse_log(data: bytes) -> SharedLog:
    """A log from its file's bytes.

    Raises:
        LogError: when the bytes are not a log as ``SharedLog.to_bytes`` writes it.
    """
    try:
        document = json.loads(data)
    except ValueError as error:
        raise LogError("not JSON") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise LogError("not a log of this format")
    start = document.get("start")
    if start is not None and not _moment(start):
        raise LogError("its start is not a moment")
    raw = document.get("controls")
    if not isinstance(raw, list) or len(raw) > MAX_CONTROLS:
        raise LogError("its controls are not a list of at most MAX_CONTROLS")
    controls: list[tuple[float, str]] = []
    for item in raw:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not _moment(item[0])
            or item[1] not in CONTROLS
        ):
            raise LogError("a control is not a moment and a known control")
        if start is None or item[0] < start or (controls and item[0] < controls[-1][0]):
            raise LogError("a control comes before the start or before the one above it")
        controls.append((float(item[0]), str(item[1])))
    return SharedLog(None if start is None else float(start), tuple(controls))


def _moment(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


class Leader:
    """Keeps the log, for ``calm serve --together``: one file, replaced whole at each change."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.monotonic) -> None:
        """Write an empty log (a session waiting to start) at ``path``."""
        self.path = path
        self._clock = clock
        self.log = SharedLog()
        self._write()

    def start(self, lead_in: float = 0.0) -> bool:
        """The session begins ``lead_in`` seconds from now, for every viewer, unless one
        is under way already; after one has ended, it begins afresh. Whether it will.

        A moment's lead-in lets every viewer see the log before its start, and so
        show the session's first moment at that moment, not when it next looks.
        """
        if self.log.start is not None and not self.log.ended:
            return False
        self.log = SharedLog(self._clock() + max(lead_in, 0.0))
        self._write()
        return True

    def control(self, kind: str, lead_in: float = 0.0) -> None:
        """Pause, resume, skip, go back, go on from a prompt, or end, ``lead_in``
        seconds from now (as for ``start``); nothing once the session has ended."""
        if kind not in CONTROLS or self.log.start is None or self.log.ended:
            return
        if len(self.log.controls) >= MAX_CONTROLS:
            return
        latest = self.log.controls[-1][0] if self.log.controls else self.log.start
        moment = max(self._clock() + max(lead_in, 0.0), latest)
        self.log = SharedLog(self.log.start, (*self.log.controls, (moment, kind)))
        self._write()

    def _write(self) -> None:
        """Replace the file whole, so a viewer never reads half a log."""
        folder = self.path.parent
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".together-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(self.log.to_bytes())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


class Follower:
    """Keeps one viewer's runner where the shared log says the session is."""

    def __init__(
        self,
        runner: SessionRunner,
        clock: ManualClock,
        path: Path,
        now: Callable[[], float] = time.monotonic,
        *,
        after: float | None = None,
    ) -> None:
        """Follow the log at ``path`` with ``runner``, which runs on ``clock``.

        Args:
            after: The start of a session already followed: only one that starts
                later is followed now (the summary's "again").
        """
        self.runner = runner
        self._clock = clock
        self._path = path
        self._now = now
        self._after = after
        self._applied = 0
        self._seen: tuple[int, int] | None = None
        self.log = SharedLog()

    @property
    def started(self) -> bool:
        """Whether the shared session has begun (read the log first with ``look``)."""
        return self.log.start is not None

    def look(self) -> float | None:
        """Read the log if it has changed: the seconds until the session to follow
        begins (0 or less once it has); None while it has no start."""
        self._read()
        start = self.log.start
        return None if start is None else start - self._now()

    def due_in(self) -> float | None:
        """Seconds until the log next moves the session by itself: its start, or the
        next control not yet applied; None while nothing in it is still to come."""
        begins_in = self.look()
        if begins_in is None or begins_in > 0:
            return begins_in
        coming = self.log.controls[self._applied : self._applied + 1]
        return max(coming[0][0] - self._now(), 0.0) if coming else None

    def sync(self) -> list[SessionEvent]:
        """Bring the runner to now: read the log if it has changed, apply each control
        not yet applied at its moment, and poll; the events that came of it."""
        self._read()
        events: list[SessionEvent] = []
        start = self.log.start
        if start is None:
            return events
        runner = self.runner
        now = self._now()
        if start > now:
            return events  # it begins in a moment (the leader's lead-in)
        if runner.status is Status.READY:
            self._clock.set(start)
            events += runner.start()
        for moment, kind in self.log.controls[self._applied :]:
            if moment > now:
                break  # not due yet: the leader's clock and this one are the same
            self._clock.set(max(moment, self._clock.now()))
            events += runner.poll()
            events += _apply(runner, kind)
            self._applied += 1
        self._clock.set(max(now, self._clock.now()))
        events += runner.poll()
        return events

    def _read(self) -> None:
        """The log again, when its file has changed; an unreadable one is left for later."""
        try:
            status = self._path.stat()
        except OSError:
            return
        seen = (status.st_mtime_ns, status.st_size)
        if seen == self._seen:
            return
        try:
            log = parse_log(read_bytes(self._path, MAX_LOG_BYTES))
        except (ReadError, LogError):
            return
        if self.log.start is None and log.start is not None:
            if (self._after is not None and log.start <= self._after) or log.ended:
                return  # over before this viewer came: it waits for the next one
        elif log.start != self.log.start:
            return  # another session's log in its place: not followed
        if (
            len(log.controls) < self._applied
            or log.controls[: self._applied] != (self.log.controls[: self._applied])
        ):
            return  # a log that rewrote what was already applied: not followed
        self._seen = seen
        self.log = log


def _apply(runner: SessionRunner, kind: str) -> list[SessionEvent]:
    """One control, as the serving terminal gave it."""
    if kind == "pause":
        return runner.pause()
    if kind == "resume":
        return runner.resume()
    if kind == "next":
        return runner.next_step()
    if kind == "back":
        return runner.previous_step()
    if kind == "continue":
        return runner.continue_prompt()
    return runner.finish()


class FollowingRunner(SessionRunner):
    """A runner that goes where the shared log says: ``start`` and ``poll`` bring it
    there, and the controls a viewer's keys would call do nothing.

    A viewer is read-only: pausing for its help screen, or for a window too small,
    holds nobody else's session, and neither does leaving it end anyone's.
    """

    def __init__(
        self,
        timeline: Timeline,
        path: Path,
        *,
        after: float | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        """Follow the log at ``path``; ``after`` as for ``Follower``."""
        clock = ManualClock(now())
        super().__init__(timeline, clock=clock)
        self.follower = Follower(self, clock, path, now, after=after)
        self._obeying = False
        """Whether the follower is driving, with the log's own controls."""

    @property
    def shared_start(self) -> float | None:
        """When the followed session began, once it has."""
        return self.follower.log.start

    def _follow(self) -> list[SessionEvent]:
        """Catch up with the log: its controls, then the time since."""
        if self._obeying:
            return []
        self._obeying = True
        try:
            return self.follower.sync()
        finally:
            self._obeying = False

    # Each of these, called by the follower, does what the log says; called by
    # anything else (the viewer's keys, its help, a window too small), it only
    # catches up with the log.

    def start(self) -> list[SessionEvent]:
        """Begin where the log says the session is, if it has begun."""
        return super().start() if self._obeying else self._follow()

    def poll(self) -> list[SessionEvent]:
        """Catch up with the log."""
        return super().poll() if self._obeying else self._follow()

    def pause(self) -> list[SessionEvent]:
        """Only the serving terminal pauses."""
        return super().pause() if self._obeying else self._follow()

    def resume(self) -> list[SessionEvent]:
        """Only the serving terminal resumes."""
        return super().resume() if self._obeying else self._follow()

    def next_step(self) -> list[SessionEvent]:
        """Only the serving terminal skips."""
        return super().next_step() if self._obeying else self._follow()

    def previous_step(self) -> list[SessionEvent]:
        """Only the serving terminal goes back."""
        return super().previous_step() if self._obeying else self._follow()

    def continue_prompt(self) -> list[SessionEvent]:
        """Only the serving terminal goes on from a prompt."""
        return super().continue_prompt() if self._obeying else self._follow()

    def finish(self) -> list[SessionEvent]:
        """Only the serving terminal ends the session for everyone."""
        return super().finish() if self._obeying else self._follow()
