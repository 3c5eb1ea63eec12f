"""What the care plans add around a session: the plan's next reminder for the summary,
and today's practices for the list's "Your plan".

Both read the plans quickly (``calm.care.plan_summaries``) and the history read-only,
and both are silent about anything they cannot read: a summary or a list is never
held up or broken by a plan.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from calm.care.today import Today, planned_in_picker, today_in


def _today(plans_folder: Path, history: Path) -> Today | None:
    from calm.care.plan_summaries import imported_plans

    try:
        plans = imported_plans(plans_folder)
        if not plans:
            return None  # no plan: the history (and sqlite3) is left alone, before a first frame
        from calm.care.done_today import read_done

        day = datetime.now().astimezone().date()
        return today_in(plans, day, read_done(history, day))
    except (OSError, ValueError):
        return None


def plan_reminder(plans_folder: Path, history: Path) -> str | None:
    """ "Your plan from Sam: stretch your calves before bed": the first of today's
    reminders not yet ticked off; None when there is none."""
    today = _today(plans_folder, history)
    if today is None:
        return None
    for item in today.reminders:
        if not item.done:
            text = item.text
            # "Stretch your calves" reads on after a colon as "stretch your calves",
            # but an acronym or a name keeps its capitals.
            first = text.split()[0]
            if first[:1].isupper() and first != "I" and (len(first) == 1 or first[1:].islower()):
                text = text[0].lower() + text[1:]
            return f"{item.plan.from_words}: {text}"
    return None


def planned_today(plans_folder: Path, history: Path) -> dict[str, bool]:
    """Today's practices from the library, each with whether it is done."""
    today = _today(plans_folder, history)
    return {} if today is None else planned_in_picker(today)
