"""Practice figures: streaks with a grace day, weeks, the heat map window, JSON and the sentence."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from calm.practice.history import HistoryStore
from calm.practice.history_figures import DayTotal, MoodTotal, ScriptTotal
from calm.practice.stats import (
    GRACE_DAYS,
    HEAT_MAP_WEEKS,
    PracticeStats,
    Streaks,
    compute,
    gather,
    progress_sentence,
    streaks,
    week_start,
)

NO_MOOD = MoodTotal(sessions=0, before=None, after=None)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def day(text: str) -> date:
    """A date from its ISO text, to keep the tables below readable."""
    return date.fromisoformat(text)


def days(*texts: str) -> list[date]:
    """Dates from their ISO texts."""
    return [day(text) for text in texts]


def totals(seconds_by_day: dict[str, float]) -> list[DayTotal]:
    """One session a day with the given seconds, oldest first, as the store would answer."""
    return [DayTotal(day(text), 1, seconds) for text, seconds in sorted(seconds_by_day.items())]


# Streaks


@pytest.mark.parametrize(
    ("practised", "today", "expected"),
    [
        ([], "2026-11-27", Streaks(0, 0)),
        (["2026-11-27"], "2026-11-27", Streaks(1, 1)),
        (["2026-11-25", "2026-11-26", "2026-11-27"], "2026-11-27", Streaks(3, 3)),
        # One missed day keeps the streak going and is not counted in it.
        (["2026-11-23", "2026-11-25", "2026-11-26"], "2026-11-26", Streaks(3, 3)),
        # Two missed days in a row end it.
        (["2026-11-20", "2026-11-21", "2026-11-24", "2026-11-25"], "2026-11-25", Streaks(2, 2)),
        # Still alive the day after the last practice, and the day after that (the grace day).
        (["2026-11-24", "2026-11-25"], "2026-11-26", Streaks(2, 2)),
        (["2026-11-24", "2026-11-25"], "2026-11-27", Streaks(2, 2)),
        # Three days since the last practice: no current streak, the longest remains.
        (["2026-11-24", "2026-11-25"], "2026-11-28", Streaks(0, 2)),
        # A long run earlier, a short one now.
        (
            ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-20", "2026-11-21"],
            "2026-11-21",
            Streaks(2, 4),
        ),
        # Repeats and any order.
        (
            ["2026-11-27", "2026-11-25", "2026-11-27", "2026-11-26", "2026-11-25"],
            "2026-11-27",
            Streaks(3, 3),
        ),
        # Days after today (a clock set wrong) are left out.
        (["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"], "2026-11-27", Streaks(2, 2)),
        (["2026-12-05"], "2026-11-27", Streaks(0, 0)),
    ],
    ids=[
        "nothing",
        "today-only",
        "three-in-a-row",
        "one-missed-day-kept-not-counted",
        "two-missed-days-end-it",
        "alive-after-yesterday",
        "alive-on-the-grace-day",
        "over-after-three-days",
        "longest-earlier",
        "repeats-unordered",
        "future-ignored",
        "only-future",
    ],
)
def test_streaks(practised: list[str], today: str, expected: Streaks) -> None:
    """Streak lengths count practice days; one missed day is allowed, two are not."""
    assert streaks(days(*practised), day(today)) == expected


@pytest.mark.parametrize(
    ("practised", "today", "expected"),
    [
        (["2026-01-30", "2026-01-31", "2026-02-01"], "2026-02-01", Streaks(3, 3)),
        (["2026-01-30", "2026-02-01"], "2026-02-01", Streaks(2, 2)),
        # 2026 is not a leap year: 28 February is followed by 1 March.
        (["2026-02-27", "2026-02-28", "2026-03-01"], "2026-03-01", Streaks(3, 3)),
        (["2026-02-28", "2026-03-02"], "2026-03-02", Streaks(2, 2)),
        (["2026-02-27", "2026-03-02"], "2026-03-02", Streaks(1, 1)),
        # 2028 is: 29 February sits between them, so 28 Feb to 1 Mar is one missed day.
        (["2028-02-28", "2028-02-29", "2028-03-01"], "2028-03-01", Streaks(3, 3)),
        (["2028-02-28", "2028-03-01"], "2028-03-01", Streaks(2, 2)),
        (["2028-02-27", "2028-03-01"], "2028-03-01", Streaks(1, 1)),
        # The year's end, with the grace day on 31 December or on 1 January.
        (["2026-12-30", "2027-01-01", "2027-01-02"], "2027-01-02", Streaks(3, 3)),
        (["2026-12-31", "2027-01-02"], "2027-01-03", Streaks(2, 2)),
        (["2026-12-30", "2027-01-02"], "2027-01-02", Streaks(1, 1)),
        (["2026-12-31"], "2027-01-02", Streaks(1, 1)),
        (["2026-12-31"], "2027-01-03", Streaks(0, 1)),
    ],
)
def test_streaks_across_month_and_year_ends(
    practised: list[str], today: str, expected: Streaks
) -> None:
    """Missed days are counted on the calendar, so month lengths and leap years are right."""
    assert streaks(days(*practised), day(today)) == expected


def test_grace_is_one_day() -> None:
    """The rule the tests and the wording assume: one missed day is allowed."""
    assert GRACE_DAYS == 1


def reference_streaks(practised: Iterable[date], today: date) -> Streaks:
    """The streaks found by walking every calendar day and counting missed days in a row."""
    practice = {each for each in practised if each <= today}
    if not practice:
        return Streaks(0, 0)
    run = longest = missed = 0
    walked = min(practice)
    while walked <= today:
        if walked in practice:
            run += 1
            missed = 0
            longest = max(longest, run)
        elif walked < today:  # Today is not missed yet: there is still time to practise.
            missed += 1
            if missed > GRACE_DAYS:
                run = 0
        walked += timedelta(days=1)
    return Streaks(run, longest)


DAYS_NEAR = st.sets(st.integers(min_value=0, max_value=60), max_size=40)
"""Days as offsets from a fixed start, dense enough to make runs and gaps of every kind."""
START = date(2027, 12, 20)
"""A start whose next 60 days cross a year end and a leap day."""


@given(offsets=DAYS_NEAR, today_offset=st.integers(min_value=0, max_value=70))
def test_streaks_agree_with_a_day_by_day_walk(offsets: set[int], today_offset: int) -> None:
    """Streaks match a calendar walk, longest >= current, and neither exceeds the practice days."""
    practised = [START + timedelta(days=offset) for offset in offsets]
    today = START + timedelta(days=today_offset)
    found = streaks(practised, today)
    assert found == reference_streaks(practised, today)
    assert found.longest >= found.current
    assert found.longest <= len([each for each in practised if each <= today])


@given(offsets=DAYS_NEAR, today_offset=st.integers(min_value=0, max_value=70))
def test_removing_a_day_never_lengthens_a_streak(offsets: set[int], today_offset: int) -> None:
    """Taking away any one practice day never makes the current or longest streak longer."""
    practised = [START + timedelta(days=offset) for offset in offsets]
    today = START + timedelta(days=today_offset)
    found = streaks(practised, today)
    for removed in practised:
        fewer = streaks([each for each in practised if each != removed], today)
        assert fewer.longest <= found.longest
        assert fewer.current <= found.current


@given(
    gaps=st.lists(st.integers(min_value=1, max_value=GRACE_DAYS + 1), max_size=50),
    repeats=st.integers(min_value=1, max_value=3),
    waited=st.integers(min_value=0, max_value=5),
)
def test_a_run_without_long_gaps_is_one_streak(gaps: list[int], repeats: int, waited: int) -> None:
    """Days never more than a grace day apart make one streak as long as the distinct days."""
    practised = [START]
    for gap in gaps:
        practised.append(practised[-1] + timedelta(days=gap))
    today = practised[-1] + timedelta(days=waited)
    found = streaks(practised * repeats, today)
    assert found.longest == len(set(practised))
    assert found.current == (len(practised) if waited <= GRACE_DAYS + 1 else 0)


# Weeks


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        ("2026-11-23", "2026-11-23"),  # a Monday is its own week's start
        ("2026-11-29", "2026-11-23"),  # a Sunday ends the week begun six days before
        ("2026-11-27", "2026-11-23"),
        ("2026-01-01", "2025-12-29"),  # a week across the year's end starts in the old year
        ("2027-01-03", "2026-12-28"),
        ("2028-03-01", "2028-02-28"),
    ],
)
def test_week_start_is_the_iso_monday(today: str, monday: str) -> None:
    """The week starts on the Monday on or before today."""
    assert week_start(day(today)) == day(monday)


# Computing the figures


def test_compute_totals_week_and_window() -> None:
    """Totals count everything; the week runs Monday to today; the window is whole weeks."""
    today = day("2026-11-27")  # a Friday
    stats = compute(
        totals(
            {
                "2026-01-05": 600,  # long before the heat map
                "2026-11-22": 300,  # last Sunday: not this week
                "2026-11-23": 120,
                "2026-11-27": 60,
                "2026-11-29": 900,  # after today: a clock set wrong
            }
        ),
        [],
        NO_MOOD,
        today,
    )
    assert stats.sessions == 5
    assert stats.seconds == 1980
    assert stats.week_seconds == 180
    first, last = min(stats.days), max(stats.days)
    assert first == day("2026-11-23") - timedelta(weeks=HEAT_MAP_WEEKS - 1)
    assert first.weekday() == 0
    assert last == today
    assert list(stats.days) == sorted(stats.days)
    assert stats.days[day("2026-11-22")] == 300
    assert stats.days[day("2026-11-24")] == 0
    assert day("2026-01-05") not in stats.days


def test_a_day_with_no_time_practised_is_not_a_streak_day() -> None:
    """A session cut off at 0 seconds is counted as a session but does not keep a streak."""
    stats = compute(
        totals({"2026-11-24": 300, "2026-11-25": 0, "2026-11-26": 0, "2026-11-27": 300}),
        [],
        NO_MOOD,
        day("2026-11-27"),
    )
    assert stats.sessions == 4
    assert (stats.current_streak, stats.longest_streak) == (1, 1)


def test_favourites_are_the_top_three() -> None:
    """The stats keep the three most practised scripts, in the store's order."""
    scripts = [ScriptTotal(f"s{n}", f"Script {n}", 10 - n, 60.0 * n) for n in range(5)]
    stats = compute([], scripts, NO_MOOD, day("2026-11-27"))
    assert [each.script for each in stats.favourites] == ["s0", "s1", "s2"]


