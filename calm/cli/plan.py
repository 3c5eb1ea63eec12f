"""``calm plan``: a therapist's care plan, written, checked, handed over and imported.

A plan is a small TOML file (``calm.care.plan``): practices from calm's library, each
with a rhythm, and reminders in the therapist's words. ``calm today`` shows what the
imported plans suggest each day.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from calm.cli.output import USAGE_ERROR, echo, fail, tell, write_new_file

if TYPE_CHECKING:
    from datetime import date

    from calm.care.plan import Plan
    from calm.care.plans_folder import Plans
    from calm.core.problems import ScriptError

app = typer.Typer(help="Care plans from your therapist: practices and reminders between visits.")

PlanFile = Annotated[Path, typer.Argument(metavar="FILE", help="A plan file (.toml).")]
PlanName = Annotated[
    str, typer.Argument(metavar="NAME", help="An imported plan's name or title (calm plan list).")
]


@app.command()
def new(
    file: Annotated[
        Path | None,
        typer.Argument(metavar="[FILE]", help="Write the template here; none prints it."),
    ] = None,
) -> None:
    """Write a commented plan template, ready to fill in for a client."""
    from calm.care.plan_template import TEMPLATE

    if file is None:
        echo(TEMPLATE.rstrip("\n"))
        return
    write_new_file(file, TEMPLATE.encode("utf-8"), "file")
    echo(str(file))
    tell(f"Fill it in, then check it with `calm plan validate {file}`.")


@app.command()
def validate(file: PlanFile) -> None:
    """Check a plan file: every problem, one line each, with its place."""
    plan = _load(file)
    practices, reminders = len(plan.practices), len(plan.reminders)
    echo(
        f"{file}: ok · {practices} practice{'s' * (practices != 1)}, "
        f"{reminders} reminder{'s' * (reminders != 1)}"
    )


@app.command("import")
def import_(file: PlanFile) -> None:
    """Add a plan your therapist gave you; one with the same title is replaced."""
    from calm import locations
    from calm.care.plan_checker import PlanError
    from calm.care.plans_folder import import_plan
    from calm.cli.script_lookup import script_library

    try:
        plan, replaced = import_plan(file, locations.plans_dir(), script_library())
    except PlanError as error:
        _fail_problems(error)
    except OSError as error:
        fail(f"cannot import the plan into {locations.plans_dir()}: {error.strerror or error}")
    if replaced is None:
        done = f"Imported {plan.title} ({plan.name})"
    else:  # the plan it replaced, whose title may differ in case or spacing
        renamed = f" with {plan.title}" if replaced.title != plan.title else ""
        done = f"Replaced {replaced.title} ({plan.name}){renamed}"
    echo(f"{done}. {_when_today_shows(plan)}")


@app.command("list")
def list_plans(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """List the plans you have imported."""
    found = _plans()
    if as_json:
        echo(json.dumps([_summary_json(plan) for plan in found.plans], indent=2))
        return
    if not found.plans:
        echo("No plans yet. Import one your therapist gave you: calm plan import FILE")
        return
    for plan in found.plans:
        author = f" · from {plan.author}" if plan.author else ""
        echo(f"{plan.name}  {plan.title}{author}{_dates(plan)}")


@app.command()
def show(
    name: PlanName,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """Show a plan: its practices, its reminders and its note."""
    plan = _named(name)
    if as_json:
        document = _summary_json(plan)
        document["practices"] = [
            {"script": item.script, "title": item.title, "when": item.when.text}
            for item in plan.practices
        ]
        document["reminders"] = [
            {"text": item.text, "when": item.when.text} for item in plan.reminders
        ]
        document["note"] = plan.note
        echo(json.dumps(document, indent=2))
        return
    import sys

    from calm.care.today_view import fitted

    lines = [f"{plan.title}{' · from ' + plan.author if plan.author else ''}{_dates(plan)}"]
    if plan.practices:
        lines.append("Practices")
        for practice in plan.practices:
            lines.append(f"  {practice.title} · {practice.when.text} · {practice.start_command}")
    if plan.reminders:
        lines.append("Reminders")
        for reminder in plan.reminders:
            lines.append(f"  {reminder.text} · {reminder.when.text}")
    if plan.note:
        lines.append(plan.note)
    for line in lines:
        echo(fitted(line, sys.stdout))


@app.command()
def remove(name: PlanName) -> None:
    """Remove an imported plan; your history stays as it is."""
    from calm.care.plans_folder import remove_plan

    plan = _named(name)
    try:
        remove_plan(plan)
    except OSError as error:
        fail(f"cannot remove {plan.name}: {error.strerror or error}")
    echo(f"Removed {plan.title}.")


# -- helpers ---------------------------------------------------------------------


def _load(file: Path) -> Plan:
    from calm.care.plan_checker import PlanError, load_plan
    from calm.cli.script_lookup import script_library

    try:
        return load_plan(file, script_library())
    except PlanError as error:
        _fail_problems(error)


def _fail_problems(error: ScriptError) -> NoReturn:
    """Each of a plan's problems, one line each, and exit 1."""
    from calm.cli.script_lookup import tell_problems

    tell_problems(error)
    raise typer.Exit(1)


def _plans() -> Plans:
    from calm import locations
    from calm.care.plans_folder import read_plans
    from calm.cli.script_lookup import script_library

    found = read_plans(locations.plans_dir(), script_library())
    for notice in found.notices:
        tell(f"calm: {notice}")
    return found


def _named(name: str) -> Plan:
    try:
        return _plans().named(name)
    except LookupError as error:
        fail(str(error), USAGE_ERROR)


def _dates(plan: Plan) -> str:
    """ " · starts 4 January 2027", " · ended 28 February 2027": the plan's dates as
    they stand today ("from" is who the plan is from)."""
    today = _today()
    if plan.ends is not None and plan.ends < today:
        return f" · ended {_day(plan.ends)}"
    words = []
    if plan.starts is not None:
        began = "starts" if plan.starts > today else "began"
        words.append(f"{began} {_day(plan.starts)}")
    if plan.ends is not None:
        words.append(f"until {_day(plan.ends)}")
    return "".join(f" · {word}" for word in words)


def _when_today_shows(plan: Plan) -> str:
    """What the import says of when ``calm today`` shows the plan."""
    today = _today()
    if plan.ends is not None and plan.ends < today:
        return f"It ended on {_day(plan.ends)}, so calm today will not show it."
    if plan.starts is not None and plan.starts > today:
        return f"It starts on {_day(plan.starts)}; calm today will show it from then."
    return "See today's part of it with: calm today"


def _today() -> date:
    from datetime import datetime

    return datetime.now().astimezone().date()


def _day(day: date) -> str:
    """ "1 January 2099"."""
    return f"{day.day} {day.strftime('%B %Y')}"


def _summary_json(plan: Plan) -> dict[str, object]:
    return {
        "name": plan.name,
        "title": plan.title,
        "from": plan.author,
        "starts": plan.starts.isoformat() if plan.starts else None,
        "ends": plan.ends.isoformat() if plan.ends else None,
    }
