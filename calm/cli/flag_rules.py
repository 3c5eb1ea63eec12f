"""Which options go together, declared once beside a command rather than counted in its body.

A group lists its ``rules``; once click has parsed every option, the first rule
broken is a usage error, one line like any other: "--json and --csv cannot be
used together". An option counts as given only when it was typed, so a default,
even a true one, never breaks a rule.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer.core
from typer._click.core import ParameterSource
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


@dataclass(frozen=True)
class Needs:
    """An option that only means something beside another, such as ``--yes`` beside ``--clear``."""

    option: str
    """The option that needs its partner."""
    partner: str
    """The option it goes with."""

    @property
    def names(self) -> tuple[str, str]:
        """Both options' long names."""
        return (self.option, self.partner)

    def broken_by(self, given: Collection[str]) -> str | None:
        """What is wrong when ``given`` holds the option without its partner; else None."""
        if self.option in given and self.partner not in given:
            return f"{self.option} only goes with {self.partner}"
        return None


Rule = Apart | Needs
"""One thing the options of a command must keep to."""


class RuledGroup(typer.core.TyperGroup):
    """A typer group whose options keep to its ``rules``, checked once all are parsed."""

    rules: ClassVar[tuple[Rule, ...]] = ()
    """The rules, checked in order; the first one broken is the one said."""

    def __init__(self, **settings: Any) -> None:
        """Build the group as typer does, checking that each rule names its real options."""
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


def long_name(param: Parameter) -> str:
    """How calm's problems name an option: its first long name, such as ``--limit``."""
    names = [*param.opts, *param.secondary_opts]
    return next((name for name in names if name.startswith("--")), names[0])
