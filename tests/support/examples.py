"""How many examples a property test runs, under whichever hypothesis profile is loaded."""

from __future__ import annotations

from hypothesis import settings


def examples(thorough: int) -> int:
    """``thorough`` examples in the thorough profile (CI's), and the same share of them
    in the loaded one as its count is of the thorough count; never fewer than one.

    For a test whose examples are dearer or cheaper than most: ``examples(5)`` for one
    that drives the whole app, ``examples(1000)`` for one that costs microseconds.
    """
    share = settings().max_examples / settings.get_profile("thorough").max_examples
    return max(1, round(thorough * share))
