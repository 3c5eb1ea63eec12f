"""``calm today`` as lines of text: each plan's practices and reminders for today, what
is done, and one gentle line."""

from __future__ import annotations

from calm.care.today import Today

DONE, NOT_YET = "✓", "·"


def today_lines(today: Today) -> list[str]:
    """The lines ``calm today`` prints."""
    lines = [f"Today, {today.day.strftime('%A')} {today.day.day} {today.day.strftime('%B')}"]
    for plan in today.plans:
        items = [item for item in today.items if item.plan is plan]
        lines += ["", f"{plan.from_words}: {plan.title}"]
        practices = [item for item in items if item.kind == "practice"]
        reminders = [item for item in items if item.kind == "reminder"]
        for item in practices:
            mark = DONE if item.done else NOT_YET
            tail = "done today" if item.done else item.command
            lines.append(f"  {mark} {item.text} ({item.when}) · {tail}")
        if reminders:
            lines.append("  Reminders")
            for item in reminders:
                mark = DONE if item.done else f"{item.number}."
                lines.append(f"    {mark} {item.text}")
        if not items:
            lines.append("  Nothing from this plan today.")
    lines += ["", today.line]
    if any(item.kind == "reminder" and not item.done for item in today.items):
        lines.append("Tick a reminder off with: calm today done N")
    return lines
