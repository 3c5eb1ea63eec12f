"""The soundtrack: each cue at its boundary to the sample, the bed looped with no seam,
the same samples for the same inputs however they are asked for, and never a clip."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pytest

from calm.sound.players import Clip
from calm.sound.soundtrack import Soundtrack, cue_times
from tests.support.tui import make_timeline

RATE = 8000

STEPS = """
[[steps]]
say = "Settle in."
seconds = 2

[[steps]]
breathe = "Even breaths."
pattern = [
    { phase = "inhale", seconds = 1.5 },
    { phase = "hold_in", seconds = 0.5 },
    { phase = "exhale", seconds = 2 },
]
cycles = 2

[[steps]]
say = "Well done."
seconds = 1
"""


def _clip(name: str, level: float, seconds: float) -> Clip:
    """A flat tone at ``level`` of full scale: easy to find where it starts."""
    samples = np.full(round(seconds * RATE), round(level * 32767), dtype="<i2")
    return Clip(name=name, pcm=samples.tobytes(), rate=RATE)


def _clips(level: float = 0.5) -> dict[str, Clip]:
    return {name: _clip(name, level, 0.05) for name in ("step", "inhale", "hold", "exhale", "end")}


def test_the_cues_are_where_a_live_session_plays_them() -> None:
    """A say step rings the step bell; a breathing step begins with its phase's cue
    alone; each phase has its cue; the end chime comes at the end."""
    timeline = make_timeline(STEPS)
    assert cue_times(timeline) == [
        (0, "step"),
        (2000, "inhale"),
        (3500, "hold"),
        (4000, "exhale"),
        (6000, "inhale"),
        (7500, "hold"),
        (8000, "exhale"),
        (10000, "step"),
        (11000, "end"),
    ]


def test_each_cue_starts_on_its_boundary_to_the_sample() -> None:
    """With no bed, sound begins exactly at each cue's boundary and nowhere before."""
    timeline = make_timeline(STEPS)
    track = Soundtrack(timeline, _clips(), rate=RATE)
    samples = track.samples(0, track.length)
    sounding = np.flatnonzero(samples)
    starts = [int(sounding[0])]
    starts += [int(after) for before, after in itertools.pairwise(sounding) if after > before + 1]
    assert starts == [ms * RATE // 1000 for ms, _ in cue_times(timeline)]
    assert track.length == 11 * RATE + round(0.05 * RATE)


def test_the_same_samples_however_they_are_asked_for() -> None:
    """Asked for in pieces of any size, the soundtrack is the whole of it, byte for byte,
    and a second soundtrack of the same inputs gives the same bytes."""
    timeline = make_timeline(STEPS)
    bed = _clip("bed", 0.2, 0.37)
    track = Soundtrack(timeline, _clips(), bed=bed, rate=RATE)
    whole = track.samples(0, track.length)
    cuts = [0, 1, 999, 4000, 4001, 33333, track.length]
    pieces = np.concatenate([track.samples(a, b) for a, b in itertools.pairwise(cuts)])
    assert pieces.tobytes() == whole.tobytes()
    again = Soundtrack(timeline, _clips(), bed=bed, rate=RATE)
    assert again.samples(0, track.length).tobytes() == whole.tobytes()


def test_the_bed_loops_without_a_seam() -> None:
    """Under the cues the bed runs on the session's clock: every sample is the bed's
    sample at that place in its loop, across each place the loop starts again."""
    timeline = make_timeline(STEPS)
    ramp = np.arange(-1000, 1000, dtype="<i2")  # no two samples alike, so a seam shows
    bed = Clip(name="bed", pcm=ramp.tobytes(), rate=RATE)
    track = Soundtrack(timeline, {}, bed=bed, rate=RATE)
    samples = track.samples(0, track.length)
    expected = ramp[np.arange(track.length) % len(ramp)]
    assert np.array_equal(samples, expected)


@pytest.mark.parametrize("level", [0.5, 0.9, 1.0])
def test_a_loud_cue_over_a_loud_bed_never_clips(level: float) -> None:
    """Cues and a bed each near full scale sum to more than full scale; the mix bends
    below it, and quiet passages pass through untouched."""
    timeline = make_timeline(STEPS)
    bed = _clip("bed", level, 1.0)
    track = Soundtrack(timeline, _clips(level), bed=bed, rate=RATE)
    samples = track.samples(0, track.length).astype(np.int32)
    assert samples.max() < 32767 and samples.min() > -32767
    quiet = Soundtrack(timeline, _clips(0.3), rate=RATE).samples(0, 4000)
    assert set(np.unique(quiet)) <= {0, round(0.3 * 32767)}


def test_a_clip_at_another_rate_is_resampled() -> None:
    """A cue recorded at twice the rate lasts as long, and starts on its boundary."""
    timeline = make_timeline(STEPS)
    fast = Clip(name="end", pcm=np.full(800, 10000, dtype="<i2").tobytes(), rate=2 * RATE)
    track = Soundtrack(timeline, {"end": fast}, rate=RATE)
    sounding = np.flatnonzero(track.samples(0, track.length))
    assert int(sounding[0]) == 11 * RATE
    assert len(sounding) == 400


def test_a_prompt_that_waits_lasts_what_it_is_given() -> None:
    """A prompt with no time limit has no length on the timeline; given one, its bell
    and everything after it move on by that much, and the session grows with it."""
    timeline = make_timeline(TIMELINE_WITH_A_WAIT)
    assert cue_times(timeline) == [(0, "step"), (1000, "step"), (1000, "step"), (3000, "end")]
    assert cue_times(timeline, untimed_ms=5000) == [
        (0, "step"),
        (1000, "step"),
        (6000, "step"),
        (8000, "end"),
    ]
    track = Soundtrack(timeline, _clips(), rate=RATE, untimed_ms=5000)
    assert track.length == 8 * RATE + round(0.05 * RATE)


TIMELINE_WITH_A_WAIT = """
[[steps]]
say = "Settle in."
seconds = 1

[[steps]]
prompt = "Ready?"

[[steps]]
say = "Well done."
seconds = 2
"""


def test_the_voice_speaks_as_its_segment_starts() -> None:
    """A spoken line sits at its segment's start, alongside that segment's cue, and a
    line for a segment the timeline does not have is left out."""
    timeline = make_timeline(STEPS)
    spoken = _clip("voice", 0.25, 0.3)
    track = Soundtrack(timeline, {}, rate=RATE, voice={1: spoken, 99: spoken})
    samples = track.samples(0, track.length)
    sounding = np.flatnonzero(samples)
    assert int(sounding[0]) == 2 * RATE  # the first inhale's segment, at 2 s
    assert int(sounding[-1]) == 2 * RATE + round(0.3 * RATE) - 1


def test_a_long_session_holds_each_cue_once() -> None:
    """Ten thousand breaths place forty thousand cues, yet each cue's sound is held once:
    a copy per onset took gigabytes for ``calm render box --cycles 10000``."""
    breaths = STEPS.replace("cycles = 2", "cycles = 2000")
    timeline = make_timeline(breaths)
    clips = {name: _clip(name, 0.5, 1.0) for name in ("step", "inhale", "hold", "exhale", "end")}
    tracemalloc.start()
    try:
        track = Soundtrack(timeline, clips, rate=RATE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # a copy each: 6,000 onsets of 32 kB, some 190 MB
    ends = cue_times(timeline)[-2:]
    last = track.samples(ends[0][0] * RATE // 1000, track.length)
    assert np.count_nonzero(last) == len(last)  # the last cue, then the end chime, whole


MOVE = """
[[steps]]
move = "Calf stretch"
hold = 2
sides = ["left", "right"]
rest = 1

[[steps]]
move = "Heel raises"
reps = 2
tempo = "1-1"
"""


def test_a_move_step_rings_its_bell_for_each_side_and_glides_for_each_repetition() -> None:
    """As live: the step's bell, the hold's tick as a rest begins, the bell again for
    the next side; each repetition up and down with the breathing tones."""
    assert cue_times(make_timeline(MOVE)) == [
        (0, "step"),
        (2000, "hold"),
        (3000, "step"),
        (5000, "step"),
        (6000, "exhale"),
        (7000, "inhale"),
        (8000, "exhale"),
        (9000, "end"),
    ]
