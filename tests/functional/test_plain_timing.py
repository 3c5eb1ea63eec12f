"""A real session in a real subprocess: every boundary lands on schedule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calm.core.loader import load_script
from calm.core.timeline import compile_timeline
from calm.practice.tips import TIPS

THREE_SECONDS = """\
title = "Three seconds"
summary = "A short script for measuring timing."
category = "breathing"

[[steps]]
say = "Arrive."
seconds = 0.5

[[steps]]
breathe = "Breathe."
pattern = "0.4-0.3-0.5-0.2"
cycles = 2

[[steps]]
say = "Done."
seconds = 0.3
"""

TOLERANCE = 0.050
"""How late or early a boundary may land, in seconds."""


@pytest.mark.slow
def test_every_boundary_lands_within_50_ms(tmp_path: Path) -> None:
    """Each step and phase event in the trace is within 50 ms of its planned time."""
    script_file = tmp_path / "three.toml"
    script_file.write_text(THREE_SECONDS, encoding="utf-8")
    trace_file = tmp_path / "trace.jsonl"
    env = dict(os.environ, CALM_TRACE=str(trace_file))
    result = subprocess.run(
        [sys.executable, "-m", "calm", "start", str(script_file), "--plain"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    events = [json.loads(line) for line in trace_file.read_text().splitlines()]
    timeline = compile_timeline(load_script(script_file))
    boundaries = [event for event in events if event["event"] in ("step", "phase")]
    phase_starts = [event["scheduled"] for event in boundaries if event["event"] == "phase"]
    planned_phases = [seg.start_ms / 1000 for seg in timeline.segments if seg.phase is not None]
    assert phase_starts == pytest.approx(planned_phases, abs=1e-6)

    for event in boundaries:
        assert abs(event["t"] - event["scheduled"]) <= TOLERANCE, event
    end = events[-1]
    assert end["event"] == "end"
    assert end["scheduled"] == pytest.approx(timeline.total_seconds, abs=1e-6)
    assert abs(end["t"] - end["scheduled"]) <= TOLERANCE


@pytest.mark.slow
def test_interrupt_ends_calmly_with_one_line(tmp_path: Path) -> None:
    """SIGINT mid-session prints a one-line summary, exits 0 and traces the end."""
    import signal
    import time

    script_file = tmp_path / "long.toml"
    script_file.write_text(THREE_SECONDS.replace("cycles = 2", "cycles = 50"), encoding="utf-8")
    trace_file = tmp_path / "trace.jsonl"
    env = dict(os.environ, CALM_TRACE=str(trace_file))
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "start", str(script_file), "--plain"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (
        trace_file.exists() and '"phase"' in trace_file.read_text()
    ):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    # The closing line, the week's sentence from the history, and what to do afterwards
    # (a tip, for a script with no reminder of its own), as the screen's summary has.
    closing, week, afterwards = out.strip().splitlines()[-3:]
    assert closing.startswith("Session ended after ")
    assert "this week" in week
    assert afterwards in TIPS
    assert json.loads(trace_file.read_text().splitlines()[-1])["event"] == "end"


PROMPTED = """\
title = "Prompted"
summary = "A say step, then a prompt that waits."
category = "grounding"

[[steps]]
say = "Arrive."
seconds = 0.6

[[steps]]
prompt = "Notice your feet on the floor."

[[steps]]
say = "Done."
seconds = 0.2
"""


@pytest.mark.slow
def test_enter_pressed_before_a_prompt_does_not_skip_it(tmp_path: Path) -> None:
    """An Enter typed during an earlier step is dropped; the prompt waits for a fresh one."""
    import time

    script_file = tmp_path / "prompted.toml"
    script_file.write_text(PROMPTED, encoding="utf-8")
    trace_file = tmp_path / "trace.jsonl"
    env = dict(os.environ, CALM_TRACE=str(trace_file))
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "start", str(script_file), "--plain"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not trace_file.exists():
        time.sleep(0.01)
    process.stdin.write("\n")  # during the say step: too early for the prompt
    process.stdin.flush()
    # Waiting for the prompt to be shown, not for a time: on a busy machine the session
    # may begin well after the trace does.
    for line in process.stdout:
        if "Notice your feet" in line:
            break
    time.sleep(0.5)
    process.stdin.write("\n")  # now, for the prompt
    process.stdin.flush()
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    events = [json.loads(line) for line in trace_file.read_text().splitlines()]
    prompt = next(e for e in events if e["event"] == "step" and e["step"] == 2)
    after_prompt = next(e for e in events if e["event"] == "step" and e["step"] == 3)
    # The early Enter would have ended the prompt as it began; it waited for the fresh one.
    assert after_prompt["t"] - prompt["t"] > 0.4, events
    assert after_prompt["scheduled"] is None
