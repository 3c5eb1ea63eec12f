"""Running ``calm nudge``: the words, said on stdout or as a desktop notification.

``quick_nudge`` reads the commonest command lines itself, before typer is imported,
so a nudge at every prompt costs little; anything else (``--help``, a value calm
must explain) goes to the typer command in ``calm.cli.nudge``, which calls
``run_nudge`` too.
"""

from __future__ import annotations

import sys

from calm.care.nudge import NudgeAsk, Places, nudge

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

MOST_HOURS = 168.0
"""The longest ``--once-per`` can be: a week."""


def quick_nudge(args: Sequence[str]) -> int | None:
    """Run ``calm nudge ARGS`` when every word is one read here for sure; the exit
    status, or None to leave the command line to typer."""
    once_per: float | None = None
    notify = status = False
    words = iter(args)
    for word in words:
        if word == "--notify" and not notify:
            notify = True
        elif word == "--status" and not status:
            status = True
        elif word == "--once-per" and once_per is None:
            once_per = _hours(next(words, ""))
            if once_per is None:
                return None
        else:
            return None
    if notify and status:
        return None
    return run_nudge(NudgeAsk(once_per, status), notify=notify)


def _hours(text: str) -> float | None:
    try:
        hours = float(text)
    except ValueError:
        return None
    return hours if 0 <= hours <= MOST_HOURS else None


def run_nudge(ask: NudgeAsk, *, notify: bool = False) -> int:
    """Say today's nudge, if there is one; the exit status (always 0: a nudge that
    cannot be worked out is silence, never an error at a prompt)."""
    from datetime import datetime

    from calm import locations

    places = Places(
        plans=locations.plans_dir(),
        history=locations.history_file(),
        state=locations.nudge_state_file(),
        config=locations.config_file(),
    )
    try:
        line = nudge(places, ask, datetime.now().astimezone())
    except Exception:
        return 0
    if not line:
        return 0
    if notify and send_notification(line):
        return 0
    from calm.core.safe_text import shown_safely

    try:
        sys.stdout.write(shown_safely(line) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        pass
    return 0


def send_notification(line: str) -> bool:
    """Send ``line`` as a desktop notification; False when there is no way to here."""
    import shutil
    import subprocess

    text = line.removeprefix("🌿 ")
    if shutil.which("notify-send"):
        command = ["notify-send", "--app-name=calm", "calm", text]
    elif shutil.which("osascript"):
        quoted = text.replace("\\", "\\\\").replace('"', '\\"')
        command = ["osascript", "-e", f'display notification "{quoted}" with title "calm"']
    else:
        return False
    try:
        result = subprocess.run(command, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0
