"""What a care plan adds around a session: the summary's line from the plan, the list's
"Your plan" with today's practices marked, and calm stats' kind weekly figure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from calm.care.adherence import WeekFigure, adherence_lines, plan_weeks, week_figure
from calm.care.closing_words import plan_reminder, planned_today
from calm.care.done_today import DoneThisWeek, week_start
from calm.care.plan_checker import parse_plan
from calm.care.plans_folder import import_plan
from calm.core.library import Library
from calm.core.session import Status
from calm.practice.history import HistoryStore
from tests.support.tui import library_rows, pilot_test

PLAN = """
title = "Between our sessions"
from = "Sam"

[[practice]]
script = "box"
when = "daily"

[[practice]]
script = "body-scan"
when = "3 per week"

[[reminder]]
text = "Stretch your calves before bed."
when = "daily"

[[reminder]]
text = "NHS leaflet: read page two."
when = "daily"

[[reminder]]
text = "A glass of water after each session."
when = "daily"
"""


def imported(tmp_path: Path, text: str = PLAN) -> Path:
    source = tmp_path / "plan.toml"
    source.write_text(text, encoding="utf-8")
    folder = tmp_path / "plans"
    import_plan(source, folder, Library.discover(user_dirs=[]))
    return folder


def practise(history: Path, script: str, when: datetime, *, done: bool = True) -> None:
    store = HistoryStore.open(history)
    row = store.begin(script=script, title=script, planned_seconds=240, started_at=when)
    status = Status.COMPLETED if done else Status.ENDED_EARLY
    store.finish(row, status=status, practised_seconds=240 if done else 5, breaths=1)
    store.close()


def test_the_summary_names_the_plans_next_reminder_in_its_own_words(tmp_path: Path) -> None:
    folder, history = imported(tmp_path), tmp_path / "h.sqlite3"
    assert plan_reminder(folder, history) == "Your plan from Sam: stretch your calves before bed."
    store = HistoryStore.open(history)
    store.tick_reminder(
        "between-our-sessions", "Stretch your calves before bed.", datetime.now().astimezone()
    )
    store.close()
    # An acronym keeps its capitals.
    assert plan_reminder(folder, history) == "Your plan from Sam: NHS leaflet: read page two."
    store = HistoryStore.open(history)
    store.tick_reminder(
        "between-our-sessions", "NHS leaflet: read page two.", datetime.now().astimezone()
    )
    store.close()
    # "A glass of water" reads on after a colon as "a glass of water".
    assert (
        plan_reminder(folder, history) == "Your plan from Sam: a glass of water after each session."
    )
    assert plan_reminder(tmp_path / "none", history) is None


def test_the_list_marks_todays_practices_and_what_is_done(tmp_path: Path) -> None:
    folder, history = imported(tmp_path), tmp_path / "h.sqlite3"
    assert planned_today(folder, history) == {"box": False, "body-scan": False}
    practise(history, "box", datetime.now().astimezone(), done=False)  # 5 s: not yet
    assert planned_today(folder, history) == {"box": False, "body-scan": False}
    practise(history, "box", datetime.now().astimezone())
    assert planned_today(folder, history) == {"box": True, "body-scan": False}


@pilot_test
async def test_the_picker_lists_your_plan_first_and_marks_it_done_after_a_session() -> None:
    from calm.core.clock import ManualClock
    from calm.tui.screens.picker import PickerScreen
    from tests.support.apps import calm_app

    app = calm_app(rows=library_rows(), clock=ManualClock(100.0))
    app._planned = {"box": False, "4-7-8": True}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one("OptionList")
        prompts = [str(option.prompt) for option in options.options[:4]]  # type: ignore[attr-defined]
        assert prompts[0] == "YOUR PLAN"
        assert prompts[1].startswith("Box breathing") and prompts[1].endswith("· today")
        assert prompts[2].startswith("4-7-8 breathing") and prompts[2].endswith("· ✓ done")
        # The highlighted plan entry is the script itself, as under its category.
        assert picker._row() is not None and picker._row().entry.name == "box"  # type: ignore[union-attr]
        picker.practised("box")
        await pilot.pause()
        assert str(options.options[1].prompt).endswith("· ✓ done")  # type: ignore[attr-defined]


def test_a_week_is_said_kindly(tmp_path: Path) -> None:
    plan = parse_plan(PLAN.encode(), Library.discover(user_dirs=[]), source="p", folder=None)
    monday = week_start(date(2026, 11, 30))
    done = DoneThisWeek()
    figure = week_figure(plan, monday, monday + timedelta(days=6), done)
    assert (figure.planned, figure.practised) == (7, 0)
    assert figure.words == "a quiet one"
    done.days["box"] = {monday, monday + timedelta(days=2)}
    done.days["body-scan"] = {monday + timedelta(days=3)}
    figure = week_figure(plan, monday, monday + timedelta(days=3), done)
    assert (figure.planned, figure.practised, figure.so_far) == (4, 3, True)
    assert figure.words == "practised on 3 of the 4 planned days so far"
    assert WeekFigure(plan, monday, 2, 2, False).words == "practised on every planned day (2)"
    lines = adherence_lines([figure])
    assert lines == [
        "Your plan from Sam (Between our sessions): this week, practised on 3 of the 4 planned "
        "days so far."
    ]
    for word in ("missed", "only", "should", "failed"):
        assert word not in " ".join(lines)


def test_calm_stats_counts_a_plan_only_from_its_import(tmp_path: Path) -> None:
    folder, history = imported(tmp_path), tmp_path / "h.sqlite3"
    today = datetime.now().astimezone().date()
    practise(history, "box", datetime.now().astimezone())
    weeks = plan_weeks(folder, history, today)
    this_week = [week for week in weeks if week.so_far or week.monday == week_start(today)]
    assert this_week and this_week[0].planned == 1 and this_week[0].practised == 1
    # Imported today: last week held no planned day, so it is not shown.
    assert all(week.monday == week_start(today) for week in weeks)


def test_the_plans_words_come_before_the_scripts_own_reminder() -> None:
    """With a plan's reminder for today, the summary says it, even after a script with a
    reminder of its own; without one, the script's; a demo says only the script's."""
    from calm.core.timeline import compile_timeline
    from calm.practice.options import SessionOptions
    from calm.practice.service import Practice
    from tests.support.tui import make_script

    timeline = compile_timeline(make_script(reminder="Sip some water."))
    plain = compile_timeline(make_script())
    with_plan = Practice(
        plan_line=lambda: "Your plan from Sam: rest your hands.", tip=lambda: "tip"
    )
    assert with_plan.afterwards(timeline) == "Your plan from Sam: rest your hands."
    without = Practice(plan_line=lambda: None, tip=lambda: "tip")
    assert without.afterwards(timeline) == "Sip some water."
    assert without.afterwards(plain) == "tip"
    demo = Practice(SessionOptions(demo=True), plan_line=lambda: "plan", tip=lambda: "tip")
    assert demo.afterwards(timeline) == "Sip some water."


def test_the_list_has_a_plans_own_script_file_by_its_name_whatever_it_is(tmp_path: Path) -> None:
    """A script that came with the plan is in the library by its name (see
    test_plan_scripts_found), so the list's "Your plan" has it too, even when its name
    holds a space and its command is quoted for the shell."""
    (tmp_path / "my evening.toml").write_text(
        'title = "My evening"\nsummary = "Mine."\ncategory = "breathing"\n\n'
        '[[steps]]\nsay = "Rest."\nseconds = 5\n',
        encoding="utf-8",
    )
    own = PLAN.replace('script = "body-scan"', 'script = "my evening.toml"')
    folder, history = imported(tmp_path, own), tmp_path / "h.sqlite3"
    assert planned_today(folder, history) == {"box": False, "my evening": False}


@pilot_test
async def test_the_plan_is_read_once_the_list_is_up_and_listed_first() -> None:
    """Today's practices wait for the list's first frame, then go first in it; a script
    already highlighted there stays highlighted."""
    from calm.core.clock import ManualClock
    from calm.tui.app import CalmApp
    from calm.tui.screens.picker import PickerScreen
    from tests.support.apps import practice_for

    asked: list[bool] = []

    def planned_later() -> dict[str, bool]:
        # Asked once the list has been drawn, never before it.
        asked.append(isinstance(app.screen, PickerScreen) and app.screen.is_mounted)
        return {"coherent": False}

    app = CalmApp(
        practice_for(),
        rows=library_rows(),
        clock=ManualClock(100.0),
        planned_later=planned_later,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(20):
            await pilot.pause()
            if asked:
                break
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert asked == [True]
        options = picker.query_one("OptionList")
        first = [str(option.prompt) for option in options.options[:2]]  # type: ignore[attr-defined]
        assert first[0] == "YOUR PLAN" and first[1].startswith("Coherent breathing")
        assert picker._row() is not None and picker._row().entry.name == "coherent"  # type: ignore[union-attr]
        # Worked out again with a script chosen below it: the choice stays.
        await pilot.press("down", "down")
        chosen = picker._row()
        assert chosen is not None and chosen.entry.name != "coherent"
        picker.plan_today({"coherent": False, "box": True})
        await pilot.pause()
        assert picker._row() is chosen
