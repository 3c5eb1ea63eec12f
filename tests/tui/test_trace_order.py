"""The full screen's trace: a cue's line follows the event that called for it."""

from __future__ import annotations

import itertools
import json

import pytest

from tests.support.sound import RecordingPlayer, run


def test_each_cue_is_traced_after_its_event(monkeypatch: pytest.MonkeyPatch) -> None:
    """The phase line comes first, then its cue, and the lines run in time order."""
    app = run(RecordingPlayer(), monkeypatch, keys=[])
    text = app.trace_text.getvalue()  # type: ignore[attr-defined]
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["event"] for line in lines[:3]] == ["step", "phase", "cue"]
    times = [line["t"] for line in lines]
    assert times == sorted(times)
    for before, line in itertools.pairwise(lines):
        if line["event"] == "cue":
            assert before["event"] in ("phase", "end"), (before, line)
