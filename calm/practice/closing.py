"""The words that close a session, the same in every front end."""

from __future__ import annotations

from calm.core.session import SessionOutcome, Status
from calm.core.timeline import Timeline
from calm.present.measures import practised_text

TAKE_A_MOMENT = "Take a moment before you get up."
"""Said whenever a session ends, however it ends, before the user moves on."""


def practised(timeline: Timeline, outcome: SessionOutcome) -> str:
    """How much was practised: "4 min, 14 breaths", or only the time for a script
    with no breathing in it."""
    breathing = bool(timeline.script.breathe_steps)
    return practised_text(outcome.practised_seconds, outcome.breaths, breathing=breathing)


def finished_line(timeline: Timeline, outcome: SessionOutcome) -> str:
    """The plain runner's line after a session that ran to its end."""
    return f"That's the end of the session: {practised(timeline, outcome)}."


def parting_line(timeline: Timeline, outcome: SessionOutcome) -> str:
    """The line left under a screen, or after plain text, when the session did not
    close on its own summary: a finished one must not read as cut short."""
    done = practised(timeline, outcome)
    if outcome.status is Status.COMPLETED:
        return f"Session complete: {done}. {TAKE_A_MOMENT}"
    return f"Session ended after {done}. {TAKE_A_MOMENT}"
