"""The plans a client has imported: one folder each in calm's data folder, holding the
plan file and the script files that came with it.

Importing checks the plan first, then copies it (and only the script files it names)
into a fresh folder, which replaces any plan with the same title in one rename.
Reading them back checks each again: a plan damaged since is left out with a notice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from calm.care.plan import Plan, plan_name, plan_to_json
from calm.care.plan_checker import PlanError, load_plan
from calm.care.plan_summaries import MAX_PLANS, PLAN_FILE, SUMMARY_FILE
from calm.core.library import Library
from calm.core.safe_text import shown_name
from calm.core.suggest import did_you_mean


@dataclass
class Plans:
    """The imported plans, and what was wrong with any that could not be read."""

    plans: list[Plan]
    notices: list[str] = field(default_factory=list)

    def named(self, wanted: str) -> Plan:
        """The plan called ``wanted``: its name, or its title in any case.

        Raises:
            LookupError: with one line saying what there is.
        """
        for plan in self.plans:
            if wanted in (plan.name, plan.title) or wanted.lower() == plan.title.lower():
                return plan
        names = [plan.name for plan in self.plans]
        if not names:
            raise LookupError("no plans are imported; import one with calm plan import FILE")
        hint = did_you_mean(wanted, names)
        listed = ", ".join(names)
        raise LookupError(
            f'no plan named "{shown_name(wanted)}"'
            + (f"; {hint}" if hint else f"; plans: {listed}")
        )


def read_plans(folder: Path, library: Library) -> Plans:
    """Every plan imported into ``folder``, by name."""
    try:
        entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
    except FileNotFoundError:
        return Plans([])
    except OSError as error:
        return Plans([], [f"{shown_name(str(folder))}: {error.strerror}; no plans are read"])
    found = Plans([])
    for entry in entries[:MAX_PLANS]:
        try:
            found.plans.append(_imported(entry / PLAN_FILE, library))
        except PlanError as error:
            found.notices.append(f"{error.first_line}; this plan is left out")
    return found


def import_plan(source: Path, folder: Path, library: Library) -> tuple[Plan, bool]:
    """Check the plan at ``source`` and copy it into ``folder``, with the script files it
    names; the plan as imported, and whether it replaced one with the same title.

    Raises:
        PlanError: when the plan cannot be used; nothing is copied.
        OSError: when the plans folder cannot be written.
    """
    plan = load_plan(source, library)
    folder.mkdir(parents=True, exist_ok=True)
    name = plan_name(plan.title)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
    try:
        shutil.copyfile(source, staging / PLAN_FILE)
        for practice in plan.practices:
            if practice.path is not None:
                target = staging / practice.script
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(practice.path, target)
        destination = folder / name
        replaced = destination.exists()
        if replaced:
            retired = folder / f".{name}-replaced"
            shutil.rmtree(retired, ignore_errors=True)
            os.replace(destination, retired)
            os.replace(staging, destination)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    imported = _imported(destination / PLAN_FILE, library)
    write_summary(imported)
    return imported, replaced


def write_summary(plan: Plan) -> None:
    """Keep the checked plan beside its file, for ``read_summaries``."""
    import json

    assert plan.path is not None
    target = plan.path.parent / SUMMARY_FILE
    staging = target.with_suffix(".json.new")
    staging.write_text(json.dumps(plan_to_json(plan)), encoding="utf-8")
    os.replace(staging, target)


def remove_plan(plan: Plan) -> None:
    """Remove an imported plan's folder, and so the plan."""
    if plan.path is not None:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(plan.path.parent)


def _imported(path: Path, library: Library) -> Plan:
    """The imported plan at ``path``, with the day it was imported (its copy's date).

    Raises:
        PlanError: when it cannot be used.
    """
    from datetime import date

    plan = load_plan(path, library, source=str(path))
    with contextlib.suppress(OSError, ValueError, OverflowError):
        plan.imported = date.fromtimestamp(path.stat().st_mtime)
    return plan
