"""The live mix of one output stream, asked for buffer after buffer as a device would:
each cue placed to the sample by when it was due, the bed running on with no seam and
holding its place through a pause, and nothing ever clicking in or out."""

from __future__ import annotations

import numpy as np
import pytest

from calm.sound.live_mix import FADE_SECONDS, LEAD_SECONDS, LiveMix
from calm.sound.players import Clip

RATE = 8000
BUFFER = 80
"""Samples a buffer: 10 ms, as the stream asks for."""


def tone(name: str, level: float, seconds: float) -> Clip:
    """A flat clip: easy to find where it starts and ends."""
    samples = np.full(round(seconds * RATE), round(level * 32767), dtype="<i2")
    return Clip(name=name, pcm=samples.tobytes(), rate=RATE)


def ramp_bed(seconds: float) -> Clip:
    """A bed whose every sample differs from the next, so a jump in it shows."""
    count = round(seconds * RATE)
    samples = (np.arange(count) % 2000 - 1000) * 8
    return Clip(name="bed", pcm=samples.astype("<i2").tobytes(), rate=RATE)


class Device:
    """Asks the mix for buffer after buffer, keeping time as a device would."""

    def __init__(self, mix: LiveMix, start: float = 100.0) -> None:
        self.mix = mix
        self.now = start
        self.out: list[np.ndarray] = []

    def run(self, seconds: float) -> None:
        for _ in range(round(seconds * RATE / BUFFER)):
            filled = self.mix.fill(BUFFER, self.now)
            self.out.append(np.zeros(BUFFER, dtype="<i2") if filled is None else filled)
            self.now += BUFFER / RATE

    @property
    def samples(self) -> np.ndarray:
        return np.concatenate(self.out)

    def index(self, moment: float) -> int:
        """The sample that leaves at ``moment``."""
        return round((moment - 100.0) * RATE)


@pytest.mark.parametrize("within", [0.0, 0.0031, 0.0069])
def test_a_cue_reported_late_in_a_buffer_still_starts_exactly_on_time(within: float) -> None:
    """A cue due at any moment of a buffer starts LEAD_SECONDS after it, to the sample."""
    mix = LiveMix(RATE)
    device = Device(mix)
    device.run(0.2)
    due = device.now + within
    mix.play(tone("inhale", 0.5, 0.05), due)
    device.run(0.2)
    sounding = np.flatnonzero(device.samples)
    assert sounding[0] == device.index(due + LEAD_SECONDS)
    assert len(sounding) == round(0.05 * RATE)


def test_a_cue_reported_after_its_moment_starts_at_once() -> None:
    """A cue reported after it should have begun starts with the next buffer, whole."""
    mix = LiveMix(RATE)
    device = Device(mix)
    device.run(0.1)
    mix.play(tone("inhale", 0.5, 0.05), device.now - 0.2)
    device.run(0.1)
    sounding = np.flatnonzero(device.samples)
    assert sounding[0] == device.index(100.1)
    assert len(sounding) == round(0.05 * RATE)


def test_the_bed_runs_on_with_no_seam_over_many_buffers_and_loops() -> None:
    """After its fade in, the bed is its own samples in order, looped, never a jump."""
    mix = LiveMix(RATE)
    bed = ramp_bed(0.37)
    mix.loop(bed)
    device = Device(mix)
    device.run(2.0)
    expected = np.frombuffer(bed.pcm, dtype="<i2")
    fade = round(FADE_SECONDS * RATE)
    played = device.samples
    where = np.arange(fade, len(played)) % len(expected)
    assert np.array_equal(played[fade:], expected[where])


