"""A session's options are resolved once: flags over the config over the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from calm.config import Settings
from calm.practice.options import (
    DEFAULT_THEME,
    OptionError,
    SessionFlags,
    SessionOptions,
    resolve_options,
)

CONFIG = Path("/home/you/.config/calm/config.toml")
THEMES = ["calm", "nord", "gruvbox"]


def resolve(flags: SessionFlags, settings: Settings | None = None) -> SessionOptions:
    """The options for ``flags`` over ``settings`` (the defaults when None)."""
    return resolve_options(flags, settings or Settings(), config_file=CONFIG, themes=THEMES)


def test_with_nothing_typed_and_no_config_calm_uses_its_defaults() -> None:
    """Sound at the default volume, recorded, the caution shown, no check-in."""
    options = resolve(SessionFlags())
    defaults = Settings()
    assert options == SessionOptions(
        theme=DEFAULT_THEME,
        ambient=None,
        volume=defaults.volume,
        reduced_motion=False,
        skip_caution=False,
        check_in=False,
        history=True,
        demo=False,
    )
    assert options.sound and not options.notices


def test_flags_win_over_the_config() -> None:
    """Each flag typed this time beats what the config says, and only for this run."""
    settings = Settings(
        theme="nord", volume=40, ambient="pink", check_in=True, history=True, skip_caution=False
    )
    flags = SessionFlags(
        theme="gruvbox",
        volume=90,
        ambient="ocean",
        check_in=False,
        no_history=True,
        skip_caution=True,
        reduced_motion=True,
    )
    options = resolve(flags, settings)
    assert (options.theme, options.volume, options.ambient) == ("gruvbox", 90, "ocean")
    assert not options.check_in and not options.history
    assert options.skip_caution and options.reduced_motion


def test_no_audio_and_sound_off_are_both_silence() -> None:
    """--no-audio, or sound = false in the config, is volume 0: no device is opened."""
    assert resolve(SessionFlags(no_audio=True, volume=80)).volume == 0
    assert resolve(SessionFlags(volume=80), Settings(sound=False)).volume == 0
    assert not resolve(SessionFlags(no_audio=True)).sound


def test_a_demo_takes_the_config_demo_table_and_flags_still_win() -> None:
    """--demo: no caution, no history, no check-in; the [demo] table and flags over that."""
    settings = Settings(check_in=True, demo=(("check_in", True),))
    demo = resolve(SessionFlags(demo=True), settings)
    assert demo.demo and demo.skip_caution and not demo.history
    assert demo.check_in  # the [demo] table asked for it
    assert not resolve(SessionFlags(demo=True, check_in=False), settings).check_in


@pytest.mark.parametrize(
    ("flags", "wrong"),
    [(SessionFlags(theme="nrod"), 'no theme "nrod"'), (SessionFlags(ambient="oceann"), "oceann")],
)
def test_a_flag_naming_what_calm_lacks_is_a_usage_error(flags: SessionFlags, wrong: str) -> None:
    """A typed theme or bed that does not exist stops the run, with a suggestion."""
    with pytest.raises(OptionError, match=wrong) as raised:
        resolve(flags)
    assert "Did you mean" in str(raised.value) or "did you mean" in str(raised.value)


def test_the_same_value_in_the_config_is_a_notice_and_the_default() -> None:
    """From the config, a bad theme or bed is said once, naming the file; the default is used."""
    options = resolve(SessionFlags(), Settings(theme="nrod", ambient="oceann"))
    assert options.theme == DEFAULT_THEME and options.ambient is None
    assert len(options.notices) == 2
    assert all(str(CONFIG) in notice for notice in options.notices)
    assert any('"nrod" is not a theme' in notice for notice in options.notices)
    assert any('"oceann" is not a sound bed' in notice for notice in options.notices)


def test_without_a_screen_the_theme_is_not_checked() -> None:
    """The plain runner has no colours, so its theme is never a reason to stop."""
    options = resolve_options(
        SessionFlags(theme="nrod"), Settings(), config_file=CONFIG, themes=None
    )
    assert options.theme == "nrod" and not options.notices


def test_a_config_value_that_would_draw_on_the_terminal_is_shown_safely() -> None:
    """A theme name holding an escape sequence reaches the notice as "?"."""
    options = resolve(SessionFlags(), Settings(theme="\x1b]0;owned\x07"))
    assert options.notices and "\x1b" not in options.notices[0] and "\x07" not in options.notices[0]


def test_a_bad_bed_is_named_before_a_bad_theme() -> None:
    """As before the options were resolved in one place: --ambient is checked first,
    and the config's bed is said before its theme."""
    with pytest.raises(OptionError, match="ambient"):
        resolve(SessionFlags(theme="nope", ambient="nope"))
    options = resolve(SessionFlags(), Settings(theme="nrod", ambient="oceann"))
    assert ['"oceann"' in notice for notice in options.notices] == [True, False]
