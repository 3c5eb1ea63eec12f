"""CALM_TRACE is data: only a file is written, a failing one costs one line, and the lines
come in the order things happened."""

from __future__ import annotations

import errno
import io
import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from calm.core.clock import ManualClock
from calm.core.loader import parse_script_bytes
from calm.core.timeline import compile_timeline
from calm.core.trace import TRACE_VARIABLE, TraceWriter, trace_from_environment
from calm.plain.runner import run_plain
from calm.practice.options import SessionOptions
from calm.practice.service import Practice
from calm.sound.cues import SessionSound, cue_names
from calm.sound.players import Clip, SilentPlayer

SCRIPT = b"""
title = "Traced"
summary = "For the trace."
category = "breathing"

[[steps]]
say = "Arrive."
seconds = 1

[[steps]]
breathe = "Breathe."
pattern = "1-1-1-0"
cycles = 2
"""


def _trace_of(
    monkeypatch: pytest.MonkeyPatch, target: str
) -> tuple[TraceWriter | None, str | None]:
    monkeypatch.setenv(TRACE_VARIABLE, target)
    return trace_from_environment()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_at_once_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO with nothing reading it used to hold calm up before the session for ever."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    trace, notice = _trace_of(monkeypatch, str(fifo))
    assert time.monotonic() - started < 5  # a sanity guard: the open never waits
    assert trace is None
    assert notice == f"calm: not tracing: CALM_TRACE={fifo}: it is a named pipe, not a file"


@pytest.mark.parametrize(
    ("target", "kind"),
    [("/dev/full", "a device"), ("/dev/zero", "a device"), (".", "a folder")],
)
def test_what_is_not_a_file_is_refused(
    target: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Devices and folders are not written to: one line says what the target is."""
    if not os.path.exists(target):
        pytest.skip(f"no {target} here")
    trace, notice = _trace_of(monkeypatch, target)
    assert trace is None
    assert notice == f"calm: not tracing: CALM_TRACE={target}: it is {kind}, not a file"


def test_the_null_device_and_a_file_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/dev/null is a way to say "trace nowhere"; a file gets its lines appended."""
    trace, notice = _trace_of(monkeypatch, os.devnull)
    assert trace is not None and notice is None
    trace.write({"event": "x"})
    trace.close()
    path = tmp_path / "trace.jsonl"
    path.write_text('{"event": "before"}\n', encoding="utf-8")
    trace, notice = _trace_of(monkeypatch, str(path))
    assert trace is not None and notice is None
    trace.write({"event": "after"})
    trace.close()
    assert path.read_text(encoding="utf-8").splitlines() == [
        '{"event": "before"}',
        '{"event": "after"}',
    ]


def test_a_name_with_control_characters_is_shown_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notice never carries an escape sequence from the variable to the terminal."""
    target = str(tmp_path / "no such folder" / "\x1b]0;owned\x07.jsonl")
    trace, notice = _trace_of(monkeypatch, target)
    assert trace is None and notice is not None
    assert "\x1b" not in notice and "\x07" not in notice
    assert notice.endswith("cannot be written (No such file or directory)")


class FailingFile(io.StringIO):
    """A file on a full disk: every flush fails."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        self.flush()


def test_a_failing_write_is_one_notice_and_the_trace_stops() -> None:
    """A full disk: one line, no more writes tried, and closing raises nothing."""
    handle = FailingFile()
    told: list[str] = []
    trace = TraceWriter(handle, name="CALM_TRACE=t.jsonl", notify=told.append)
    for _ in range(3):
        trace.write({"event": "step"})
    trace.close()
    assert told == [
        "calm: the trace stopped: CALM_TRACE=t.jsonl could not be written (No space left on device)"
    ]
    assert handle.writes == 1
    assert not trace.active


def test_a_trace_that_fails_only_as_it_closes_is_one_notice() -> None:
    """The last buffered line failing at close is a notice, never an exception."""

    class FailsOnClose(io.StringIO):
        def close(self) -> None:
            raise OSError(errno.EIO, "Input/output error")

    told: list[str] = []
    trace = TraceWriter(FailsOnClose(), notify=told.append)
    trace.write({"event": "end"})
    trace.close()
    trace.close()
    assert told == ["calm: the trace stopped: the trace could not be written (Input/output error)"]


def test_a_cue_line_follows_the_event_that_called_for_it() -> None:
    """Each cue is written after its step or phase, and the lines run in time order."""
    timeline = compile_timeline(parse_script_bytes(SCRIPT, name="traced", source="t.toml"))
    handle = io.StringIO()
    trace = TraceWriter(handle)
    clips = {name: Clip(name, b"\0\0" * 10, 44_100) for name in cue_names(timeline)}
    sound = SessionSound(SilentPlayer(), clips, timeline=timeline, trace=trace)
    clock = ManualClock()
    practice = Practice(SessionOptions(volume=70), trace=trace, make_sound=lambda *_: sound)
    run_plain(
        timeline, practice, out=io.StringIO(), stdin=io.StringIO(), clock=clock, sleep=clock.advance
    )
    lines: list[dict[str, Any]] = [json.loads(line) for line in handle.getvalue().splitlines()]
    assert lines[0]["event"] == "step" and lines[0]["t"] == 0
    assert lines[1] == {"event": "cue", "name": "step", "t": lines[1]["t"]}
    times = [line["t"] for line in lines]
    assert times == sorted(times)
    for before, line in itertools.pairwise(lines):
        if line["event"] == "cue":
            assert before["event"] in ("step", "phase", "end"), (before, line)