# Real timestamps through the real store, around daylight-saving changes


def record(store: HistoryStore, started: datetime, seconds: float) -> None:
    """Write one completed session started at ``started`` into ``store``."""
    row = store.begin(script="box", title="Box breathing", planned_seconds=300, started_at=started)
    store.finish(row, status="completed", practised_seconds=seconds, breaths=10)


@pytest.mark.parametrize(
    ("zone", "starts", "today", "expected_days", "current", "week_seconds"),
    [
        pytest.param(
            LONDON,
            # Clocks go forward at 01:00 on Sunday 29 March; 00:30 on Monday is still
            # Sunday in UTC, and must count on Monday, in the new week.
            [
                datetime(2026, 3, 27, 23, 30, tzinfo=LONDON),
                datetime(2026, 3, 29, 0, 30, tzinfo=LONDON),
                datetime(2026, 3, 29, 23, 30, tzinfo=LONDON),
                datetime(2026, 3, 30, 0, 30, tzinfo=LONDON),
            ],
            "2026-03-30",
            {"2026-03-27": 60, "2026-03-29": 120, "2026-03-30": 60},
            3,
            60,
            id="london-spring",
        ),
        pytest.param(
            LONDON,
            # Clocks go back at 02:00 on Sunday 25 October; 00:30 that Sunday is still
            # Saturday in UTC, and 01:30 happens twice.
            [
                datetime(2026, 10, 24, 23, 30, tzinfo=LONDON),
                datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),
                datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
                datetime(2026, 10, 25, 23, 30, tzinfo=LONDON),
                datetime(2026, 10, 26, 0, 30, tzinfo=LONDON),
            ],
            "2026-10-26",
            {"2026-10-24": 60, "2026-10-25": 180, "2026-10-26": 60},
            3,
            60,
            id="london-autumn",
        ),
        pytest.param(
            NEW_YORK,
            # Clocks go forward on Sunday 8 March; 23:30 on Sunday is Monday in UTC and
            # must stay in the week before.
            [
                datetime(2026, 3, 6, 0, 30, tzinfo=NEW_YORK),
                datetime(2026, 3, 7, 23, 30, tzinfo=NEW_YORK),
                datetime(2026, 3, 8, 23, 30, tzinfo=NEW_YORK),
                datetime(2026, 3, 9, 0, 30, tzinfo=NEW_YORK),
            ],
            "2026-03-09",
            {"2026-03-06": 60, "2026-03-07": 60, "2026-03-08": 60, "2026-03-09": 60},
            4,
            60,
            id="new-york-spring",
        ),
        pytest.param(
            NEW_YORK,
            # Clocks go back on Sunday 1 November; Saturday 31 October is missed (a grace
            # day), and Sunday at 23:30 is Monday in UTC.
            [
                datetime(2026, 10, 30, 23, 30, tzinfo=NEW_YORK),
                datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK),
                datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
                datetime(2026, 11, 1, 23, 30, tzinfo=NEW_YORK),
            ],
            "2026-11-02",
            {"2026-10-30": 60, "2026-11-01": 180},
            2,
            0,
            id="new-york-autumn",
        ),
    ],
)
def test_gather_puts_sessions_on_their_local_day_across_daylight_saving(
    tmp_path: Path,
    zone: ZoneInfo,
    starts: list[datetime],
    today: str,
    expected_days: dict[str, float],
    current: int,
    week_seconds: float,
) -> None:
    """Sessions near midnight on a clock-change weekend count on the local day they began."""
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        for started in starts:
            record(store, started, 60)
        stats = gather(store, day(today))
    finally:
        store.close()
    practised = {each.isoformat(): seconds for each, seconds in stats.days.items() if seconds}
    assert practised == expected_days
    assert stats.sessions == len(starts)
    assert stats.current_streak == current
    assert stats.week_seconds == week_seconds


