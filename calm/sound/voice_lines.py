"""What the voice says, and where: a pure function of the timeline.

Each say step and each prompt is spoken as it begins, in its own words (the gentle
words under ``--gentle``, as the screen shows them). A breathing step's phases are
named, short, on its first breath only (``"first"``), on every breath
(``"every"``), or never (``"none"``).

A script's words come from outside calm, so what is spoken is cleaned first
(``speakable``): no control characters, no tags, nothing the speech engine would
read as its own commands, and no more than ``MAX_SPOKEN_CHARS`` characters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from calm.core.script import MoveStep, Phase

if TYPE_CHECKING:
    from calm.core.timeline import Segment, Timeline

VOICE_PHASES = ("first", "every", "none")
"""When the phases of a breath are named: on each step's first breath, on every
breath, or never."""
DEFAULT_VOICE_PHASES = "first"

PHASE_WORDS = {
    Phase.INHALE: "Breathe in",
    Phase.HOLD_IN: "Hold",
    Phase.EXHALE: "Breathe out",
    Phase.HOLD_OUT: "Rest",
}
"""What the voice says as each phase begins: short, and a hold after the breath out is
a rest, so that the two holds sound apart with your eyes closed."""

MAX_SPOKEN_CHARS = 600
"""The most of one step's words that are spoken: a minute or so of speech."""

_TAG = re.compile(r"</?[A-Za-z!?][^<>]{0,200}>")
"""Something that looks like markup, such as ``<break/>``: left out rather than read
out as "less than"; the engine is never asked to interpret it."""
_ENGINE_BRACKETS = re.compile(r"\[\s*\[|\]\s*\]")
"""espeak's ``[[...]]`` reads what is inside as phoneme codes; broken up, it is text."""


def spoken_lines(timeline: Timeline, phases: str = DEFAULT_VOICE_PHASES) -> dict[int, str]:
    """What is spoken as each segment begins, by the segment's index; a segment that says
    nothing has no entry. An unknown ``phases`` names no phases, as ``"none"``."""
    lines: dict[int, str] = {}
    for segment in timeline.segments:
        if segment.move is not None:
            text = speakable(_move_line(timeline, segment))
        elif segment.phase is None:
            text = speakable(segment.text or "")
        elif phases == "every" or (phases == "first" and segment.cycle == 0):
            text = PHASE_WORDS[segment.phase]
        else:
            text = ""
        if text:
            lines[segment.index] = text
    return lines


def _move_line(timeline: Timeline, segment: Segment) -> str:
    """What is said in a move step: its name and how as it begins, the side or set as
    each turn begins, and "Rest"; nothing for each repetition."""
    mark = segment.move
    assert mark is not None
    step = timeline.spans[segment.step].step
    if mark.part == "rest":
        return "Rest."
    if mark.part == "down" or (mark.rep or 0) > 0:
        return ""
    turn = f"{mark.side} side." if mark.side else ""
    if mark.sets > 1 and not turn:
        turn = f"Set {mark.set_index + 1}."
    if segment.index == timeline.spans[segment.step].first:
        how = step.how if isinstance(step, MoveStep) else ""
        return " ".join(part for part in (f"{step.text}.", how, turn) if part)
    return turn


def speakable(text: str) -> str:
    """``text`` as it may be given to a speech engine: one line of plain words, with
    control and format characters, tags and engine brackets gone, at most
    ``MAX_SPOKEN_CHARS`` long, cut at a word; empty when nothing is left to say."""
    text = _TAG.sub(" ", text)
    text = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    text = _ENGINE_BRACKETS.sub(lambda found: " ".join(found.group()[0] * 2), text)
    words = text.split()
    kept: list[str] = []
    length = -1
    for word in words:
        if length + 1 + len(word) > MAX_SPOKEN_CHARS:
            if not kept:  # one enormous word: its start, rather than nothing
                kept.append(word[:MAX_SPOKEN_CHARS])
            break
        kept.append(word)
        length += 1 + len(word)
    spoken = " ".join(kept)
    # Words need a letter or a digit: "..." or "-" alone would be read as punctuation.
    return spoken if any(char.isalnum() for char in spoken) else ""
