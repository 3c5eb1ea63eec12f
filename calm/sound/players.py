"""Players: the ways calm can make a sound, tried in order, and one that never fails.

1. miniaudio, one stream for the whole session (``calm.sound.stream_player``);
2. simpleaudio, when the ``[audio]`` extra is installed;
3. a system player on PATH: paplay, pw-play, aplay or afplay;
4. the terminal bell, for the step and end cues only;
5. silence.

``CALM_PLAYER`` names one of them to use first (``miniaudio``, ``simpleaudio``,
``system``, ``bell`` or ``silence``); the rest follow in order if it cannot play.
No player blocks: each starts its sound and returns at once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from calm.sound.bed_loop import BED_OVERLAP_SECONDS, BedSwitch, repeat

SYSTEM_PLAYERS = ("paplay", "pw-play", "aplay", "afplay")
"""Command-line players, tried in this order when simpleaudio is missing."""
BELL_CUES = ("step", "end")
"""The cues worth a terminal bell when there is nothing better."""


class PlaybackError(Exception):
    """The sound device refused a sound."""


@dataclass(frozen=True, slots=True)
class Clip:
    """A sound ready to play: raw 16-bit mono samples, already at its final volume."""

    name: str
    pcm: bytes
    rate: int

    @property
    def seconds(self) -> float:
        """How long the clip plays."""
        return len(self.pcm) / 2 / self.rate

    def wav(self) -> bytes:
        """The clip as a WAV file."""
        import io
        import wave

        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.rate)
            out.writeframes(self.pcm)
        return buffer.getvalue()


def overlapping(clip: Clip, seconds: float = BED_OVERLAP_SECONDS) -> Clip:
    """``clip`` faded in and out over ``seconds``, with equal-power curves, so that two
    passes of a noise bed laid over each other there keep the same loudness."""
    import array
    import math

    samples = array.array("h", clip.pcm)
    if sys.byteorder == "big":  # the PCM is little-endian, as WAV and ALSA want it
        samples.byteswap()
    edge = min(round(seconds * clip.rate), len(samples) // 2)
    last = len(samples) - 1
    for index in range(edge):
        # Half a sample in, so the rise and the mirrored fall are exact complements.
        rise = math.sin(math.pi / 2 * (index + 0.5) / edge)
        samples[index] = round(samples[index] * rise)
        samples[last - index] = round(samples[last - index] * rise)
    if sys.byteorder == "big":
        samples.byteswap()
    return Clip(name=clip.name, pcm=samples.tobytes(), rate=clip.rate)


class Player(Protocol):
    """Something that can play clips without waiting for them."""

    name: str
    """How the player is named to the user."""

    def prepare(self, clips: list[Clip]) -> None:
        """Get ready to play these clips quickly, before the session starts."""
        ...

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Start playing ``clip`` and return at once.

        Args:
            due: When its moment came, in monotonic seconds, for a player that can
                place it exactly; the others start it now.

        Raises:
            PlaybackError: when the device refuses.
        """
        ...

    def hold(self, held: bool) -> None:
        """Fall silent and hold the bed's place (a pause, a mute), or go on; a player
        that cannot hold plays on, and only its cues are held back."""
        ...

    def loop(self, clip: Clip) -> None:
        """Play ``clip`` over and over until ``stop``."""
        ...

    def stop_loop(self) -> None:
        """Stop the looping bed, letting cues already started ring on."""
        ...

    def settle(self, timeout: float) -> None:
        """Wait, at most ``timeout`` seconds, for the sounds already started to end."""
        ...

    def stop(self) -> None:
        """Stop every sound."""
        ...


_ALSA_HANDLERS: list[object] = []
"""Keeps the C callback below alive for as long as the process runs."""


def quiet_alsa() -> None:
    """Stop ALSA printing its own errors across the screen; calm reports failures itself."""
    if not sys.platform.startswith("linux") or _ALSA_HANDLERS:
        return
    import ctypes

    try:
        alsa = ctypes.CDLL("libasound.so.2")
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handler = handler_type(lambda *_: None)
        alsa.snd_lib_error_set_handler(handler)
        _ALSA_HANDLERS.append(handler)
    except (OSError, AttributeError):
        pass  # No ALSA library by that name: nothing to quieten.


