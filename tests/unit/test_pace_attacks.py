"""``calm pace`` attacked as a hostile or clumsy user would: a history whose pace rows
were written by hand or by another program.

Each test here failed before the fix it guards. The history is data from outside
calm: no row of it may crash calm, cost unbounded time or memory, or reach the
terminal as anything but calm's own words.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calm import locations
from calm.cli import app
from calm.practice.history import HistoryStore
from calm.practice.pace_results import read_results

GOOD_ANSWERS = "[[5.5,4,5,false]]"
GOOD_MOMENT = "2026-12-03T09:00:00+00:00"


@pytest.fixture
def history() -> Path:
    """The isolated home's history file, with calm's tables and nothing in them."""
    path = locations.history_file()
    HistoryStore.open(path).close()
    return path


def insert_raw(path: Path, found_at: object, pace: object, answers: object) -> None:
    """A row that found a pace, written straight into the file as another program might."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "INSERT INTO pace_results (found_at, pace, found, answers) VALUES (?, ?, 1, ?)",
            (found_at, pace, answers),
        )
        connection.commit()


def calm(*args: str) -> tuple[int, str]:
    """Run ``calm ARGS`` in this process; its exit code and everything it printed."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


# -- rows too long to be calm's ----------------------------------------------------------


def test_answers_longer_than_calm_writes_are_left_unread(history: Path) -> None:
    """Valid JSON padded far past anything calm writes is another program's row: it is
    left out, not decoded, so a row of a gigabyte costs no gigabyte of memory."""
    padded = "[[5.0,4,5,false]" + " " * 100_000 + "]"
    insert_raw(history, "2026-12-04T09:00:00+00:00", 5.0, padded)
    insert_raw(history, GOOD_MOMENT, 5.5, GOOD_ANSWERS)
    assert [result.pace for result in read_results(history)] == [5.5]


def test_the_longest_answers_calm_writes_are_still_read(history: Path) -> None:
    """Fifty rungs at paces written to every digit fit well within the limit."""
    rungs = ",".join(["[5.123456789012345,4,5,false]"] * 50)
    insert_raw(history, GOOD_MOMENT, 5.5, f"[{rungs}]")
    (result,) = read_results(history)
    assert len(result.answers) == 50


# -- moments with no local time ----------------------------------------------------------


@pytest.mark.parametrize(
    "found_at",
    [
        pytest.param("0001-01-01T00:00:00+14:00", id="before year 1 in UTC"),
        pytest.param("9999-12-31T23:59:59-14:00", id="after year 9999 in UTC"),
    ],
)
def test_a_moment_that_has_no_local_time_is_left_out(history: Path, found_at: str) -> None:
    """A moment datetime can read but not move into any time zone would crash
    ``calm pace --history`` and ``--show`` as they say it in local time."""
    insert_raw(history, found_at, 5.0, GOOD_ANSWERS)
    insert_raw(history, GOOD_MOMENT, 5.5, GOOD_ANSWERS)
    assert [result.pace for result in read_results(history)] == [5.5]
    for option in ("--history", "--show"):
        code, output = calm("pace", option)
        assert code == 0, output
        assert "5.5" in output
