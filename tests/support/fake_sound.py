"""A session's sound as the practice tests fill its seam (``Practice(make_sound=...)``)."""

from __future__ import annotations

from calm.core.session import SessionEvent


class FakeSound:
    """Hears events as the sound would; fails on demand, as a device can."""

    def __init__(self, notify: list[str] | None = None) -> None:
        self.heard: list[str] = []
        self.silenced = False
        self.stopped_bed = False
        self.stopped = False
        self.finished_for: float | None = None

    def __call__(self, event: SessionEvent) -> None:
        self.heard.append(event.kind.value)

    def stop_bed(self) -> None:
        self.stopped_bed = True

    def stop(self) -> None:
        self.stopped = True

    def finish(self, timeout: float = 4.0) -> None:
        self.finished_for = timeout