class SimpleaudioPlayer:
    """Plays through simpleaudio, straight to the sound device."""

    name = "simpleaudio"

    def __init__(self) -> None:
        import simpleaudio

        quiet_alsa()

        self._simpleaudio = simpleaudio
        self._playing: list[Any] = []
        self._switch = BedSwitch()
        self._beds: list[Any] = []

    def prepare(self, clips: list[Clip]) -> None:
        """Nothing to do: buffers go to the device as they are."""

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Start the clip on a new stream, now."""
        try:
            self._playing.append(self._simpleaudio.play_buffer(clip.pcm, 1, 2, clip.rate))
        except Exception as error:  # simpleaudio raises its own SimpleaudioError
            raise PlaybackError(_plain_reason(str(error))) from error
        self._playing = [item for item in self._playing if item.is_playing()]

    def loop(self, clip: Clip) -> None:
        """Replay the clip from a background thread, each pass over the last's end,
        until stopped."""
        faded = overlapping(clip)
        looping = self._switch.new_loop()

        def start_pass() -> None:
            with self._switch.lock:
                if looping.is_set():
                    stream = self._simpleaudio.play_buffer(faded.pcm, 1, 2, faded.rate)
                    self._beds = [*(bed for bed in self._beds if bed.is_playing()), stream]

        repeat(looping, start_pass, faded.seconds)

    def stop_loop(self) -> None:
        """Stop the bed; cues ring on."""
        with self._switch.lock:
            self._switch.turn_off()
            for bed in self._beds:
                bed.stop()

    def hold(self, held: bool) -> None:
        """Nothing to hold: each cue is a stream of its own."""

    def settle(self, timeout: float) -> None:
        """Wait for the cues still playing, up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while any(item.is_playing() for item in self._playing) and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the loop and every stream."""
        self.stop_loop()
        self._simpleaudio.stop_all()


class CommandPlayer:
    """Plays by running a system player, such as aplay, on a WAV file per cue."""

    def __init__(self, command: str) -> None:
        self.name = Path(command).name
        self._command = command
        self._folder = tempfile.TemporaryDirectory(prefix="calm-sound-")
        self._files: dict[str, Path] = {}
        self._processes: list[subprocess.Popen[bytes]] = []
        self._switch = BedSwitch()
        self._beds: list[subprocess.Popen[bytes]] = []

    def prepare(self, clips: list[Clip]) -> None:
        """Write each clip to a WAV file once, so playing it only starts a process."""
        for clip in clips:
            self._file(clip)

    def _file(self, clip: Clip) -> Path:
        path = self._files.get(clip.name)
        if path is None:
            path = Path(self._folder.name) / f"{clip.name}.wav"
            path.write_bytes(clip.wav())
            self._files[clip.name] = path
        return path

    def _start(self, clip: Clip) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(
                [self._command, str(self._file(clip))],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                # Kept, to say why when the player fails; a cue's player says little.
                stderr=subprocess.PIPE,
            )
        except OSError as error:
            raise PlaybackError(f"{self.name}: {error.strerror or error}") from error

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Start the player on the clip's file, now.

        Raises:
            PlaybackError: when the player for an earlier cue failed, such as
                aplay finding no sound device; it is found out at the next cue.
        """
        running = []
        for process in self._processes:
            if process.poll() is None:
                running.append(process)
            elif process.returncode > 0:
                self._processes = running
                raise PlaybackError(_failure(self.name, process))
            else:
                _close(process)
        self._processes = running
        self._processes.append(self._start(clip))

    def loop(self, clip: Clip) -> None:
        """Run the player on the clip again as each pass nears its end, until stopped."""
        faded = overlapping(clip)
        looping = self._switch.new_loop()

        def start_pass() -> None:
            with self._switch.lock:
                if not looping.is_set():
                    return
                running = []
                for process in self._beds:
                    if process.poll() is None:
                        running.append(process)
                        continue
                    _close(process)
                    if process.returncode > 0:
                        # A player that cannot play the bed would only fail again.
                        self._beds = running
                        raise PlaybackError(f"{self.name}: status {process.returncode}")
                self._beds = [*running, self._start(faded)]

        repeat(looping, start_pass, faded.seconds)

    def stop_loop(self) -> None:
        """Stop the bed's players; cues ring on."""
        with self._switch.lock:
            self._switch.turn_off()
            for process in self._beds:
                if process.poll() is None:
                    process.terminate()
                _close(process)

    def hold(self, held: bool) -> None:
        """Nothing to hold: each cue is a process of its own."""

    def settle(self, timeout: float) -> None:
        """Wait for the cue players still running, up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        for process in self._processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(deadline - time.monotonic(), 0))

    def stop(self) -> None:
        """Stop every player process."""
        self.stop_loop()
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
            _close(process)


def _plain_reason(message: str) -> str:
    """simpleaudio's error in words a person can use, such as "no sound device could be
    opened" for "Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory"."""
    if "opening PCM device" in message:
        if "CODE: -16" in message or "busy" in message.lower():
            return "the sound device is busy"
        return "no sound device could be opened"
    return message


