"""The waiting screen of a viewer of ``calm serve --together``: the shared session has
not begun yet, and begins for everyone at once from the serving terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer

from calm.practice.together import FollowingRunner
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.tui.widgets.plain import Plain

LOOK_SECONDS = 0.05
"""How often the shared log is read while waiting: a stat of one small file, and the
session's first moment shown at most this late."""
WAITING = "Waiting for the session to begin."
LED_FROM_THERE = "It is led from the calm computer, and begins for everyone at once."


class WaitingScreen(CalmScreen[bool]):
    """Dismisses with True once the session ``runner`` follows has begun. It has no keys:
    nothing a viewer presses changes the shared session."""

    def __init__(self, runner: FollowingRunner) -> None:
        """Wait for the session ``runner`` follows."""
        super().__init__()
        self.runner = runner
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield self.notices
        with Vertical(id="waiting", classes="card"):
            yield Plain(self.runner.timeline.script.title, classes="card-title")
            yield Plain(WAITING, id="waiting-text")
            yield Plain(LED_FROM_THERE, classes="hint")
        yield TooSmall()

    def on_mount(self) -> None:
        self._timer = self.set_interval(LOOK_SECONDS, self._look)
        self._look()

    def _look(self) -> None:
        """Read the log: once it says when the session begins, make way for it. The
        session's screen is then up before that moment, and begins at it."""
        if self.runner.follower.look() is not None and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.answer(True)
