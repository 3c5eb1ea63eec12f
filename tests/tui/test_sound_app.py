"""Sound in the Textual session: cues at boundaries, the m key, and a quiet failure."""

from __future__ import annotations

import json

import pytest

from tests.support.sound import RecordingPlayer, run


def test_each_boundary_plays_its_cue_and_is_traced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two breaths play inhale, exhale, inhale, exhale, then the end chime, each traced."""
    player = RecordingPlayer()
    app = run(player, monkeypatch, keys=[])
    assert player.played == ["inhale", "exhale", "inhale", "exhale", "end"]
    lines = app.trace_text.getvalue().splitlines()  # type: ignore[attr-defined]
    cues = [json.loads(line)["name"] for line in lines if '"cue"' in line]
    assert cues == player.played


def test_m_mutes_the_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    """After m, no more cues play; the first inhale, before it, did."""
    player = RecordingPlayer()
    app = run(player, monkeypatch, keys=["m"])
    assert player.played == ["inhale"]
    assert app.sound is not None and app.sound.muted


def test_m_twice_brings_the_sound_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressing m again unmutes: the later cues play."""
    player = RecordingPlayer()
    run(player, monkeypatch, keys=["m", "m"])
    assert player.played == ["inhale", "exhale", "inhale", "exhale", "end"]


def test_a_failing_device_never_stops_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A device that refuses every sound: the session still completes, with one notice."""
    player = RecordingPlayer(fail=True)
    app = run(player, monkeypatch, keys=[])
    assert app.runner is not None
    assert app.runner.status.value == "completed"
    notices = [said for said in app.said if "Sound stopped" in said]
    assert len(notices) == 1
