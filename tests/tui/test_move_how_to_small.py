"""A move step's how-to on the smallest supported window, 40x12: every word of the calf
stretch's is drawn (it lost its last line, "the calf.", to a three-line limit), the
orb giving up a row for it."""

from __future__ import annotations

import re

from calm.core.library import Library
from calm.core.script import MoveStep
from calm.core.timeline import compile_timeline
from tests.support.drawn import drawn_lines
from tests.support.tui import Driver, drive, pilot_test, session_app


@pilot_test
async def test_the_calf_stretchs_how_to_is_drawn_whole_at_40x12() -> None:
    entry = Library.discover(user_dirs=[]).get("calf-stretch")
    assert entry is not None
    timeline = compile_timeline(entry.load())
    move = next(span for span in timeline.spans if isinstance(span.step, MoveStep))
    assert isinstance(move.step, MoveStep)
    how = move.step.how
    app, clock = session_app(timeline)

    async def scenario(driver: Driver) -> None:
        await driver.advance(move.start_ms / 1000 + 1)
        drawn = " ".join(line.strip() for line in drawn_lines(driver.app))
        assert re.sub(r"\s+", " ", how) in re.sub(r"\s+", " ", drawn), drawn

    await drive(app, clock, scenario, size=(40, 12))
