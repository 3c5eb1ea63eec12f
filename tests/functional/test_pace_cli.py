"""``calm pace`` on the command line: ``--show`` and ``--history`` (as text and JSON) on
an empty home and on one whose history holds results, and what it refuses.

Results are seeded through ``HistoryStore.keep_pace`` into the isolated home of
``tests/conftest.py``; every expected line is worked out here from what was seeded and
from docs/pace.md, with times shown in UTC. Tests that start ``calm`` as a process are
marked slow, as the other command-line tests are, to keep the default run quick.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from typer._click.exceptions import UsageError
from typer.testing import CliRunner, Result

from calm import locations
from calm.cli import app
from calm.practice.history import HistoryStore
from calm.practice.pace_choice import RungAnswers
from calm.practice.pace_results import answers_json, read_results

LADDER = (
    RungAnswers(6.5, 4, 2, False),
    RungAnswers(6.0, 5, 4, False),
    RungAnswers(5.5, 4, 4, False),
    RungAnswers(5.0, 5, 5, False),
    RungAnswers(4.5, 3, 5, True),
)
"""One run's answers: 5 was easy and calmest (4.5 as calm, but too hard, light-headed)."""

NONE_COUNTED = (RungAnswers(6.5, 3, 3, False), RungAnswers(6.0, 5, 2, True))
"""A short run where no pace counted: 6 was kept, and nothing found."""

SEEDED = [
    (6.5, True, datetime(2026, 11, 30, 21, 0, tzinfo=UTC), LADDER),
    (5.5, True, datetime(2026, 12, 1, 7, 5, tzinfo=UTC), LADDER),
    (4.5, True, datetime(2026, 12, 2, 18, 30, tzinfo=UTC), LADDER),
    (5.0, True, datetime(2026, 12, 3, 9, 15, tzinfo=UTC), LADDER),
    (6.0, False, datetime(2026, 12, 4, 8, 0, tzinfo=UTC), NONE_COUNTED),
]
"""Oldest first. The last three that found a pace are 5, 4.5 and 5.5: median 5."""

NO_PACE_YET = "No preferred pace is saved yet. Find yours with: calm pace"
TIMEOUT = 60


def seed(*results: tuple[float, bool, datetime, tuple[RungAnswers, ...]]) -> None:
    """Keep ``results`` in the home's history, as calm pace keeps them."""
    store = HistoryStore.open(locations.history_file())
    try:
        for pace, found, moment, answers in results:
            store.keep_pace(
                pace, found=found, answers=answers_json(answers), moment=moment, session=None
            )
    finally:
        store.close()


@pytest.fixture
def utc() -> Iterator[None]:
    """Local time is UTC for this test, so the times shown can be written out."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def invoke(*args: str) -> Result:
    """``calm ARGS`` in this process."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def lines(result: Result) -> list[str]:
    """What it printed, a line each, having succeeded and said nothing on stderr."""
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout.splitlines()


def refusal(result: Result | subprocess.CompletedProcess[str]) -> str:
    """The one ``calm:`` line of a usage error: exit 2, nothing on stdout."""
    code = result.exit_code if isinstance(result, Result) else result.returncode
    assert code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("calm: ")
    return line


def ladder_json(answers: tuple[RungAnswers, ...]) -> list[dict[str, Any]]:
    return [
        {"pace": rung.pace, "ease": rung.ease, "calm": rung.calm, "light_headed": rung.light_headed}
        for rung in answers
    ]


# -- an empty home -----------------------------------------------------------------------


def test_show_with_nothing_saved_says_so_and_what_scripts_do() -> None:
    assert lines(invoke("pace", "--show")) == [
        NO_PACE_YET,
        'Until then, scripts with pace = "preferred" breathe at 6.',
    ]
    assert not locations.history_file().exists(), "showing makes no history"


def test_show_json_with_nothing_saved() -> None:
    assert json.loads(invoke("pace", "--show", "--json").stdout) == {
        "preferred": None,
        "from_results": 0,
        "default": 6.0,
        "latest": None,
    }


def test_history_with_nothing_saved() -> None:
    assert lines(invoke("pace", "--history")) == [NO_PACE_YET]
    assert json.loads(invoke("pace", "--history", "--json").stdout) == []


def test_an_empty_history_file_is_as_good_as_none() -> None:
    """A history with sessions but no pace results yet shows nothing saved."""
    seed()
    assert lines(invoke("pace", "--show"))[0] == NO_PACE_YET
    assert json.loads(invoke("pace", "--history", "--json").stdout) == []


