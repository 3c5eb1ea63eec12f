"""Keep the machine running the tests out of them: no user config, scripts or trace.

Also chooses how hard the property tests look: a quick hypothesis profile by default,
and a thorough one when ``HYPOTHESIS_PROFILE=thorough`` is set, which CI uses for a run
of the property tests alone (``-m property``: each is marked here), after the README's.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support import homes

# Every property test runs the loaded profile's number of examples, or, where its own
# examples are dear or cheap, a count scaled from it (tests.support.examples). No deadline
# in either: the machine is shared and noisy, and a test that means to bound a time says
# so itself.
settings.register_profile("thorough", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("quick", max_examples=20, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

# A test run started in the background of a shell (`pytest &`, a CI step) inherits
# SIGINT and SIGQUIT ignored, and so would every calm the tests start: calm rightly
# keeps a signal ignored that was ignored when it started, as under nohup. The tests
# run calm as a user's terminal would, with both signals live.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if hasattr(signal, "SIGQUIT") and signal.getsignal(signal.SIGQUIT) is signal.SIG_IGN:
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)

ROOT = Path(__file__).resolve().parent.parent
"""The repository's top folder."""


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every platform folder calm uses at a fresh temporary home."""
    home = tmp_path_factory.mktemp("home")
    homes.point_at(monkeypatch, home)
    for variable in ("CALM_SCRIPTS_PATH", "CALM_TRACE", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every hypothesis property test ``property``, so CI can run them alone with
    the thorough profile, and the README's quick run stays quick."""
    for item in items:
        function = getattr(item, "function", None)
        if function is not None and getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
