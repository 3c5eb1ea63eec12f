"""``calm nudge``: one short, kind line when something in today's plan is not yet done.

The commonest command lines never reach this module (``calm.care.nudge_command``
reads them before typer loads); here are the help, the checks of what was typed,
and ``--setup``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from calm.cli.flag_rules import Apart, Instead, RuledCommand
from calm.cli.number_option import NumberRange
from calm.cli.output import USAGE_ERROR, echo, fail

app = typer.Typer()


class _NudgeCommand(RuledCommand):
    """``calm nudge`` says the nudge one way at a time, or prints a setup instead."""

    rules = (
        Apart("--notify", "--status"),
        Instead(
            "--setup", run="is for the nudge itself", shaping=("--once-per", "--notify", "--status")
        ),
    )


@app.command(cls=_NudgeCommand)
def nudge(
    once_per: Annotated[
        float | None,
        typer.Option(
            "--once-per",
            metavar="HOURS",
            parser=NumberRange(0, 168),
            help="Say nothing if the last nudge was less than HOURS ago.",
        ),
    ] = None,
    notify: Annotated[
        bool, typer.Option("--notify", help="Send it as a desktop notification, for cron.")
    ] = False,
    status: Annotated[
        bool,
        typer.Option("--status", help="For a status line: the line whenever there is one."),
    ] = False,
    setup: Annotated[
        str | None,
        typer.Option(
            "--setup",
            metavar="NAME",
            help="Print what to add for bash, zsh, fish, tmux, cron, systemd or launchd.",
        ),
    ] = None,
) -> None:
    """A kind line when something in today's plan is not yet done; otherwise nothing."""
    if setup is not None:
        from calm.care.nudge_setup import SETUPS
        from calm.core.suggest import did_you_mean

        snippet = SETUPS.get(setup.lower())
        if snippet is None:
            hint = did_you_mean(setup, list(SETUPS))
            choices = ", ".join(SETUPS)
            fail(
                f'no setup for "{setup}"' + (f"; {hint}" if hint else f"; one of {choices}"),
                USAGE_ERROR,
            )
        echo(snippet)
        return
    from calm.care.nudge import NudgeAsk
    from calm.care.nudge_command import run_nudge

    raise typer.Exit(run_nudge(NudgeAsk(once_per, status), notify=notify))