def _failure(name: str, process: subprocess.Popen[bytes]) -> str:
    """Why a system player failed, in one line: the first thing it said, or its status."""
    said = process.stderr.read().decode("utf-8", errors="replace") if process.stderr else ""
    _close(process)
    first = next((line.strip() for line in said.splitlines() if line.strip()), "")
    return f"{name}: {first}" if first else f"{name} stopped with status {process.returncode}"


def _close(process: subprocess.Popen[bytes]) -> None:
    if process.stderr is not None:
        process.stderr.close()


class SilentPlayer:
    """Plays nothing, and never fails."""

    name = "silence"

    def prepare(self, clips: list[Clip]) -> None:
        """Nothing to prepare."""

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Play nothing."""

    def loop(self, clip: Clip) -> None:
        """Play nothing."""

    def stop_loop(self) -> None:
        """Nothing to stop."""

    def hold(self, held: bool) -> None:
        """Nothing to hold."""

    def settle(self, timeout: float) -> None:
        """Nothing to wait for."""

    def stop(self) -> None:
        """Nothing to stop."""


class BellPlayer(SilentPlayer):
    """The terminal bell, for the step and end cues; every other cue is silent."""

    name = "terminal bell"

    def __init__(self, ring: Callable[[], None]) -> None:
        self._ring = ring

    def play(self, clip: Clip, due: float | None = None) -> None:
        """Ring for a step or end cue."""
        if clip.name in BELL_CUES:
            self._ring()


def cues_heard(player: Player, cues: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``cues`` that ``player`` makes a sound for: the bell rings only for a
    step and the end, and silence for none."""
    if isinstance(player, BellPlayer):
        return tuple(cue for cue in cues if cue in BELL_CUES)
    if isinstance(player, SilentPlayer):
        return ()
    return cues


PLAYER_VARIABLE = "CALM_PLAYER"
"""Names the player to try first; see the top of this module."""
PLAYER_CHOICES = ("miniaudio", "simpleaudio", "system", "bell", "silence")
"""The players ``CALM_PLAYER`` can name, in the order calm tries them."""


def choose_player(ring: Callable[[], None] | None = None) -> Player:
    """The best player this machine has, in the order at the top of this module,
    ``CALM_PLAYER``'s first when it names one (``player_notice`` says when it does not).

    Args:
        ring: Rings the terminal bell; None when there is no terminal to ring.
    """
    first = os.environ.get(PLAYER_VARIABLE)
    order = list(PLAYER_CHOICES)
    if first in order:
        order.remove(first)
        order.insert(0, first)
    for choice in order:
        player = _player(choice, ring)
        if player is not None:
            return player
    return SilentPlayer()


def player_notice() -> str | None:
    """One line when ``CALM_PLAYER`` names no player calm has; None when it is unset or good."""
    from calm.core.safe_text import one_line
    from calm.core.value_text import describe_value

    named = os.environ.get(PLAYER_VARIABLE)
    if not named or named in PLAYER_CHOICES:
        return None
    return one_line(
        f"calm: {PLAYER_VARIABLE}: {describe_value(named)} is not a player calm has; "
        f"expected one of {', '.join(PLAYER_CHOICES)}. Using the first that plays."
    )


def _player(choice: str, ring: Callable[[], None] | None) -> Player | None:
    """The player ``choice`` names, if this machine has it."""
    if choice == "miniaudio":
        try:
            from calm.sound.pcm import RATE
            from calm.sound.stream_player import StreamPlayer

            return StreamPlayer(rate=RATE)
        except (ImportError, PlaybackError):
            return None
    if choice == "simpleaudio":
        try:
            return SimpleaudioPlayer()
        except ImportError:
            return None
    if choice == "system":
        for command in SYSTEM_PLAYERS:
            found = shutil.which(command)
            if found:
                return CommandPlayer(found)
        return None
    if choice == "bell":
        return BellPlayer(ring) if ring is not None else None
    return SilentPlayer()