# -- a home with results -----------------------------------------------------------------


@pytest.mark.usefixtures("utc")
def test_show_gives_the_median_of_the_last_three_found() -> None:
    """5, 4.5 and 5.5 found, newest first, behind a run that found none: 5 a minute. The
    latest is that unfound run."""
    seed(*SEEDED)
    assert lines(invoke("pace", "--show")) == [
        "Your preferred slow pace: 5 breaths a minute (the middle of your last 3 results).",
        "Latest run: 4 Dec 2026, 08:00, found none. See them all with: calm pace --history",
        'Scripts with pace = "preferred", such as my-pace, breathe at it.',
    ]


@pytest.mark.usefixtures("utc")
@pytest.mark.parametrize(
    ("seeded", "said"),
    [
        (SEEDED[3:4], "5 breaths a minute (your one result so far)"),
        (SEEDED[2:4], "4.75 breaths a minute (the middle of your 2 results)"),
    ],
)
def test_show_says_how_many_results_it_comes_from(
    seeded: list[tuple[float, bool, datetime, tuple[RungAnswers, ...]]], said: str
) -> None:
    """One result is itself; two give their middle, 4.5 and 5 making 4.75."""
    seed(*seeded)
    assert lines(invoke("pace", "--show"))[0] == f"Your preferred slow pace: {said}."


def test_show_when_no_run_found_a_pace() -> None:
    """Runs that found none leave nothing saved, and say why."""
    seed(SEEDED[4])
    assert lines(invoke("pace", "--show")) == [
        NO_PACE_YET,
        "Your runs so far found no pace that felt easy and free of light-headedness.",
        'Until then, scripts with pace = "preferred" breathe at 6.',
    ]


def test_show_json_with_results() -> None:
    seed(*SEEDED)
    assert json.loads(invoke("pace", "--show", "--json").stdout) == {
        "preferred": 5.0,
        "from_results": 3,
        "default": 6.0,
        "latest": {
            "found_at": "2026-12-04T08:00:00+00:00",
            "pace": 6.0,
            "found": False,
            "answers": ladder_json(NONE_COUNTED),
        },
    }


@pytest.mark.usefixtures("utc")
def test_history_lists_every_result_newest_first_with_its_answers() -> None:
    seed(*SEEDED)
    ladder = [
        "     6.5  ease 4 · calm 2",
        "       6  ease 5 · calm 4",
        "     5.5  ease 4 · calm 4",
        "       5  ease 5 · calm 5",
        "     4.5  ease 3 · calm 5 · light-headed",
    ]
    assert lines(invoke("pace", "--history")) == [
        "4 Dec 2026, 08:00  none found (6 kept)",
        "     6.5  ease 3 · calm 3",
        "       6  ease 5 · calm 2 · light-headed",
        "3 Dec 2026, 09:15  5 a minute",
        *ladder,
        "2 Dec 2026, 18:30  4.5 a minute",
        *ladder,
        "1 Dec 2026, 07:05  5.5 a minute",
        *ladder,
        "30 Nov 2026, 21:00  6.5 a minute",
        *ladder,
    ]


def test_history_json_lists_every_result_newest_first() -> None:
    seed(*SEEDED)
    assert json.loads(invoke("pace", "--history", "--json").stdout) == [
        {
            "found_at": moment.isoformat(),
            "pace": pace,
            "found": found,
            "answers": ladder_json(answers),
        }
        for pace, found, moment, answers in reversed(SEEDED)
    ]


# -- what it refuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--show", "--history"], "--show and --history cannot be used together"),
        (["--show", "--history", "--json"], "--show and --history cannot be used together"),
        (["--json"], "--json only goes with --show or --history"),
    ],
)
def test_options_that_do_not_go_together_are_a_usage_error(args: list[str], said: str) -> None:
    """The command's rules (calm.cli.flag_rules), which calm says as it says any usage
    error: one line, and exit 2. Nothing is shown, run or written."""
    seed(*SEEDED)
    result = CliRunner().invoke(app, ["pace", *args], standalone_mode=False)
    assert isinstance(result.exception, UsageError), result.output
    assert result.exception.format_message() == said
    assert result.stdout == ""
    assert len(read_results(locations.history_file())) == len(SEEDED)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--from", "4", "--to", "6"],
            "calm: --to (6) must be slower than --from (4): the ladder goes down",
        ),
        (
            ["--from", "10", "--to", "3", "--step", "0.5"],
            "calm: that ladder has 15 rungs; at most 12: take a larger --step or a shorter range",
        ),
    ],
)
def test_a_ladder_that_cannot_be_run_is_one_line(args: list[str], said: str) -> None:
    """Exit 2 with one ``calm:`` line; nothing is shown, run or written."""
    seed(*SEEDED)
    assert refusal(invoke("pace", *args)) == said
    assert len(read_results(locations.history_file())) == len(SEEDED)


