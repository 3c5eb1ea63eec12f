"""The voice's options: ``--voice`` over ``voice`` in the config, its rate and when it
names the phases, read on typer's way and on the quick way alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from calm.cli import app
from calm.cli.quick_start import read_start
from calm.config import Settings
from calm.practice.options import SessionFlags, SessionOptions, resolve_options

CONFIG = Path("/home/you/.config/calm/config.toml")


def resolve(flags: SessionFlags, settings: Settings | None = None) -> SessionOptions:
    return resolve_options(flags, settings or Settings(), config_file=CONFIG, themes=None)


def test_the_voice_is_off_slow_and_names_the_first_breath_by_default() -> None:
    options = resolve(SessionFlags())
    assert (options.voice, options.voice_rate, options.voice_phases) == (False, 135, "first")


def test_the_flag_or_the_config_turns_the_voice_on() -> None:
    assert resolve(SessionFlags(voice=True)).voice
    configured = resolve(SessionFlags(), Settings(voice=True, voice_rate=110, voice_phases="every"))
    assert (configured.voice, configured.voice_rate, configured.voice_phases) == (
        True,
        110,
        "every",
    )
    assert not configured.notices


def test_a_demo_table_can_turn_the_voice_on() -> None:
    settings = Settings(demo=(("voice", True),))
    assert resolve(SessionFlags(demo=True), settings).voice
    assert not resolve(SessionFlags(), settings).voice


@pytest.mark.parametrize(
    ("written", "hint"),
    [("evry", 'Did you mean "every"?'), ("\x1b[31mloud", None), ("", None)],
)
def test_phases_calm_does_not_know_are_a_notice_and_the_default(
    written: str, hint: str | None
) -> None:
    """As a theme or a bed in the config: one line naming the file and the key, the
    choices, the default, and a suggestion when one is close."""
    options = resolve(SessionFlags(), Settings(voice_phases=written))
    assert options.voice_phases == "first"
    (notice,) = options.notices
    assert notice.startswith(f"{CONFIG}: voice_phases: ")
    assert 'is not "first", "every" or "none"; using the default, "first".' in notice
    assert "\x1b" not in notice
    assert (hint in notice) if hint else notice.endswith('"first".')


def test_the_quick_start_reads_the_voice_flag() -> None:
    assert read_start(["start", "box", "--voice"]) == {"script": "box", "voice": True}
    assert read_start(["start", "--voice", "box", "--voice"]) is None


def test_typer_passes_the_voice_flag_to_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """``calm start --voice`` and ``calm start`` reach the session with the flag set or not."""
    seen: list[SessionFlags] = []

    def start_session(*args: object, flags: SessionFlags, **kwargs: object) -> int:
        seen.append(flags)
        return 0

    monkeypatch.setattr("calm.cli.start.start_session", start_session)
    for args in (["start", "box", "--voice", "--minutes", "2"], ["start", "box", "-m", "2"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    assert [flags.voice for flags in seen] == [True, False]
