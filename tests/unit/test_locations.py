"""calm's user folders are the ones platformdirs names, though on Linux calm reads them
itself (platformdirs takes longer to import than ``calm nudge`` may take in all)."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from calm import locations

ENVIRONMENTS = [
    {"HOME": "/home/sam"},
    {"HOME": "/home/sam/"},
    {"HOME": "/"},
    {"HOME": "/home/sam", "XDG_DATA_HOME": "/srv/data", "XDG_STATE_HOME": "/srv/state"},
    {"HOME": "/home/sam", "XDG_CONFIG_HOME": "relative/config", "XDG_CACHE_HOME": ""},
    {"HOME": "/home/sam", "XDG_CONFIG_HOME": "/etc/sam/", "XDG_CACHE_HOME": "/tmp/c"},
]
FOLDERS = {
    "config": (locations.config_dir, platformdirs.user_config_path),
    "data": (locations.data_dir, platformdirs.user_data_path),
    "state": (locations.state_dir, platformdirs.user_state_path),
    "cache": (locations.cache_dir, platformdirs.user_cache_path),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read by calm on Linux only")
@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("kind", list(FOLDERS))
def test_each_folder_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], kind: str
) -> None:
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    ours, theirs = FOLDERS[kind]
    assert ours() == theirs("calm", appauthor=False)
