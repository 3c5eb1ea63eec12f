"""The session's sound: cues prepared before it starts, played as boundaries arrive.

``SessionSound`` listens to the session runner. Every clip is decoded and set
to its volume before the session begins, so a boundary only has to start a
buffer. Nothing here ever raises into a session: a failing device turns the
sound off with one notice, and the session goes on in silence.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from calm import locations
from calm.core.cue_names import COMPRESSED_SUFFIXES, CUE_NAMES
from calm.core.script import Phase
from calm.core.session import EventKind, SessionEvent, Status
from calm.core.trace import TraceWriter
from calm.sound.players import Clip, PlaybackError, Player, SilentPlayer

if TYPE_CHECKING:
    from pydub import AudioSegment

    from calm.core.timeline import Segment, Timeline

PHASE_CUES = {
    Phase.INHALE: "inhale",
    Phase.HOLD_IN: "hold",
    Phase.EXHALE: "exhale",
    Phase.HOLD_OUT: "hold",
}
"""The built-in cue for each phase when the script names none."""


def segment_cue(segment: Segment) -> str | None:
    """The cue a segment rings as it begins: a phase's (its own, or the built-in one),
    or a move step's part's (a new side or set, a repetition, a rest); else none."""
    if segment.phase is not None:
        return segment.cue or PHASE_CUES[segment.phase]
    return segment.cue if segment.move is not None else None


def step_cue(timeline: Timeline, segment: Segment) -> str | None:
    """The cue a step rings as ``segment``, its first, begins: its own, else the step
    bell; a step that begins with a breath announces itself with its phase's cue."""
    step = timeline.spans[segment.step].step
    return step.cue or (None if segment.phase is not None else "step")


class SoundError(Exception):
    """A cue file cannot be made ready; the message is one line for the user."""


def gain_for(volume: int) -> float | None:
    """Decibels for a volume from 0 to 100; None for silence."""
    if volume <= 0:
        return None
    return 20 * math.log10(min(volume, 100) / 100)


def clip_of(name: str, segment: AudioSegment, gain: float) -> Clip:
    """A segment made ready to play: mono, 16-bit, at a rate every player plays, and at
    ``gain`` decibels."""
    from calm.core.cue_files import PLAYABLE_RATES
    from calm.sound.pcm import RATE

    ready = segment.set_channels(1).set_sample_width(2)
    if ready.frame_rate not in PLAYABLE_RATES:
        ready = ready.set_frame_rate(RATE)
    ready = ready.apply_gain(gain)
    return Clip(name=name, pcm=ready.raw_data, rate=ready.frame_rate)


def builtin_cue(name: str) -> AudioSegment:
    """A built-in cue from the shipped WAV file, or freshly synthesized if it is missing."""
    from calm.core.cue_files import SoundFileError
    from calm.sound.pcm import read_sound

    path = locations.builtin_audio_dir() / f"{name}.wav"
    try:
        return read_sound(path)
    except SoundFileError:
        from calm.sound.synth import render

        return render(name)


def file_cue(path: Path) -> AudioSegment:
    """A cue from a sound file next to a script.

    Raises:
        SoundError: when it cannot be read, is not a sound calm can play, or needs
            ffmpeg that is not installed.
    """
    from calm.core.cue_files import SoundFileError
    from calm.sound.pcm import read_sound

    if path.suffix.lower() in COMPRESSED_SUFFIXES:
        try:
            from calm.sound.decode import decoded_sound
        except ImportError:
            if shutil.which("ffmpeg") is None:
                raise SoundError(
                    f"{path.name} is {path.suffix[1:]}; playing it needs miniaudio or "
                    "ffmpeg, and neither is installed (a .wav file needs nothing)"
                ) from None
        else:
            try:
                return decoded_sound(path)
            except SoundFileError as error:
                raise SoundError(f"{path.name} {error}") from error
    try:
        return read_sound(path)
    except SoundFileError as error:
        raise SoundError(f"{path.name} {error}") from error
    except Exception as error:  # pydub and ffmpeg fail in many ways on a bad file
        raise SoundError(f"{path.name} cannot be read as sound ({_reason(error)})") from error


