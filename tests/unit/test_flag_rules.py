"""Options that go together are declared once, as rules a group keeps, not counted by hand."""

from __future__ import annotations

from typing import Annotated, ClassVar

import pytest
import typer
from typer.testing import CliRunner

from calm.cli.flag_rules import Apart, Needs, Rule, RuledGroup
from calm.cli.number_option import NumberRange


class Rules(RuledGroup):
    """The rules a tiny history-like group keeps."""

    rules: ClassVar[tuple[Rule, ...]] = (Apart("--json", "--csv"), Needs("--yes", "--clear"))


def tiny_app(group: type[RuledGroup] = Rules) -> typer.Typer:
    """A group with the four options the rules name, and a number option."""
    app = typer.Typer(cls=group, add_completion=False)

    @app.callback(invoke_without_command=True)
    def listing(
        as_json: Annotated[bool, typer.Option("--json")] = False,
        as_csv: Annotated[bool, typer.Option("--csv")] = True,
        clear: Annotated[bool, typer.Option("--clear")] = False,
        yes: Annotated[bool, typer.Option("--yes", "-y")] = False,
        limit: Annotated[
            int | None, typer.Option("--limit", "-n", parser=NumberRange(0, 10, whole=True))
        ] = None,
    ) -> None:
        typer.echo(f"json={as_json} csv={as_csv} clear={clear} yes={yes} limit={limit}")

    @app.command()
    def other() -> None:
        """A subcommand, so that the callback is a group's."""

    return app


def run(*args: str) -> tuple[int, str]:
    """Run the tiny app; its exit status and everything it said."""
    result = CliRunner().invoke(tiny_app(), list(args))
    return result.exit_code, result.output


def test_options_kept_apart_cannot_be_typed_together() -> None:
    """--json with --csv is one usage error naming both, exit 2."""
    code, said = run("--json", "--csv")
    assert code == 2 and "--json and --csv cannot be used together" in said


def test_a_default_never_breaks_a_rule() -> None:
    """--csv defaults to true here, yet --json alone is fine: only what was typed counts."""
    code, said = run("--json")
    assert code == 0 and "json=True csv=True" in said


def test_an_option_that_needs_another_says_so() -> None:
    """--yes alone is an error; with --clear, by either spelling, it is fine."""
    code, said = run("-y")
    assert code == 2 and "--yes only goes with --clear" in said
    assert run("--clear", "-y")[0] == 0


def test_a_rule_naming_no_real_option_fails_as_the_group_is_built() -> None:
    """A misspelt rule would quietly never apply, so building the group refuses it."""

    class Misspelt(RuledGroup):
        rules: ClassVar[tuple[Rule, ...]] = (Apart("--json", "--cvs"),)

    with pytest.raises(ValueError, match="--cvs"):
        typer.main.get_command(tiny_app(Misspelt))


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("abc", "--limit must be a whole number, got 'abc'"),
        ("11", "--limit must be from 0 to 10, got 11"),
        ("2.5", "--limit must be a whole number, got '2.5'"),
        ("nan", "--limit must be a whole number, got 'nan'"),
    ],
)
def test_a_bad_number_is_said_in_calms_words_through_clicks_hook(typed: str, words: str) -> None:
    """The option's long name and what is wrong, quoting what was typed, and exit 2."""
    code, said = run("-n", typed)
    assert code == 2 and words in said
    assert "Invalid value" not in said


def test_a_number_in_range_is_taken_as_typed() -> None:
    """A number within the range reaches the command as a number."""
    code, said = run("--limit", " 7 ")
    assert code == 0 and "limit=7" in said
