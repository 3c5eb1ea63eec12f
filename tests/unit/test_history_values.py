"""Any value in any column of any row: the history, its exports, the stats and the week
sentence never fail, and every session that can be read is listed and counted.

Each example writes a real SQLite file with calm's own store, then changes values
by hand with a second connection, as a person with the sqlite3 shell might: in
calm's own typed table, or in one rebuilt without types or NOT NULL, where a
title can be NULL and a time a number.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import tempfile
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from calm.cli.stats_view import stats_renderable
from calm.practice.export import packed_table, record_json, table_cells, table_lines, write_csv
from calm.practice.history import HistoryStore
from calm.practice.history_errors import HistoryError
from calm.practice.history_rows import (
    CANONICAL,
    COLUMNS,
    SELECT_COLUMNS,
    UnreadableRow,
    _stamp_sql,
    read_moment,
    read_record,
)
from calm.practice.stats import gather, progress_sentence
from calm.practice.table_cells import LISTED_COLUMNS
from tests.support.examples import examples
from tests.support.history import UNTYPED

TODAY = date(2026, 11, 27)
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROWS = 4
"""Sessions written before any is changed."""

EDITABLE = COLUMNS[1:]
"""Every column but the row's own number."""

stamps = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ).map(datetime.isoformat),
    st.from_regex(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?([+-]\d\d:\d\d|Z)?", fullmatch=True
    ),
    st.sampled_from(
        [
            "2026-02-31T10:00:00+00:00",
            "2023-02-29T10:00:00+00:00",
            "0001-02-30T00:00:00-00:00",
            "2026-00-10T10:00:00+00:00",
            "0000-01-01T00:00:00+00:00",
            "2026-01-01T24:00:00+00:00",
            "2026-01-01T10:00:60+00:00",
            "2026-01-01T10:00:00+24:00",
            "2026-01-01T10:00:00+23:60",
            "2026-01-01 10:00:00+01:00",
            "2026-01-01T10:00:00",
            "garbage",
            "",
        ]
    ),
)
"""Times as calm writes them, nearly so, and not at all."""

values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 3, 5, 6, -1, 0.5, 1e308, float("inf"), float("-inf")]),
    st.text(max_size=30),
    st.sampled_from(["\x1b]0;pwned\x07", "[/bold]", "\u202eevil", "completed", "inf", "12"]),
    st.binary(max_size=12),
    stamps,
)
"""Anything a column could be made to hold."""

edits = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=ROWS),
        st.sampled_from(EDITABLE),
        values,
    ),
    max_size=8,
)


def history(folder: Path, *, typed: bool) -> Path:
    """``ROWS`` sessions written by calm, the table rebuilt without types unless ``typed``."""
    path = folder / "history.sqlite3"
    store = HistoryStore.open(path)
    for number in range(ROWS):
        row = store.begin(
            script=f"s{number}",
            title=f"Session {number}",
            planned_seconds=300.0,
            started_at=START + timedelta(days=number, hours=number),
            mood_before=3,
        )
        store.finish(row, status="completed", practised_seconds=120.0 + number, breaths=10)
    store.close()
    if not typed:
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            indexes = [
                sql
                for (sql,) in connection.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                )
            ]
            connection.execute("BEGIN")
            connection.execute("ALTER TABLE sessions RENAME TO typed")
            connection.execute(UNTYPED)
            connection.execute("INSERT INTO sessions SELECT * FROM typed")
            connection.execute("DROP TABLE typed")
            for sql in indexes:
                connection.execute(sql)
            connection.execute("COMMIT")
    return path


def write(path: Path, changes: list[tuple[int, str, Any]]) -> set[int]:
    """Make the changes SQLite accepts; the rows changed."""
    changed = set()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for row, column, value in changes:
            try:
                connection.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, row))
            except (sqlite3.IntegrityError, OverflowError):
                continue  # NOT NULL in calm's own table
            changed.add(row)
    return changed


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=edits, typed=st.booleans())
# Found by this test: a lone carriage return split the exported CSV row.
@example(changes=[(1, "script", "\r")], typed=False)
def test_any_value_in_any_column_costs_only_its_own_session(
    changes: list[tuple[int, str, Any]], typed: bool
) -> None:
    """Listing, exporting, the stats and the week sentence never fail; every readable
    session is listed and counted, untouched ones included, and each other one is named."""
    with tempfile.TemporaryDirectory() as folder:
        path = history(Path(folder), typed=typed)
        changed = write(path, changes)
        store = HistoryStore.open(path)
        try:
            left_out: list[str] = []
            records = store.sessions(left_out=left_out)
            assert len(records) + len(left_out) == ROWS
            assert {row for row in range(1, ROWS + 1) if row not in changed} <= {
                record.id for record in records
            }
            assert sorted(store.unreadable()) == sorted(left_out)

            for width in (40, 80, 120):
                lines = table_lines(records, width=width, this_year=2026)
                assert all(len(line) <= width for line in lines), lines
            text = "\n".join(table_lines(records, width=120))
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
            json.dumps([record_json(record) for record in records], allow_nan=False)
            exported = io.StringIO()
            write_csv(records, exported)
            assert len(list(csv.DictReader(io.StringIO(exported.getvalue())))) == len(records)

            figures = gather(store, TODAY)
            assert figures.sessions == len(records)
            json.dumps(figures.to_json(), allow_nan=False)
            assert progress_sentence(figures).endswith(".")
            console = Console(width=40, record=True, color_system=None, file=io.StringIO())
            console.print(stats_renderable(figures))
            drawn = console.export_text()
            assert all(len(line) <= 40 for line in drawn.splitlines())
            assert "\x1b" not in drawn and "\x07" not in drawn and "\u202e" not in drawn
            recorded = [record.id for record in store.latest_recorded(left_out=[])]
            assert recorded == sorted((record.id for record in records), reverse=True)
        finally:
            store.close()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=edits,
    typed=st.booleans(),
    limit=st.sampled_from([None, 1, ROWS - 1]),
    width=st.sampled_from([40, 80, 120, sys.maxsize]),
)
def test_the_table_read_from_sql_rows_reads_as_from_the_sessions(
    changes: list[tuple[int, str, Any]], typed: bool, limit: int | None, width: int
) -> None:
    """The table ``calm history`` packs from the rows as SQL gives them is line for line
    the table of the sessions read one by one, up to the same limit, and it leaves out
    the same sessions with the same words."""
    with tempfile.TemporaryDirectory() as folder:
        path = history(Path(folder), typed=typed)
        write(path, changes)
        store = HistoryStore.open(path)
        try:
            left_out: list[str] = []
            records = store.sessions(limit, left_out=left_out)
            packed = table_cells(width=width, this_year=2026)
            from_rows: list[str] = []
            packed.add_rows(store.each_listed(LISTED_COLUMNS), limit, from_rows)
            assert list(packed_table(packed)) == table_lines(records, width=width, this_year=2026)
            assert from_rows == left_out
        finally:
            store.close()