def _reason(error: Exception) -> str:
    """An unexpected error as a few words on one line."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def cue_file(folder: Path, name: str) -> Path:
    """The sound file a script names as a cue, which must be in its folder or below.

    Raises:
        SoundError: when the name leads out of the folder, or cannot be looked at.
    """
    from calm.core.safe_read import ReadError, within

    try:
        return within(folder, name)
    except ReadError as error:
        raise SoundError(f"{name} {error.reason}") from None


def cue_names(timeline: Timeline) -> set[str]:
    """Every cue the session may play: built-in names and script files."""
    names = {"step", "end"}
    for segment in timeline.segments:
        cue = segment_cue(segment)
        if cue is not None:
            names.add(cue)
    for span in timeline.spans:
        if span.step.cue:
            names.add(span.step.cue)
    return names


def load_clips(timeline: Timeline, volume: int) -> tuple[dict[str, Clip], list[str]]:
    """Every cue the session needs, decoded and at its volume, and a notice per cue that
    cannot be made ready."""
    gain = gain_for(volume)
    if gain is None:
        return {}, []
    folder = timeline.script.path.parent if timeline.script.path else Path.cwd()
    clips: dict[str, Clip] = {}
    notices: list[str] = []
    for name in sorted(cue_names(timeline)):
        try:
            builtin = name in CUE_NAMES
            segment = builtin_cue(name) if builtin else file_cue(cue_file(folder, name))
            clips[name] = clip_of(name, segment, gain)
        except SoundError as error:
            notices.append(f"calm: no sound for {name}: {error}")
        except Exception as error:  # one cue that cannot be made ready costs only that cue
            notices.append(f"calm: no sound for {name}: {_reason(error)}")
    return clips, notices


def load_bed(name: str, volume: int) -> Clip | None:
    """An ambient bed at the session's volume; None when the volume is zero.

    The bed is read from the cache folder when it was made before; the volume is set
    here, so one kept bed serves every volume.
    """
    from calm.sound.beds import bed_pcm
    from calm.sound.pcm import pcm_segment

    gain = gain_for(volume)
    if gain is None:
        return None
    return clip_of(f"ambient {name}", pcm_segment(bed_pcm(name)), gain)


class SessionSound:
    """Plays the session's cues as the runner reports its boundaries."""

    def __init__(
        self,
        player: Player,
        clips: dict[str, Clip],
        *,
        timeline: Timeline,
        trace: TraceWriter | None = None,
        notify: Callable[[str], None] = lambda message: None,
        bed: Clip | None = None,
        voice: Mapping[int, Clip] | None = None,
    ) -> None:
        """Get the clips ready; a ``bed`` waits to loop until the session's first moment.
        ``voice`` maps a segment's index to the line spoken as it begins."""
        self.player = player
        self.clips = clips
        self.voice = dict(voice or {})
        self._spoken: int | None = None
        """The segment whose line was spoken last, so a step's first breath says it once."""
        self.timeline = timeline
        self.muted = False
        self._paused = False
        self._silenced = False
        self._bed = bed
        self._bed_waiting = bed is not None
        self._begun = False
        """Whether the session has had its first moment."""
        self._over = False
        """Whether the session has ended, or its sound was stopped: no bed begins after."""
        self._trace = trace
        self._notify = notify
        try:
            player.prepare([*clips.values(), *self.voice.values()])
        except Exception as error:  # a full temp folder, say: silence, not a failed start
            self._fail(f"{type(error).__name__}: {error}")

    def __call__(self, event: SessionEvent) -> None:
        """Play the cue for one session event, if it has one."""
        heard = time.monotonic()
        late = 0.0 if event.scheduled is None else min(max(event.t - event.scheduled, 0.0), 0.05)
        self._begun = True
        if event.kind is EventKind.END:
            self._over = True
        if self._bed_waiting and self._bed is not None:
            # The bed begins with the session, not while the user answers a check-in.
            self._bed_waiting = False
            self.play_bed(self._bed)
        if event.kind in (EventKind.PAUSE, EventKind.RESUME):
            # Skipping about while paused moves the session, but nothing is being breathed.
            self._paused = event.kind is EventKind.PAUSE
            self._hold()
            return
        if self.muted or self._silenced or self._paused:
            return
        name = self.cue_for(event)
        if name is not None and name in self.clips:
            # A player that can place the cue exactly places it when it was due.
            if not self._play(self.clips[name], heard - late):
                return
            if self._trace is not None:
                started = event.t + (time.monotonic() - heard)
                self._trace.write({"event": "cue", "name": name, "t": round(started, 6)})
        spoken = self.line_for(event)
        if spoken is not None:
            self._play(self.voice[spoken], heard - late)

    def _play(self, clip: Clip, due: float) -> bool:
        """Start ``clip``; False when the device failed and the session went silent."""
        try:
            self.player.play(clip, due)
        except PlaybackError as error:
            self._fail(str(error))
            return False
        except Exception as error:  # a player's own bug must not end a session either
            self._fail(f"{type(error).__name__}: {error}")
            return False
        return True

    def line_for(self, event: SessionEvent) -> int | None:
        """The segment whose spoken line an event begins, if it has one not yet begun."""
        segment = event.segment
        if event.kind not in (EventKind.STEP, EventKind.PHASE) or segment is None:
            return None
        if segment.index not in self.voice or segment.index == self._spoken:
            return None
        self._spoken = segment.index
        return segment.index

    def cue_for(self, event: SessionEvent) -> str | None:
        """Which cue an event calls for: a phase's, a new step's bell, or the end chime."""
        segment = event.segment
        if event.kind is EventKind.PHASE and segment is not None:
            return segment_cue(segment)
        if event.kind is EventKind.STEP and segment is not None:
            return step_cue(self.timeline, segment)
        if event.kind is EventKind.END and event.status is Status.COMPLETED:
            return "end"
        return None

    @property
    def silenced(self) -> bool:
        """Whether the device failed and the session went on in silence."""
        return self._silenced

    def toggle_mute(self) -> bool:
        """Mute or unmute the cues and the bed; True when now muted."""
        self.muted = not self.muted
        self._hold()
        if self.muted:
            self.stop_bed()
        elif self._bed is not None and not self._bed_waiting:
            self.play_bed(self._bed)
        return self.muted

    def _hold(self) -> None:
        """Hold the player silent while paused or muted (a player that can)."""
        try:
            self.player.hold(self._paused or self.muted)
        except Exception as error:  # a player's own bug must not end a session
            self._fail(f"{type(error).__name__}: {error}")

    def bed_arrived(self, bed: Clip | None) -> None:
        """A bed made after the rest of the sound (None at no volume): it loops from the
        session's first moment, or at once if the session is under way, and one that
        comes after the session is over never plays."""
        if bed is None or self._over:
            return
        if self._begun:
            self.play_bed(bed)
        else:
            self._bed, self._bed_waiting = bed, True

    def play_bed(self, bed: Clip) -> None:
        """Start an ambient bed looping under the cues."""
        self._bed = bed
        if self._silenced or self.muted:
            return
        try:
            self.player.loop(bed)
        except Exception as error:  # the bed is a nicety; it must never stop a session
            self._fail(str(error) if isinstance(error, PlaybackError) else repr(error))

    def stop_bed(self) -> None:
        """Stop the ambient bed, letting cues ring on."""
        with contextlib.suppress(Exception):
            self.player.stop_loop()

    def finish(self, timeout: float = 4.0) -> None:
        """The session is over: stop the bed, and let a last cue ring out."""
        # A broken device must never keep the user from leaving.
        with contextlib.suppress(Exception):
            self.player.stop_loop()
        with contextlib.suppress(Exception):
            self.player.settle(timeout)

    def stop(self) -> None:
        """Stop every sound, quietly; a bed still on its way never plays."""
        self._over = True
        with contextlib.suppress(Exception):
            self.player.stop()

    def _fail(self, reason: str) -> None:
        self.player = SilentPlayer()
        self._silenced = True
        self._notify(f"Sound stopped: {reason}.")


