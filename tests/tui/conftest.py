"""Pilot tests press keys faster than any person could."""

from __future__ import annotations

import pytest

import calm.tui.screens.base


@pytest.fixture(autouse=True)
def instant_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let screens take keys at once; their settling pause has tests of its own."""
    monkeypatch.setattr(calm.tui.screens.base, "SETTLE_SECONDS", 0.0)