def test_gather_counts_an_interrupted_session_but_not_as_practice(tmp_path: Path) -> None:
    """A session started and never finished is a session, with no time and no streak day."""
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        record(store, datetime(2026, 11, 26, 8, 0, tzinfo=LONDON), 300)
        store.begin(
            script="box",
            title="Box breathing",
            planned_seconds=300,
            started_at=datetime(2026, 11, 27, 8, 0, tzinfo=LONDON),
        )
        store.set_mood_after(
            store.begin(
                script="478",
                title="4-7-8",
                planned_seconds=120,
                mood_before=4,
                started_at=datetime(2026, 11, 25, 8, 0, tzinfo=LONDON),
            ),
            2,
        )
        stats = gather(store, day("2026-11-27"))
    finally:
        store.close()
    assert (stats.sessions, stats.seconds) == (3, 300)
    assert (stats.current_streak, stats.longest_streak) == (1, 1)
    assert [each.script for each in stats.favourites] == ["box", "478"]
    assert stats.mood == MoodTotal(1, 4.0, 2.0)


# JSON


def sample(today: date, **changes: Any) -> PracticeStats:
    """Figures for ``today`` from a small fixed history, with some fields changed."""
    stats = compute(
        totals({"2026-11-20": 95.5, "2026-11-23": 1453, "2026-11-24": 0}),
        [ScriptTotal("box", "Box breathing", 7, 1234.5)],
        MoodTotal(14, 3.4286, 2.2143),
        today,
    )
    return replace(stats, **changes)


