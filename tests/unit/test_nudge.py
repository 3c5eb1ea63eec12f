"""``calm nudge``'s words and restraint, from real files: an imported plan, a history, the
nudge's own state file and the config, all in a folder of the test's own."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from calm.care import nudge as nudge_module
from calm.care import today as today_module
from calm.care.nudge import GENERAL, LEAF, NudgeAsk, Places, nudge
from calm.care.plan_summaries import PLAN_FILE, SUMMARY_FILE
from calm.care.plans_folder import import_plan
from calm.core.library import Library
from calm.core.session import Status
from calm.practice.history import HistoryStore

PLAN = """\
title = "Between our sessions"
from = "Sam"

[[practice]]
script = "box"
when = "daily"

[[reminder]]
text = "Drink a glass of water."
when = "daily"
"""
PRACTICE_LINE = f"{LEAF} Box breathing is in your plan today: calm start box"
REMINDER_LINE = f"{LEAF} From your plan: Drink a glass of water."
GENERAL_LINE = f"{LEAF} {GENERAL}"
UNKIND = ("missed", "streak", "should", "failed")
"""Words a nudge never says."""


@pytest.fixture
def day() -> date:
    """Tomorrow: a day after the plan is imported today, whatever today is."""
    return date.today() + timedelta(days=1)


@pytest.fixture
def places(tmp_path: Path) -> Places:
    """Where the nudge reads and writes, with nothing there yet."""
    return Places(
        plans=tmp_path / "plans",
        history=tmp_path / "history.sqlite3",
        state=tmp_path / "state" / "nudge",
        config=tmp_path / "config.toml",
    )


@pytest.fixture
def planned(places: Places, tmp_path: Path) -> Places:
    """The places, with the plan imported."""
    source = tmp_path / "sam.toml"
    source.write_text(PLAN, encoding="utf-8")
    import_plan(source, places.plans, Library.discover(user_dirs=[]))
    return places


def at(day: date, hour: float) -> datetime:
    """``hour`` o'clock on ``day``, local time."""
    return datetime.combine(day, time()).astimezone() + timedelta(hours=hour)


def practise(places: Places, day: date, script: str = "box") -> None:
    """A finished session of ``script`` at 9 on ``day``."""
    store = HistoryStore.open(places.history)
    try:
        row = store.begin(script=script, title=script, planned_seconds=240, started_at=at(day, 9))
        store.finish(row, status=Status.COMPLETED, practised_seconds=240, breaths=10)
    finally:
        store.close()


def tick(places: Places, day: date, text: str = "Drink a glass of water.") -> None:
    """Tick off the plan's reminder ``text`` on ``day``."""
    store = HistoryStore.open(places.history)
    try:
        assert store.tick_reminder("between-our-sessions", text, at(day, 9))
    finally:
        store.close()


def said(
    places: Places, now: datetime, *, once_per_hours: float | None = None, status: bool = False
) -> str:
    """What the nudge says at ``now``, asked as ``calm nudge --once-per --status`` would."""
    return nudge(places, NudgeAsk(once_per_hours, status), now)


def state(places: Places) -> dict[str, object]:
    """The nudge's state file, read as JSON."""
    found: dict[str, object] = json.loads(places.state.read_text(encoding="utf-8"))
    return found


# -- what it says ----------------------------------------------------------------------


def test_it_says_the_first_practice_then_the_reminder_then_nothing(
    planned: Places, day: date
) -> None:
    assert said(planned, at(day, 10)) == PRACTICE_LINE
    practise(planned, day)
    assert said(planned, at(day, 11)) == REMINDER_LINE
    tick(planned, day)
    assert said(planned, at(day, 12)) == ""


def test_without_a_plan_or_the_setting_it_says_nothing(places: Places, day: date) -> None:
    assert said(places, at(day, 10)) == ""
    places.config.write_text("volume = 40\n", encoding="utf-8")
    assert said(places, at(day, 10)) == ""
    places.config.write_text("nudge = false\n", encoding="utf-8")
    assert said(places, at(day, 10)) == ""
    assert not places.state.exists()


def test_the_setting_alone_gives_the_general_line_until_a_practice(
    places: Places, day: date
) -> None:
    places.config.write_text("nudge = true\n", encoding="utf-8")
    assert said(places, at(day, 10)) == GENERAL_LINE
    places.state.unlink()
    practise(places, day, "coherent")
    assert said(places, at(day, 11)) == ""


def test_a_practice_yesterday_leaves_the_general_line(places: Places, day: date) -> None:
    places.config.write_text("nudge = true\n", encoding="utf-8")
    practise(places, day - timedelta(days=1), "coherent")
    assert said(places, at(day, 10)) == GENERAL_LINE


def test_a_config_that_cannot_be_read_says_no_to_the_setting(places: Places, day: date) -> None:
    places.config.write_text("nudge = [\n", encoding="utf-8")
    assert said(places, at(day, 10)) == ""
    places.config.write_text("nudge = 'yes please'\n", encoding="utf-8")
    assert said(places, at(day, 10)) == ""
    places.config.unlink()
    places.config.mkdir()
    assert said(places, at(day, 10)) == ""


