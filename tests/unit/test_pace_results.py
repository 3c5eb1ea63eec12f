"""What ``calm pace`` found, kept in a real SQLite history and read back
(``calm.practice.pace_results``).

Results are kept with ``HistoryStore.keep_pace`` as calm keeps them; rows damaged by hand
are written straight into the file. The preferred pace is, from docs/pace.md, the median
of the last three results that found one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from calm.practice.history import HistoryStore
from calm.practice.history_schema import MIGRATIONS, SCHEMA_VERSION
from calm.practice.pace_choice import RungAnswers
from calm.practice.pace_results import (
    PaceResult,
    answers_json,
    preferred_of,
    preferred_pace,
    read_results,
)

DAY = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
"""The first result's moment; later ones follow a day apart."""

ANSWERS = (
    RungAnswers(6.5, 4, 3, False),
    RungAnswers(6.0, 5, 4, False),
    RungAnswers(5.5, 4, 5, False),
    RungAnswers(5.0, 3, 5, False),
    RungAnswers(4.5, 2, 2, True),
)
"""A whole ladder's answers, as kept: 5.5 was easy and calmest."""

GOOD_ANSWERS = "[[5.5,4,5,false]]"


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Where the history file goes; nothing is there yet."""
    return tmp_path / "history.sqlite3"


def keep(path: Path, *results: tuple[float, bool, datetime]) -> None:
    """Keep each (pace, found, moment) as calm does, with the ladder's answers."""
    store = HistoryStore.open(path)
    try:
        for pace, found, moment in results:
            store.keep_pace(
                pace, found=found, answers=answers_json(ANSWERS), moment=moment, session=None
            )
    finally:
        store.close()


def day(number: int) -> datetime:
    """The moment of the ``number``-th result, a day after the one before."""
    return DAY + timedelta(days=number)


def insert_raw(path: Path, found_at: object, pace: object, found: object, answers: object) -> None:
    """A row written straight into the file, as a hand or another program might."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "INSERT INTO pace_results (found_at, pace, found, answers) VALUES (?, ?, ?, ?)",
            (found_at, pace, found, answers),
        )
        connection.commit()


def paces(results: list[PaceResult]) -> list[float]:
    """The pace of each result, in the order read."""
    return [result.pace for result in results]


# -- reading back ------------------------------------------------------------------------


def test_a_result_reads_back_as_it_was_kept(history: Path) -> None:
    """Its moment (with its offset), pace, whether found, and every rung's answers."""
    moment = datetime(2026, 12, 3, 9, 15, 30, 250_000, tzinfo=timezone(timedelta(hours=2)))
    keep(history, (5.5, True, moment))
    (result,) = read_results(history)
    assert result == PaceResult(found_at=moment, pace=5.5, found=True, answers=ANSWERS)
    assert result.found_at.utcoffset() == timedelta(hours=2)


def test_results_come_newest_first_by_the_moment_not_the_text(history: Path) -> None:
    """10:00 at +05:00 is 05:00 UTC, before 06:00 UTC, though its text sorts after."""
    east = datetime(2026, 12, 3, 10, 0, tzinfo=timezone(timedelta(hours=5)))
    west = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    keep(history, (5.0, True, west), (6.5, True, day(-5)), (4.5, True, east), (6.0, True, day(9)))
    assert paces(read_results(history)) == [6.0, 5.0, 4.5, 6.5]


def test_a_limit_keeps_the_newest(history: Path) -> None:
    keep(history, *[(4.5 + number / 2, True, day(number)) for number in range(5)])
    assert paces(read_results(history, limit=2)) == [6.5, 6.0]


def test_keeping_needs_a_moment_with_its_offset(history: Path) -> None:
    """A naive moment cannot be placed in time: keeping it is refused, nothing written."""
    store = HistoryStore.open(history)
    try:
        with pytest.raises(ValueError, match="timezone-aware"):
            store.keep_pace(
                5.5, found=True, answers=GOOD_ANSWERS, moment=datetime(2026, 12, 3), session=None
            )
    finally:
        store.close()
    assert read_results(history) == []


def test_the_session_that_found_it_is_kept_beside_it(history: Path) -> None:
    store = HistoryStore.open(history)
    try:
        session = store.begin(script="pace", title="Pace", planned_seconds=700, started_at=DAY)
        store.keep_pace(5.0, found=True, answers=GOOD_ANSWERS, moment=day(0), session=session)
    finally:
        store.close()
    with closing(sqlite3.connect(history)) as connection:
        assert connection.execute("SELECT session FROM pace_results").fetchall() == [(session,)]


