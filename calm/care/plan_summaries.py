"""The imported plans read quickly, for ``calm nudge``, which runs at every prompt.

``calm plan import`` keeps, beside each plan file, the plan as it checked it: a small
JSON summary. Reading those takes only ``json``, with no script library and no TOML
checks. Any summary that cannot be read makes the caller read the plans in full.
"""

from __future__ import annotations

import json
from pathlib import Path

from calm.care.plan import Plan, plan_from_json

PLAN_FILE = "plan.toml"
"""The plan's own file in its folder."""
SUMMARY_FILE = "summary.json"
"""The plan as calm checked it, for ``calm nudge`` to read without checking it again."""
MAX_SUMMARY_BYTES = 200_000
"""The biggest summary read; a real one is a kilobyte or two."""
MAX_PLANS = 50
"""The most plans calm reads back; nobody follows more."""


def read_summaries(folder: Path) -> list[Plan] | None:
    """The imported plans, read quickly from the summaries ``import_plan`` wrote, for
    ``calm nudge``; None when any cannot be read that way (then ``read_plans`` can)."""
    try:
        entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
    except FileNotFoundError:
        return []
    except OSError:
        return None
    plans: list[Plan] = []
    for entry in entries[:MAX_PLANS]:
        try:
            plans.append(read_summary(entry))
        except (OSError, ValueError):
            return None
    return plans


def read_summary(entry: Path) -> Plan:
    """The plan imported into the folder ``entry``, from its summary.

    Raises:
        OSError: when the summary cannot be read.
        ValueError: when it is not a summary calm wrote.
    """
    with (entry / SUMMARY_FILE).open("rb") as handle:
        data = handle.read(MAX_SUMMARY_BYTES + 1)
    if len(data) > MAX_SUMMARY_BYTES:
        raise ValueError("too big to be a plan summary")
    return plan_from_json(json.loads(data), entry / PLAN_FILE)


def plan_script_files(folder: Path) -> list[tuple[str, Path]]:
    """The script files that came with the plans imported into ``folder``, each with its
    plan's name, in the plans' order: for the script library, so that ``calm start
    NAME``, ``calm list`` and the picker find them. A plan whose summary cannot be read
    gives the script files in its folder."""
    try:
        entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
    except OSError:
        return []
    found: list[tuple[str, Path]] = []
    for entry in entries[:MAX_PLANS]:
        try:
            plan = read_summary(entry)
        except (OSError, ValueError):
            from calm.core.safe_read import files_in

            paths = [path for path in files_in(entry, ".toml")[0] if path.name != PLAN_FILE]
        else:
            paths = [entry / item.script for item in plan.practices if item.path is not None]
        found += [(entry.name, path) for path in paths]
    return found


def imported_plans(folder: Path) -> list[Plan]:
    """The imported plans: from their summaries, or read and checked in full when any
    summary cannot be used (a plan imported by an older calm, or one damaged since)."""
    plans = read_summaries(folder)
    if plans is not None:
        return plans
    # Imported here: reading in full loads the script library and the plan checks.
    from calm.care.plans_folder import read_plans
    from calm.core.library import Library

    return read_plans(folder, Library.discover()).plans
