"""Which options go together, declared once beside a command rather than counted in its body.

A group or a command lists its ``rules``; once click has parsed every option, the
first rule broken is a usage error, one line like any other: "--json and --csv cannot be
used together". An option counts as given only when it was typed, so a default,
even a true one, never breaks a rule.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar

import typer.core
from typer._click.core import Command, ParameterSource
from typer._click.exceptions import UsageError

if TYPE_CHECKING:
    from typer._click import Context, Parameter


class Apart:
    """Options of which at most one may be given at a time."""

    def __init__(self, *options: str) -> None:
        self.names = options
        """The options' long names, in the order a problem names them."""

    def broken_by(self, given: Collection[str]) -> str | None:
        """What is wrong when ``given`` holds more than one of the options; else None."""
        chosen = [option for option in self.names if option in given]
        return f"{' and '.join(chosen)} cannot be used together" if len(chosen) > 1 else None


class Needs:
    """An option that only means something beside another, such as ``--yes`` beside
    ``--clear``, or beside any one of several (``--json`` beside ``--show`` or
    ``--history``)."""

    def __init__(self, option: str, *partners: str) -> None:
        self.option = option
        """The option that needs a partner."""
        self.partners = partners
        """The options it goes with, any one of them."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every option the rule names."""
        return (self.option, *self.partners)

    def broken_by(self, given: Collection[str]) -> str | None:
        """What is wrong when ``given`` holds the option without a partner; else None."""
        if self.option in given and not any(partner in given for partner in self.partners):
            return f"{self.option} only goes with {' or '.join(self.partners)}"
        return None


class Instead:
    """An option that does something else instead of the command's usual run, such as
    ``calm pace --show``: the options that only shape that run mean nothing beside it,
    and are said rather than quietly ignored."""

    def __init__(self, option: str, *, run: str, shaping: Collection[str]) -> None:
        self.option = option
        """The option that runs something else."""
        self.run = run
        """The usual run, as in "runs the ladder"."""
        self.shaping = tuple(shaping)
        """The options that shape the usual run, in the order a problem names them."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every option the rule names."""
        return (self.option, *self.shaping)

    def broken_by(self, given: Collection[str]) -> str | None:
        """What is wrong when ``given`` holds the option and one that shapes the run."""
        if self.option not in given:
            return None
        typed = next((name for name in self.shaping if name in given), None)
        return None if typed is None else f"{typed} {self.run}; it does not go with {self.option}"


Rule = Apart | Needs | Instead
"""One thing the options of a command must keep to."""


class _KeepsRules(Command):
    """What a ruled group and a ruled command share: their ``rules``, checked once every
    option is parsed, and checked to name real options as the command is built."""

    rules: ClassVar[tuple[Rule, ...]] = ()
    """The rules, checked in order; the first one broken is the one said."""

    def __init__(self, **settings: Any) -> None:
        """Build the command as typer does, checking that each rule names its real options."""
        super().__init__(**settings)
        known = {long_name(param) for param in self.params}
        for rule in self.rules:
            # A misspelt name would make its rule quietly never apply.
            unknown = [name for name in rule.names if name not in known]
            if unknown:
                raise ValueError(f"{type(self).__name__} has a rule for no such option: {unknown}")

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Parse as click does, then say the first rule the typed options break."""
        rest = super().parse_args(ctx, args)
        if not ctx.resilient_parsing:
            given = {
                long_name(param)
                for param in self.get_params(ctx)
                if param.name is not None
                and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
            }
            for rule in self.rules:
                problem = rule.broken_by(given)
                if problem is not None:
                    raise UsageError(problem, ctx)
        return rest


class RuledGroup(_KeepsRules, typer.core.TyperGroup):
    """A typer group (``calm history``) whose options keep to its ``rules``."""


class RuledCommand(_KeepsRules, typer.core.TyperCommand):
    """A typer command (``calm pace``) whose options keep to its ``rules``; give it to
    ``app.command`` as ``cls``."""


def long_name(param: Parameter) -> str:
    """How calm's problems name an option: its first long name, such as ``--limit``."""
    names = [*param.opts, *param.secondary_opts]
    return next((name for name in names if name.startswith("--")), names[0])
