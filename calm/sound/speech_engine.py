"""The system's speech engine: found on the PATH, and asked to say one line into a file.

calm speaks through an engine already on the machine: ``espeak-ng`` (or the older
``espeak``) on Linux and elsewhere, ``say`` on macOS. Each can write what it says
to a WAV file, so a line can be rendered before the session starts and mixed into
its soundtrack like a cue. ``spd-say`` is not used: it speaks only through the
speech daemon, straight to the device, and cannot write a file.

An engine runs with an argument list, never a shell. The words go in a text file
of their own (``-f``), so a line starting with "-" is never read as an option; its
input is empty, its output and errors go to files read only so far, and a line
that takes longer than ``LINE_TIMEOUT`` seconds, or writes more than a line could
need, is stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import wave
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from calm.core.safe_read import ReadError, read_bytes
from calm.core.safe_text import one_line

ENGINES = ("espeak-ng", "espeak", "say")
"""The engines tried, in order; ``say`` only on macOS."""
LINE_TIMEOUT = 15.0
"""The longest one line may take to render, in seconds: a long line takes well under one."""
MAX_LINE_SECONDS = 120
"""The longest sound one line may make; a longer file is taken as a failure."""
FASTEST_WPM = 400
"""The fastest rate any engine is asked for, in words a minute."""
SLOWEST_WPM = 80
"""The slowest rate espeak-ng takes."""
_ERROR_BYTES = 2000
"""How much of an engine's error output is read, for the one line said about it."""
MAX_SPEECH_BYTES = 4096 + MAX_LINE_SECONDS * 48_000 * 2 * 2
"""The most an engine may write for one line: a WAV header, then ``MAX_LINE_SECONDS`` of
the richest sound an engine writes."""
MAX_ERROR_BYTES = 1_000_000
"""The most error output an engine may write for one line before it is stopped: a flood
of it would fill the temporary folder, often held in memory, until the line timed out."""
WATCH_SECONDS = 0.02
"""How often a running engine's files are measured."""


class SpeechError(Exception):
    """An engine could not say a line; the message is a few words for the user."""


class EngineHung(SpeechError):
    """An engine took longer than ``LINE_TIMEOUT`` over a line, and was stopped."""


@dataclass(frozen=True, slots=True)
class Speech:
    """One line as an engine said it: 16-bit mono samples at ``rate``."""

    pcm: bytes
    rate: int


