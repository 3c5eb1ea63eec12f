"""The optional spoken voice: each step's words said by the system's speech engine,
rendered before the session starts and mixed into its soundtrack like a cue.

The entry point, for the live session and for ``calm render``::

    result = make_voice(timeline, volume=70, rate_wpm=135, phases="first",
                        untimed_ms=0, cue_lengths={"step": 1.81, ...})
    Soundtrack(timeline, clips, ..., voice=result.clips)
    if result.notice: notify(result.notice)

``make_voice`` returns a ``VoiceResult``: ``clips`` maps a segment's index to what
is spoken as it starts (a ``Clip`` of 16-bit mono samples at ``RATE``, already at
the session's volume), and ``notice`` is one line to show, or None. What is said is
``calm.sound.voice_lines.spoken_lines``; which engine says it is
``calm.sound.speech_engine``; how its sound is trimmed and levelled is
``calm.sound.spoken_sound``. ``speak_line`` says one line, for ``calm audio test``.

- **Before the session**: each distinct line is rendered once, and kept in the
  cache folder under a hash of the engine, its version, the voice, the rate and
  the words, so that the next session reads it back at once. A kept line that is
  damaged is said again. The folder is kept under ``CACHE_BYTES``, oldest first out.
- **Fit**: a line must be over by the next cue's onset, or at worst by the end of
  that cue (``cue_lengths``, in seconds; none given, by the onset itself). A line
  too long for its segment is said again faster, up to ``FASTEST_SHARE`` times the
  rate, and what still does not fit is cut at the limit with a short fade. A prompt
  that waits for the user (``untimed_ms`` 0) has all the time it needs.
- **Never in the way**: with no engine, the volume at 0 or a line that fails, the
  session goes on; ``make_voice`` never raises for them, and says so in one notice.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import math
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from calm import locations
from calm.core.safe_text import one_line
from calm.sound.cues import gain_for
from calm.sound.kept_sound import header_size, keep, read_kept
from calm.sound.pcm import RATE
from calm.sound.players import Clip
from calm.sound.soundtrack import cue_times, segment_starts
from calm.sound.speech_engine import (
    MAX_LINE_SECONDS,
    Engine,
    EngineHung,
    SpeechError,
    find_engine,
)
from calm.sound.spoken_sound import faded, floats, levelled, pcm_of, resampled, trimmed
from calm.sound.voice_lines import DEFAULT_VOICE_PHASES, speakable, spoken_lines

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from calm.core.timeline import Timeline

DEFAULT_RATE_WPM = 135
"""Slow and unhurried: espeak-ng's own rate is 175 words a minute."""
RATE_RANGE = (80, 250)
"""The speaking rates calm takes, in words a minute."""
FASTEST_SHARE = 1.6
"""How much faster than the set rate a line may be said to fit its segment."""
MIN_ROOM_SECONDS = 0.4
"""A line with less room than this is not said at all: it would be a fragment."""
SESSION_WAIT_SECONDS = 4.0
"""The longest a live session's voice may take to make, in all: the session cannot begin
until it is made, so an engine that hangs must not keep the screen waiting its full time."""
CACHE_BYTES = 50_000_000
"""The most the kept lines may hold together; the oldest go first past it."""
FORMAT = 1
"""How kept lines are made; change it whenever ``calm.sound.spoken_sound`` changes them."""
TEST_LINE = "This is how the voice sounds."
"""What ``calm audio test --voice`` says."""
NO_ENGINE = (
    "calm: no voice: install espeak-ng (sudo apt install espeak-ng) to hear the steps "
    "spoken; the session goes on without it"
)
"""Said once when ``--voice`` finds no speech engine."""


@dataclass(frozen=True, slots=True)
class VoiceResult:
    """What the voice will say, and the one line to show about it."""

    clips: dict[int, Clip] = field(default_factory=dict)
    """What is spoken as each segment starts, by the segment's index."""
    notice: str | None = None
    """One line for the user when something could not be said; None when all is well."""
    engine: str | None = None
    """The engine's name, such as "espeak-ng"; None when none was used."""


@dataclass(frozen=True, slots=True)
class Room:
    """How long a line may last: ``target`` to the next cue's onset, ``limit`` at worst."""

    target: float
    limit: float


