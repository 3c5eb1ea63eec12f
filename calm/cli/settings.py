"""The config file as a command reads it: each problem in it said in one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from calm.cli.output import tell

if TYPE_CHECKING:
    from calm.config import Settings


def read_settings() -> Settings:
    """The settings from the config file, or the defaults; its problems said on stderr."""
    from calm import locations
    from calm.config import load_settings

    settings, notices = load_settings(locations.config_file())
    for notice in notices:
        tell(f"calm: {notice}")
    return settings