# -- the preferred pace ------------------------------------------------------------------


def test_no_results_no_preferred_pace(history: Path) -> None:
    keep(history)
    assert read_results(history) == []
    assert preferred_pace(history) is None
    assert preferred_of([]) == (None, 0)


def test_one_result_is_the_preferred_pace(history: Path) -> None:
    keep(history, (5.5, True, day(0)))
    assert preferred_pace(history) == 5.5
    assert preferred_of(read_results(history)) == (5.5, 1)


def test_two_results_give_their_middle(history: Path) -> None:
    """The median of 5 and 6 is 5.5, a pace neither run found."""
    keep(history, (5.0, True, day(0)), (6.0, True, day(1)))
    assert preferred_of(read_results(history)) == (5.5, 2)


def test_the_median_of_the_last_three_that_found_one(history: Path) -> None:
    """Newest first: 5 (found), 6 (none found, the 6 kept is no result), 4.5, 6.5 and,
    oldest, 5.5. The last three found are 5, 4.5 and 6.5: their median is 5. Counting
    the unfound 6 would give 5.5; the oldest 5.5 would give the same 5.5 among four."""
    keep(
        history,
        (5.5, True, day(0)),
        (6.5, True, day(1)),
        (4.5, True, day(2)),
        (6.0, False, day(3)),
        (5.0, True, day(4)),
    )
    results = read_results(history)
    assert [(result.pace, result.found) for result in results] == [
        (5.0, True), (6.0, False), (4.5, True), (6.5, True), (5.5, True),
    ]  # fmt: skip
    assert preferred_of(results) == (5.0, 3)
    assert preferred_pace(history) == 5.0


def test_runs_that_found_nothing_give_no_preferred_pace(history: Path) -> None:
    """Only unfound results: 6 is what scripts fall back to, not a preferred pace."""
    keep(history, (6.0, False, day(0)), (6.0, False, day(1)))
    assert len(read_results(history)) == 2
    assert preferred_pace(history) is None
    assert preferred_of(read_results(history)) == (None, 0)


def test_a_newer_result_moves_the_preferred_pace(history: Path) -> None:
    """4.5, 4.5, 6.5: median 4.5; a newer 6.5 leaves 4.5, 6.5, 6.5 as the last three:
    median 6.5."""
    keep(history, (4.5, True, day(0)), (4.5, True, day(1)), (6.5, True, day(2)))
    assert preferred_pace(history) == 4.5
    keep(history, (6.5, True, day(3)))
    assert preferred_pace(history) == 6.5


# -- rows damaged by hand ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("found_at", "pace", "found", "answers"),
    [
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4,5,false", id="bad JSON"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, '{"pace": 5}', id="answers a table"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4,5]]", id="three answers"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, b"[]", id="answers as bytes"),
        pytest.param("2026-12-09T09:00:00+00:00", 2.5, 1, GOOD_ANSWERS, id="pace under 3"),
        pytest.param("2026-12-09T09:00:00+00:00", 10.5, 1, GOOD_ANSWERS, id="pace over 10"),
        pytest.param("2026-12-09T09:00:00+00:00", float("inf"), 1, GOOD_ANSWERS, id="pace inf"),
        pytest.param("2026-12-09T09:00:00+00:00", "fast", 1, GOOD_ANSWERS, id="pace as text"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 2, GOOD_ANSWERS, id="found 2"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, "yes", GOOD_ANSWERS, id="found as text"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,0,5,false]]", id="ease 0"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,6,5,false]]", id="ease 6"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4,0,false]]", id="calm 0"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4,6,false]]", id="calm 6"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, '[[5.0,"4",5,false]]', id="ease text"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4.0,5,false]]", id="ease 4.0"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,true,5,false]]", id="ease true"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4,5,0]]", id="light-headed 0"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[11,4,5,false]]", id="rung pace 11"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[NaN,4,5,false]]", id="rung NaN"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[[true,4,5,false]]", id="rung true"),
        pytest.param("2026-12-09T09:00:00+00:00", 5.0, 1, "[" * 100_000, id="deep JSON"),
        pytest.param("2026-12-09T09:00:00", 5.0, 1, GOOD_ANSWERS, id="naive timestamp"),
        pytest.param("last Tuesday", 5.0, 1, GOOD_ANSWERS, id="timestamp not a time"),
        pytest.param(20261209, 5.0, 1, GOOD_ANSWERS, id="timestamp a number"),
    ],
)
def test_a_damaged_row_is_left_out_and_the_rest_still_read(
    history: Path, found_at: object, pace: object, found: object, answers: object
) -> None:
    """The damaged row is the newest and says 5 a minute; it is left out, so the others
    (6 and 4.5, median 5.25) still decide, and nothing is raised."""
    keep(history, (6.0, True, day(0)), (4.5, True, day(1)))
    insert_raw(history, found_at, pace, found, answers)
    results = read_results(history)
    assert paces(results) == [4.5, 6.0]
    assert preferred_pace(history) == 5.25