def make_voice(
    timeline: Timeline,
    *,
    volume: int,
    rate_wpm: int = DEFAULT_RATE_WPM,
    phases: str = DEFAULT_VOICE_PHASES,
    untimed_ms: int = 0,
    cue_lengths: Mapping[str, float] | None = None,
    voice: str | None = None,
    wait_seconds: float | None = None,
) -> VoiceResult:
    """Every line the session speaks, rendered, fitted and at ``volume``; see the module's
    docstring. Never raises for a missing engine or a line that fails. With
    ``wait_seconds``, the engine has that long for all the lines it has to make (a live
    session waits for them: ``SESSION_WAIT_SECONDS``); what is not made by then is not said."""
    lines = spoken_lines(timeline, phases)
    rooms = line_rooms(timeline, untimed_ms=untimed_ms, cue_lengths=cue_lengths)
    return _spoken(
        lines, rooms, volume=volume, rate_wpm=rate_wpm, voice=voice, wait_seconds=wait_seconds
    )


def speak_line(
    text: str, *, volume: int, rate_wpm: int = DEFAULT_RATE_WPM, voice: str | None = None
) -> VoiceResult:
    """One line, said whole, as ``make_voice`` says each; its clip is ``clips[0]``."""
    spoken = speakable(text)
    lines = {0: spoken} if spoken else {}
    return _spoken(lines, {0: None}, volume=volume, rate_wpm=rate_wpm, voice=voice)


def line_rooms(
    timeline: Timeline, *, untimed_ms: int = 0, cue_lengths: Mapping[str, float] | None = None
) -> dict[int, Room | None]:
    """How long a line spoken at each segment's start may last, by the segment's index:
    to the next cue's onset, and at worst to the end of the shortest cue there; None for
    a prompt that waits for the user, with no time set for it."""
    cues = cue_times(timeline, untimed_ms=untimed_ms)
    onsets = [ms for ms, _ in cues]
    lengths = cue_lengths or {}
    rooms: dict[int, Room | None] = {}
    for segment, start in zip(
        timeline.segments, segment_starts(timeline, untimed_ms=untimed_ms), strict=True
    ):
        if segment.untimed and untimed_ms <= 0:
            rooms[segment.index] = None
            continue
        first = bisect.bisect_right(onsets, start)
        if first == len(onsets):
            rooms[segment.index] = Room(0.0, 0.0)
            continue
        at = onsets[first]
        there = [lengths.get(name, 0.0) for ms, name in cues[first:] if ms == at]
        target = (at - start) / 1000
        rooms[segment.index] = Room(target, target + max(0.0, min(there)))
    return rooms


def _spoken(
    lines: Mapping[int, str],
    rooms: Mapping[int, Room | None],
    *,
    volume: int,
    rate_wpm: int,
    voice: str | None,
    wait_seconds: float | None = None,
) -> VoiceResult:
    """The clips for ``lines``, each fitted to its room, at ``volume``, all made within
    ``wait_seconds`` when it is given."""
    gain = gain_for(volume)
    if gain is None or not lines:
        return VoiceResult()
    engine = find_engine()
    if engine is None:
        return VoiceResult(notice=NO_ENGINE)
    rate = max(RATE_RANGE[0], min(RATE_RANGE[1], rate_wpm))
    clips: dict[int, Clip] = {}
    made: dict[tuple[str, Room | None], Clip | None] = {}
    silent: set[str] = set()
    try:
        working = tempfile.TemporaryDirectory(prefix="calm-voice-", ignore_cleanup_errors=True)
    except OSError as error:
        reason = error.strerror or str(error)
        return VoiceResult(notice=one_line(f"calm: no voice: no room to make it ({reason})"))
    with working as folder:
        speaker = _Speaker(engine, voice, Path(folder))
        if wait_seconds is not None:
            speaker.deadline = time.monotonic() + wait_seconds
        for index, text in sorted(lines.items()):
            room = rooms.get(index)
            if room is not None and room.limit < MIN_ROOM_SECONDS:
                continue  # a fragment of a word helps no one
            key = (text, room)
            if key not in made:
                said = speaker.fitted(text, rate, room)
                made[key] = None if said is None else _clip(said, gain)
            clip = made[key]
            if clip is None:
                silent.add(text)
            else:
                clips[index] = clip
        speaker.tidy()
    return VoiceResult(clips=clips, notice=speaker.notice(len(silent)), engine=engine.name)


