"""A session's options, resolved once: the flags typed this time over the config over
calm's defaults.

Every front end takes a ``SessionOptions`` and never looks at the config or the
flags again. Each option is resolved, and checked, in exactly one function here.
A flag that names something calm does not have is an ``OptionError`` (a usage
error); the same value in the config is a notice, and the option's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from pathlib import Path

from calm.config import Settings
from calm.core.record import Record, record
from calm.core.safe_text import one_line
from calm.core.suggest import did_you_mean
from calm.core.value_text import describe_value
from calm.sound.bed_names import BED_NAMES
from calm.sound.voice_lines import DEFAULT_VOICE_PHASES, VOICE_PHASES

DEFAULT_THEME = "calm"
"""calm's own theme, which every bad theme name falls back to."""


class OptionError(ValueError):
    """A flag typed this time asks for something calm does not have."""


@record
class SessionFlags(Record):
    """What was typed on the command line for one run: None or False where nothing was."""

    demo: bool = False
    """``--demo``: the config's demo settings apply."""
    theme: str | None = None
    ambient: str | None = None
    volume: int | None = None
    no_audio: bool = False
    reduced_motion: bool = False
    skip_caution: bool = False
    no_history: bool = False
    check_in: bool | None = None
    """``--check-in`` or ``--no-check-in``; None to follow the config."""
    voice: bool = False
    """``--voice``: speak the steps, whatever the config says."""
    follow: Path | None = None
    """``--follow LOG``: a viewer of ``calm serve --together``, following its log."""


@record
class SessionOptions(Record):
    """How sessions run, settled before the first one starts."""

    theme: str = DEFAULT_THEME
    """The colour theme; only the screen uses it."""
    ambient: str | None = None
    """The sound bed under the session, if any."""
    volume: int = 0
    """Cue volume from 0 to 100; 0 is silence, and no sound device is opened."""
    reduced_motion: bool = False
    skip_caution: bool = False
    check_in: bool = False
    history: bool = False
    """Whether sessions are written into the practice history."""
    demo: bool = False
    """A demo: no self-care tip either."""
    voice: bool = False
    """Whether the system's speech engine speaks the steps (``calm.sound.voice``)."""
    voice_rate: int = 135
    """How fast the voice speaks, in words a minute."""
    voice_phases: str = "first"
    """When the voice names the phases: "first", "every" or "none"."""
    follow: Path | None = None
    """The shared log a viewer of ``calm serve --together`` follows
    (``calm.practice.together``); None for a session of one's own."""
    notices: tuple[str, ...] = field(default=(), compare=False)
    """What resolving found wrong in the config, one line each, to be said once."""

    @property
    def sound(self) -> bool:
        """Whether the session makes any sound."""
        return self.volume > 0


def resolve_options(
    flags: SessionFlags,
    configured: Settings,
    *,
    config_file: Path,
    themes: Sequence[str] | None = None,
) -> SessionOptions:
    """The options for this run, from ``flags`` over ``configured`` over the defaults.

    Args:
        config_file: Named in a notice about a value in it.
        themes: The themes there are, when a screen will use one; None leaves the
            theme unchecked, as the plain runner has no colours.

    Raises:
        OptionError: when a flag names a theme or a bed calm does not have.
    """
    settings = _for_this_run(flags, configured)
    notices: list[str] = []
    # The bed before the theme: a bad --ambient is the error named first, and the
    # config's bed is said before its theme.
    ambient = _ambient(flags.ambient, settings.ambient, config_file, notices)
    return SessionOptions(
        theme=_theme(flags.theme, settings.theme, themes, config_file, notices),
        ambient=ambient,
        volume=_volume(flags, settings),
        reduced_motion=flags.reduced_motion or settings.reduced_motion,
        skip_caution=settings.skip_caution,
        check_in=settings.check_in,
        history=settings.history,
        demo=flags.demo,
        voice=flags.voice or settings.voice,
        voice_rate=settings.voice_rate,
        voice_phases=_voice_phases(settings.voice_phases, config_file, notices),
        follow=flags.follow,
        notices=tuple(notices),
    )


