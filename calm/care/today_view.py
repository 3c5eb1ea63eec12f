"""``calm today`` as lines of text: each plan's practices and reminders for today, what
is done, and one gentle line."""

from __future__ import annotations

from calm.care.today import Today
from calm.present.lines import terminal_width

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

DONE, NOT_YET = "✓", "·"
NO_BREAK = "\u00a0"


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


def fitted(line: str, out: IO[str]) -> str:
    """``line`` wrapped between words to the terminal ``out`` is, as
    ``calm.present.lines.wrapped`` wraps a session's closing lines, with a hanging
    indent under a list item's text (after "·", "✓" or "2.") and a command to copy
    kept whole on one line; unchanged for a pipe or a file."""
    if "\n" in line:  # a note of a few lines: each is wrapped on its own
        return "\n".join(fitted(part, out) for part in line.split("\n"))
    width = terminal_width(out)
    if width is None or len(line) <= width:
        return line
    import re
    import textwrap

    indent = line[: len(line) - len(line.lstrip())]
    item = re.match(r"(?:[·✓]|\d+\.) ", line.lstrip())
    hanging = indent + " " * (len(item.group()) if item else 2)
    # A command is glued with no-break spaces, which textwrap never breaks at.
    command = re.search(r"calm (?:start|today done) .*$", line)
    text = line.strip()
    if command is not None:
        text = text.removesuffix(command.group()) + command.group().replace(" ", NO_BREAK)
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines).replace(NO_BREAK, " ")
