"""History files as the tests make and read them: a recorder whose wall clock never
moves, the sessions read back, and calm's table as someone might rebuild it by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from calm.practice.history import HistoryStore
from calm.practice.history_rows import SessionRecord
from calm.practice.recording import SessionRecorder

WALL = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
"""The wall clock the recorder reads; sessions here all start at this moment."""


def recorder(path: Path, notices: list[str] | None = None) -> SessionRecorder:
    """A recorder on a fresh history file, with a wall clock that never moves."""
    found = SessionRecorder.open(
        path, notify=(notices if notices is not None else []).append, now=lambda: WALL
    )
    assert found is not None
    return found


def rows(path: Path) -> list[SessionRecord]:
    """Every recorded session, read back through a store of its own."""
    store = HistoryStore.open(path)
    try:
        return store.sessions()
    finally:
        store.close()


UNTYPED = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, script, title, started_at, ended_at, planned_seconds,
    practised_seconds, status, breaths, mood_before, mood_after, note
)
"""
"""calm's table as someone might rebuild it by hand: no types, nothing required."""