# -- the real process --------------------------------------------------------------------


def calm(*args: str, stdin: int = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    """The real ``calm`` in the isolated home, its output to pipes: no terminal anywhere."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env=dict(os.environ, TZ="UTC"),
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["--plain"], ["--quick", "--plain", "--demo"]])
def test_calm_pace_with_no_terminal_to_answer_on_is_one_line(args: list[str]) -> None:
    """Its questions need a terminal: with pipes at both ends it says so and exits 2,
    and keeps nothing."""
    result = calm("pace", *args, stdin=subprocess.PIPE)
    assert refusal(result) == (
        "calm: calm pace asks three questions after each pace, so it needs a terminal to"
        " answer them on"
    )
    assert read_results(locations.history_file()) == []


@pytest.mark.slow
def test_calm_pace_refuses_a_ladder_going_up_in_a_real_process() -> None:
    assert refusal(calm("pace", "--from", "4", "--to", "6")) == (
        "calm: --to (6) must be slower than --from (4): the ladder goes down"
    )


@pytest.mark.slow
def test_an_option_for_the_ladder_beside_show_is_one_line_in_a_real_process() -> None:
    """The command's rules are said as any usage error is: one line, exit 2 (run as
    ``python -m calm`` here, which the help it points to names)."""
    assert refusal(calm("pace", "--show", "--quick")) == (
        "calm: --quick runs the ladder; it does not go with --show"
        " (see `python -m calm pace --help`)"
    )


@pytest.mark.slow
def test_calm_serve_pace_takes_no_script() -> None:
    """``calm serve --pace`` runs calm pace on each page: naming a script is refused."""
    assert refusal(calm("serve", "--pace", "box")) == (
        "calm: --pace runs calm pace on each page: no SCRIPT, and not --together"
    )


@pytest.mark.slow
def test_show_and_history_in_a_real_process() -> None:
    """The real process reads the home's history as the in-process runs do."""
    seed(*SEEDED)
    shown = calm("pace", "--show")
    assert shown.returncode == 0 and shown.stderr == ""
    assert shown.stdout.splitlines()[1] == (
        "Latest run: 4 Dec 2026, 08:00, found none. See them all with: calm pace --history"
    )
    listed = calm("pace", "--history", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    assert [row["pace"] for row in json.loads(listed.stdout)] == [6.0, 5.0, 4.5, 5.5, 6.5]


@pytest.mark.slow
def test_calm_show_my_pace_names_the_pace_it_will_use() -> None:
    """With nothing saved, my-pace breathes at 6, and calm says so in one line; once
    results are kept, at their median, 5, with no such line."""
    before = calm("show", "my-pace", "--json")
    assert before.returncode == 0
    assert before.stderr.splitlines() == [
        "calm: no preferred pace is saved yet, so this breathes at 6 a minute;"
        " find yours with calm pace"
    ]
    shown = json.loads(before.stdout)
    assert shown["preferred_pace"] == {"breaths_per_minute": 6.0, "saved": False}
    assert shown["breaths_per_minute"] == 6
    seed(*SEEDED)
    after = calm("show", "my-pace", "--json")
    assert after.returncode == 0 and after.stderr == ""
    shown = json.loads(after.stdout)
    assert shown["preferred_pace"] == {"breaths_per_minute": 5.0, "saved": True}
    assert shown["breaths_per_minute"] == 5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--from", "11"], "--from"),
        (["--to", "2"], "--to"),
        (["--step", "0"], "--step"),
        (["--rung-minutes", "0"], "--rung-minutes"),
        (["--rung-minutes", "11"], "--rung-minutes"),
    ],
)
def test_a_number_out_of_range_is_one_line_naming_the_option(args: list[str], option: str) -> None:
    """calm's entry point makes click's boxed usage error one line, naming the option."""
    assert refusal(calm("pace", *args)).startswith(f"calm: {option} must be from ")
