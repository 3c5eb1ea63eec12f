"""The plans a client has imported: one folder each in calm's data folder, holding the
plan file and the script files that came with it.

Importing checks the plan first, then copies it (and only the script files it names)
into a fresh folder, which replaces any plan with the same title in one rename. A
plan with another title never replaces one: where its title's slug is taken, it gets
the next free name (``plan-2``). Reading them back checks each again: a plan damaged
since is left out with a notice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from calm.care.plan import Plan, plan_name, plan_to_json, same_title
from calm.care.plan_checker import PlanError, load_plan
from calm.care.plan_summaries import MAX_PLANS, PLAN_FILE, SUMMARY_FILE
from calm.care.today import history_name
from calm.core.library import Library
from calm.core.problems import Problem
from calm.core.safe_text import shown_name
from calm.core.suggest import did_you_mean
from calm.core.value_text import describe_value


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
            if wanted in (plan.name, plan.title) or same_title(wanted, plan.title):
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


def import_plan(source: Path, folder: Path, library: Library) -> tuple[Plan, Plan | None]:
    """Check the plan at ``source`` and copy it into ``folder``, with the script files it
    names; the plan as imported, and the one with the same title it replaced, if any.

    Raises:
        PlanError: when the plan cannot be used; nothing is copied.
        OSError: when the plans folder cannot be written.
    """
    plan = load_plan(source, library)
    folder.mkdir(parents=True, exist_ok=True)
    earlier = read_plans(folder, library).plans
    replaced = next((old for old in earlier if same_title(old.title, plan.title)), None)
    name = replaced.name if replaced is not None else _free_name(plan.title, folder)
    _refuse_shared_script_files(plan, [old for old in earlier if old.name != name], source)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
    try:
        shutil.copyfile(source, staging / PLAN_FILE)
        for practice in plan.practices:
            if practice.path is not None:
                target = staging / practice.script
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(practice.path, target)
        destination = folder / name
        if destination.exists():
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
    plan.given_name = path.parent.name
    with contextlib.suppress(OSError, ValueError, OverflowError):
        plan.imported = date.fromtimestamp(path.stat().st_mtime)
    return plan


def _refuse_shared_script_files(plan: Plan, others: list[Plan], source: Path) -> None:
    """Refuse ``plan`` when a script file of its own has the name of one that came with
    another plan: each is started by that name, and the history knows it by it alone.

    Raises:
        PlanError: naming the first such file and the plan it clashes with.
    """
    theirs = {
        history_name(practice.script): other
        for other in others
        for practice in other.practices
        if practice.path is not None
    }
    for index, practice in enumerate(plan.practices, start=1):
        other = theirs.get(history_name(practice.script)) if practice.path else None
        if other is not None:
            words = (
                f"{describe_value(practice.script)} has the name of a script that came with"
                f" your plan {other.name} ({other.title}), so calm could not tell them apart;"
                " ask for the file under another name"
            )
            raise PlanError([Problem(str(source), f"practice {index} > script", words)])


def _free_name(title: str, folder: Path) -> str:
    """A name for a plan titled ``title`` that no plan in ``folder`` has: its title's
    slug, or the slug with the first free number after it (``plan-2``)."""
    try:
        taken = {entry.name for entry in folder.iterdir()}
    except OSError:
        taken = set()
    base = plan_name(title)
    name, number = base, 1
    while name in taken:
        number += 1
        suffix = f"-{number}"
        name = base[: 60 - len(suffix)].rstrip("-") + suffix
    return name
