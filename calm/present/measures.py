"""Amounts as words every front end shares: durations, rates, breath counts, lengths."""

from __future__ import annotations

from calm.core.script import BreatheStep, Phase
from calm.core.timeline import Timeline

PHASE_LABELS = {
    Phase.INHALE: "Breathe in",
    Phase.HOLD_IN: "Hold",
    Phase.EXHALE: "Breathe out",
    Phase.HOLD_OUT: "Hold",
}
"""What a phase is called on screen when the script gives it no words of its own."""


def phase_label(phase: Phase) -> str:
    """The plain name of a phase, such as "Breathe in"."""
    return PHASE_LABELS[phase]


def number_text(value: float) -> str:
    """A number of seconds without its unit, as written in scripts: "4", "5.5", "0.25"."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def seconds_text(seconds: float) -> str:
    """A short length in seconds, such as "4 s" or "5.5 s"."""
    return number_text(seconds) + " s"


def breath_seconds_text(ms: int, step: BreatheStep) -> str:
    """One phase's length in a breathe step: as written, or for a step at a pace, whose
    phases are worked out to the millisecond (4.364 s), to a tenth of a second."""
    seconds = ms / 1000
    return seconds_text(round(seconds, 1) if step.paced else seconds)


def duration_text(seconds: float) -> str:
    """A length as people say it: "45 s", "4 min", "4 min 30 s", "1 h 5 min"."""
    whole = round(seconds)
    if whole < 60:
        return seconds_text(round(seconds, 1)) if seconds < 10 else f"{whole} s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def clock_text(seconds: float) -> str:
    """A countdown such as "3:05"."""
    whole = max(round(seconds), 0)
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def pattern_text(step: BreatheStep) -> str:
    """A breathing pattern in its shorthand, such as "4-7-8", or spelled out when it has none."""
    phases = tuple(spec.phase for spec in step.pattern)
    shorthand_orders = (
        (Phase.INHALE, Phase.EXHALE),
        (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE),
        (Phase.INHALE, Phase.HOLD_IN, Phase.EXHALE, Phase.HOLD_OUT),
    )
    if phases in shorthand_orders and not any(spec.progression for spec in step.pattern):
        shorthand = "-".join(
            breath_seconds_text(spec.ms, step).removesuffix(" s") for spec in step.pattern
        )
        return f"about {shorthand}" if step.paced else shorthand
    parts = []
    for spec in step.pattern:
        part = f"{spec.phase.value} {breath_seconds_text(spec.ms, step)}"
        if spec.progression:
            change = spec.progression.per_cycle_ms / 1000
            sign = "+" if change > 0 else "-"
            limit = seconds_text(spec.progression.limit_ms / 1000)
            part += f" ({sign}{seconds_text(abs(change))} a breath, to {limit})"
        parts.append(part)
    return ", ".join(parts)


def length_text(timeline: Timeline) -> str:
    """The length of a session, with a note when part of it is self-paced."""
    return planned_length_text(timeline.total_seconds, self_paced=timeline.has_untimed_prompts)


def planned_length_text(seconds: float, *, self_paced: bool) -> str:
    """A planned length, such as "4 min" or "5 min + self-paced"."""
    if not seconds and self_paced:
        return "self-paced"
    text = duration_text(seconds)
    return text + " + self-paced" if self_paced else text


def rate_text(breaths_per_minute: float | None) -> str:
    """A breathing rate to one decimal place, as people count breaths: "5.5 breaths/min",
    and "6 breaths/min" for 5.96, never "5.96" in one place and "6" in another."""
    if breaths_per_minute is None:
        return ""
    return f"{breaths_per_minute:.1f}".removesuffix(".0") + " breaths/min"


def breaths_text(count: int) -> str:
    """A count of breaths: "1 breath", "12 breaths"."""
    return f"{count} breath" if count == 1 else f"{count} breaths"


def practised_text(seconds: float, breaths: int, *, breathing: bool) -> str:
    """How much was practised: "4 min, 14 breaths", or only the time when the script has
    no breathing steps, where "0 breaths" would say nothing."""
    done = duration_text(seconds)
    return f"{done}, {breaths_text(breaths)}" if breathing else done
