"""A move step's how-to on the smallest supported window, 40x12: every word of every
built-in routine's is drawn (the calf stretch lost "the calf." to a three-line limit,
the glute bridge a whole sentence), the orb giving up rows for it."""

from __future__ import annotations

import re

import pytest

from calm.core.library import Library
from calm.core.script import MoveStep
from calm.core.timeline import compile_timeline
from tests.support.drawn import drawn_lines
from tests.support.tui import Driver, drive, pilot_test, session_app

LIBRARY = Library.discover(user_dirs=[])
ROUTINES = sorted(
    entry.name
    for entry in LIBRARY.entries()
    if any(isinstance(step, MoveStep) for step in entry.load().steps)
)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_there_are_routines_to_look_at() -> None:
    assert len(ROUTINES) >= 8, ROUTINES


@pytest.mark.parametrize("name", ROUTINES)
@pilot_test
async def test_every_move_steps_how_to_is_drawn_whole_at_40x12(name: str) -> None:
    entry = LIBRARY.get(name)
    assert entry is not None
    timeline = compile_timeline(entry.load())
    app, clock = session_app(timeline)

    async def scenario(driver: Driver) -> None:
        for index, span in enumerate(timeline.spans):
            step = span.step
            if not isinstance(step, MoveStep) or not step.how:
                continue
            while driver.runner.segment.step < index:
                await driver.press("n")  # on to the step, as a user would skip
            await driver.advance(0.5)
            drawn = _words(" ".join(line.strip() for line in drawn_lines(driver.app)))
            assert _words(step.how) in drawn, (step.text, drawn)

    await drive(app, clock, scenario, size=(40, 12))