class _Speaker:
    """Says lines through one engine, each once, keeping what it said in the cache folder."""

    def __init__(self, engine: Engine, voice: str | None, folder: Path) -> None:
        self.engine = engine
        self.voice = voice
        self.folder = folder
        self.failures: list[str] = []
        """Why the engine could not say a line, each time it could not."""
        self.wrote = False
        self.hung: EngineHung | None = None
        """The engine stopped for taking too long: it is not asked again this session."""
        self.deadline: float | None = None
        """The monotonic moment every line must be made by; None for no limit."""
        self._said: dict[tuple[str, int], NDArray[np.float32] | None] = {}

    def fitted(self, text: str, rate: int, room: Room | None) -> NDArray[np.float32] | None:
        """``text`` said at ``rate`` and fitted to ``room``; None when it cannot be said."""
        said = self.said(text, rate)
        if said is None or room is None or len(said) <= room.target * RATE:
            return said
        # Speech shortens about as its rate rises; a little more, for the pauses.
        wanted = math.ceil(rate * len(said) / max(room.target * RATE, 1) * 1.05)
        faster = min(wanted, math.floor(rate * FASTEST_SHARE))
        quicker = self.said(text, faster) if faster > rate else None
        if quicker is not None:
            said = quicker
        limit = math.floor(room.limit * RATE)
        return said if len(said) <= limit else faded(said[:limit])

    def said(self, text: str, rate: int) -> NDArray[np.float32] | None:
        """``text`` at ``rate``, trimmed and at the voice's level, from the cache folder if it
        was said before; None when the engine cannot say it."""
        if (text, rate) not in self._said:
            self._said[text, rate] = self._kept_or_made(text, rate)
        return self._said[text, rate]

    def _kept_or_made(self, text: str, rate: int) -> NDArray[np.float32] | None:

        key = "\0".join(
            [str(FORMAT), self.engine.name, self.engine.version, self.voice or "", str(rate), text]
        )
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        path = locations.voice_cache_dir() / f"{digest[:40]}.wav"
        stamp = f"voice line {digest}"
        most = header_size(stamp) + 2 * RATE * MAX_LINE_SECONDS
        kept = read_kept(path, stamp, rate=RATE, limit=most)
        if kept:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: the last to be pruned
            return floats(kept)
        if self.hung is not None:
            self.failures.append(str(self.hung))
            return None
        timeout = None if self.deadline is None else self.deadline - time.monotonic()
        if timeout is not None and timeout <= 0:
            self.hung = EngineHung(f"{self.engine.name} took too long to make every line")
            self.failures.append(str(self.hung))
            return None
        try:
            speech = self.engine.say(
                text, rate_wpm=rate, voice=self.voice, folder=self.folder, timeout=timeout
            )
        except EngineHung as error:
            # One line waited for is enough: the session must not wait that long per line.
            self.hung = error
            self.failures.append(str(error))
            return None
        except SpeechError as error:
            self.failures.append(str(error))
            return None
        samples = levelled(trimmed(resampled(speech.pcm, speech.rate)))
        if not len(samples):
            self.failures.append(f"{self.engine.name} said nothing for a line")
            return None
        pcm = pcm_of(samples[: MAX_LINE_SECONDS * RATE])
        keep(path, stamp, pcm, rate=RATE)
        self.wrote = True
        return floats(pcm)  # as it will be read back: the same sound, kept or not

    def tidy(self) -> None:
        """Keep the cache folder under ``CACHE_BYTES``, when something was added to it."""
        if self.wrote:
            prune(locations.voice_cache_dir(), CACHE_BYTES)

    def notice(self, silent: int) -> str | None:
        """One line about the ``silent`` lines that could not be said; None for none."""
        if not silent or not self.failures:
            return None
        some = "a line" if silent == 1 else f"{silent} lines"
        return one_line(
            f"calm: the voice could not say {some}, so the session is quiet there "
            f"({self.failures[0]})"
        )


def prune(folder: Path, most: int) -> None:
    """Remove the least recently used kept lines from ``folder`` until it holds at most
    ``most`` bytes; what cannot be looked at or removed is left."""
    files: list[tuple[float, int, Path]] = []
    with contextlib.suppress(OSError):
        for path in folder.glob("*.wav"):
            with contextlib.suppress(OSError):
                status = path.stat()
                files.append((status.st_mtime, status.st_size, path))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= most:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size


def _clip(samples: NDArray[np.float32], gain: float) -> Clip:
    """A spoken line as a clip at ``gain`` decibels."""
    return Clip(name="voice", pcm=pcm_of(samples, 10 ** (gain / 20)), rate=RATE)