@pytest.mark.parametrize(
    ("today", "count"), [("2026-11-29", 84), ("2026-11-27", 82), ("2026-11-23", 78)]
)
def test_json_lists_every_day_of_the_window_through_today(today: str, count: int) -> None:
    """The days run from the map's first Monday through today, oldest first, zeros included."""
    data = json.loads(json.dumps(sample(day(today)).to_json()))
    listed = [entry["date"] for entry in data["days"]]
    assert len(listed) == count
    assert listed == sorted(listed)
    assert day(listed[0]).weekday() == 0
    assert listed[-1] == today
    assert {"date": "2026-11-21", "minutes": 0.0} in data["days"]
    assert {"date": "2026-11-20", "minutes": 1.6} in data["days"]


def test_json_round_trips_with_rounded_minutes_and_moods() -> None:
    """The JSON is plain: minutes to 1 decimal, mood averages and change to 2."""
    stats = sample(day("2026-11-27"))
    data = stats.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["today"] == "2026-11-27"
    assert data["sessions"] == 3
    assert data["minutes"] == round((95.5 + 1453) / 60, 1) == 25.8
    assert data["week_minutes"] == 24.2
    assert (data["current_streak_days"], data["longest_streak_days"]) == (0, 1)
    assert data["grace_days"] == GRACE_DAYS
    assert data["favourites"] == [
        {"script": "box", "title": "Box breathing", "sessions": 7, "minutes": 20.6}
    ]
    assert data["mood"] == {
        "check_ins": 14,
        "average_before": 3.43,
        "average_after": 2.21,
        "average_change": -1.21,
    }


def test_json_mood_is_null_without_check_ins() -> None:
    """With no check-ins, the mood averages and their change are null."""
    data = json.loads(json.dumps(sample(day("2026-11-27"), mood=NO_MOOD).to_json()))
    assert data["mood"] == {
        "check_ins": 0,
        "average_before": None,
        "average_after": None,
        "average_change": None,
    }


# The summary's sentence


def test_sentence_names_a_streak_of_two_or_more() -> None:
    """A current streak of at least two days that includes today is named with the week's time."""
    stats = sample(
        day("2026-11-27"),
        current_streak=3,
        week_seconds=24 * 60 + 13,
        days={day("2026-11-27"): 300.0},
    )
    assert progress_sentence(stats) == "That's a 3-day streak, and 24 min 13 s this week."