def test_a_pause_fades_out_holds_the_bed_and_goes_on_from_there() -> None:
    """Held: the sound fades out in FADE_SECONDS, then silence; let go, the bed fades in
    again from the sample it stopped at, and a cue ringing when it paused is gone."""
    mix = LiveMix(RATE)
    bed = ramp_bed(5.0)
    mix.loop(bed)
    device = Device(mix)
    device.run(0.5)
    mix.play(tone("exhale", 0.3, 1.0), device.now)
    device.run(0.1)
    paused_at = len(device.samples)
    mix.hold(True)
    device.run(1.0)
    resumed_at = len(device.samples)
    mix.hold(False)
    device.run(0.5)
    played = device.samples.astype(np.int32)
    fade = round(FADE_SECONDS * RATE)
    assert np.all(played[paused_at + fade : resumed_at] == 0)
    assert np.any(played[paused_at : paused_at + fade] != 0)
    # Going on: the bed alone (the exhale did not come back), from where it was held.
    expected = np.frombuffer(bed.pcm, dtype="<i2").astype(np.int32)
    after = played[resumed_at + fade : resumed_at + fade + 100]
    held = paused_at + fade
    assert np.array_equal(after, expected[held + fade : held + fade + 100])


def test_nothing_clicks_as_sound_starts_stops_or_is_held() -> None:
    """No jump from one sample to the next is bigger than the sound's own steps, or a
    fade's, however the bed and the hold are switched."""
    mix = LiveMix(RATE)
    level = 0.4
    mix.loop(tone("bed", level, 1.0))
    device = Device(mix)
    for action in (
        lambda: None,
        mix.stop_loop,
        lambda: mix.loop(tone("bed", level, 1.0)),
        lambda: mix.hold(True),
        lambda: mix.hold(False),
    ):
        action()
        device.run(0.3)
    steps = np.abs(np.diff(device.samples.astype(np.int32)))
    fade_step = level * 32767 / (FADE_SECONDS * RATE)
    assert steps.max() <= fade_step + 2


def test_cues_while_held_are_not_played() -> None:
    """A cue reported while held (a skip while paused) never sounds, even after."""
    mix = LiveMix(RATE)
    mix.hold(True)
    device = Device(mix)
    mix.play(tone("step", 0.5, 0.1), device.now)
    device.run(0.2)
    mix.hold(False)
    device.run(0.3)
    assert not np.any(device.samples)


def test_silence_costs_nothing_and_says_so() -> None:
    """With nothing to play the mix hands back None, so the device sends its own silence."""
    mix = LiveMix(RATE)
    assert mix.fill(BUFFER, 0.0) is None
    assert not mix.sounding
    mix.play(tone("step", 0.5, 0.01), 0.0)
    assert mix.ringing


def test_a_loud_cue_over_a_loud_bed_never_clips() -> None:
    """The mix of two near-full-scale sounds stays inside full scale."""
    mix = LiveMix(RATE)
    mix.loop(tone("bed", 0.9, 1.0))
    device = Device(mix)
    mix.play(tone("end", 0.95, 0.5), device.now)
    device.run(1.0)
    assert int(np.abs(device.samples.astype(np.int32)).max()) < 32767


def test_a_new_spoken_line_fades_out_the_one_still_being_said() -> None:
    """A step skipped mid-sentence: the old line fades out within FADE_SECONDS as the
    new one begins, rather than the two being said over each other."""
    mix = LiveMix(RATE)
    device = Device(mix)
    mix.play(tone("voice", 0.2, 2.0), device.now)
    device.run(0.5)
    mix.play(tone("voice", 0.3, 0.5), device.now)
    device.run(1.0)
    played = device.samples.astype(np.int32)
    new_start = device.index(100.5 + LEAD_SECONDS)
    fade = round(FADE_SECONDS * RATE)
    # After the fade only the new line sounds, then nothing.
    assert np.all(played[new_start + fade : new_start + round(0.5 * RATE)] == round(0.3 * 32767))
    assert not np.any(played[new_start + round(0.5 * RATE) :])
    first_start = int(np.flatnonzero(played)[0])
    steps = np.abs(np.diff(played[first_start:new_start]))
    assert steps.max() <= 0.2 * 32767 / fade + 2
