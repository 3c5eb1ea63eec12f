"""``calm show``: a script's steps laid out in time, as readable text or as JSON."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from calm.core.library import Entry
from calm.core.pace import pace_text
from calm.core.safe_text import shown_name
from calm.core.script import PaceUsed
from calm.core.timeline import MoveMark, Timeline
from calm.present.measures import breaths_text, length_text, rate_text
from calm.present.steps import words_for


def timeline_json(entry: Entry, timeline: Timeline) -> dict[str, Any]:
    """The machine-readable preview: the script and every segment with its start."""
    script = timeline.script
    steps = timeline.spans
    return {
        "name": entry.name,
        "title": script.title,
        "category": script.category.value,
        "summary": script.summary,
        "caution": script.caution,
        "reminder": script.reminder,
        "sources": list(script.sources),
        "seconds": timeline.total_seconds,
        "cycles": timeline.cycles,
        # Worked out from milliseconds (5.500045… at 5.5 a minute): the noise is not news.
        "breaths_per_minute": _rounded(timeline.breaths_per_minute),
        "self_paced": timeline.has_untimed_prompts,
        "preferred_pace": _pace_json(script.pace_used),
        "timeline": [
            {
                "start": segment.start_ms / 1000,
                "seconds": None if segment.ms is None else segment.ms / 1000,
                "step": segment.step_number,
                "kind": segment.kind.value,
                "phase": segment.phase.value if segment.phase else None,
                "text": segment.text or steps[segment.step].step.text or None,
                **({"move": _move_json(segment.move)} if segment.move else {}),
            }
            for segment in timeline.segments
        ],
    }


def pace_used_text(used: PaceUsed) -> str:
    """Which pace a script's ``pace = "preferred"`` steps breathe at, and why."""
    if used.saved:
        return f"your preferred pace, {pace_text(used.per_minute)} breaths a minute (calm pace)"
    return (
        f"{pace_text(used.per_minute)} breaths a minute: no preferred pace is saved yet"
        " (calm pace finds one)"
    )


def _pace_json(used: PaceUsed | None) -> dict[str, Any] | None:
    """The preferred pace a script used, in ``calm show --json``; None for a script
    that breathes at none."""
    if used is None:
        return None
    return {"breaths_per_minute": used.per_minute, "saved": used.saved}


def _move_json(mark: MoveMark) -> dict[str, Any]:
    """A move step's moment in ``calm show --json``: its part, side, set and repetition,
    counted from 1 as people count them."""
    return {
        "part": mark.part,
        "side": mark.side,
        "set": mark.set_index + 1,
        "sets": mark.sets,
        "rep": None if mark.rep is None else mark.rep + 1,
        "reps": mark.reps,
    }


PREVIEW_LINES = 600
"""About how many lines of a script's own words the preview shows in all. The rest of a
huge script's words are cut short: laying out text costs time by the line, and a
preview must come at once. ``calm show --json`` always gives every word."""
PREVIEW_LINES_EACH = 24
"""About how many lines of any one text the preview shows."""
_LINE = 60
"""The characters taken to fill one line, for counting how much a text will take."""


class _Room:
    """How much of the script's words the preview still has room for."""

    def __init__(self) -> None:
        self.left = PREVIEW_LINES * _LINE
        self.cut = False

    def fit(self, text: str) -> str:
        """``text``, cut short with "…" when it needs more room than is left; a line
        break counts as the rest of its line, so many short lines cost as much as
        they take to show. The first line's start is always shown."""
        allowed = max(min(self.left, PREVIEW_LINES_EACH * _LINE), _LINE)
        kept: list[str] = []
        used = 0
        for line in text.split("\n"):
            cost = max(-(-len(line) // _LINE), 1) * _LINE
            if used + cost > allowed:
                room = allowed - used
                if room > 0:
                    kept.append(line[:room])
                self.cut = True
                self.left = max(self.left - allowed, 0)
                return "\n".join(kept) + " …"
            kept.append(line)
            used += cost
        self.left = max(self.left - used, 0)
        return text


def preview(entry: Entry, timeline: Timeline) -> RenderableType:
    """The human-readable preview: what the script is, how long, and each step.

    However long the script's texts, the preview takes a bounded number of lines:
    see ``PREVIEW_LINES``. Every text from the script is a ``Text``, never a string,
    which Rich would read as markup: ``[/]`` in a tag must not crash the list.
    """
    script = timeline.script
    room = _Room()
    heading = Text.assemble(
        (script.title, "bold"),
        "\n",
        (f"{shown_name(entry.name)} · {script.category.value} · {entry.origin.value}", "dim"),
    )
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    length = length_text(timeline)
    if timeline.cycles:
        length += f" · {breaths_text(timeline.cycles)} · {rate_text(timeline.breaths_per_minute)}"
    facts.add_row("Length", length)
    if script.pace_used is not None:
        facts.add_row("Pace", pace_used_text(script.pace_used))
    if timeline.options.gentle:
        facts.add_row("Gentle", "holds left out")
    if script.tags:
        facts.add_row("Tags", Text(room.fit(", ".join(script.tags))))
    if script.caution:
        facts.add_row("Caution", Text(room.fit(script.caution), style="yellow"))
    for number, source in enumerate(script.sources):
        facts.add_row("Sources" if number == 0 else "", Text(room.fit(source)))
    if script.reminder:
        facts.add_row("Afterwards", Text(room.fit(script.reminder)))

    steps = Table(box=None, padding=(0, 1), show_header=True, header_style="dim")
    steps.add_column("#", justify="right", style="dim")
    steps.add_column("step")
    steps.add_column("length", justify="right", no_wrap=True)
    steps.add_column("what happens", ratio=1)
    for span in timeline.spans:
        step = span.step
        words = words_for(step.kind)
        what, length = words.preview(span, room.fit), words.preview_length(span)
        steps.add_row(str(span.index + 1), step.kind.value, length, what)
    parts: list[RenderableType] = [
        heading,
        Text(room.fit(script.summary)),
        Text(),
        facts,
        Text(),
        steps,
    ]
    if room.cut:
        parts += [
            Text(),
            Text(
                f"Long texts are cut short here; `calm show {shown_name(entry.name)} --json` "
                "gives every word.",
                style="dim",
            ),
        ]
    return Group(*parts)


def _rounded(rate: float | None) -> float | None:
    """A breathing rate to four decimal places, as a reader of the JSON would want it."""
    return None if rate is None else round(rate, 4)
