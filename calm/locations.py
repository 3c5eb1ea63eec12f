"""Every place calm reads or writes. Nothing else in calm knows a path.

Built-in scripts and sounds sit inside the installed package; in a source
checkout (and an editable install) they are the top-level ``scripts/`` and
``audio/`` folders. The user's own files live under the platform's config and
data folders, found by platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

from calm.core.safe_read import expanded_or_as_written, is_dir

APP_NAME = "calm"
SCRIPTS_PATH_VARIABLE = "CALM_SCRIPTS_PATH"


def _bundled(folder: str) -> Path:
    package = Path(__file__).resolve().parent
    inside = package / folder
    if is_dir(inside):
        return inside
    return package.parent / folder


def builtin_scripts_dir() -> Path:
    """The folder of the scripts that ship with calm."""
    return _bundled("scripts")


def builtin_audio_dir() -> Path:
    """The folder of the sound cues that ship with calm."""
    return _bundled("audio")


def source_audio_dir() -> Path | None:
    """The checkout's own ``audio/`` folder, where ``calm audio render`` writes by default.

    None for an installed calm: its cues are part of the installation, not files
    to regenerate in place.
    """
    package = Path(__file__).resolve().parent
    if is_dir(package / "audio"):
        return None
    return package.parent / "audio"


def config_dir() -> Path:
    """The user's calm config folder, which may not exist yet."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The user's ``config.toml``."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    """The folder for calm's own data, such as the practice history."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """Where calm saves the details of an internal error."""
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The folder for what calm keeps only to be quicker, and may lose at any time."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def script_headers_file() -> Path:
    """Each script's title, category and length, kept so ``calm list`` need not read it."""
    return cache_dir() / "script-headers.json"


def ambient_bed_file(name: str) -> Path:
    """One ambient bed as made before, kept so a session need not make it again."""
    return cache_dir() / f"ambient-{name}.wav"


def voice_cache_dir() -> Path:
    """Spoken lines as the speech engine said them, kept so a session need not say them again."""
    return cache_dir() / "voice"


def tip_state_file() -> Path:
    """Which end-of-session tip comes next."""
    return data_dir() / "next-tip"


def told_sound_file() -> Path:
    """The sound notices already shown, so that a machine without sound hears it once."""
    return data_dir() / "told-sound"


def user_scripts_dirs() -> list[Path]:
    """The folders of the user's own scripts, first one first.

    ``CALM_SCRIPTS_PATH`` replaces the default folder; like ``PATH``, it may name
    several folders, and a script in an earlier one hides one of the same name later.
    """
    configured = os.environ.get(SCRIPTS_PATH_VARIABLE, "")
    # ~someone who is not a user stays as written: not found, and said so when listed.
    folders = [expanded_or_as_written(part) for part in configured.split(os.pathsep) if part]
    return folders or [config_dir() / "scripts"]


def history_file() -> Path:
    """The practice history, a SQLite file."""
    return data_dir() / "history.sqlite3"
