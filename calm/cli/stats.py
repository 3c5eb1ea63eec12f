"""``calm stats``: your practice so far, as a picture or as JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from calm.cli.history_store import history_failed, open_history, say_if_not_recording, say_left_out
from calm.cli.output import console, echo

app = typer.Typer()


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your practice so far: time, streaks, a twelve-week calendar and favourites."""
    from calm.practice.history import local_now
    from calm.practice.history_errors import HistoryError
    from calm.practice.history_figures import MoodTotal
    from calm.practice.stats import compute, gather

    today = local_now().date()
    recording = say_if_not_recording()
    store = open_history()
    if store is None:
        figures = compute([], [], MoodTotal(0, None, None), today)
    else:
        try:
            figures = gather(store, today)
            # Counted nowhere, and said so, as `calm history` says it.
            say_left_out(store.unreadable())
        except HistoryError as error:
            history_failed(store, error)
        finally:
            store.close()
    from calm import locations
    from calm.care.adherence import adherence_lines, plan_weeks

    weeks = plan_weeks(locations.plans_dir(), locations.history_file(), today)
    if as_json:
        document = figures.to_json()
        document["plan_weeks"] = [week.to_json() for week in weeks]
        typer.echo(json.dumps(document, indent=2))
        return
    from calm.cli.stats_view import stats_renderable

    console().print(stats_renderable(figures, recording=recording))
    for line in adherence_lines(weeks):
        echo(line)
