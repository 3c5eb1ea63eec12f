"""Every place calm reads or writes. Nothing else in calm knows a path.

Built-in scripts and sounds sit inside the installed package; in a source
checkout (and an editable install) they are the top-level ``scripts/`` and
``audio/`` folders. The user's own files live under the platform's config and
data folders, found by platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "calm"
SCRIPTS_PATH_VARIABLE = "CALM_SCRIPTS_PATH"


def _bundled(folder: str) -> Path:
    package = Path(__file__).resolve().parent
    inside = package / folder
    from calm.core.safe_read import is_dir

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
    from calm.core.safe_read import is_dir

    if is_dir(package / "audio"):
        return None
    return package.parent / "audio"


_XDG = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}
"""Each user folder on Linux: the XDG variable that names it, and its place in a home."""


def _user_dir(kind: str) -> Path:
    """calm's user folder of ``kind``, as platformdirs finds it.

    On Linux it is read here, as platformdirs reads it, without importing platformdirs
    (which takes longer than ``calm nudge`` may at every prompt); anywhere else, or with
    a home that is not an absolute path, platformdirs says.
    """
    if sys.platform.startswith("linux"):
        variable, in_home = _XDG[kind]
        named, home = os.environ.get(variable, ""), os.environ.get("HOME", "")
        if os.path.isabs(named):
            return Path(named, APP_NAME)
        if os.path.isabs(home):
            return Path(home.rstrip("/") or "/", in_home, APP_NAME)
    import platformdirs

    found: Path = getattr(platformdirs, f"user_{kind}_path")(APP_NAME, appauthor=False)
    return found


def config_dir() -> Path:
    """The user's calm config folder, which may not exist yet."""
    return _user_dir("config")


def config_file() -> Path:
    """The user's ``config.toml``."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    """The folder for calm's own data, such as the practice history."""
    return _user_dir("data")


def log_dir() -> Path:
    """Where calm saves the details of an internal error."""
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def state_dir() -> Path:
    """Where calm keeps small notes of its own state, such as when it last nudged."""
    return _user_dir("state")


def cache_dir() -> Path:
    """The folder for what calm keeps only to be quicker, and may lose at any time."""
    return _user_dir("cache")


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
    from calm.core.safe_read import expanded_or_as_written

    folders = [expanded_or_as_written(part) for part in configured.split(os.pathsep) if part]
    return folders or [config_dir() / "scripts"]


def plans_dir() -> Path:
    """The care plans the user has imported, a folder each (``calm plan import``)."""
    return data_dir() / "plans"


def nudge_state_file() -> Path:
    """When ``calm nudge`` last spoke, so that it does not repeat itself."""
    return state_dir() / "nudge"


def history_file() -> Path:
    """The practice history, a SQLite file."""
    return data_dir() / "history.sqlite3"
