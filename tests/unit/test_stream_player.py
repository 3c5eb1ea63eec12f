"""The miniaudio stream on miniaudio's own null backend, which keeps real time with no
sound card: a session's cues leave within 15 ms of their boundaries, measured from the
samples sent; pause and skip follow the session; the end chime rings out after stop;
and a failing device silences the session with one notice."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from calm.core.clock import MonotonicClock
from calm.core.session import SessionRunner
from calm.sound.cues import SessionSound
from calm.sound.players import Clip, PlaybackError
from tests.support.tui import make_timeline

miniaudio = pytest.importorskip("miniaudio")
from calm.sound import stream_player  # noqa: E402
from calm.sound.stream_player import StreamPlayer  # noqa: E402

RATE = 22050
CUE_LATENESS = 0.015
"""How long after its boundary a cue's first sample may leave calm."""

STEPS = """
[[steps]]
say = "Arrive."
seconds = 0.3

[[steps]]
breathe = "Breathe."
pattern = "0.4-0.2-0.4"
cycles = 2

[[steps]]
say = "Done."
seconds = 0.3
"""
LEVELS = {"step": 0.1, "inhale": 0.2, "hold": 0.3, "exhale": 0.4, "end": 0.5}
"""Each cue is a flat tone at its own level, so the samples say which one sounds."""


def tones(seconds: float = 0.05) -> dict[str, Clip]:
    return {
        name: Clip(
            name,
            np.full(round(seconds * RATE), round(level * 32767), dtype="<i2").tobytes(),
            RATE,
        )
        for name, level in LEVELS.items()
    }


class Tap:
    """Keeps every buffer the stream sends, with when it left."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.buffers: list[tuple[float, np.ndarray]] = []

    def __call__(self, now: float, samples: np.ndarray | None, frames: int) -> None:
        with self.lock:
            self.buffers.append((now, np.zeros(frames, "<i2") if samples is None else samples))

    def onsets(self) -> list[tuple[float, str]]:
        """Each moment a cue's first sample left, and which cue it was."""
        with self.lock:
            buffers = list(self.buffers)
        samples = np.concatenate([part for _, part in buffers])
        left = np.concatenate([now + np.arange(len(part)) / RATE for now, part in buffers])
        sounding = samples != 0
        starts = np.flatnonzero(sounding & ~np.concatenate([[False], sounding[:-1]]))
        found = []
        for index in starts:
            level = int(samples[index]) / 32767
            name = min(LEVELS, key=lambda cue: abs(LEVELS[cue] - level))
            found.append((float(left[index]), name))
        return found

    def samples(self) -> np.ndarray:
        with self.lock:
            return np.concatenate([samples for _, samples in self.buffers])


def null_player(tap: Tap) -> StreamPlayer:
    return StreamPlayer(rate=RATE, backends=[miniaudio.Backend.NULL], tap=tap)


def run_session(runner: SessionRunner, clock: MonotonicClock, until: float = 10.0) -> None:
    """Poll as a front end does: at each boundary, never adding up sleeps."""
    deadline = time.monotonic() + until
    while runner.running and time.monotonic() < deadline:
        wait = runner.seconds_to_next_boundary()
        time.sleep(min(wait if wait is not None else 0.05, 0.05))
        runner.poll()


@pytest.mark.slow
def test_each_cue_leaves_within_15_ms_of_its_boundary() -> None:
    """Measured from the samples: each cue's first sample leaves the stream within
    CUE_LATENESS of the moment its boundary was due, in the timeline's order."""
    tap = Tap()
    player = null_player(tap)
    timeline = make_timeline(STEPS)
    sound = SessionSound(player, tones(), timeline=timeline)
    clock = MonotonicClock()
    runner = SessionRunner(timeline, clock=clock)
    runner.add_listener(sound)
    started = clock.now()
    runner.start()
    run_session(runner, clock)
    sound.finish(timeout=2.0)
    sound.stop()
    from calm.sound.soundtrack import cue_times

    expected = cue_times(timeline)
    heard = tap.onsets()
    assert [name for _, name in heard] == [name for _, name in expected]
    for (left, name), (ms, _) in zip(heard, expected, strict=True):
        assert 0.0 <= left - (started + ms / 1000) <= CUE_LATENESS, name


