"""``calm audio test`` says when ``CALM_PLAYER`` names no player calm has, as a session
does, before saying which way it plays."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from calm.cli import app
from tests.support.sound import RecordingPlayer


def audio_test(monkeypatch: pytest.MonkeyPatch, named: str) -> str:
    """What ``calm audio test`` says with ``CALM_PLAYER`` set to ``named``."""
    monkeypatch.setenv("CALM_PLAYER", named)
    player = RecordingPlayer()
    monkeypatch.setattr("calm.sound.players.choose_player", lambda *args, **kwargs: player)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    result = CliRunner().invoke(app, ["audio", "test"])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_unknown_calm_player_is_one_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    said = audio_test(monkeypatch, "\x1b[31mloud")
    lines = [line for line in said.splitlines() if "CALM_PLAYER" in line]
    assert len(lines) == 1 and "is not a player calm has" in lines[0]
    assert "\x1b" not in said


def test_a_known_calm_player_says_nothing_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "CALM_PLAYER" not in audio_test(monkeypatch, "system")
