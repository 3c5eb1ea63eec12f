"""Pilot tests press keys faster than any person could."""

from __future__ import annotations

import pytest

import calm.tui.screens.summary


@pytest.fixture(autouse=True)
def instant_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the summary take Enter at once; its settling pause has a test of its own."""
    monkeypatch.setattr(calm.tui.screens.summary, "SETTLE_SECONDS", 0.0)
