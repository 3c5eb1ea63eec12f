"""The mood check-in: one keypress before a session and one after, both skippable.

The scale is tension, because that is what a body notices: 1 is at ease and 5
is very tense. The wording lives here so that the screen and the plain runner
ask the same thing.
"""

from __future__ import annotations

BEFORE = "Before you begin: how tense do you feel right now?"
AFTER = "How tense do you feel now?"
SCALE = "1 at ease · 2 · 3 · 4 · 5 very tense"
SKIP = "Any other key skips."
GO_BACK = "Esc or q goes back."
"""The hint at the question before a session chosen from the list, which it goes back to."""
NOT_NOW = "Esc or q leaves without starting."
"""The hint at the question before a session started by name: there is nothing to go back
to, so Esc or q leaves calm and nothing starts."""
BACK_KEYS = ("\x1b", "q")
"""The keys that go back from the question before a session: Esc and q."""


class NotNow(Exception):
    """The user went back from the question before a session: nothing is to start."""


def mood_from_key(key: str) -> int | None:
    """The mood a key means, or None for any key that is not 1 to 5."""
    return int(key) if len(key) == 1 and key in "12345" else None
