"""What the care plans suggest today, read against a real history: which practices were
done, which reminders were ticked off, and the one gentle line under them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from calm.care.done_today import read_done
from calm.care.plan import Plan
from calm.care.plan_checker import parse_plan
from calm.care.plan_template import TEMPLATE
from calm.care.today import ALL_DONE, NO_PLAN, NONE_DONE, NOTHING_TODAY, SOME_DONE, Today, today_in
from calm.care.today_view import today_lines
from calm.core.library import Library
from calm.core.session import Status
from calm.practice.history import HistoryStore
from calm.practice.history_schema import MIGRATIONS
from tests.markdown_parts import code_blocks

ROOT = Path(__file__).resolve().parents[2]
MONDAY = date(2027, 1, 4)
WEDNESDAY = date(2027, 1, 6)
BOX_SECONDS = 240.0
"""The built-in box script's length: 4 minutes."""

DAILY_BOX = 'title = "Daily"\nfrom = "Sam"\n[[practice]]\nscript = "box"\nwhen = "daily"\n'


@pytest.fixture(scope="module")
def library() -> Library:
    """calm's built-in scripts alone."""
    return Library.discover(user_dirs=[])


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Where the history file is."""
    return tmp_path / "h.sqlite3"


@pytest.fixture
def store(history: Path) -> Iterator[HistoryStore]:
    """The history, open to write."""
    opened = HistoryStore.open(history)
    yield opened
    opened.close()


def plan_of(text: str, library: Library) -> Plan:
    """The plan in ``text``, which must be good."""
    return parse_plan(text.encode(), library, source="p.toml", folder=None)


def at(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock on ``day``, in the local time zone, as calm writes it."""
    return datetime.combine(day, time(hour)).astimezone()


def practise(
    store: HistoryStore,
    day: date,
    script: str = "box",
    *,
    practised: float = BOX_SECONDS,
    planned: float = BOX_SECONDS,
    status: Status = Status.COMPLETED,
    hour: int = 9,
) -> None:
    """A session of ``script`` at ``hour`` on ``day``, ended as ``status`` after ``practised``."""
    row = store.begin(
        script=script, title=script, planned_seconds=planned, started_at=at(day, hour)
    )
    store.finish(row, status=status, practised_seconds=practised, breaths=3)


def today_of(plans: list[Plan], history: Path, day: date) -> Today:
    """What ``plans`` suggest on ``day``, with what ``history`` says was done."""
    return today_in(plans, day, read_done(history, day))


def states(today: Today) -> list[tuple[str, str, bool]]:
    """Each item today as (kind, text, done)."""
    return [(item.kind, item.text, item.done) for item in today.items]


# -- practices -----------------------------------------------------------------------


