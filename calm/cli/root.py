"""The ``calm`` command itself: ``--version``, ``--demo``, and the command groups joined on.

Each group lives in its own module and is joined here as ``add_typer`` joins it, as
typer's "one file per command" lays it out; a group joined without a name gives
its commands to ``calm`` itself. A group is joined, and its module imported, only
when one of its commands is asked for: ``calm start`` builds and loads nothing of
the others, which is some of what stands before a session's first frame.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core
import typer.main

from calm import __version__
from calm.cli.options import DemoOption
from calm.cli.output import USAGE_ERROR, ReaderGone, fail

if TYPE_CHECKING:
    from typer._click import Command, Context

GROUPS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("calm.cli.scripts", None, ("list", "show", "validate", "new")),
    ("calm.cli.start", None, ("start",)),
    ("calm.cli.render", None, ("render",)),
    ("calm.cli.serve", None, ("serve",)),
    ("calm.cli.history", "history", ("history",)),
    ("calm.cli.stats", None, ("stats",)),
    ("calm.cli.pace", None, ("pace",)),
    ("calm.cli.plan", "plan", ("plan",)),
    ("calm.cli.today", "today", ("today",)),
    ("calm.cli.nudge", None, ("nudge",)),
    ("calm.cli.audio", "audio", ("audio",)),
)
"""Each command group: its module, the name it is joined under (None gives its commands
to ``calm`` itself) and the commands it gives, in the order `calm --help` lists them."""


class _CalmGroup(typer.core.TyperGroup):
    """The ``calm`` command group: its commands are joined as they are asked for, and a
    closed pipe leaves it as ``ReaderGone``, for ``main`` to end quietly, rather than
    as click's own exit 1."""

    _joined: dict[str, Command]
    _modules: set[str]

    @property
    def commands(self) -> MutableMapping[str, Command]:
        """Every command, each group joined: for whatever looks at them all."""
        for module, _, _ in GROUPS:
            self._join(module)
        return self._joined

    @commands.setter
    def commands(self, commands: MutableMapping[str, Command]) -> None:
        self._joined = dict(commands)
        self._modules = set()

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command called ``cmd_name``, its group joined first; a name that is no
        command's joins them all, for the usage error to suggest the nearest."""
        module = next((module for module, _, names in GROUPS if cmd_name in names), None)
        if module is None:
            return self.commands.get(cmd_name)
        self._join(module)
        return self._joined.get(cmd_name)

    def list_commands(self, ctx: Context) -> list[str]:
        """Every command's name, in the order of ``GROUPS``."""
        joined = self.commands
        return [name for name in _command_names() if name in joined]

    def _join(self, module: str) -> None:
        """Join the commands of the group in ``module``, as ``add_typer`` would have."""
        if module in self._modules:
            return
        self._modules.add(module)
        name = next(joined_as for group, joined_as, _ in GROUPS if group == module)
        holder = typer.Typer()
        holder.add_typer(importlib.import_module(module).app, name=name)
        group = typer.main.get_group_from_info(
            holder.registered_groups[0],
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
        self._joined.update({group.name: group} if group.name else group.commands)

    def invoke(self, ctx: Context) -> Any:
        """Run the command, turning a closed pipe into ``ReaderGone``."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError as error:
            raise ReaderGone from error


def _command_names() -> Iterator[str]:
    for _, _, names in GROUPS:
        yield from names


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
    if context.invoked_subcommand not in (None, "start"):
        from calm.tui.launch import release_collection

        release_collection()  # only a screen's first frame waits for it
    if context.invoked_subcommand is not None:
        if demo:
            fail(
                "--demo goes with calm on its own, or after start: "
                f"calm start --demo, not calm --demo {context.invoked_subcommand}",
                USAGE_ERROR,
            )
        return
    from calm.cli.start import choose_and_start

    choose_and_start(context, demo=demo)
