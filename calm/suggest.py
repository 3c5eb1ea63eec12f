"""Friendly "did you mean" hints for names someone typed by hand."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices that look most like ``word``, best first."""
    pool = list(choices)
    found = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    # A prefix is a strong hint even when the words differ a lot in length,
    # as with "coh" for "coherent".
    lowered = word.lower()
    for choice in pool:
        if lowered and choice.lower().startswith(lowered) and choice not in found:
            found.append(choice)
    return found[:limit]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A short hint such as ``did you mean "summary"?``, or an empty string."""
    found = closest(word, choices)
    if not found:
        return ""
    return "did you mean " + " or ".join(f'"{choice}"' for choice in found) + "?"
