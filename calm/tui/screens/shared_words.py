"""What a page of ``calm serve --together`` says while its shared session is led from
the serving terminal: before it begins, when it pauses, and at a prompt.

Before the session begins, the session's own screen waits (its orb still): first for
the serving terminal's Enter, then, from a moment the shared log sets, "Beginning
together". Every page changes its words at those moments, not whenever each next
happened to read the log, and a change of words is a cheap one: the screen is already
drawn. So every page shows the same words within a few milliseconds of the others.
"""

from __future__ import annotations

from typing import NamedTuple

from calm.practice.together import FollowingRunner

WAITING = "Waiting for the session to begin."
LED_FROM_THERE = "It is led from the calm computer, and begins for everyone at once."
BEGINNING = "Beginning together"
PAUSED_THERE = "Paused from the calm computer."
WAITING_THERE = "It goes on from the calm computer."
BEGINNING_SECONDS = 0.5
"""How long before the shared session begins its screen says "Beginning together"."""


class BeforeStart(NamedTuple):
    """The words of a shared session not yet begun, and when they next change."""

    words: str
    hint: str
    changes_in: float | None
    """Seconds until the words change by themselves; None while the log has no start."""


def before_start(runner: FollowingRunner) -> BeforeStart:
    """Where the session ``runner`` follows stands before its start, read from its log."""
    begins_in = runner.follower.look()
    if begins_in is None:
        return BeforeStart(WAITING, LED_FROM_THERE, None)
    if begins_in > BEGINNING_SECONDS:
        return BeforeStart(WAITING, LED_FROM_THERE, begins_in - BEGINNING_SECONDS)
    return BeforeStart(BEGINNING, "", max(begins_in, 0.0))
