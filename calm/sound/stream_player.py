"""One output stream for a whole session, through miniaudio.

miniaudio's wheels carry the library itself and load ALSA, PulseAudio, CoreAudio or
WASAPI when run, so a plain ``pip install`` has sound with no compiler and no
headers. The player opens one stream when it is made and keeps it open: every cue
and the bed are mixed into it (``calm.sound.live_mix``), a buffer at a time, on
miniaudio's own thread.

Three things guard the session from the device:

- nothing raised on the device's thread ever reaches it (miniaudio would print it
  across the screen); the stream falls silent and the next cue reports why;
- a device that stops asking for sound is noticed at the next cue;
- a device that takes sound faster than it can play it (ALSA's ``null``, a broken
  virtual sink) is held to real time, rather than spinning a core.

Stopping lets a cue still ringing, such as the end chime, ring out on its own
before the stream closes; calm waits for it, for at most a few seconds, as it
exits.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from calm.sound.players import Clip, PlaybackError, quiet_alsa

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

PERIOD_MS = 10
"""How much sound the device asks for at a time: with ``LEAD_SECONDS``, a cue's first
sample leaves within this of its moment."""
AHEAD_SECONDS = 0.25
"""How far ahead of real time a device that never waits may be fed: more than any real
device holds, so one that does wait is never kept waiting."""
SILENT_DEVICE_SECONDS = 2.0
"""How long the device may go without asking for sound before it counts as stopped."""
DRAIN_SECONDS = 0.15
"""How long a stream plays on in silence before it closes, so that the sound the device
holds (a buffer or a few; more through a sound server) leaves it first."""
RING_OUT_SECONDS = 5.0
"""The longest a stopped stream waits for its last cue, here and as calm exits."""

Tap = Callable[[float, "NDArray[np.int16] | None", int], None]
"""Told of every buffer the stream sends: when it leaves, its samples (None for
silence), and how many frames it holds. For tests."""

_closing: set[threading.Thread] = set()
"""Streams letting their last cue ring out; calm waits for them as it exits."""


class StreamPlayer:
    """Plays a session through one miniaudio stream, mixing cues over the bed."""

    def __init__(
        self,
        *,
        rate: int,
        backends: list[Any] | None = None,
        tap: Tap | None = None,
    ) -> None:
        """Open and start the stream.

        Args:
            rate: Samples a second.
            backends: miniaudio's backends to try, in order; None for the system's
                own. Its null backend (no sound at all) counts only when asked for.
            tap: Told of each buffer sent, for tests.

        Raises:
            ImportError: when miniaudio is not installed.
            PlaybackError: when no sound device opens.
        """
        import miniaudio

        # miniaudio loads the same ALSA library, which would print its own errors.
        quiet_alsa()
        self._tap = tap
        self._failure: str | None = None
        self._last_ask = time.monotonic()
        self._stopped = False
        try:
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=rate,
                buffersize_msec=PERIOD_MS,
                backends=backends,
                app_name="calm",
            )
        except miniaudio.MiniaudioError as error:
            raise PlaybackError(f"no sound device could be opened ({error})") from error
        if device.backend.lower() == "null" and not (
            backends and miniaudio.Backend.NULL in backends
        ):
            # miniaudio falls back to a device that plays nothing; that is silence.
            device.close()
            raise PlaybackError("no sound device could be opened")
        self._device = device
        # numpy comes with the mix, once there is a device to mix for.
        from calm.sound.live_mix import LiveMix

        self._mix = LiveMix(rate)
        self.name = f"miniaudio ({device.backend})"
        """How the player is named to the user, with the system's sound layer."""
        device.stop_callback = self._device_stopped
        stream = self._stream()
        next(stream)
        try:
            device.start(stream)
        except miniaudio.MiniaudioError as error:
            device.close()
            raise PlaybackError(f"the sound device would not start ({error})") from error

    def _stream(self) -> Generator[bytes, int, None]:
        """What the device's thread is fed, a buffer at a time; it never raises."""
        started: float | None = None
        sent = 0
        frames = yield b""
        while True:
            try:
                now = time.monotonic()
                if started is None:
                    started = now
                # A device that never waits is held to real time.
                ahead = sent / self._mix.rate - (now - started) - AHEAD_SECONDS
                if ahead > 0:
                    time.sleep(ahead)
                    now = time.monotonic()
                self._last_ask = now
                samples = None if self._failure else self._mix.fill(frames, now)
                sent += frames
                if self._tap is not None:
                    self._tap(now, samples, frames)
                data = b"" if samples is None else samples.tobytes()
            except Exception as error:  # never into miniaudio's thread: it would print it
                self._failure = f"{type(error).__name__}: {error}"
                data = b""
            frames = yield data

    def _device_stopped(self) -> None:
        if not self._stopped:
            self._failure = self._failure or "the sound device stopped"

    def _check(self) -> None:
        if self._failure is None and time.monotonic() - self._last_ask > SILENT_DEVICE_SECONDS:
            # Just after calm was stopped and continued, the device's thread may not
            # have run yet: give it a moment before counting the device as gone.
            time.sleep(0.1)
            if time.monotonic() - self._last_ask > SILENT_DEVICE_SECONDS:
                self._failure = "the sound device stopped taking sound"
        if self._failure is not None:
            raise PlaybackError(self._failure)

    def prepare(self, clips: list[Clip]) -> None:
        """Nothing to do: clips are mixed as they are."""

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Mix ``clip`` in from ``due`` (monotonic seconds; now when None).

        Raises:
            PlaybackError: when the device has failed or stopped.
        """
        self._check()
        self._mix.play(clip, time.monotonic() if due is None else due)

    def loop(self, clip: Clip) -> None:
        """Fade the bed in; the same bed goes on from where it stopped."""
        self._check()
        self._mix.loop(clip)

    def stop_loop(self) -> None:
        """Fade the bed out; cues ring on."""
        self._mix.stop_loop()

    def hold(self, held: bool) -> None:
        """Fade everything out and hold the bed's place, or go on again."""
        self._mix.hold(held)

    def settle(self, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, for the cues still ringing."""
        deadline = time.monotonic() + timeout
        while self._mix.ringing and self._failure is None and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        """Fade the bed out, let a cue still ringing ring out, then close the stream,
        from a thread of its own; calm waits for it as it exits."""
        if self._stopped:
            return
        self._stopped = True
        self._mix.stop_loop()

        def close() -> None:
            deadline = time.monotonic() + RING_OUT_SECONDS
            while self._mix.sounding and self._failure is None and time.monotonic() < deadline:
                time.sleep(0.02)
            # The device still holds the last of it: closing drops what it holds.
            time.sleep(DRAIN_SECONDS)
            try:
                self._device.close()
            finally:
                _closing.discard(thread)

        thread = threading.Thread(target=close, name="calm-ring-out", daemon=True)
        _closing.add(thread)
        thread.start()


@atexit.register
def _wait_for_ringing_streams() -> None:
    """Let each stream's last cue finish as calm exits (the end chime after a summary
    left at once), for at most ``RING_OUT_SECONDS``."""
    deadline = time.monotonic() + RING_OUT_SECONDS
    for thread in list(_closing):
        thread.join(max(deadline - time.monotonic(), 0))
