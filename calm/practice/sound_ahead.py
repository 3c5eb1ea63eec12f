"""Sound made ready away from the screen: a session's whole sound, made while its first
screen is read, and an ambient bed that joins a session already under way.

Decoding the cues and reading or making a bed takes a moment, and none of it is
needed to draw the first screen. The screen asks for the sound once that screen is
up; a session that begins at once (``--skip-caution``) gets its cues ready before
its first moment, so the first cue rings as it starts, and its bed a moment later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calm.sound.cues import SessionSound
    from calm.sound.players import Clip

HandOver = Callable[[Callable[[], None]], object]
"""Runs a callable on the front end's own thread, called from any other."""


class SoundAhead:
    """A session's sound, being made in a thread of its own; ``result`` waits for it."""

    def __init__(self, make: Callable[[], SessionSound | None]) -> None:
        self._make = make
        self._sound: SessionSound | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="calm-sound-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._sound = self._make()
        except BaseException as error:  # given to whoever waits for the sound, as if made there
            self._error = error

    def result(self) -> SessionSound | None:
        """The sound, once made; what went wrong in making it is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._sound


def make_bed_later(
    sound: SessionSound,
    make: Callable[[], Clip | None],
    hand_over: HandOver,
    failed: Callable[[str], None],
) -> None:
    """Make a bed in a thread of its own and hand it to ``sound`` on the front end's
    thread (``SessionSound.bed_arrived``); a bed that cannot be made costs only the bed,
    with ``failed``'s notice."""

    def run() -> None:
        try:
            bed = make()
        except Exception as error:  # the bed is a nicety: the session goes on without it
            failed(f"{type(error).__name__}: {error}")
            return
        hand_over(lambda: sound.bed_arrived(bed))

    threading.Thread(target=run, name="calm-bed-ahead", daemon=True).start()
