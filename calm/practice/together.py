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

from calm.core.safe_read import ReadError, read_bytes
from calm.core.session import Status

if TYPE_CHECKING:
    from calm.core.clock import ManualClock
    from calm.core.session import SessionEvent, SessionRunner

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

    def start(self) -> None:
        """The session begins now, for every viewer."""
        if self.log.start is None:
            self.log = SharedLog(self._clock())
            self._write()

    def control(self, kind: str) -> None:
        """Pause, resume, skip, go back, go on from a prompt, or end, now."""
        if kind not in CONTROLS or self.log.start is None:
            return
        if len(self.log.controls) >= MAX_CONTROLS:
            return
        moment = max(self._clock(), self.log.controls[-1][0] if self.log.controls else 0.0)
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
    ) -> None:
        """Follow the log at ``path`` with ``runner``, which runs on ``clock``."""
        self.runner = runner
        self._clock = clock
        self._path = path
        self._now = now
        self._applied = 0
        self._seen: tuple[int, int] | None = None
        self.log = SharedLog()

    @property
    def started(self) -> bool:
        """Whether the shared session has begun."""
        return self.log.start is not None

    def sync(self) -> list[SessionEvent]:
        """Bring the runner to now: read the log if it has changed, apply each control
        not yet applied at its moment, and poll; the events that came of it."""
        self._read()
        events: list[SessionEvent] = []
        start = self.log.start
        if start is None:
            return events
        if self.runner.status is Status.READY:
            self._clock.set(start)
            events += self.runner.start()
        now = self._now()
        for moment, kind in self.log.controls[self._applied :]:
            if moment > now:
                break  # not due yet: the leader's clock and this one are the same
            self._clock.set(max(moment, self._clock.now()))
            events += self.runner.poll()
            events += _apply(self.runner, kind)
            self._applied += 1
        self._clock.set(max(now, self._clock.now()))
        events += self.runner.poll()
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
        if log.start != self.log.start and self.log.start is not None:
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