def prepare_sound(
    timeline: Timeline,
    *,
    volume: int,
    ambient: str | None,
    trace: TraceWriter | None,
    ring: Callable[[], None] | None,
    notify: Callable[[str], None],
    voice: Speaking | None = None,
) -> SessionSound:
    """Everything the session will play, made ready before it starts, the bed to loop
    from its first moment, and the spoken lines when ``voice`` asks for them; each cue
    that cannot be made ready is one notice, and so is a voice that cannot speak."""
    from calm.sound.players import SilentPlayer, choose_player, player_notice

    clips, notices = load_clips(timeline, volume)
    wrong_player = player_notice()
    if wrong_player:
        notices.insert(0, wrong_player)
    for notice in notices:
        notify(notice)
    bed = load_bed(ambient, volume) if ambient else None
    player = choose_player(ring)
    lines: dict[int, Clip] = {}
    if voice is not None and clips and not isinstance(player, SilentPlayer):
        # The bell and silence cannot speak; a voice is only made for a real player.
        from calm.sound.voice import SESSION_WAIT_SECONDS

        lines = spoken_lines(
            timeline, clips, voice, volume=volume, notify=notify, wait_seconds=SESSION_WAIT_SECONDS
        )
    return SessionSound(
        player, clips, timeline=timeline, trace=trace, notify=notify, bed=bed, voice=lines
    )


def spoken_lines(
    timeline: Timeline,
    clips: Mapping[str, Clip],
    voice: Speaking,
    *,
    volume: int,
    notify: Callable[[str], None],
    untimed_ms: int = 0,
    wait_seconds: float | None = None,
) -> dict[int, Clip]:
    """What the voice says, by segment, fitted between ``clips`` as a session plays
    them (``calm.sound.voice.make_voice``); what stands in its way is one notice."""
    from calm.sound.voice import make_voice

    made = make_voice(
        timeline,
        volume=volume,
        rate_wpm=voice.rate_wpm,
        phases=voice.phases,
        untimed_ms=untimed_ms,
        cue_lengths={name: clip.seconds for name, clip in clips.items()},
        wait_seconds=wait_seconds,
    )
    if made.notice:
        notify(made.notice)
    return made.clips


@dataclass(frozen=True, slots=True)
class Speaking:
    """How the voice speaks a session: its rate, and when it names the phases."""

    rate_wpm: int
    """Words a minute."""
    phases: str
    """"first", "every" or "none" (``calm.sound.voice_lines``)."""