@settings(max_examples=examples(150), deadline=None)
@given(row=st.tuples(*[values for _ in EDITABLE]), typed=st.booleans())
def test_every_row_the_quick_sums_take_can_be_read(row: tuple[Any, ...], typed: bool) -> None:
    """A row the SQL test accepts (so the stats add it up in SQLite) is always one that
    ``read_record`` reads: the two never disagree about a session."""
    with tempfile.TemporaryDirectory() as folder:
        path = history(Path(folder), typed=typed)
        write(path, [(1, column, value) for column, value in zip(EDITABLE, row, strict=True)])
        with closing(sqlite3.connect(path)) as connection:
            connection.text_factory = lambda data: data.decode("utf-8", errors="replace")
            for found in connection.execute(f"SELECT {SELECT_COLUMNS}, {CANONICAL} FROM sessions"):
                *stored, canonical = found
                if canonical:
                    read_record(tuple(stored))


@settings(max_examples=examples(1000), deadline=None)
@given(stamp=stamps)
def test_a_time_the_quick_sums_take_can_be_read(stamp: str) -> None:
    """The SQL test of a time agrees with Python's reading of it, across times written by
    calm, nearly so (a 30th of February, hour 24, a seventh digit) and not at all."""
    with closing(sqlite3.connect(":memory:")) as connection:
        (canonical,) = connection.execute(
            f"SELECT coalesce({_stamp_sql('?1')}, 0)", (stamp,)
        ).fetchone()
    if canonical:
        read_moment(stamp, 1)


def test_each_kind_of_value_is_named_in_one_line(tmp_path: Path) -> None:
    """The cases from the report: infinity and text in a time, nothing, a number or a blob
    in a title, status or note; each unreadable one named by session and value."""
    path = history(tmp_path, typed=False)
    write(
        path,
        [
            (1, "practised_seconds", float("inf")),
            (2, "planned_seconds", "abc"),
            (3, "title", None),
            (4, "status", b"\xff\x1b"),
        ],
    )
    store = HistoryStore.open(path)
    try:
        left_out: list[str] = []
        records = store.sessions(left_out=left_out)
        assert sorted(left_out) == [
            "session 1 in the history has an unreadable practised time: inf",
            "session 2 in the history has an unreadable planned time: 'abc'",
            "session 3 in the history has no title",
        ]
        (kept,) = records
        assert kept.status == "\ufffd\x1b"
        assert "\x1b" not in "".join(table_lines(records, width=80))
        assert gather(store, TODAY).sessions == 1
    finally:
        store.close()


def test_a_huge_value_is_quoted_short(tmp_path: Path) -> None:
    """A ten-megabyte time in a message is cut to a few words, so the line stays a line."""
    path = history(tmp_path, typed=True)
    write(path, [(1, "started_at", "x" * 10_000_000)])
    store = HistoryStore.open(path)
    try:
        left_out: list[str] = []
        store.sessions(left_out=left_out)
        (line,) = left_out
        assert len(line) < 200 and line.startswith("session 1 in the history has an unreadable")
    finally:
        store.close()


def test_reading_without_a_place_for_problems_raises_the_history_error(tmp_path: Path) -> None:
    """Asked for every session with nowhere to put a problem, the store says it in one error."""
    path = history(tmp_path, typed=True)
    write(path, [(2, "breaths", -3)])
    store = HistoryStore.open(path)
    try:
        try:
            store.sessions()
        except HistoryError as error:
            assert str(error) == "session 2 in the history has an unreadable breath count: -3"
        else:
            raise AssertionError("no error")
    finally:
        store.close()
    try:
        read_record((5, "s", "t", "garbage", None, 1, 1, "completed", 1, None, None, None))
    except UnreadableRow as error:
        assert "session 5" in str(error)
