"""``calm show``: a script's steps laid out in time, as readable text or as JSON."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from calm.library import Entry
from calm.script import BreatheStep, PromptStep
from calm.timeline import Timeline
from calm.wording import (
    breaths_text,
    duration_text,
    length_text,
    pattern_text,
    rate_text,
    seconds_text,
)


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
        "breaths_per_minute": timeline.breaths_per_minute,
        "self_paced": timeline.has_untimed_prompts,
        "timeline": [
            {
                "start": segment.start_ms / 1000,
                "seconds": None if segment.ms is None else segment.ms / 1000,
                "step": segment.step_number,
                "kind": segment.kind.value,
                "phase": segment.phase.value if segment.phase else None,
                "text": segment.text or steps[segment.step].step.text or None,
            }
            for segment in timeline.segments
        ],
    }


def preview(entry: Entry, timeline: Timeline) -> RenderableType:
    """The human-readable preview: what the script is, how long, and each step."""
    script = timeline.script
    heading = Text.assemble(
        (script.title, "bold"),
        "\n",
        (f"{entry.name} · {script.category.value} · {entry.origin.value}", "dim"),
    )
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    length = length_text(timeline)
    if timeline.cycles:
        length += f" · {breaths_text(timeline.cycles)} · {rate_text(timeline.breaths_per_minute)}"
    facts.add_row("Length", length)
    if timeline.options.gentle:
        facts.add_row("Gentle", "holds left out")
    if script.tags:
        facts.add_row("Tags", ", ".join(script.tags))
    if script.caution:
        facts.add_row("Caution", Text(script.caution, style="yellow"))
    for number, source in enumerate(script.sources):
        facts.add_row("Sources" if number == 0 else "", source)
    if script.reminder:
        facts.add_row("Afterwards", script.reminder)

    steps = Table(box=None, padding=(0, 1), show_header=True, header_style="dim")
    steps.add_column("#", justify="right", style="dim")
    steps.add_column("step")
    steps.add_column("length", justify="right", no_wrap=True)
    steps.add_column("what happens", ratio=1)
    for span in timeline.spans:
        step = span.step
        if isinstance(step, BreatheStep):
            what = Text(f"{pattern_text(step)} × {breaths_text(span.cycles)}")
            what.append(f" · {rate_text(span.breaths_per_minute)}", style="dim")
            if step.text:
                what.append(f"\n{step.text}")
            for spec in step.pattern:
                if spec.text:
                    what.append(f"\n  {spec.phase.value}: {spec.text}", style="dim")
            length = duration_text(span.ms / 1000)
        elif isinstance(step, PromptStep):
            what = Text(step.text)
            if step.timeout_ms is None:
                length = "self-paced"
            else:
                length = "up to " + seconds_text(step.timeout_ms / 1000)
        else:
            what = Text(step.text)
            length = duration_text(span.ms / 1000)
        steps.add_row(str(span.index + 1), step.kind.value, length, what)
    return Group(heading, Text(script.summary), Text(), facts, Text(), steps)
