"""The quick reading of a history row: it takes the rows calm writes, reads each exactly as
``read_record`` does, and leaves every other row to ``read_record``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from calm.practice.history_rows import (
    COLUMNS,
    MAX_BREATHS,
    MAX_SECONDS,
    SessionRecord,
    UnreadableRow,
    quick_record,
    read_record,
)
from tests.support.examples import examples

zones = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-23 * 60, 23 * 60)
)
moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones
).map(datetime.isoformat)
seconds = st.one_of(
    st.floats(min_value=0, max_value=MAX_SECONDS), st.integers(min_value=0, max_value=MAX_SECONDS)
)
moods = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
calm_rows = st.tuples(
    st.integers(min_value=1, max_value=2**63 - 1),
    st.text(max_size=20),
    st.text(max_size=20),
    moments,
    st.one_of(st.none(), moments),
    seconds,
    seconds,
    st.sampled_from(["completed", "ended_early", "interrupted", "hand written"]),
    st.integers(min_value=0, max_value=MAX_BREATHS),
    moods,
    moods,
    st.one_of(st.none(), st.text(max_size=20)),
)
"""Rows as calm writes them, every value in range."""

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 5, 6, -1, MAX_SECONDS + 1, MAX_BREATHS + 1, float("inf")]),
    st.text(max_size=12),
    st.sampled_from(["", "garbage", "2026-01-01T10:00:00", "2026-02-31T10:00:00+00:00"]),
    st.binary(max_size=12),
    moments,
)
"""Anything a hand edit could leave in a column."""


@st.composite
def edited_rows(draw: st.DrawFn) -> tuple[Any, ...]:
    """A row as calm writes it, with a few of its values changed by hand."""
    row = list(draw(calm_rows))
    for column in draw(st.lists(st.integers(0, len(COLUMNS) - 1), max_size=3)):
        row[column] = draw(odd_values)
    return tuple(row)


def carefully(row: tuple[Any, ...]) -> SessionRecord | None:
    """The row as ``read_record`` reads it; None when it cannot."""
    try:
        return read_record(row)
    except UnreadableRow:
        return None


def same(one: SessionRecord, other: SessionRecord) -> bool:
    """Equal, value for value and type for type (240 and 240.0 are not the same here)."""
    return one == other and [type(value) for value in one] == [type(value) for value in other]


@settings(max_examples=examples(300), deadline=None)
@given(row=calm_rows)
def test_every_row_calm_writes_is_read_quickly(row: tuple[Any, ...]) -> None:
    """The quick reading takes each row as calm writes it, and reads it as read_record does."""
    quick = quick_record(row)
    careful = carefully(row)
    assert quick is not None and careful is not None
    assert same(quick, careful)


@settings(max_examples=examples(500), deadline=None)
@given(row=edited_rows())
def test_a_row_read_quickly_is_read_as_read_record_reads_it(row: tuple[Any, ...]) -> None:
    """Whatever a row holds, the quick reading either declines it or gives read_record's
    very record: never one read_record would refuse, and never a different one."""
    quick = quick_record(row)
    if quick is not None:
        careful = carefully(row)
        assert careful is not None
        assert same(quick, careful)


def test_the_rows_left_to_read_record_include_each_kind_of_hand_edit() -> None:
    """No end written as empty text, a time with no zone, a blob, a mood of 6, infinity
    and a negative count each go the careful way."""
    good = (7, "box", "Box", "2026-03-01T09:00:00+01:00", None, 240, 240.0, "completed", 20)
    row = (*good, None, None, None)
    assert quick_record(row) == read_record(row)
    for column, value in [
        (4, ""),
        (3, "2026-03-01T09:00:00"),
        (2, b"Box"),
        (9, 6),
        (6, float("inf")),
        (8, -1),
        (0, True),
    ]:
        edited = list(row)
        edited[column] = value
        assert quick_record(tuple(edited)) is None, (column, value)
    assert read_record((*good[:4], "", *good[5:], None, None, None)).ended_at is None
    assert quick_record((*good[:4], "2026-03-01T09:04:00+00:00", *good[5:], 3, 1, "ok")) == (
        SessionRecord(
            7,
            "box",
            "Box",
            datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=1))),
            datetime(2026, 3, 1, 9, 4, tzinfo=UTC),
            240.0,
            240.0,
            "completed",
            20,
            3,
            1,
            "ok",
        )
    )
