"""A session's soundtrack: its sound as a pure function of its timeline.

Each cue sits at its boundary, as ``SessionSound`` would play it live, and the
ambient bed runs under them, looped without a seam because it is mixed in rather
than restarted. Any span of session time can be asked for, in any order, and the
same inputs always give the same samples. Mixing is done with numpy, in floating
point, and a soft limiter keeps a loud cue over a loud bed from ever clipping.

A spoken voice, when there is one, is a clip per segment that says something,
placed at that segment's start like a cue.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from calm.sound.cues import segment_cue, step_cue

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from calm.core.timeline import Timeline
    from calm.sound.players import Clip

LIMIT_FROM = 0.8
"""Where the limiter starts to bend the mix, as a share of full scale: below it the
samples pass untouched, above it they approach full scale without reaching it."""
FULL_SCALE = 32767.0


def cue_times(timeline: Timeline, *, untimed_ms: int = 0) -> list[tuple[int, str]]:
    """Each cue a session that runs to its end plays, with the millisecond it starts
    at, in order: the same choice ``SessionSound.cue_for`` makes live.

    A prompt that waits for the user has no length on the timeline; here it lasts
    ``untimed_ms``, and everything after it moves on by as much (a file has to give
    it some length; see ``session_ms``).
    """
    times: list[tuple[int, str]] = []
    starts = segment_starts(timeline, untimed_ms=untimed_ms)
    for segment, at in zip(timeline.segments, starts, strict=True):
        span = timeline.spans[segment.step]
        if segment.index == span.first:
            begins = step_cue(timeline, segment)
            if begins is not None:
                times.append((at, begins))
        cue = segment_cue(segment)
        if cue is not None:
            times.append((at, cue))
    times.append((session_ms(timeline, untimed_ms=untimed_ms), "end"))
    return times


def segment_starts(timeline: Timeline, *, untimed_ms: int = 0) -> list[int]:
    """The millisecond each segment starts at, each prompt that waits for the user
    lasting ``untimed_ms``, as in ``cue_times``."""
    starts: list[int] = []
    shift = 0
    for segment in timeline.segments:
        starts.append(segment.start_ms + shift)
        if segment.untimed:
            shift += untimed_ms
    return starts


def session_ms(timeline: Timeline, *, untimed_ms: int = 0) -> int:
    """How long the session lasts, each prompt that waits for the user lasting
    ``untimed_ms``."""
    untimed = sum(1 for segment in timeline.segments if segment.untimed)
    return round(timeline.total_seconds * 1000) + untimed * untimed_ms


class Soundtrack:
    """The mixed sound of one session, at ``rate`` samples a second."""

    def __init__(
        self,
        timeline: Timeline,
        clips: Mapping[str, Clip],
        *,
        bed: Clip | None = None,
        rate: int,
        untimed_ms: int = 0,
        voice: Mapping[int, Clip] | None = None,
    ) -> None:
        """Mix ``clips`` (by cue name; a missing one is silent) at the timeline's
        boundaries over ``bed``, all at ``rate``; a prompt that waits for the user
        lasts ``untimed_ms``. ``voice`` maps a segment's index to what is spoken as
        it starts."""
        self.rate = rate
        # Each clip's samples are made once and shared by all its onsets: a long
        # session places tens of thousands of cues, and a copy each took gigabytes.
        sound_of = ClipFloats(rate)
        onsets: list[tuple[int, NDArray[np.float32]]] = []
        for ms, name in cue_times(timeline, untimed_ms=untimed_ms):
            clip = clips.get(name)
            if clip is not None:
                onsets.append((ms * rate // 1000, sound_of(clip)))
        if voice:
            starts = segment_starts(timeline, untimed_ms=untimed_ms)
            for index, spoken in sorted(voice.items()):
                if 0 <= index < len(starts):
                    onsets.append((starts[index] * rate // 1000, sound_of(spoken)))
        onsets.sort(key=lambda onset: onset[0])
        self._onsets = onsets
        self._starts = [start for start, _ in onsets]
        """Where each onset starts, in order: a span looks only at those near it."""
        self._longest = max((len(sound) for _, sound in onsets), default=0)
        self._bed = as_floats(bed, rate) if bed is not None else None
        session = session_ms(timeline, untimed_ms=untimed_ms) * rate // 1000
        tails = [start + len(sound) for start, sound in onsets]
        self.length = max([session, *tails])
        """Samples from the session's start to the last cue's last sample."""

    def samples(self, start: int, stop: int) -> NDArray[np.int16]:
        """The mixed samples from ``start`` to ``stop`` (sample numbers from the
        session's start), as 16-bit integers; past the end they are silence."""
        stop = max(stop, start)
        mix = np.zeros(stop - start, dtype=np.float32)
        if self._bed is not None and len(self._bed):
            bed_stop = min(stop, self.length)
            if bed_stop > start:
                # The bed loops on the session's own clock: sample n is bed[n % len].
                where = np.arange(start, bed_stop) % len(self._bed)
                mix[: bed_stop - start] += self._bed[where]
        # Only onsets that can reach the span: one starting over the longest sound
        # before it has ended, so a long session costs no more a second than a short one.
        near = slice(
            bisect.bisect_right(self._starts, start - self._longest),
            bisect.bisect_left(self._starts, stop),
        )
        for onset, sound in self._onsets[near]:
            first, last = max(start, onset), min(stop, onset + len(sound))
            if first < last:
                mix[first - start : last - start] += sound[first - onset : last - onset]
        return np.round(limited(mix) * FULL_SCALE).astype(np.int16)


class ClipFloats:
    """Each clip's samples as floats at one rate, made once however often it plays."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._made: dict[int, tuple[Clip, NDArray[np.float32]]] = {}

    def __call__(self, clip: Clip) -> NDArray[np.float32]:
        """``clip``'s samples as ``as_floats`` makes them, the first time only."""
        made = self._made.get(id(clip))
        if made is None or made[0] is not clip:
            made = self._made[id(clip)] = (clip, as_floats(clip, self.rate))
        return made[1]


def as_floats(clip: Clip, rate: int) -> NDArray[np.float32]:
    """A clip's samples as floats from -1 to 1, at ``rate``."""
    samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / FULL_SCALE
    if clip.rate != rate and len(samples):
        # Linear resampling: cues are short, and this is deterministic.
        length = round(len(samples) * rate / clip.rate)
        positions = np.arange(length, dtype=np.float64) * clip.rate / rate
        samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
    return samples


def limited(mix: NDArray[np.float32]) -> NDArray[np.float32]:
    """``mix`` with every sample past ``LIMIT_FROM`` bent smoothly toward full scale,
    never reaching it, so the sum of loud sounds never clips."""
    over = np.abs(mix) > LIMIT_FROM
    if not over.any():
        return mix
    room = 1.0 - LIMIT_FROM
    bent = mix.copy()
    excess = (np.abs(mix[over]) - LIMIT_FROM) / room
    bent[over] = np.sign(mix[over]) * (LIMIT_FROM + room * np.tanh(excess))
    return np.minimum(np.maximum(bent, -0.99997), 0.99997)
