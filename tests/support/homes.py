"""Temporary homes for calm: every platform folder it uses pointed at one, and a home
made once for a module (say, with a session the real calm recorded) that each test
copies, so the module does not pay for a real session in every test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def point_at(env: pytest.MonkeyPatch, home: Path) -> None:
    """Point HOME and every XDG folder calm uses at ``home``."""
    env.setenv("HOME", str(home))
    env.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    env.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    env.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    env.setenv("XDG_CACHE_HOME", str(home / ".cache"))


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[], None]) -> Path:
    """A fresh home that ``make`` fills in, run with the environment pointed at it; the
    environment is put back afterwards. Meant for a module-scoped fixture."""
    home = factory.mktemp(name)
    with pytest.MonkeyPatch.context() as env:
        point_at(env, home)
        make()
    return home


def copy_into(made: Path, home: Path) -> Path:
    """Everything in the home ``made`` copied into the test's own ``home``."""
    shutil.copytree(made, home, dirs_exist_ok=True)
    return home