@pytest.mark.parametrize(
    ("streak", "practised_today", "week_seconds", "expected"),
    [
        (1, 300.0, 12 * 60 + 20, "That's 12 min 20 s of practice this week."),
        (0, 300.0, 45, "That's 45 s of practice this week."),
        (5, 0.0, 12 * 60, "That's 12 min of practice this week."),  # today is not in it
        (2, 300.0, 3725, "That's a 2-day streak, and 1 h 2 min this week."),
        (0, 0.0, 0, "Your practice adds up here, a little at a time."),
    ],
)
def test_sentence_wording(
    streak: int, practised_today: float, week_seconds: float, expected: str
) -> None:
    """The streak appears only when it is two days or more and includes today."""
    stats = sample(
        day("2026-11-27"),
        current_streak=streak,
        week_seconds=week_seconds,
        days={day("2026-11-27"): practised_today},
    )
    assert progress_sentence(stats) == expected


@given(week_seconds=st.floats(min_value=0.05, max_value=7 * 24 * 3600))
def test_the_sentence_gives_the_week_as_the_stats_do(week_seconds: float) -> None:
    """Whatever the week's time, the summary's sentence words it exactly as `calm stats`
    shows it on its "This week" line."""
    from calm.cli.stats_view import stats_renderable
    from calm.practice.stats import practice_time_text

    stats = sample(day("2026-11-27"), current_streak=0, week_seconds=week_seconds)
    assert f"That's {practice_time_text(week_seconds)} of practice this week." == (
        progress_sentence(stats)
    )
    console = Console(record=True, width=80, color_system=None, file=io.StringIO())
    console.print(stats_renderable(replace(stats, sessions=1)))
    (line,) = [line for line in console.export_text().splitlines() if "This week" in line]
    assert line.split(maxsplit=2)[2].strip() == practice_time_text(week_seconds)


UNKIND = ("broke", "break", "lost", "lose", "miss", "should", "!", "only", "just", "fail")
"""Words that would make the sentence a reproach or a cheer."""


@given(
    streak=st.integers(min_value=0, max_value=400),
    longest_extra=st.integers(min_value=0, max_value=400),
    today_seconds=st.floats(min_value=0, max_value=24 * 3600),
    earlier_seconds=st.floats(min_value=0, max_value=6 * 24 * 3600),
)
def test_sentence_is_always_short_and_kind(
    streak: int, longest_extra: int, today_seconds: float, earlier_seconds: float
) -> None:
    """Whatever the figures, the sentence fits 70 columns and never reproaches or cheers."""
    stats = sample(
        day("2026-11-27"),
        current_streak=streak,
        longest_streak=streak + longest_extra,
        week_seconds=today_seconds + earlier_seconds,
        days={day("2026-11-27"): today_seconds},
    )
    sentence = progress_sentence(stats)
    assert len(sentence) <= 70
    assert sentence.endswith(".")
    assert [word for word in UNKIND if word in sentence.lower()] == []
    assert ("streak" in sentence) == (streak >= 2 and today_seconds > 0)


def test_a_session_recorded_further_east_still_counts_today() -> None:
    """Flown west since: a session dated tomorrow by where it was recorded counts as today's,
    in the week, the streak and the calendar; one dated far ahead (a wrong clock) does not."""
    today = date(2026, 12, 1)
    east = DayTotal(date(2026, 12, 2), 1, 300.0)
    before = DayTotal(date(2026, 11, 30), 1, 600.0)
    stats = compute([before, east], [], MoodTotal(0, None, None), today)
    assert stats.today == today
    assert stats.week_seconds == 900.0
    assert stats.current_streak == 2
    assert list(stats.days.items())[-1] == (today, 300.0)
    wrong_clock = DayTotal(date(2027, 6, 1), 1, 300.0)
    stats = compute([before, wrong_clock], [], MoodTotal(0, None, None), today)
    assert stats.today == today
    assert stats.week_seconds == 600.0


def test_a_session_from_further_east_on_a_sunday_keeps_the_week() -> None:
    """On a Sunday, a session dated Monday (recorded further east) joins this week; it must
    not move the week on and drop the days before it."""
    sunday = date(2025, 6, 15)
    days = [
        DayTotal(date(2025, 6, 12), 1, 600.0),
        DayTotal(sunday, 1, 600.0),
        DayTotal(date(2025, 6, 16), 1, 300.0),
    ]
    stats = compute(days, [], MoodTotal(0, None, None), sunday)
    assert stats.week_seconds == 1500.0
    assert max(stats.days) == sunday
