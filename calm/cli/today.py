"""``calm today``: what your care plans suggest today, what of it is done, and one
gentle line; ``calm today done N`` ticks off a reminder."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.number_option import NumberRange
from calm.cli.output import USAGE_ERROR, echo, fail, tell

if TYPE_CHECKING:
    from calm.care.today import Today

app = typer.Typer(invoke_without_command=True)


@app.callback()
def today(
    context: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """What your care plans suggest today, and what of it is done."""
    if context.invoked_subcommand is not None:
        return
    found = _today()
    if as_json:
        echo(json.dumps(found.to_json(), indent=2))
        return
    import sys

    from calm.care.today_view import fitted, today_lines

    for line in today_lines(found):
        echo(fitted(line, sys.stdout))


@app.command()
def done(
    number: Annotated[
        int,
        typer.Argument(
            metavar="N",
            parser=NumberRange(1, 1000, whole=True),
            help="The reminder's number, as calm today shows it.",
        ),
    ],
) -> None:
    """Tick off today's reminder number N."""
    from calm import locations
    from calm.practice.history import HistoryStore, local_now
    from calm.practice.history_errors import HistoryError

    found = _today()
    reminders = found.reminders
    if not reminders:
        fail("there are no reminders in your plans today", USAGE_ERROR)
    if number > len(reminders):
        fail(f"today has reminders 1 to {len(reminders)}; see them with calm today", USAGE_ERROR)
    reminder = reminders[number - 1]
    try:
        store = HistoryStore.open(locations.history_file())
        try:
            fresh = store.tick_reminder(reminder.plan.name, reminder.text, local_now())
        finally:
            store.close()
    except HistoryError as error:
        fail(str(error))
    echo(f"Done: {reminder.text}" if fresh else f"Already done today: {reminder.text}")


def _today() -> Today:
    """Today, from the imported plans and the history."""
    from calm import locations
    from calm.care.done_today import read_done
    from calm.care.plans_folder import read_plans
    from calm.care.today import today_in
    from calm.cli.script_lookup import script_library
    from calm.practice.history import local_now

    found = read_plans(locations.plans_dir(), script_library())
    for notice in found.notices:
        tell(f"calm: {notice}")
    day = local_now().date()
    return today_in(found.plans, day, read_done(locations.history_file(), day))
