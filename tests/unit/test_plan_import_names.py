"""The name an imported plan is given: a plan replaces only one with the same title, a
plan with another title whose slug is taken gets a free name, and the history's ticks
stay with the plan they were made for. Real files, a real history."""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

import pytest

from calm.care.done_today import read_done
from calm.care.plan_summaries import read_summaries
from calm.care.plans_folder import Plans, import_plan, read_plans
from calm.care.today import today_in
from calm.core.library import Library
from calm.practice.history import HistoryStore

DAY = date(2027, 1, 6)
REMINDER = 'from = "{author}"\n[[reminder]]\ntext = "Drink some water."\nwhen = "daily"\n'


@pytest.fixture(scope="module")
def library() -> Library:
    """calm's built-in scripts alone."""
    return Library.discover(user_dirs=[])


def bring(tmp_path: Path, library: Library, title: str, author: str = "Sam") -> tuple[str, str]:
    """Import a plan titled ``title``; its name, and the title of the plan it replaced
    ("" for none)."""
    source = tmp_path / "given.toml"
    text = f"title = {title!r}\n" + REMINDER.format(author=author)
    source.write_text(text.replace("'", '"'), encoding="utf-8")
    plan, replaced = import_plan(source, tmp_path / "plans", library)
    return plan.name, replaced.title if replaced is not None else ""


def kept(tmp_path: Path, library: Library) -> Plans:
    """The plans imported so far."""
    return read_plans(tmp_path / "plans", library)


def by_name(plans: Plans) -> dict[str, tuple[str, str | None]]:
    """Each plan's name, with its title and who it is from."""
    return {plan.name: (plan.title, plan.author) for plan in plans.plans}


def test_titles_without_latin_letters_are_both_kept(tmp_path: Path, library: Library) -> None:
    assert bring(tmp_path, library, "!!!") == ("plan", "")
    assert bring(tmp_path, library, "日本語の計画") == ("plan-2", "")
    assert bring(tmp_path, library, "Πρόγραμμα") == ("plan-3", "")
    plans = kept(tmp_path, library)
    assert by_name(plans) == {
        "plan": ("!!!", "Sam"),
        "plan-2": ("日本語の計画", "Sam"),
        "plan-3": ("Πρόγραμμα", "Sam"),
    }
    assert plans.named("plan-2").title == "日本語の計画"
    assert plans.named("日本語の計画").name == "plan-2"


def test_a_different_title_with_the_same_slug_gets_a_free_name(
    tmp_path: Path, library: Library
) -> None:
    assert bring(tmp_path, library, "Between our sessions") == ("between-our-sessions", "")
    clash = bring(tmp_path, library, "Between our sessions!", "Other therapist")
    assert clash == ("between-our-sessions-2", "")
    assert by_name(kept(tmp_path, library)) == {
        "between-our-sessions": ("Between our sessions", "Sam"),
        "between-our-sessions-2": ("Between our sessions!", "Other therapist"),
    }


def test_the_same_title_in_another_case_or_spacing_replaces_and_keeps_its_name(
    tmp_path: Path, library: Library
) -> None:
    bring(tmp_path, library, "!!!")
    bring(tmp_path, library, "Evening rest")
    bring(tmp_path, library, "Evening rest!")
    # The plan under a numbered name is found by its title, and keeps that name.
    assert bring(tmp_path, library, "evening  REST!", "Sam again") == (
        "evening-rest-2",
        "Evening rest!",
    )
    assert bring(tmp_path, library, "!!!", "Sam again") == ("plan", "!!!")
    assert by_name(kept(tmp_path, library)) == {
        "plan": ("!!!", "Sam again"),
        "evening-rest": ("Evening rest", "Sam"),
        "evening-rest-2": ("evening  REST!", "Sam again"),
    }
    assert not [entry for entry in (tmp_path / "plans").iterdir() if entry.name.startswith(".")]


def test_a_plan_imported_before_keeps_its_folders_name(tmp_path: Path, library: Library) -> None:
    # An older calm named the folder by the title's slug alone: that name stays.
    bring(tmp_path, library, "Between our sessions")
    (tmp_path / "plans" / "between-our-sessions" / "summary.json").unlink()
    assert bring(tmp_path, library, "Between our sessions") == (
        "between-our-sessions",
        "Between our sessions",
    )


def test_the_quick_summaries_give_the_same_names(tmp_path: Path, library: Library) -> None:
    bring(tmp_path, library, "!!!")
    bring(tmp_path, library, "日本語の計画")
    summaries = read_summaries(tmp_path / "plans")
    assert summaries is not None
    assert sorted((plan.name, plan.title) for plan in summaries) == [
        ("plan", "!!!"),
        ("plan-2", "日本語の計画"),
    ]


def test_ticks_stay_with_their_plan(tmp_path: Path, library: Library) -> None:
    history = tmp_path / "h.sqlite3"
    bring(tmp_path, library, "!!!")
    store = HistoryStore.open(history)
    store.tick_reminder("plan", "Drink some water.", datetime.combine(DAY, time(9)).astimezone())
    store.close()

    def done() -> dict[str, bool]:
        plans = read_plans(tmp_path / "plans", library).plans
        today = today_in(plans, DAY, read_done(history, DAY))
        return {item.plan.title: item.done for item in today.items}

    # Imported today, the plans ask from today: date them back so DAY is in them.
    for folder in (tmp_path / "plans").iterdir():
        os.utime(folder / "plan.toml", (0, 0))
    assert done() == {"!!!": True}
    bring(tmp_path, library, "日本語の計画")  # another plan, with the same reminder
    os.utime(tmp_path / "plans" / "plan-2" / "plan.toml", (0, 0))
    assert done() == {"!!!": True, "日本語の計画": False}
    bring(tmp_path, library, "!!!", "Sam again")  # a newer !!! keeps its ticks
    os.utime(tmp_path / "plans" / "plan" / "plan.toml", (0, 0))
    assert done() == {"!!!": True, "日本語の計画": False}
