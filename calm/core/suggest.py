"""Friendly "did you mean" hints for names someone typed by hand."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices that look most like ``word``, best first."""
    pool = list(choices)
    found = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    # A prefix is a strong hint even when the words differ a lot in length,
    # as with "coh" for "coherent"; so is a whole part of a hyphenated name, as
    # with "sigh" for "cyclic-sigh", and the name with its hyphens and spaces
    # left out, as with "5 4 3 2 1" for "5-4-3-2-1".
    lowered = word.lower()
    squeezed = _squeezed(lowered)
    for choice in pool:
        name = choice.lower()
        hinted = name.startswith(lowered) or lowered in name.split("-")
        if lowered and (hinted or squeezed == _squeezed(name)) and choice not in found:
            found.append(choice)
    return found[:limit]


def _squeezed(name: str) -> str:
    return "".join(char for char in name if char not in "- _")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A short hint such as ``did you mean "summary"?``, or an empty string."""
    found = closest(word, choices)
    if not found:
        return ""
    return "did you mean " + " or ".join(f'"{choice}"' for choice in found) + "?"