# -- how often -------------------------------------------------------------------------


def test_a_day_with_nothing_done_gets_one_nudge(planned: Places, day: date) -> None:
    assert said(planned, at(day, 10)) == PRACTICE_LINE
    assert said(planned, at(day, 15)) == ""
    assert said(planned, at(day, 21), once_per_hours=1) == ""
    # A new day, a new nudge.
    assert said(planned, at(day + timedelta(days=1), 10)) == PRACTICE_LINE


def test_once_something_is_done_the_line_repeats(planned: Places, day: date) -> None:
    practise(planned, day)
    assert said(planned, at(day, 10)) == REMINDER_LINE
    assert said(planned, at(day, 10.1)) == REMINDER_LINE
    assert state(planned)["count"] == 2


def test_once_per_keeps_it_quiet_for_that_many_hours(planned: Places, day: date) -> None:
    practise(planned, day)
    assert said(planned, at(day, 10), once_per_hours=3) == REMINDER_LINE
    assert said(planned, at(day, 11), once_per_hours=3) == ""
    assert said(planned, at(day, 12.9), once_per_hours=3) == ""
    assert said(planned, at(day, 13.1), once_per_hours=3) == REMINDER_LINE
    assert said(planned, at(day, 13.2), once_per_hours=0) == REMINDER_LINE


def test_the_state_file_is_json_noting_the_day_the_count_and_the_moment(
    planned: Places, day: date
) -> None:
    now = at(day, 10)
    said(planned, now)
    assert state(planned) == {"day": day.isoformat(), "count": 1, "last": now.timestamp()}
    assert [path.name for path in planned.state.parent.iterdir()] == [planned.state.name]


def test_a_status_line_never_counts_and_never_writes(planned: Places, day: date) -> None:
    for hour in (10, 10.5, 11):
        assert said(planned, at(day, hour), status=True, once_per_hours=3) == PRACTICE_LINE
    assert not planned.state.exists()
    assert said(planned, at(day, 12)) == PRACTICE_LINE  # the status line was not a nudge


@pytest.mark.parametrize(
    "content",
    [
        "not json {",
        "[]",
        '{"day": 3, "count": 1, "last": 0}',
        '{"day": "%s", "count": "one", "last": 0}',
        '{"day": "%s"}',
        "x" * 5000,
    ],
)
def test_a_damaged_state_file_is_started_afresh(planned: Places, day: date, content: str) -> None:
    planned.state.parent.mkdir(parents=True)
    planned.state.write_text(content.replace("%s", day.isoformat()), encoding="utf-8")
    assert said(planned, at(day, 10)) == PRACTICE_LINE
    assert state(planned)["count"] == 1


def test_a_state_that_cannot_be_written_still_lets_it_speak(planned: Places, day: date) -> None:
    planned.state.mkdir(parents=True)  # a folder where the file should be
    assert said(planned, at(day, 10)) == PRACTICE_LINE


# -- plans read from their summaries, or in full -----------------------------------------


def summary_of(places: Places) -> Path:
    (folder,) = places.plans.iterdir()
    return folder / SUMMARY_FILE


@pytest.mark.parametrize(
    "damage",
    ["missing", "not json {", '{"format": 99}', "title escape", "too big"],
)
def test_a_summary_that_cannot_be_used_means_the_plan_is_read_in_full(
    planned: Places, day: date, damage: str
) -> None:
    summary = summary_of(planned)
    if damage == "missing":
        summary.unlink()
    elif damage == "title escape":
        document = json.loads(summary.read_text(encoding="utf-8"))
        document["title"] = "\x1b[2JOwned"
        summary.write_text(json.dumps(document), encoding="utf-8")
    elif damage == "too big":
        summary.write_text(" " * 300_000 + "{}", encoding="utf-8")
    else:
        summary.write_text(damage, encoding="utf-8")
    assert said(planned, at(day, 10)) == PRACTICE_LINE


def test_the_summary_is_what_the_nudge_reads(planned: Places, day: date) -> None:
    # With the plan file gone, the summary alone still gives the plan.
    summary = summary_of(planned)
    (summary.parent / PLAN_FILE).unlink()
    assert said(planned, at(day, 10)) == PRACTICE_LINE


def test_a_plan_that_can_no_longer_be_read_is_silence(planned: Places, day: date) -> None:
    summary = summary_of(planned)
    summary.unlink()
    (summary.parent / PLAN_FILE).write_text("garbage = [", encoding="utf-8")
    assert said(planned, at(day, 10)) == ""


# -- words -----------------------------------------------------------------------------


def test_no_word_counts_what_was_missed(planned: Places, day: date) -> None:
    lines = [said(planned, at(day, 10))]
    practise(planned, day)
    lines.append(said(planned, at(day, 11)))
    planned.config.write_text("nudge = true\n", encoding="utf-8")
    lines.append(said(planned, at(day, 12)))
    constants = [
        value
        for module in (nudge_module, today_module)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str)
    ]
    assert len(constants) >= 6
    for line in lines + constants:
        for word in UNKIND:
            assert word not in line.lower(), line
