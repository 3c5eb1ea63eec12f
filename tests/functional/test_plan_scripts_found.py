"""A script file that came with a care plan is part of the library calm finds: ``calm
start NAME``, ``calm show``, ``calm list`` (saying which plan) and the list's "Your
plan" all have it, and a session of it counts as the plan's practice done. Two plans
cannot bring a script of the same name. Real files, a real history, a home of the
test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calm import locations
from calm.care.closing_words import planned_today
from calm.care.plan_checker import PlanError
from calm.care.plans_folder import import_plan, read_plans
from calm.cli.script_lookup import script_library
from calm.core.library import Origin
from calm.present.catalogue import collect
from tests.support.homes import point_at
from tests.support.scripts import tiny_script
from tests.support.tui import pilot_test

PLAN = (
    'title = "With files"\nfrom = "Sam"\n'
    '[[practice]]\nscript = "evening.toml"\nwhen = "daily"\n'
    '[[practice]]\nscript = "box"\nwhen = "daily"\n'
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of the test's own, every folder calm uses in it, with the plan above and
    its evening.toml imported."""
    home = tmp_path / "home"
    home.mkdir()
    point_at(monkeypatch, home)
    bring(home, PLAN)
    return home


def bring(home: Path, plan: str, folder: str = "given", script: str = "Evening unwind") -> Path:
    """Import ``plan``, written with an evening.toml titled ``script`` beside it."""
    given = home / folder
    given.mkdir()
    (given / "evening.toml").write_text(tiny_script(title=script), encoding="utf-8")
    (given / "plan.toml").write_text(plan, encoding="utf-8")
    import_plan(given / "plan.toml", locations.plans_dir(), script_library())
    return given


def calm(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``calm ARGS`` in a fresh process, in ``home`` (its environment is this one's)."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        cwd=home,
        env=dict(os.environ, CALM_PLAYER="silence"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_library_has_the_plans_script_by_its_name(home: Path) -> None:
    library = script_library()
    entry = library.resolve("evening")
    assert (entry.origin, entry.plan, entry.shown_origin) == (
        Origin.PLAN,
        "with-files",
        "plan with-files",
    )
    assert entry.path == locations.plans_dir() / "with-files" / "evening.toml"
    assert entry.load().title == "Evening unwind"
    assert "plan" not in library.names  # the plan's own file is no script
    (row,) = [row for row in collect(library) if row.entry.name == "evening"]
    assert row.source == "plan with-files"


def test_the_plan_still_reads_and_imports_again_with_its_script_in_the_library(
    home: Path,
) -> None:
    plans = read_plans(locations.plans_dir(), script_library())
    assert (plans.notices, [plan.name for plan in plans.plans]) == ([], ["with-files"])
    bring(home, PLAN, "newer", script="Evening unwind, longer")
    assert script_library().resolve("evening").load().title == "Evening unwind, longer"


def test_another_plan_cannot_bring_a_script_of_the_same_name(home: Path) -> None:
    other = PLAN.replace("With files", "Other plan")
    with pytest.raises(PlanError) as refused:
        bring(home, other, "other")
    assert refused.value.lines() == [
        f'{home / "other" / "plan.toml"}: practice 1 > script: "evening.toml" has the name'
        " of a script that came with your plan with-files (With files), so calm could not"
        " tell them apart; ask for the file under another name"
    ]
    assert sorted(path.name for path in locations.plans_dir().iterdir()) == ["with-files"]


def test_a_plan_names_no_script_that_came_with_another_plan(home: Path) -> None:
    naming = PLAN.replace("With files", "Naming").replace('"evening.toml"', '"evening"')
    with pytest.raises(PlanError) as refused:
        bring(home, naming, "naming")
    assert 'calm has no script named "evening"' in refused.value.first_line


def test_the_list_s_your_plan_has_the_plans_script(home: Path) -> None:
    assert planned_today(locations.plans_dir(), locations.history_file()) == {
        "evening": False,
        "box": False,
    }


@pilot_test
async def test_the_picker_shows_the_plans_script_under_your_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calm.core.clock import ManualClock
    from calm.tui.screens.picker import PickerScreen
    from tests.support.apps import calm_app

    home = tmp_path / "home"
    home.mkdir()
    point_at(monkeypatch, home)
    bring(home, PLAN)
    app = calm_app(rows=collect(script_library()), clock=ManualClock(100.0))
    app._planned = planned_today(locations.plans_dir(), locations.history_file())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one("OptionList")
        prompts = [str(option.prompt) for option in options.options[:3]]  # type: ignore[attr-defined]
        assert prompts[0] == "YOUR PLAN"
        assert prompts[1].startswith("Evening unwind\nevening") and prompts[1].endswith("today")
        await pilot.press(*"even")
        assert picker._row() is not None and picker._row().entry.name == "evening"  # type: ignore[union-attr]


@pytest.mark.slow
def test_start_show_and_list_find_it_and_a_session_counts(home: Path) -> None:
    listed = calm(home, "list")
    assert listed.returncode == 0, listed.stderr
    (line,) = [line for line in listed.stdout.splitlines() if "evening" in line]
    assert "plan with-files" in line
    shown = calm(home, "show", "evening")
    assert shown.returncode == 0, shown.stderr
    assert "Evening unwind" in shown.stdout
    started = calm(home, "start", "evening", "--plain", "--skip-caution")
    assert started.returncode == 0, started.stderr
    items = json.loads(calm(home, "today", "--json").stdout)["items"]
    assert [(item["script"], item["done"]) for item in items] == [
        ("evening", True),
        ("box", False),
    ]