def test_a_row_with_every_value_as_calm_writes_it_is_read(history: Path) -> None:
    """The same row, undamaged, written the same raw way, counts: the damage is what
    leaves the others out."""
    keep(history, (6.0, True, day(0)), (4.5, True, day(1)))
    insert_raw(history, "2026-12-09T09:00:00+00:00", 5.0, 1, "[[5.0,4,5,false]]")
    assert paces(read_results(history)) == [5.0, 4.5, 6.0]
    assert preferred_pace(history) == 5.0


def test_an_empty_ladder_of_answers_and_a_whole_number_pace_read(history: Path) -> None:
    """No answers (a list of none) and a pace of 5 stored as a whole number are fine."""
    keep(history)  # opening the store makes the table
    insert_raw(history, "2026-12-09T09:00:00+00:00", 5, 1, "[]")
    (result,) = read_results(history)
    assert (result.pace, result.found, result.answers) == (5.0, True, ())


# -- files that cannot be read -----------------------------------------------------------


def test_no_file_no_results_and_none_made(history: Path) -> None:
    assert read_results(history) == []
    assert preferred_pace(history) is None
    assert not history.exists()


def test_a_folder_where_the_file_should_be_has_none(history: Path) -> None:
    history.mkdir()
    assert read_results(history) == []


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b""],
    ids=["text", "a damaged header", "empty"],
)
def test_a_garbage_file_has_none(history: Path, content: bytes) -> None:
    history.write_bytes(content)
    assert read_results(history) == []
    assert preferred_pace(history) is None
    assert history.read_bytes() == content, "read only: the file is left as it was"


@contextmanager
def held_exclusively(path: Path) -> Iterator[None]:
    """Another program holding the file in exclusive mode, mid-write."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute(
            "INSERT INTO pace_results (found_at, pace, found, answers)"
            " VALUES ('2026-12-20T09:00:00+00:00', 6.5, 1, '[]')"
        )
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def test_a_locked_file_has_none_for_now(history: Path) -> None:
    """Held by another program, the history counts as nothing saved (a script then
    breathes at 6) rather than waiting; once let go, it reads again."""
    keep(history, (5.0, True, day(0)))
    with held_exclusively(history):
        assert read_results(history) == []
        assert preferred_pace(history) is None
    assert preferred_pace(history) == 5.0


def test_a_schema_6_file_has_none_and_migrates_to_keep_results(history: Path) -> None:
    """A history from before calm pace has no results table: none are read, and the file
    is not changed by reading. Opened to write, it gains the table and keeps its sessions."""
    with closing(sqlite3.connect(history)) as connection:
        for number, migration in enumerate(MIGRATIONS[:6], start=1):
            connection.executescript(migration)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.execute(
            "INSERT INTO sessions (script, title, started_at, planned_seconds, practised_seconds,"
            " status, breaths) VALUES ('box', 'Box', ?, 60, 60, 'completed', 6)",
            (DAY.isoformat(),),
        )
        connection.commit()
    assert SCHEMA_VERSION >= 7
    assert read_results(history) == []
    assert preferred_pace(history) is None
    with closing(sqlite3.connect(history)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 6
    keep(history, (5.5, True, day(1)))
    assert paces(read_results(history)) == [5.5]
    store = HistoryStore.open(history)
    try:
        assert [record.script for record in store.sessions()] == ["box"]
    finally:
        store.close()
    with closing(sqlite3.connect(history)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_clearing_the_history_forgets_the_results(history: Path) -> None:
    """``calm history --clear`` forgets the paces found too (docs/pace.md)."""
    keep(history, (5.5, True, day(0)), (6.0, False, day(1)))
    store = HistoryStore.open(history)
    try:
        store.begin(script="pace", title="Pace", planned_seconds=700, started_at=DAY)
        assert store.clear() == 1
    finally:
        store.close()
    assert read_results(history) == []
    assert preferred_pace(history) is None
    keep(history, (4.5, True, day(2)))
    assert preferred_pace(history) == 4.5
