"""``calm nudge``: at most one short, kind line when something in today's plan is not yet
done, and nothing otherwise. Meant for a shell prompt, a tmux status line, a login
message, or a desktop notification from cron or a systemd timer.

It runs at every prompt, so it is quick: it reads the plans' summaries
(``calm.care.plan_summaries``), the history with ``sqlite3`` alone, and a small state
file, and imports nothing of typer, rich, textual or sound. It never nags: a day
with nothing done gets one nudge at most, ``--once-per N`` keeps it from repeating
within N hours, and its words never count what was missed.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

from calm.care.done_today import read_done
from calm.care.plan import Plan
from calm.care.today import today_in
from calm.care.value import Value

LEAF = "🌿"
GENERAL = "A few quiet minutes are here whenever you want them: calm"
"""The nudge of ``nudge = true`` without a plan, on a day with no practice yet."""
MAX_STATE_BYTES = 1_000
MAX_CONFIG_BYTES = 100_000


class NudgeAsk(Value):
    """How ``calm nudge`` was asked to speak."""

    __slots__ = ("once_per_hours", "status")

    def __init__(self, once_per_hours: float | None = None, status: bool = False) -> None:
        self.once_per_hours = once_per_hours
        """Say nothing if the last nudge was less than this many hours ago."""
        self.status = status
        """For a status line, which shows one line steadily rather than repeating it: the
        line is given whenever there is one, and does not count as a nudge."""


class Places(Value):
    """Where the nudge reads and writes."""

    __slots__ = ("config", "history", "plans", "state")

    def __init__(self, plans: Path, history: Path, state: Path, config: Path) -> None:
        self.plans = plans
        self.history = history
        self.state = state
        self.config = config


def nudge_words(plans: list[Plan], history: Path, day: date, general: bool) -> tuple[str, bool]:
    """The line for today, empty when nothing is due, and whether anything was done today."""
    done = read_done(history, day)
    today = today_in(plans, day, done)
    practised_today = any(day in days for days in done.days.values())
    anything_done = practised_today or any(item.done for item in today.items)
    item = today.next_undone()
    if item is not None and item.kind == "practice":
        return f"{LEAF} {item.text} is in your plan today: {item.command}", anything_done
    if item is not None:
        return f"{LEAF} From your plan: {item.text}", anything_done
    if general and not today.plans and not practised_today:
        return f"{LEAF} {GENERAL}", anything_done
    return "", anything_done


def nudge(places: Places, ask: NudgeAsk, now: datetime) -> str:
    """The line to say now, if any, with the state noted; empty for silence."""
    from calm.care.plan_summaries import imported_plans

    plans = imported_plans(places.plans)
    # The setting matters only without a plan: a plan turns the nudge on by itself.
    general = not plans and _nudge_setting(places.config)
    if not plans and not general:
        return ""
    line, anything_done = nudge_words(plans, places.history, now.date(), general)
    if not line or ask.status:
        return line
    day, count, last = _state(places.state)
    today = now.date().isoformat()
    if day == today and count >= 1 and not anything_done:
        return ""  # a day with nothing done gets one nudge at most
    hours = ask.once_per_hours
    if hours is not None and last is not None and 0 <= now.timestamp() - last < hours * 3600:
        return ""
    _note(places.state, today, (count if day == today else 0) + 1, now.timestamp())
    return line


def _nudge_setting(config: Path) -> bool:
    """Whether the config says ``nudge = true``; a config that cannot be read says no."""
    try:
        with config.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError:
        return False
    if b"nudge" not in data or len(data) > MAX_CONFIG_BYTES:
        return False
    import re

    # The common way it is written, read at once: a top-level `nudge = true` or `false`
    # (tomllib would import typing, which alone takes longer than a nudge may).
    top = re.split(rb"(?m)^\s*\[", data, maxsplit=1)[0]
    plain = re.findall(rb"(?m)^[ \t]*nudge[ \t]*=[ \t]*(true|false)[ \t]*(?:#[^\n]*)?\r?$", top)
    if len(plain) == 1:
        return bool(plain[0] == b"true")
    # Anything else is read by the config's own rule ("yes" as true), which takes longer.
    from calm.config import load_settings

    settings, _ = load_settings(config)
    return settings.nudge


def _state(path: Path) -> tuple[str | None, int, float | None]:
    """The day of the last nudge, how many were given that day, and when the last was."""
    try:
        with path.open("rb") as handle:
            document = json.loads(handle.read(MAX_STATE_BYTES))
        day, count, last = document["day"], document["count"], document["last"]
        if isinstance(day, str) and isinstance(count, int) and isinstance(last, int | float):
            return day, count, float(last)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None, 0, None


def _note(path: Path, day: str, count: int, moment: float) -> None:
    """Keep when this nudge was given; a state that cannot be written is let go."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        staging.write_text(json.dumps({"day": day, "count": count, "last": moment}))
        os.replace(staging, path)
    except OSError:
        pass
