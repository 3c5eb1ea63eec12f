"""The ``calm`` command itself: ``--version``, ``--demo``, and the command groups joined on.

Each group lives in its own module and is joined here with ``add_typer``, as
typer's "one file per command" lays it out; a group added without a name gives
its commands to ``calm`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from calm import __version__
from calm.cli import audio, history, scripts, start, stats
from calm.cli.options import DemoOption
from calm.cli.output import USAGE_ERROR, ReaderGone, fail

if TYPE_CHECKING:
    from typer._click import Context


class _CalmGroup(typer.core.TyperGroup):
    """The ``calm`` command group: a closed pipe leaves it as ``ReaderGone``, for
    ``main`` to end quietly, rather than as click's own exit 1."""

    def invoke(self, ctx: Context) -> Any:
        """Run the command, turning a closed pipe into ``ReaderGone``."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError as error:
            raise ReaderGone from error


app = typer.Typer(
    cls=_CalmGroup,
    name="calm",
    help="A quiet place to breathe: timed breathing and unwinding scripts in your terminal.",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    """``--version``: say the version and stop, before anything else is parsed."""
    if value:
        typer.echo(f"calm {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    demo: DemoOption = False,
) -> None:
    """A quiet place to breathe: timed breathing and unwinding scripts in your terminal.

    Run `calm` on its own to choose a script; `calm --demo` to show a few to someone.
    """
    if context.invoked_subcommand is not None:
        if demo:
            fail(
                "--demo goes with calm on its own, or after start: "
                f"calm start --demo, not calm --demo {context.invoked_subcommand}",
                USAGE_ERROR,
            )
        return
    start.choose_and_start(context, demo=demo)


# Joined in the order `calm --help` lists them.
app.add_typer(scripts.app)
app.add_typer(start.app)
app.add_typer(history.app, name="history")
app.add_typer(stats.app)
app.add_typer(audio.app, name="audio")