def test_a_session_finished_today_marks_the_practice_done(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of(DAILY_BOX, library)
    assert states(today_of([plan], history, WEDNESDAY)) == [("practice", "Box breathing", False)]
    practise(store, WEDNESDAY)
    today = today_of([plan], history, WEDNESDAY)
    assert states(today) == [("practice", "Box breathing", True)]
    (item,) = today.items
    assert (item.script, item.command, item.when) == ("box", "calm start box", "every day")


@pytest.mark.parametrize(
    ("practised", "planned", "counts"),
    [
        (30, BOX_SECONDS, False),
        (59, BOX_SECONDS, False),
        (60, BOX_SECONDS, True),
        (70, BOX_SECONDS, True),
        (29, 60, False),
        (30, 60, True),  # half of a short script counts
        (0, 0, False),
    ],
)
def test_a_session_ended_early_counts_once_it_lasted_a_minute_or_half(
    library: Library,
    store: HistoryStore,
    history: Path,
    practised: float,
    planned: float,
    counts: bool,
) -> None:
    practise(store, WEDNESDAY, practised=practised, planned=planned, status=Status.ENDED_EARLY)
    (item,) = today_of([plan_of(DAILY_BOX, library)], history, WEDNESDAY).items
    assert item.done is counts


def test_a_session_cut_off_counts_by_how_far_it_got(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of(DAILY_BOX, library)
    row = store.begin(
        script="box", title="Box", planned_seconds=BOX_SECONDS, started_at=at(WEDNESDAY)
    )
    assert not today_of([plan], history, WEDNESDAY).items[0].done
    store.progress(row, practised_seconds=70, breaths=5)
    assert today_of([plan], history, WEDNESDAY).items[0].done


def test_a_session_yesterday_or_of_another_script_does_not_count_today(
    library: Library, store: HistoryStore, history: Path
) -> None:
    practise(store, WEDNESDAY - timedelta(days=1), hour=23)
    practise(store, WEDNESDAY, "coherent")
    practise(store, WEDNESDAY + timedelta(days=1))  # dated tomorrow
    (item,) = today_of([plan_of(DAILY_BOX, library)], history, WEDNESDAY).items
    assert not item.done


def test_a_few_times_a_week_is_suggested_until_the_week_has_them(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of('title = "T"\n[[practice]]\nscript = "box"\nwhen = "3 per week"\n', library)
    tuesday, thursday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=3)
    practise(store, MONDAY)
    practise(store, MONDAY, hour=18)  # twice on one day is one day
    practise(store, tuesday)
    assert states(today_of([plan], history, WEDNESDAY)) == [("practice", "Box breathing", False)]
    practise(store, WEDNESDAY)
    # On the day that made three, it still shows, as done.
    assert states(today_of([plan], history, WEDNESDAY)) == [("practice", "Box breathing", True)]
    # The rest of the week, it rests.
    assert today_of([plan], history, thursday).items == ()
    assert today_of([plan], history, MONDAY + timedelta(days=6)).items == ()
    # A new week starts on Monday.
    assert len(today_of([plan], history, MONDAY + timedelta(days=7)).items) == 1


def test_last_weeks_sessions_do_not_count_this_week(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of('title = "T"\n[[practice]]\nscript = "box"\nwhen = "2 per week"\n', library)
    for back in (1, 2, 3):  # Sunday, Saturday and Friday before
        practise(store, MONDAY - timedelta(days=back))
    assert states(today_of([plan], history, MONDAY)) == [("practice", "Box breathing", False)]
    assert states(today_of([plan], history, WEDNESDAY)) == [("practice", "Box breathing", False)]


def test_a_weekday_rhythm_is_suggested_only_on_its_days(library: Library, history: Path) -> None:
    plan = plan_of(
        'title = "T"\n[[practice]]\nscript = "box"\nwhen = ["mon", "thu"]\n'
        '[[reminder]]\ntext = "Walk."\nwhen = "wed"\n',
        library,
    )
    kinds = [
        [item.kind for item in today_of([plan], history, MONDAY + timedelta(days=n)).items]
        for n in range(7)
    ]
    assert kinds == [["practice"], [], ["reminder"], ["practice"], [], [], []]


def test_a_plan_rests_outside_its_dates(library: Library, history: Path) -> None:
    plan = plan_of(
        'title = "T"\nstarts = 2027-01-05\nends = 2027-01-07\n'
        '[[reminder]]\ntext = "Walk."\nwhen = "daily"\n',
        library,
    )
    for day, active in [
        (MONDAY, False),
        (MONDAY + timedelta(days=1), True),
        (MONDAY + timedelta(days=3), True),
        (MONDAY + timedelta(days=4), False),
    ]:
        today = today_of([plan], history, day)
        assert (today.plans == (plan,)) is active
        assert (len(today.items) == 1) is active


def test_a_plan_that_has_ended_is_not_called_no_plan(library: Library, history: Path) -> None:
    plan = plan_of(
        'title = "T"\nends = 2027-01-01\n[[reminder]]\ntext = "Walk."\nwhen = "daily"\n',
        library,
    )
    assert today_of([plan], history, WEDNESDAY).line != NO_PLAN


# -- reminders -----------------------------------------------------------------------


def two_plans(library: Library) -> list[Plan]:
    """Two plans with reminders, one of them not asked on Wednesdays."""
    first = plan_of(
        'title = "First"\n'
        '[[reminder]]\ntext = "Water."\nwhen = "daily"\n'
        '[[reminder]]\ntext = "Not today."\nwhen = ["mon"]\n'
        '[[reminder]]\ntext = "Stretch."\nwhen = "before bed"\n',
        library,
    )
    second = plan_of(
        'title = "Second"\n[[practice]]\nscript = "box"\nwhen = "daily"\n'
        '[[reminder]]\ntext = "Water."\nwhen = "after work"\n',
        library,
    )
    return [first, second]


def test_reminders_are_numbered_across_plans_in_order(library: Library, history: Path) -> None:
    today = today_of(two_plans(library), history, WEDNESDAY)
    assert [(item.plan.name, item.number, item.text) for item in today.reminders] == [
        ("first", 1, "Water."),
        ("first", 2, "Stretch."),
        ("second", 3, "Water."),
    ]
    assert [item.number for item in today.items if item.kind == "practice"] == [None]


def test_a_tick_marks_that_reminder_done_today_only(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plans = two_plans(library)
    assert store.tick_reminder("second", "Water.", at(WEDNESDAY, 10)) is True
    assert store.tick_reminder("second", "Water.", at(WEDNESDAY, 11)) is False
    store.tick_reminder("first", "Stretch.", at(WEDNESDAY - timedelta(days=1)))
    today = today_of(plans, history, WEDNESDAY)
    assert [(item.plan.name, item.text, item.done) for item in today.reminders] == [
        ("first", "Water.", False),
        ("first", "Stretch.", False),
        ("second", "Water.", True),
    ]
    assert read_done(history, WEDNESDAY).ticked == {("second", "Water.")}


def test_a_reminder_a_few_times_a_week_rests_once_the_week_has_them(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of('title = "T"\n[[reminder]]\ntext = "Swim."\nwhen = "2 per week"\n', library)
    store.tick_reminder("t", "Swim.", at(MONDAY))
    store.tick_reminder("t", "Swim.", at(MONDAY + timedelta(days=1)))
    assert today_of([plan], history, WEDNESDAY).items == ()


def test_clearing_the_history_forgets_the_ticks_too(
    library: Library, store: HistoryStore, history: Path
) -> None:
    practise(store, WEDNESDAY)
    store.tick_reminder("first", "Water.", at(WEDNESDAY))
    assert store.clear() == 1
    done = read_done(history, WEDNESDAY)
    assert (done.days, done.ticked) == ({}, set())
    assert store.tick_reminder("first", "Water.", at(WEDNESDAY)) is True


# -- histories that cannot be read ---------------------------------------------------


def test_a_missing_history_is_nothing_done(tmp_path: Path) -> None:
    for path in (tmp_path / "none.sqlite3", tmp_path):
        done = read_done(path, WEDNESDAY)
        assert (done.days, done.ticked) == ({}, set())


@pytest.mark.parametrize(
    "content",
    [b"not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000, b""],
)
def test_a_history_that_is_not_sqlite_is_nothing_done(history: Path, content: bytes) -> None:
    history.write_bytes(content)
    done = read_done(history, WEDNESDAY)
    assert (done.days, done.ticked) == ({}, set())
    assert history.read_bytes() == content  # only read


def test_a_history_from_another_program_is_nothing_done(history: Path) -> None:
    connection = sqlite3.connect(history)
    connection.execute("CREATE TABLE other (x)")
    connection.commit()
    connection.close()
    done = read_done(history, WEDNESDAY)
    assert (done.days, done.ticked) == ({}, set())


def test_a_locked_history_is_nothing_done(history: Path) -> None:
    store = HistoryStore.open(history)
    practise(store, WEDNESDAY)
    store.tick_reminder("p", "Water.", at(WEDNESDAY))
    store.close()
    assert read_done(history, WEDNESDAY).days == {"box": {WEDNESDAY}}
    holder = sqlite3.connect(history, isolation_level=None, timeout=0)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("DELETE FROM reminders_done")
        done = read_done(history, WEDNESDAY)
        assert (done.days, done.ticked) == ({}, set())
    finally:
        holder.close()


def test_a_history_from_before_ticks_still_gives_its_sessions(history: Path) -> None:
    connection = sqlite3.connect(history)
    for number, migration in enumerate(MIGRATIONS[:5], start=1):
        for statement in migration.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {number}")
    connection.execute(
        "INSERT INTO sessions (script, title, started_at, planned_seconds, practised_seconds,"
        " status) VALUES ('box', 'Box', ?, 240, 240, 'completed')",
        (at(WEDNESDAY).isoformat(),),
    )
    connection.commit()
    connection.close()
    done = read_done(history, WEDNESDAY)
    assert (done.days, done.ticked) == ({"box": {WEDNESDAY}}, set())


def test_rows_changed_by_hand_are_passed_over(store: HistoryStore, history: Path) -> None:
    practise(store, WEDNESDAY, "coherent")
    holder = sqlite3.connect(history)
    holder.execute(
        "INSERT INTO sessions (script, title, started_at, planned_seconds, practised_seconds,"
        " status) VALUES (3, 'x', ?, 'long', 'a while', 'ended_early')",
        (at(WEDNESDAY).isoformat(),),
    )
    holder.execute(
        "INSERT INTO sessions (script, title, started_at, planned_seconds, status)"
        " VALUES ('box', 'x', '2027-13-45T09:00:00+00:00', 1, 'completed')"
    )
    holder.commit()
    holder.close()
    assert read_done(history, WEDNESDAY).days == {"coherent": {WEDNESDAY}}


# -- the gentle line, and the lines shown ----------------------------------------------


def test_the_line_follows_what_is_done(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of(DAILY_BOX + '[[reminder]]\ntext = "Water."\nwhen = "daily"\n', library)
    weekly = plan_of('title = "W"\n[[practice]]\nscript = "box"\nwhen = ["thu"]\n', library)
    assert today_of([], history, WEDNESDAY).line == NO_PLAN
    assert today_of([weekly], history, WEDNESDAY).line == NOTHING_TODAY
    assert today_of([plan], history, WEDNESDAY).line == NONE_DONE
    store.tick_reminder("daily", "Water.", at(WEDNESDAY))
    assert today_of([plan], history, WEDNESDAY).line == SOME_DONE
    practise(store, WEDNESDAY)
    assert today_of([plan], history, WEDNESDAY).line == ALL_DONE


def test_the_next_thing_undone_is_a_practice_before_a_reminder(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plans = two_plans(library)

    def next_text() -> str | None:
        item = today_of(plans, history, WEDNESDAY).next_undone()
        return None if item is None else item.text

    assert next_text() == "Box breathing"
    practise(store, WEDNESDAY)
    assert next_text() == "Water."
    for plan, text in [("first", "Water."), ("first", "Stretch."), ("second", "Water.")]:
        store.tick_reminder(plan, text, at(WEDNESDAY))
    assert next_text() is None


def the_docs_day(store: HistoryStore) -> date:
    """The day of the example in docs/plans.md, with its practice done and its first
    reminder ticked off."""
    thursday = date(2026, 12, 3)
    practise(store, thursday, "between-clients")
    store.tick_reminder(
        "between-our-sessions", "Stretch your calves gently before bed.", at(thursday)
    )
    return thursday


def template_plan(library: Library) -> Plan:
    """The template plan, from Sam as in docs/plans.md."""
    text = TEMPLATE.replace("Your therapist's name or practice", "Sam, Harbour Massage")
    return plan_of(text, library)


def test_the_lines_show_each_plan_its_items_and_how_to_tick(
    library: Library, store: HistoryStore, history: Path
) -> None:
    thursday = the_docs_day(store)
    empty = plan_of('title = "Weekends"\n[[reminder]]\ntext = "Rest."\nwhen = ["sat"]\n', library)
    lines = today_lines(today_of([template_plan(library), empty], history, thursday))
    assert lines[:6] == [
        "Today, Thursday 3 December",
        "",
        "Your plan from Sam, Harbour Massage: Between our sessions",
        "  ✓ Between clients (every day) · done today",
        "  · Body scan, 5 minutes (3 days a week) · calm start body-scan",
        "  Reminders",
    ]
    assert lines[6].strip() == "✓ Stretch your calves gently before bed."
    assert lines[7:] == [
        "    2. A glass of water after each session.",
        "",
        "Your plan: Weekends",
        "  Nothing from this plan today.",
        "",
        SOME_DONE,
        "Tick a reminder off with: calm today done N",
    ]


def test_the_lines_with_everything_done_do_not_ask_for_ticks(
    library: Library, store: HistoryStore, history: Path
) -> None:
    plan = plan_of(DAILY_BOX + '[[reminder]]\ntext = "Water."\nwhen = "daily"\n', library)
    practise(store, WEDNESDAY)
    store.tick_reminder("daily", "Water.", at(WEDNESDAY))
    lines = today_lines(today_of([plan], history, WEDNESDAY))
    assert lines[0] == "Today, Wednesday 6 January"
    assert lines[-1] == ALL_DONE
    assert not any("calm today done" in line for line in lines)
    assert today_lines(today_of([], history, WEDNESDAY))[1:] == ["", NO_PLAN]


def test_the_lines_match_the_example_in_the_docs(
    library: Library, store: HistoryStore, history: Path
) -> None:
    (example,) = code_blocks((ROOT / "docs" / "plans.md").read_text(encoding="utf-8"), "text")
    thursday = the_docs_day(store)
    lines = today_lines(today_of([template_plan(library)], history, thursday))
    assert lines == example.splitlines()


def test_today_as_json(library: Library, store: HistoryStore, history: Path) -> None:
    plan = plan_of(DAILY_BOX + '[[reminder]]\ntext = "Water."\nwhen = "daily"\n', library)
    store.tick_reminder("daily", "Water.", at(WEDNESDAY))
    assert today_of([plan], history, WEDNESDAY).to_json() == {
        "date": "2027-01-06",
        "plans": [{"name": "daily", "title": "Daily", "from": "Sam"}],
        "items": [
            {
                "plan": "daily",
                "kind": "practice",
                "text": "Box breathing",
                "when": "every day",
                "done": False,
                "command": "calm start box",
                "script": "box",
            },
            {
                "plan": "daily",
                "kind": "reminder",
                "text": "Water.",
                "when": "every day",
                "done": True,
                "number": 1,
            },
        ],
        "line": SOME_DONE,
    }