@pytest.mark.slow
def test_a_paused_span_is_silent_and_a_skip_while_paused_plays_nothing() -> None:
    """Paused: the stream falls silent within a fade; a skip made while paused plays no
    cue; resumed, the next boundary's cue plays."""
    tap = Tap()
    player = null_player(tap)
    timeline = make_timeline(STEPS)
    bed = Clip("ambient", np.full(RATE, 3000, dtype="<i2").tobytes(), RATE)
    sound = SessionSound(player, tones(), timeline=timeline, bed=bed)
    clock = MonotonicClock()
    runner = SessionRunner(timeline, clock=clock)
    runner.add_listener(sound)
    runner.start()
    time.sleep(0.15)
    runner.poll()
    runner.pause()
    paused = time.monotonic()
    runner.next_step()
    time.sleep(0.5)
    resumed = time.monotonic()
    runner.resume()
    run_session(runner, clock)
    sound.stop()
    with tap.lock:
        held = [
            samples
            for now, samples in tap.buffers
            if paused + 0.05 <= now and now + len(samples) / RATE <= resumed
        ]
    assert held, "no buffer was sent while paused"
    assert not any(np.any(samples) for samples in held)
    names = [name for at, name in tap.onsets() if paused <= at <= resumed]
    assert names == []


def test_the_end_chime_rings_out_after_stop() -> None:
    """Stopped as its last cue begins (the summary left at once), the stream plays that
    cue to its last sample before it closes."""
    tap = Tap()
    player = null_player(tap)
    chime = Clip("end", np.full(round(0.4 * RATE), 9000, dtype="<i2").tobytes(), RATE)
    player.play(chime)
    player.stop()
    for thread in list(stream_player._closing):
        thread.join(3.0)
    assert not stream_player._closing
    assert int(np.count_nonzero(tap.samples() == 9000)) == len(chime.pcm) // 2


def test_a_failing_stream_silences_the_session_with_one_notice() -> None:
    """Whatever goes wrong on the device's thread never reaches it; the next cue says so
    once and the session goes on in silence."""
    calls = 0

    def breaking_tap(now: float, samples: np.ndarray | None, frames: int) -> None:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise OSError("the device went away")

    player = StreamPlayer(rate=RATE, backends=[miniaudio.Backend.NULL], tap=breaking_tap)
    deadline = time.monotonic() + 2.0
    while calls <= 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    notices: list[str] = []
    timeline = make_timeline(STEPS)
    sound = SessionSound(player, tones(), timeline=timeline, notify=notices.append)
    runner = SessionRunner(timeline, clock=MonotonicClock())
    runner.add_listener(sound)
    runner.start()
    runner.next_step()
    runner.next_step()
    assert notices == ["Sound stopped: OSError: the device went away."]
    assert sound.silenced
    sound.stop()


def test_a_device_that_stops_asking_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A device that no longer asks for sound counts as gone at the next cue."""
    monkeypatch.setattr(stream_player, "SILENT_DEVICE_SECONDS", 0.2)
    tap = Tap()
    player = null_player(tap)
    player._device.stop()  # as a device unplugged would, with no word from it
    time.sleep(0.4)
    with pytest.raises(PlaybackError, match="stopped"):
        player.play(tones()["step"])
    player.stop()


def test_a_device_that_never_waits_is_held_to_real_time() -> None:
    """Asked for buffer after buffer with no wait between (as ALSA's null device asks),
    the stream gives no more than real time and a little ahead, rather than spin."""
    player = null_player(Tap())
    feed = player._stream()
    next(feed)
    begun = time.monotonic()
    frames = 0
    while frames < RATE // 2:  # half a second of sound
        feed.send(220)
        frames += 220
    took = time.monotonic() - begun
    assert took >= frames / RATE - stream_player.AHEAD_SECONDS - 0.02
    player.stop()
