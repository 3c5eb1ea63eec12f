"""The live mix: a session's sound made a buffer at a time for one output stream.

A file can be mixed from the timeline alone (``calm.sound.soundtrack``), but a
live session pauses, skips and waits for the user, so here each cue is mixed in
as its moment is reported, placed to the sample by when it was due, and the
ambient bed runs on under them from where it was. ``LiveMix`` knows nothing of
devices: ``StreamPlayer`` asks it for each buffer from the device's own thread,
and the session tells it what to play from the app's, so every change of state
is made under one lock.

Everything that starts or stops does so on a short fade, so nothing clicks: a
bed fading in or out, and all of it fading out when the session is paused or
muted. A paused or muted bed keeps its place and goes on from there.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from calm.sound.soundtrack import FULL_SCALE, ClipFloats, as_floats, limited

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from calm.sound.players import Clip

FADE_SECONDS = 0.02
"""How long a bed, or everything at a pause, takes to fade in or out: short enough to
feel immediate, long enough not to click."""
SPEECH = "voice"
"""The name of a clip that is a spoken line (``calm.sound.voice``)."""
LEAD_SECONDS = 0.01
"""How long after it was due a cue's first sample leaves calm, when it was reported in
time: a buffer's worth, so that every cue is placed exactly, whichever moment of the
buffer it fell in."""


@dataclass
class _Voice:
    """A cue being played: its samples, how far it has played, and when it is due."""

    samples: NDArray[np.float32]
    due: float | None
    """The monotonic moment its first sample should leave; None once it has begun."""
    speech: bool = False
    """A spoken line: a new one fades out any still being said."""
    played: int = 0


class LiveMix:
    """The mix of one live session: cues as they are reported, over a held bed."""

    def __init__(self, rate: int) -> None:
        """Mix at ``rate`` samples a second."""
        self.rate = rate
        self._lock = threading.Lock()
        self._voices: list[_Voice] = []
        self._bed: NDArray[np.float32] | None = None
        self._bed_pcm: NDArray[np.int16] | None = None
        """The bed as it is sent when it plays alone at its own level: most of a session."""
        self._bed_name: str | None = None
        self._bed_at = 0
        """Where in the bed the next sample comes from: it only moves while heard."""
        self._bed_on = False
        self._bed_gain = 0.0
        self._held = False
        self._gain = 1.0
        """The whole mix's level: falls to 0 when held, and rises again after."""
        self._step = 1.0 / max(round(FADE_SECONDS * rate), 1)
        """How much a fading gain moves a sample."""
        self._floats = ClipFloats(rate)
        """Each clip's samples as floats, made once: the same cues play every breath."""

    def play(self, clip: Clip, due: float) -> None:
        """Mix ``clip`` in so that its first sample leaves at ``due`` (monotonic
        seconds) plus ``LEAD_SECONDS``, or as soon as it can after that."""
        speech = clip.name == SPEECH
        voice = _Voice(self._floats(clip), due + LEAD_SECONDS, speech)
        with self._lock:
            if self._held:
                return
            if speech:
                # Two lines at once cannot be followed: the one still being said (a
                # step skipped mid-sentence) fades out as the new one begins.
                for said in self._voices:
                    if said.speech:
                        self._fade_out(said)
            self._voices.append(voice)

    def _fade_out(self, voice: _Voice) -> None:
        """End ``voice`` within a fade from where it is."""
        fade = round(FADE_SECONDS * self.rate)
        rest = voice.samples[voice.played : voice.played + fade]
        ramp = np.linspace(1.0, 0.0, len(rest) + 1, dtype=np.float32)[1:]
        voice.samples = np.concatenate([voice.samples[: voice.played], rest * ramp])

    def loop(self, clip: Clip) -> None:
        """Fade the bed in under the cues; the same bed goes on from where it stopped."""
        with self._lock:
            if clip.name != self._bed_name:
                self._bed = as_floats(clip, self.rate)
                self._bed_pcm = np.round(self._bed * FULL_SCALE).astype("<i2")
                self._bed_name, self._bed_at = clip.name, 0
            self._bed_on = True

    def stop_loop(self) -> None:
        """Fade the bed out, keeping its place."""
        with self._lock:
            self._bed_on = False

    def hold(self, held: bool) -> None:
        """Fade everything out and keep the bed's place (a pause, a mute), or go on."""
        with self._lock:
            self._held = held

    @property
    def ringing(self) -> bool:
        """Whether a cue is still playing or waiting to."""
        with self._lock:
            return bool(self._voices)

    @property
    def sounding(self) -> bool:
        """Whether anything would be heard now or soon: a cue, or a bed not yet faded out."""
        with self._lock:
            return self._audible()

    def _audible(self) -> bool:
        bed = self._bed is not None and (self._bed_on or self._bed_gain > 0)
        return (bool(self._voices) or bed) and (not self._held or self._gain > 0)

    def fill(self, frames: int, now: float) -> NDArray[np.int16] | None:
        """The next ``frames`` samples, whose first leaves at ``now`` (monotonic
        seconds); None when all of them are silence."""
        if frames <= 0:
            return None
        with self._lock:
            if not self._audible():
                if self._held:
                    self._voices.clear()  # a cue cut off by a pause does not come back
                return None
            if self._bed_alone():
                return self._bed_slice(frames)
            gain = self._ramp(self._gain, 0.0 if self._held else 1.0, frames)
            mix = self._bed_part(frames)
            for voice in self._voices:
                self._add_voice(voice, mix, now)
            self._voices = [voice for voice in self._voices if voice.played < len(voice.samples)]
            self._gain = float(gain[-1])
            if self._held and self._gain == 0.0:
                self._voices.clear()
        mix *= gain
        return np.round(limited(mix) * FULL_SCALE).astype("<i2")

    def _bed_alone(self) -> bool:
        """Whether only the bed sounds, at its own level: no cue, no fade, no hold."""
        return (
            not self._voices
            and self._bed_on
            and self._bed_gain == 1.0
            and self._gain == 1.0
            and not self._held
            and self._bed_pcm is not None
            and len(self._bed_pcm) > 0
        )

    def _bed_slice(self, frames: int) -> NDArray[np.int16]:
        """The bed's next ``frames`` samples as they are, with no mixing to do."""
        pcm = self._bed_pcm
        assert pcm is not None
        start = self._bed_at
        stop = start + frames
        if stop <= len(pcm):
            part = pcm[start:stop]
        else:
            part = np.take(pcm, np.arange(start, stop), mode="wrap")
        self._bed_at = stop % len(pcm)
        return part

    def _bed_part(self, frames: int) -> NDArray[np.float32]:
        """The bed's share of the next ``frames`` samples, fading as it is turned on or off;
        its place moves on only while it is heard."""
        bed = self._bed
        mix = np.zeros(frames, dtype=np.float32)
        if bed is None or not len(bed):
            return mix
        target = 1.0 if self._bed_on else 0.0
        if self._bed_gain == 0.0 and target == 0.0:
            return mix
        if self._held and self._gain == 0.0:
            return mix  # held: the bed keeps its place
        where = (self._bed_at + np.arange(frames)) % len(bed)
        ramp = self._ramp(self._bed_gain, target, frames)
        mix += bed[where] * ramp
        self._bed_at = (self._bed_at + frames) % len(bed)
        self._bed_gain = float(ramp[-1])
        return mix

    def _add_voice(self, voice: _Voice, mix: NDArray[np.float32], now: float) -> None:
        frames = len(mix)
        offset = 0
        if voice.due is not None:
            offset = max(round((voice.due - now) * self.rate), 0)
            if offset >= frames:
                return  # due in a later buffer
            voice.due = None
        part = voice.samples[voice.played : voice.played + frames - offset]
        mix[offset : offset + len(part)] += part
        voice.played += len(part)

    def _ramp(self, start: float, target: float, frames: int) -> NDArray[np.float32]:
        """Gains for ``frames`` samples, from ``start`` toward ``target`` at the fade's pace."""
        if start == target:
            return np.full(frames, start, dtype=np.float32)
        direction = 1.0 if target > start else -1.0
        steps = start + direction * self._step * np.arange(1, frames + 1, dtype=np.float32)
        ramp: NDArray[np.float32] = np.clip(steps, min(start, target), max(start, target))
        return ramp.astype(np.float32)