def _for_this_run(flags: SessionFlags, settings: Settings) -> Settings:
    """The config, its ``[demo]`` table for ``--demo``, then the flags, which always win."""
    if flags.demo or flags.follow is not None:
        settings = settings.for_demo()
    if flags.follow is not None:
        # A viewer of a shared session: the serving terminal plays the one sound, and
        # nothing of it is the viewer's to check in to or record.
        settings = replace(
            settings, skip_caution=True, history=False, check_in=False, sound=False, voice=False
        )
    if flags.check_in is not None:
        settings = replace(settings, check_in=flags.check_in)
    if flags.skip_caution:
        settings = replace(settings, skip_caution=True)
    if flags.no_history:
        settings = replace(settings, history=False)
    return settings


def _volume(flags: SessionFlags, settings: Settings) -> int:
    """The cue volume: 0 with ``--no-audio`` or ``sound = false``."""
    if flags.no_audio or not settings.sound:
        return 0
    return flags.volume if flags.volume is not None else settings.volume


def _ambient(
    typed: str | None, configured: str, config_file: Path, notices: list[str]
) -> str | None:
    """The sound bed: the flag's, else the config's; a bed calm lacks is checked here."""
    bed = typed if typed is not None else configured
    if not bed or bed in BED_NAMES:
        return bed or None
    hint = did_you_mean(bed, BED_NAMES)
    beds = ", ".join(BED_NAMES)
    if typed is not None:
        message = f'no ambient bed "{bed}"' + (f" ({hint})" if hint else "")
        raise OptionError(f"{message}; expected one of {beds}")
    advice = _capitalised(hint) if hint else f"Beds: {beds}."
    notices.append(
        _config_notice(
            config_file, "ambient", f"{describe_value(bed)} is not a sound bed calm has", "none"
        )
        + f" {advice}"
    )
    return None


def _theme(
    typed: str | None,
    configured: str,
    themes: Sequence[str] | None,
    config_file: Path,
    notices: list[str],
) -> str:
    """The colour theme: the flag's, else the config's, checked when a screen will use it."""
    chosen = typed or configured
    if themes is None or chosen in themes:
        return chosen
    names = sorted(themes)
    hint = did_you_mean(chosen, names)
    if typed:
        message = f'no theme "{chosen}"' + (f"; {hint}" if hint else "")
        raise OptionError(f"{message}. Themes: {', '.join(names)}")
    notice = _config_notice(
        config_file,
        "theme",
        f"{describe_value(chosen)} is not a theme calm knows",
        f'"{DEFAULT_THEME}"',
    )
    notices.append(notice + (f" {_capitalised(hint)}" if hint else ""))
    return DEFAULT_THEME


def _voice_phases(configured: str, config_file: Path, notices: list[str]) -> str:
    """When the voice names the phases; a setting calm does not know is checked here."""
    if configured in VOICE_PHASES:
        return configured
    hint = did_you_mean(configured, VOICE_PHASES)
    *others, last = (f'"{name}"' for name in VOICE_PHASES)
    wrong = f"{describe_value(configured)} is not {', '.join(others)} or {last}"
    notice = _config_notice(config_file, "voice_phases", wrong, f'"{DEFAULT_VOICE_PHASES}"')
    notices.append(notice + (f" {_capitalised(hint)}" if hint else ""))
    return DEFAULT_VOICE_PHASES


def _config_notice(config_file: Path, key: str, wrong: str, default: str) -> str:
    """A value in the config that cannot be used, worded by the config's one rule."""
    return one_line(f"{config_file}: {key}: {wrong}; using the default, {default}.")


def _capitalised(hint: str) -> str:
    return hint[:1].upper() + hint[1:]