@dataclass(frozen=True, slots=True)
class Engine:
    """A speech engine found on this machine."""

    name: str
    """The command's name: "espeak-ng", "espeak" or "say"."""
    path: str
    """Where it was found."""
    version: str
    """What changes when the engine is replaced: its file's size and time, for the cache."""

    def command(self, text_file: Path, out: Path, rate_wpm: int, voice: str | None) -> list[str]:
        """The argument list that says the words in ``text_file`` into the WAV file ``out``."""
        rate = str(max(SLOWEST_WPM, min(FASTEST_WPM, rate_wpm)))
        if self.name == "say":
            chosen = ["-v", voice] if voice else []
            return [
                self.path,
                *chosen,
                "-r",
                rate,
                "--data-format=LEI16@22050",
                "-o",
                str(out),
                "-f",
                str(text_file),
            ]
        chosen = ["-v", voice] if voice else []
        # -b 1: the file is UTF-8; -z: no pause after the last sentence; never -m (SSML).
        options = ["-s", rate, "-b", "1", "-z", "-w", str(out)]
        return [self.path, *chosen, *options, "-f", str(text_file)]

    def say(
        self,
        text: str,
        *,
        rate_wpm: int,
        voice: str | None,
        folder: Path,
        timeout: float | None = None,
    ) -> Speech:
        """``text`` spoken at ``rate_wpm`` words a minute, rendered in ``folder``, in at most
        ``timeout`` seconds (``LINE_TIMEOUT`` when None, and never more).

        Raises:
            SpeechError: when the engine fails, takes too long, or writes no sound.
        """
        text_file, out, errors = folder / "line.txt", folder / "line.wav", folder / "errors.txt"
        try:
            for old in (out, errors):
                old.unlink(missing_ok=True)
            text_file.write_text(text + "\n", encoding="utf-8", errors="replace")
            with errors.open("wb") as error_output:
                engine = subprocess.Popen(
                    self.command(text_file, out, rate_wpm, voice),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=error_output,
                )
            most = {out: MAX_SPEECH_BYTES, errors: MAX_ERROR_BYTES}
            allowed = LINE_TIMEOUT if timeout is None else min(timeout, LINE_TIMEOUT)
            returncode = self._finished(engine, most, allowed)
        except OSError as error:
            raise SpeechError(f"{self.name} could not run ({error.strerror or error})") from None
        if returncode != 0:
            said = _first_line(errors)
            detail = f": {said}" if said else ""
            raise SpeechError(f"{self.name} failed (status {returncode}){detail}")
        return _read_speech(out, self.name)

    def _finished(
        self, engine: subprocess.Popen[bytes], most: dict[Path, int], allowed: float
    ) -> int:
        """How ``engine`` ended; it is stopped when it takes longer than ``allowed`` seconds
        or writes more to a file than ``most`` allows it, which nothing that speaks does.

        Raises:
            SpeechError: when it was stopped (``EngineHung`` for the time).
        """
        deadline = time.monotonic() + allowed
        try:
            while True:
                try:
                    return engine.wait(timeout=WATCH_SECONDS)
                except subprocess.TimeoutExpired:
                    pass
                if time.monotonic() > deadline:
                    raise EngineHung(f"{self.name} took over {allowed:.2g} s to say a line")
                for path, limit in most.items():
                    with contextlib.suppress(OSError):
                        if path.stat().st_size > limit:
                            raise SpeechError(f"{self.name} wrote too much for one line")
        finally:
            if engine.returncode is None:
                engine.kill()
                engine.wait()


def find_engine(platform: str = sys.platform) -> Engine | None:
    """The first speech engine on the PATH that can write a file; None when there is none."""
    for name in ENGINES:
        if name == "say" and platform != "darwin":
            continue
        found = shutil.which(name)
        if found is None:
            continue
        try:
            status = os.stat(found)
        except OSError:
            continue
        return Engine(name=name, path=found, version=f"{status.st_size}-{status.st_mtime_ns}")
    return None


def _read_speech(out: Path, name: str) -> Speech:
    """The sound an engine wrote to ``out``, read only so far."""
    try:
        data = read_bytes(out, MAX_SPEECH_BYTES)
    except ReadError as error:
        raise SpeechError(f"{name} wrote no sound ({error.reason})") from None
    try:
        with wave.open(BytesIO(data), "rb") as sound:
            rate, channels, width = sound.getframerate(), sound.getnchannels(), sound.getsampwidth()
            frames = sound.readframes(sound.getnframes())
    except (EOFError, wave.Error) as error:
        reason = str(error) or "it is cut short"
        raise SpeechError(f"{name} wrote a sound calm cannot read ({reason})") from None
    if width != 2 or channels not in (1, 2) or not 8000 <= rate <= 48_000:
        raise SpeechError(f"{name} wrote {width * 8}-bit sound in {channels} channels at {rate} Hz")
    if channels == 2:
        import numpy as np

        pair = np.frombuffer(frames[: len(frames) // 4 * 4], dtype="<i2").reshape(-1, 2)
        frames = pair.mean(axis=1).round().astype("<i2").tobytes()
    return Speech(pcm=frames[: len(frames) // 2 * 2], rate=rate)


def _first_line(errors: Path) -> str:
    """The first line an engine wrote to its errors, safe to show; empty for none."""
    try:
        with errors.open("rb") as said:
            data = said.read(_ERROR_BYTES)
    except OSError:
        return ""
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return one_line(lines[0])[:200] if lines else ""
