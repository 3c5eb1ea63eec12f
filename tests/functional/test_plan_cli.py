"""``calm plan``, ``calm today`` and ``calm nudge`` as a person runs them: the real ``calm``
process, in a home of the test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calm.care.plan_template import TEMPLATE
from calm.care.plans_folder import import_plan
from calm.core.library import Library

pytestmark = pytest.mark.slow
"""Each test runs calm as a process, a dozen times over: the slow run's."""

PLAN = """\
title = "Between our sessions"
from = "Sam, Harbour Massage"
note = "Go gently."

[[practice]]
script = "box"
when = "daily"

[[reminder]]
text = "Stretch your calves gently before bed."
when = "daily"

[[reminder]]
text = "A glass of water after each session."
when = "daily"
"""
BAD = """\
title = "Broken"

[[practice]]
script = "bx"
when = "sometimes"

[[reminder]]
when = "daily"
"""
"""A plan with three problems."""

QUICK_NUDGE_AVOIDS = (
    "typer",
    "click",
    "rich",
    "textual",
    "pydub",
    "simpleaudio",
    "miniaudio",
    "numpy",
    "soundfile",
    "dataclasses",
    "typing",
    *(("platformdirs",) if sys.platform.startswith("linux") else ()),
)
"""What ``calm nudge`` must not import: it runs at every shell prompt."""

MODULES_AFTER_NUDGE = """\
import sys
sys.argv = ["calm", "nudge"]
from calm.__main__ import run
try:
    run()
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)))
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home of the test's own."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def environment(home: Path) -> dict[str, str]:
    """This process's environment with ``home`` as HOME, and no XDG folders named."""
    env = dict(os.environ, HOME=str(home))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env.pop(variable, None)
    return env


def calm(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``calm ARGS`` in a fresh process, in ``home``."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        cwd=home,
        env=environment(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refusal says on stderr (nothing on stdout)."""
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def write_plan(home: Path, text: str = PLAN, name: str = "sam.toml") -> Path:
    """A plan file in ``home``."""
    path = home / name
    path.write_text(text, encoding="utf-8")
    return path


# -- writing and checking a plan ---------------------------------------------------------


def test_a_new_plan_is_a_template_that_checks(home: Path) -> None:
    made = calm(home, "plan", "new", "client.toml")
    assert made.returncode == 0, made.stderr
    assert made.stdout == "client.toml\n"
    assert "calm plan validate client.toml" in made.stderr
    assert (home / "client.toml").read_text(encoding="utf-8") == TEMPLATE
    # Valid as written but for who it is from, which a client would read as it stands.
    refused = calm(home, "plan", "validate", "client.toml")
    assert refused.returncode == 1
    assert one_line(refused) == (
        "client.toml: from: still the template's words; put your name or practice"
    )
    filled = TEMPLATE.replace("Your therapist's name or practice", "Sam, Harbour Massage")
    write_plan(home, filled, "client.toml")
    checked = calm(home, "plan", "validate", "client.toml")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "client.toml: ok · 2 practices, 2 reminders\n"


def test_a_new_plan_never_overwrites_a_file(home: Path) -> None:
    (home / "client.toml").write_text("mine\n", encoding="utf-8")
    refused = calm(home, "plan", "new", "client.toml")
    assert refused.returncode == 1
    assert one_line(refused) == (
        "calm: client.toml already exists; calm never overwrites a file. Pick another name."
    )
    assert (home / "client.toml").read_text(encoding="utf-8") == "mine\n"


def test_a_new_plan_without_a_file_is_printed(home: Path) -> None:
    printed = calm(home, "plan", "new")
    assert printed.returncode == 0
    assert printed.stdout == TEMPLATE.rstrip("\n") + "\n"
    assert list(home.iterdir()) == []


def test_a_bad_plan_gets_one_line_per_problem(home: Path) -> None:
    write_plan(home, BAD, "bad.toml")
    checked = calm(home, "plan", "validate", "bad.toml")
    assert checked.returncode == 1
    assert checked.stdout == ""
    assert checked.stderr.splitlines() == [
        'bad.toml: practice 1 > when: expected "daily", "after work", "before bed", '
        '"N per week" (1 to 7), or a list of weekdays such as ["mon", "thu"]',
        'bad.toml: practice 1 > script: calm has no script named "bx"; did you mean "box"?',
        "bad.toml: reminder 1: text is missing; expected text",
    ]
    imported = calm(home, "plan", "import", "bad.toml")
    assert imported.returncode == 1
    assert len(imported.stderr.splitlines()) == 3
    assert not (home / ".local" / "share" / "calm" / "plans").exists()


# -- a plan imported, followed and removed -------------------------------------------------


def test_a_plan_from_import_to_removal(home: Path) -> None:
    write_plan(home)
    imported = calm(home, "plan", "import", "sam.toml")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == (
        "Imported Between our sessions (between-our-sessions). "
        "See today's part of it with: calm today\n"
    )

    listed = calm(home, "plan", "list")
    assert (
        listed.stdout == "between-our-sessions  Between our sessions · from Sam, Harbour Massage\n"
    )
    assert json.loads(calm(home, "plan", "list", "--json").stdout) == [
        {
            "name": "between-our-sessions",
            "title": "Between our sessions",
            "from": "Sam, Harbour Massage",
            "starts": None,
            "ends": None,
        }
    ]

    shown = calm(home, "plan", "show", "Between our sessions")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        "Between our sessions · from Sam, Harbour Massage",
        "Practices",
        "  Box breathing · every day · calm start box",
        "Reminders",
        "  Stretch your calves gently before bed. · every day",
        "  A glass of water after each session. · every day",
        "Go gently.",
    ]
    document = json.loads(calm(home, "plan", "show", "between-our-sessions", "--json").stdout)
    assert document["practices"] == [
        {"script": "box", "title": "Box breathing", "when": "every day"}
    ]
    assert [item["text"] for item in document["reminders"]] == [
        "Stretch your calves gently before bed.",
        "A glass of water after each session.",
    ]
    assert document["note"] == "Go gently."

    today = calm(home, "today")
    assert today.returncode == 0, today.stderr
    lines = today.stdout.splitlines()
    assert lines[2:8] == [
        "Your plan from Sam, Harbour Massage: Between our sessions",
        "  · Box breathing (every day) · calm start box",
        "  Reminders",
        "    1. Stretch your calves gently before bed.",
        "    2. A glass of water after each session.",
        "",
    ]
    assert lines[-1] == "Tick a reminder off with: calm today done N"
    items = json.loads(calm(home, "today", "--json").stdout)["items"]
    assert [(item["kind"], item["done"]) for item in items] == [
        ("practice", False),
        ("reminder", False),
        ("reminder", False),
    ]

    ticked = calm(home, "today", "done", "1")
    assert (ticked.returncode, ticked.stdout) == (
        0,
        "Done: Stretch your calves gently before bed.\n",
    )
    again = calm(home, "today", "done", "1")
    assert again.stdout == "Already done today: Stretch your calves gently before bed.\n"
    lines = calm(home, "today").stdout.splitlines()
    assert [line.strip() for line in lines[5:7]] == [
        "✓ Stretch your calves gently before bed.",
        "2. A glass of water after each session.",
    ]
    items = json.loads(calm(home, "today", "--json").stdout)["items"]
    assert [item["done"] for item in items] == [False, True, False]

    removed = calm(home, "plan", "remove", "between-our-sessions")
    assert (removed.returncode, removed.stdout) == (0, "Removed Between our sessions.\n")
    assert calm(home, "plan", "list").stdout == (
        "No plans yet. Import one your therapist gave you: calm plan import FILE\n"
    )
    assert calm(home, "plan", "list", "--json").stdout == "[]\n"


def test_a_plan_with_the_same_title_replaces_the_one_imported(home: Path) -> None:
    write_plan(home)
    assert calm(home, "plan", "import", "sam.toml").returncode == 0
    write_plan(home, PLAN.replace('"box"', '"coherent"'), "newer.toml")
    replaced = calm(home, "plan", "import", "newer.toml")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith("Replaced Between our sessions (between-our-sessions).")
    assert len(calm(home, "plan", "list").stdout.splitlines()) == 1
    shown = calm(home, "plan", "show", "between-our-sessions").stdout
    assert "calm start coherent" in shown
    assert "calm start box" not in shown


def test_a_plan_with_another_title_is_kept_beside_one_whose_slug_it_shares(home: Path) -> None:
    write_plan(home)
    write_plan(home, 'title = "!!!"\n[[practice]]\nscript = "box"\nwhen = "daily"\n', "a.toml")
    write_plan(home, PLAN.replace("Between our sessions", "日本語の計画"), "b.toml")
    assert calm(home, "plan", "import", "a.toml").stdout.startswith("Imported !!! (plan).")
    second = calm(home, "plan", "import", "b.toml")
    assert second.stdout.startswith("Imported 日本語の計画 (plan-2).")
    newer = PLAN.replace("Between our sessions", "日本語の計画").replace("Sam,", "Kim,")
    write_plan(home, newer, "d.toml")
    replaced = calm(home, "plan", "import", "d.toml")
    assert replaced.stdout.startswith("Replaced 日本語の計画 (plan-2).")
    assert calm(home, "plan", "list").stdout.splitlines() == [
        "plan  !!!",
        "plan-2  日本語の計画 · from Kim, Harbour Massage",
    ]
    assert "日本語の計画" in calm(home, "plan", "show", "plan-2").stdout
    today = calm(home, "today").stdout
    assert "Your plan: !!!" in today and "Kim, Harbour Massage: 日本語の計画" in today
    assert calm(home, "today", "done", "1").returncode == 0
    items = json.loads(calm(home, "today", "--json").stdout)["items"]
    assert [(item["plan"], item["done"]) for item in items if item["kind"] == "reminder"] == [
        ("plan-2", True),
        ("plan-2", False),
    ]
    assert calm(home, "plan", "remove", "plan-2").stdout == "Removed 日本語の計画.\n"
    assert calm(home, "plan", "list").stdout == "plan  !!!\n"
    write_plan(home, PLAN.replace("Between our sessions", "Between  OUR sessions"), "e.toml")
    assert calm(home, "plan", "import", "sam.toml").returncode == 0
    assert calm(home, "plan", "import", "e.toml").stdout.startswith(
        "Replaced Between our sessions (between-our-sessions) with Between  OUR sessions."
    )


def test_a_plan_s_dates_are_said_as_they_stand(home: Path) -> None:
    ended = 'title = "Ended"\nends = 2020-01-01\n' + PLAN.split("\n", 1)[1]
    later = 'title = "Later"\nstarts = 2099-01-01\n[[practice]]\nscript = "box"\nwhen = "daily"\n'
    write_plan(home, ended, "ended.toml")
    write_plan(home, later, "later.toml")
    assert calm(home, "plan", "import", "ended.toml").stdout == (
        "Imported Ended (ended). It ended on 1 January 2020, so calm today will not show it.\n"
    )
    assert calm(home, "plan", "import", "later.toml").stdout == (
        "Imported Later (later). It starts on 1 January 2099; calm today will show it from then.\n"
    )
    assert calm(home, "plan", "list").stdout.splitlines() == [
        "ended  Ended · from Sam, Harbour Massage · ended 1 January 2020",
        "later  Later · starts 1 January 2099",
    ]


@pytest.mark.parametrize("command", ["show", "remove"])
def test_an_unknown_plan_is_one_line_with_a_did_you_mean(home: Path, command: str) -> None:
    write_plan(home)
    assert calm(home, "plan", "import", "sam.toml").returncode == 0
    refused = calm(home, "plan", command, "betwen-our-sessions")
    assert refused.returncode == 2
    assert one_line(refused) == (
        'calm: no plan named "betwen-our-sessions"; did you mean "between-our-sessions"?'
    )


def test_a_reminder_number_today_does_not_have_is_one_line(home: Path) -> None:
    write_plan(home)
    assert calm(home, "plan", "import", "sam.toml").returncode == 0
    for number, words in [
        ("0", "from 1 to 1000, got 0"),
        ("99", "today has reminders 1 to 2; see them with calm today"),
        ("x", "must be a whole number, got 'x'"),
    ]:
        refused = calm(home, "today", "done", number)
        assert refused.returncode == 2, number
        assert words in one_line(refused)
    items = json.loads(calm(home, "today", "--json").stdout)["items"]
    assert [item["done"] for item in items] == [False, False, False]


# -- nudges ----------------------------------------------------------------------------


def test_a_nudge_speaks_once_on_a_day_with_nothing_done(home: Path) -> None:
    assert calm(home, "nudge").stdout == ""  # no plan: silence
    write_plan(home)
    assert calm(home, "plan", "import", "sam.toml").returncode == 0
    first = calm(home, "nudge")
    assert (first.returncode, first.stdout, first.stderr) == (
        0,
        "🌿 Box breathing is in your plan today: calm start box\n",
        "",
    )
    second = calm(home, "nudge")
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    status = calm(home, "nudge", "--status")
    assert status.stdout == first.stdout


def test_nudge_setup_prints_what_to_add(home: Path) -> None:
    snippet = calm(home, "nudge", "--setup", "zsh")
    assert snippet.returncode == 0
    assert "add-zsh-hook precmd _calm_nudge" in snippet.stdout
    assert "calm nudge --once-per 3" in snippet.stdout
    assert list(home.iterdir()) == []  # nothing edited, nothing installed
    refused = calm(home, "nudge", "--setup", "nope")
    assert refused.returncode == 2
    assert one_line(refused).startswith('calm: no setup for "nope"; one of bash, zsh, fish')
    assert one_line(calm(home, "nudge", "--setup", "zh")).endswith('did you mean "zsh"?')


def test_nudge_help_is_typers(home: Path) -> None:
    helped = calm(home, "nudge", "--help")
    assert helped.returncode == 0
    for option in ("--once-per", "--notify", "--status", "--setup"):
        assert option in helped.stdout
    refused = calm(home, "nudge", "--notify", "--status")
    assert refused.returncode == 2
    assert "cannot be used together" in one_line(refused)
    # --setup prints a snippet instead: an option for the nudge itself would be ignored.
    refused = calm(home, "nudge", "--setup", "bash", "--once-per", "2")
    assert refused.returncode == 2
    assert "--once-per is for the nudge itself; it does not go with --setup" in one_line(refused)


def test_an_escape_sequence_from_outside_never_reaches_the_terminal_raw(home: Path) -> None:
    write_plan(home, PLAN.replace("Between our sessions", "\\u001b[2J\\u001b]0;owned\\u0007"))
    write_plan(home, PLAN, "\x1b[31mred.toml")
    runs = [
        calm(home, "plan", "validate", "sam.toml"),
        calm(home, "plan", "import", "sam.toml"),
        calm(home, "plan", "validate", "\x1b[31mred.toml"),
        calm(home, "plan", "validate", "\x1b[31mmissing.toml"),
        calm(home, "plan", "show", "\x1b[2J"),
        calm(home, "plan", "new", "\x1b[31mred.toml"),
        calm(home, "nudge", "--setup", "\x1b[31m"),
        calm(home, "today", "done", "\x1b[31m"),
    ]
    assert [run.returncode for run in runs] == [1, 1, 0, 1, 2, 1, 2, 2]
    for run in runs:
        assert "\x1b" not in run.stdout + run.stderr, run.args
        assert "\x07" not in run.stdout + run.stderr, run.args


# -- what calm nudge loads ---------------------------------------------------------------


def modules_after_nudge(home: Path) -> set[str]:
    """Every module loaded by a fresh ``calm nudge`` in ``home``."""
    result = subprocess.run(
        [sys.executable, "-c", MODULES_AFTER_NUDGE],
        cwd=home,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(result.stdout.splitlines()[-1].split())


def heavy_among(modules: set[str]) -> list[str]:
    """The modules ``calm nudge`` must not load, or parts of them, found in ``modules``."""
    return sorted(name for name in modules if name.split(".")[0] in QUICK_NUDGE_AVOIDS)


def test_a_nudge_without_anything_loads_nothing_heavy(home: Path) -> None:
    assert heavy_among(modules_after_nudge(home)) == []


def test_a_nudge_with_a_plan_loads_nothing_heavy(home: Path) -> None:
    write_plan(home)
    import_plan(
        home / "sam.toml",
        home / ".local" / "share" / "calm" / "plans",
        Library.discover(user_dirs=[]),
    )
    modules = modules_after_nudge(home)
    assert "calm.care.nudge" in modules  # the nudge ran, and read the plan
    assert heavy_among(modules) == []


def test_a_nudge_with_the_setting_loads_nothing_heavy(home: Path) -> None:
    config = home / ".config" / "calm" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("nudge = true\n", encoding="utf-8")
    assert heavy_among(modules_after_nudge(home)) == []
