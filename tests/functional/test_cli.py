"""The ``calm`` command line, end to end: typer's CliRunner, and the real ``calm`` process."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import calm
from calm import locations
from calm.cli import app
from calm.core.length_plan import LengthOptions
from calm.core.loader import load_script
from calm.core.problems import ScriptError
from calm.core.script import Phase, Script
from calm.core.template import template_for
from calm.core.timeline import Timeline, compile_timeline
from calm.present.measures import (
    breaths_text,
    length_text,
    pattern_text,
    phase_label,
    rate_text,
    seconds_text,
)
from tests.support.scripts import tiny_script

BUILTIN_NAMES = tuple(sorted(path.stem for path in locations.builtin_scripts_dir().glob("*.toml")))
"""The scripts that ship with calm and that every listing must show."""
LIST_KEYS = {"name", "title", "category", "summary", "seconds", "source"}
SEGMENT_KEYS = {"start", "seconds", "step", "kind", "phase", "text"}
HOLDS = {Phase.HOLD_IN.value, Phase.HOLD_OUT.value}

QUICK = tiny_script(say="Arrive quickly.", inhale_text="In softly", prompt="Open your eyes.")
"""A whole session in half a second, with a say, a breathe and an untimed prompt step."""

NO_BREATHING = """\
title = "Only words"
summary = "Nothing but say steps."
category = "grounding"

[[steps]]
say = "Notice five things you can see."
seconds = 0.2

[[steps]]
say = "Notice four things you can hear."
seconds = 0.2
"""

BROKEN = """\
title = "Broken"
summary = 3
"""
"""A script with several problems: a summary that is not text, no category, no steps."""


# -- helpers -----------------------------------------------------------------


def invoke(*args: str, stdin_text: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``calm ARGS`` in-process; an exception inside calm fails the test with its traceback."""
    return CliRunner().invoke(app, list(args), input=stdin_text, env=env, catch_exceptions=False)


def run_calm(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``calm`` entry point, ``calm.cli.main``, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        cwd=cwd,
        env=env if env is not None else dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def builtin(name: str) -> Script:
    """A built-in script, loaded straight from its file."""
    return load_script(locations.builtin_scripts_dir() / f"{name}.toml")


def timeline_of(script: Script, **options: Any) -> Timeline:
    """The script compiled with the given length options."""
    return compile_timeline(script, LengthOptions(**options))


def problems_of(path: Path) -> list[str]:
    """The problem lines calm reports for a broken file."""
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    return caught.value.lines()


def flat(text: str) -> str:
    """Text with every run of whitespace made one space, so wrapped output can be searched."""
    return " ".join(text.split())


def row_of(table: str, name: str) -> str:
    """The line of ``calm list``'s table that starts with the script ``name``."""
    rows = [line for line in table.splitlines() if line.split()[:1] == [name]]
    assert len(rows) == 1, f"expected one row for {name} in:\n{table}"
    return rows[0]


def list_json(env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The parsed output of ``calm list --json``."""
    result = invoke("list", "--json", env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def write(path: Path, text: str) -> Path:
    """Write a script file, making its folder, and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two user script folders, named in CALM_SCRIPTS_PATH, the first one first."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    monkeypatch.setenv("CALM_SCRIPTS_PATH", os.pathsep.join([str(first), str(second)]))
    return first, second


@pytest.fixture
def quick_file(tmp_path: Path) -> Path:
    """The tiny QUICK script, as a file outside every scripts folder."""
    return write(tmp_path / "loose" / "quick.toml", QUICK)


def default_scripts_dir() -> Path:
    """Where user scripts live when CALM_SCRIPTS_PATH is not set."""
    return Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "scripts"


# -- calm list ---------------------------------------------------------------


def test_list_table_shows_every_builtin_with_its_title_and_length() -> None:
    """`calm list` prints a row for each built-in script with its title, length and source."""
    result = invoke("list")
    assert result.exit_code == 0
    for name in BUILTIN_NAMES:
        script = builtin(name)
        row = row_of(result.stdout, name)
        assert script.title in row
        assert script.category.value in row
        assert length_text(compile_timeline(script)) in row
        assert "built-in" in row


def test_list_json_is_a_list_of_objects_with_exactly_the_documented_keys() -> None:
    """`calm list --json` gives one object per script, with exactly the documented keys."""
    data = list_json()
    shipped = sorted(path.stem for path in locations.builtin_scripts_dir().glob("*.toml"))
    assert sorted(item["name"] for item in data) == shipped
    assert set(BUILTIN_NAMES) <= set(shipped)
    for item in data:
        assert set(item) == LIST_KEYS
        script = builtin(item["name"])
        assert item["title"] == script.title
        assert item["category"] == script.category.value
        assert item["summary"] == script.summary
        assert item["seconds"] == compile_timeline(script).total_seconds
        assert item["source"] == "built-in"


def test_list_category_shows_only_that_category() -> None:
    """`calm list --category breathing` leaves out scripts of other categories."""
    result = invoke("list", "--json", "--category", "breathing")
    assert result.exit_code == 0
    names = {item["name"] for item in json.loads(result.stdout)}
    expected = {name for name in BUILTIN_NAMES if builtin(name).category.value == "breathing"}
    assert names == expected
    assert "body-scan" not in names

    table = invoke("list", "--category", "breathing")
    assert table.exit_code == 0
    assert "box" in table.stdout
    assert "body-scan" not in table.stdout


def test_list_unknown_category_exits_2_with_a_did_you_mean_line() -> None:
    """`calm list --category breath` exits 2 with one line suggesting "breathing"."""
    result = invoke("list", "--category", "breath")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("calm: ")
    assert 'did you mean "breathing"' in lines[0]


def test_list_includes_user_scripts_from_every_folder_with_the_first_folder_winning(
    user_dirs: tuple[Path, Path],
) -> None:
    """Scripts from each CALM_SCRIPTS_PATH folder are listed as "user"; the first folder wins."""
    first, second = user_dirs
    write(first / "quick.toml", QUICK)
    write(second / "quick.toml", QUICK.replace('title = "Quick"', 'title = "Second quick"'))
    write(second / "words.toml", NO_BREATHING)

    by_name = {item["name"]: item for item in list_json()}
    assert by_name["quick"]["title"] == "Quick"
    assert by_name["quick"]["source"] == "user"
    assert by_name["words"]["source"] == "user"
    assert (
        by_name["words"]["seconds"]
        == compile_timeline(load_script(second / "words.toml")).total_seconds
    )
    assert set(BUILTIN_NAMES) <= set(by_name)

    table = invoke("list").stdout
    assert "Quick" in row_of(table, "quick")
    assert "Second quick" not in table


def test_list_user_script_named_box_hides_the_builtin(user_dirs: tuple[Path, Path]) -> None:
    """A user box.toml replaces the built-in box, and the table says it hides the built-in."""
    first, _ = user_dirs
    builtin_text = (locations.builtin_scripts_dir() / "box.toml").read_text(encoding="utf-8")
    write(first / "box.toml", builtin_text.replace('"Box breathing"', '"My own box"'))

    boxes = [item for item in list_json() if item["name"] == "box"]
    assert len(boxes) == 1
    assert boxes[0]["title"] == "My own box"
    assert boxes[0]["source"] == "user"

    row = row_of(invoke("list").stdout, "box")
    assert "My own box" in row
    assert "hides built-in" in row


def test_list_user_script_hiding_another_user_script_does_not_claim_a_builtin(
    user_dirs: tuple[Path, Path],
) -> None:
    """A user script that hides one in a later user folder is not said to hide a built-in."""
    first, second = user_dirs
    write(first / "quick.toml", QUICK)
    write(second / "quick.toml", QUICK)
    row = row_of(invoke("list").stdout, "quick")
    assert "hides built-in" not in row
    assert "hides another" in row


def test_list_marks_a_broken_user_script_invalid_and_still_shows_the_others(
    user_dirs: tuple[Path, Path],
) -> None:
    """A broken user script is marked invalid, its first problem beneath; the rest still show."""
    first, _ = user_dirs
    broken = write(first / "broken.toml", BROKEN)
    write(first / "quick.toml", QUICK)
    first_line = problems_of(broken)[0]

    result = invoke("list", env={"COLUMNS": "300"})  # wide enough for the whole problem
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    row = row_of(result.stdout, "broken")
    assert "invalid" in row
    assert "user" in row
    assert lines[lines.index(row) + 1].strip() == first_line
    assert sum(first_line in line for line in lines) == 1
    for name in (*BUILTIN_NAMES, "quick"):
        assert "invalid" not in row_of(result.stdout, name)


def test_list_json_leaves_a_broken_script_out_and_reports_it_on_stderr(
    user_dirs: tuple[Path, Path],
) -> None:
    """With --json a broken script is not in the JSON, and its one-line error goes to stderr."""
    first, _ = user_dirs
    broken = write(first / "broken.toml", BROKEN)
    write(first / "quick.toml", QUICK)
    assert len(problems_of(broken)) > 1

    result = invoke("list", "--json")
    assert result.exit_code == 0
    names = {item["name"] for item in json.loads(result.stdout)}
    assert "broken" not in names
    assert names >= {*BUILTIN_NAMES, "quick"}
    assert result.stderr.splitlines() == [problems_of(broken)[0]]


# -- calm show ---------------------------------------------------------------


def test_show_box_previews_steps_length_and_breathing_rate() -> None:
    """`calm show box` prints the title, every step, the total length and breaths per minute."""
    script = builtin("box")
    timeline = compile_timeline(script)
    result = invoke("show", "box")
    assert result.exit_code == 0
    text = flat(result.stdout)
    assert script.title in text
    for step in script.steps:
        assert flat(step.text) in text
    assert length_text(timeline) in text
    assert breaths_text(timeline.cycles) in text
    assert rate_text(timeline.breaths_per_minute) in text
    breathe = script.breathe_steps[0]
    assert f"{pattern_text(breathe)} × {breaths_text(timeline.cycles)}" in text


def test_show_json_has_the_documented_shape_and_matches_the_timeline() -> None:
    """`calm show box --json` has the script's facts and one entry per timeline segment."""
    script = builtin("box")
    timeline = compile_timeline(script)
    result = invoke("show", "box", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"name", "title", "category", "seconds", "timeline"} <= set(data)
    # What the text preview shows about the script is in the JSON too.
    assert data["summary"] and data["caution"] and data["sources"]
    assert all(isinstance(source, str) for source in data["sources"])
    assert data["name"] == "box"
    assert data["title"] == script.title
    assert data["category"] == script.category.value
    assert data["seconds"] == timeline.total_seconds
    assert len(data["timeline"]) == len(timeline.segments)
    for entry, segment in zip(data["timeline"], timeline.segments, strict=True):
        assert set(entry) == SEGMENT_KEYS
        assert entry["start"] == segment.start_ms / 1000
        assert entry["seconds"] == segment.ms / 1000
        assert entry["step"] == segment.step_number
        assert entry["kind"] == segment.kind.value
        assert isinstance(entry["text"], str)
    for entry, following in zip(data["timeline"], data["timeline"][1:], strict=False):
        assert following["start"] == pytest.approx(entry["start"] + entry["seconds"])


def test_show_json_phase_is_null_outside_breathe_steps() -> None:
    """Say and prompt entries have phase null; breathe entries name a phase."""
    for name in ("box", "body-scan"):
        data = json.loads(invoke("show", name, "--json").stdout)
        kinds = {entry["kind"] for entry in data["timeline"]}
        assert {"say", "breathe"} <= kinds
        for entry in data["timeline"]:
            if entry["kind"] == "breathe":
                assert entry["phase"] in {phase.value for phase in Phase}
            else:
                assert entry["phase"] is None


def test_show_json_untimed_prompt_has_null_seconds() -> None:
    """body-scan's last step waits for the user, so its seconds is null; the rest are timed."""
    data = json.loads(invoke("show", "body-scan", "--json").stdout)
    *timed, last = data["timeline"]
    assert last["kind"] == "prompt"
    assert last["seconds"] is None
    assert last["step"] == len(builtin("body-scan").steps)
    assert all(isinstance(entry["seconds"], int | float) for entry in timed)


def test_show_cycles_gives_exactly_that_many_breaths() -> None:
    """`calm show box --cycles 3` lays out exactly three breaths."""
    script = builtin("box")
    assert compile_timeline(script).cycles != 3
    data = json.loads(invoke("show", "box", "--json", "--cycles", "3").stdout)
    first_phase = script.breathe_steps[0].pattern[0].phase.value
    assert sum(entry["phase"] == first_phase for entry in data["timeline"]) == 3
    assert data["seconds"] == timeline_of(script, cycles=3).total_seconds

    text = flat(invoke("show", "box", "--cycles", "3").stdout)
    assert breaths_text(3) in text


def test_show_minutes_fits_about_that_long_in_whole_breaths() -> None:
    """`calm show box --minutes 2` is within half a breath of 2 minutes, in whole breaths."""
    script = builtin("box")
    breathe = script.breathe_steps[0]
    breath_seconds = breathe.cycle_ms(0) / 1000
    result = invoke("show", "box", "--json", "--minutes", "2")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["seconds"] == timeline_of(script, minutes=2).total_seconds
    assert data["seconds"] != compile_timeline(script).total_seconds
    assert abs(data["seconds"] - 120) <= breath_seconds / 2
    breathing = [entry for entry in data["timeline"] if entry["kind"] == "breathe"]
    assert len(breathing) % len(breathe.pattern) == 0


def test_show_gentle_leaves_out_every_hold() -> None:
    """`calm show 4-7-8 --gentle` keeps the in and out breaths and drops the holds."""
    normal = json.loads(invoke("show", "4-7-8", "--json").stdout)
    assert HOLDS & {entry["phase"] for entry in normal["timeline"]}

    result = invoke("show", "4-7-8", "--json", "--gentle")
    assert result.exit_code == 0
    phases = {entry["phase"] for entry in json.loads(result.stdout)["timeline"]}
    assert not phases & HOLDS
    assert {"inhale", "exhale"} <= phases

    assert "holds left out" in invoke("show", "4-7-8", "--gentle").stdout


def test_show_cycles_zero_is_a_usage_error() -> None:
    """`calm show box --cycles 0` exits 2."""
    result = invoke("show", "box", "--cycles", "0")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_show_unknown_name_exits_2_and_suggests_close_names() -> None:
    """`calm show bx` exits 2 with one line that suggests box."""
    result = invoke("show", "bx")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert '"bx"' in lines[0]
    assert 'did you mean "box"' in lines[0]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("sigh", "cyclic-sigh"),
        ("5 4 3 2 1", "5-4-3-2-1"),
        ("bodyscan", "body-scan"),
        ("coh", "coherent"),
    ],
)
def test_a_part_of_a_name_or_its_words_spaced_out_find_the_script(typed: str, meant: str) -> None:
    """ "sigh" suggests cyclic-sigh, and "5 4 3 2 1" suggests 5-4-3-2-1."""
    result = invoke("show", typed)
    assert result.exit_code == 2
    assert f'did you mean "{meant}"' in result.stderr


def test_show_nosuch_exits_2_with_one_line_pointing_at_calm_list() -> None:
    """`calm show nosuch` exits 2 with one line naming the script and `calm list`."""
    result = invoke("show", "nosuch")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith('calm: no script named "nosuch"')
    assert "calm list" in lines[0]


def test_unknown_name_without_suggestions_reads_as_two_sentences() -> None:
    """The not-found line puts punctuation between the script name and "Run `calm list`"."""
    line = invoke("show", "nosuch").stderr.strip()
    assert '"nosuch" Run' not in line


def test_show_a_path_to_a_toml_file(quick_file: Path) -> None:
    """`calm show PATH` previews a script file that is in no scripts folder."""
    result = invoke("show", str(quick_file))
    assert result.exit_code == 0
    assert "Quick" in result.stdout
    data = json.loads(invoke("show", str(quick_file), "--json").stdout)
    assert data["name"] == "quick"
    assert data["seconds"] == compile_timeline(load_script(quick_file)).total_seconds


def test_show_broken_file_exits_1_with_its_problems_on_stderr(tmp_path: Path) -> None:
    """`calm show broken.toml` exits 1 and prints every problem, one line each, on stderr."""
    broken = write(tmp_path / "broken.toml", BROKEN)
    result = invoke("show", str(broken))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == problems_of(broken)


def test_show_cycles_on_a_script_without_breathing_exits_2(tmp_path: Path) -> None:
    """--cycles on a script with no breathe steps is a usage error, reported in one line."""
    words = write(tmp_path / "words.toml", NO_BREATHING)
    result = invoke("show", str(words), "--cycles", "3")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("calm: ")
    assert invoke("show", str(words)).exit_code == 0


# -- calm validate -----------------------------------------------------------


def test_validate_valid_file_says_ok(quick_file: Path) -> None:
    """`calm validate good.toml` exits 0 and says the file is ok, with its length."""
    result = invoke("validate", str(quick_file))
    assert result.exit_code == 0
    assert result.stderr == ""
    length = length_text(compile_timeline(load_script(quick_file)))
    assert result.stdout.splitlines() == [f"{quick_file}: ok ({length})"]


def test_validate_invalid_file_prints_one_line_per_problem(tmp_path: Path) -> None:
    """`calm validate bad.toml` exits 1 with each problem on its own stderr line."""
    broken = write(tmp_path / "broken.toml", BROKEN)
    result = invoke("validate", str(broken))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == problems_of(broken)
    assert len(lines) > 1
    assert all(line.startswith(f"{broken}: ") for line in lines)


def test_validate_keeps_each_problem_on_one_line_even_with_newlines_in_the_file(
    tmp_path: Path,
) -> None:
    """A newline inside a bad key or value does not split its problem over two lines."""
    bad = write(
        tmp_path / "newlines.toml",
        'title = "T"\nsummary = "S"\ncategory = "breath\\ning"\n"bad\\nkey" = 1\n'
        '[[steps]]\nsay = "x"\nseconds = 1\n',
    )
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}: ") for line in lines)


def test_validate_several_files_reports_every_problem(tmp_path: Path, quick_file: Path) -> None:
    """With good and bad files mixed, every file is checked, every problem shown, exit 1."""
    broken = write(tmp_path / "broken.toml", BROKEN)
    syntax = write(tmp_path / "syntax.toml", 'title = "Unclosed\n')
    result = invoke("validate", str(broken), str(quick_file), str(syntax))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == problems_of(broken) + problems_of(syntax)
    assert result.stdout.splitlines() == [
        f"{quick_file}: ok ({length_text(compile_timeline(load_script(quick_file)))})"
    ]


def test_validate_folder_checks_every_toml_in_it(tmp_path: Path) -> None:
    """`calm validate FOLDER` checks each .toml file in the folder and nothing else."""
    folder = tmp_path / "mine"
    quick = write(folder / "quick.toml", QUICK)
    words = write(folder / "words.toml", NO_BREATHING)
    broken = write(folder / "broken.toml", BROKEN)
    write(folder / "notes.txt", "not a script")
    result = invoke("validate", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == problems_of(broken)
    ok_lines = result.stdout.splitlines()
    assert [line.split(": ok")[0] for line in ok_lines] == [str(quick), str(words)]


def test_validate_builtin_folder_is_all_ok() -> None:
    """Every built-in script passes `calm validate`."""
    folder = locations.builtin_scripts_dir()
    result = invoke("validate", str(folder))
    assert result.exit_code == 0
    assert result.stderr == ""
    checked = [line.split(": ok")[0] for line in result.stdout.splitlines()]
    assert checked == [str(path) for path in sorted(folder.glob("*.toml"))]


def test_validate_missing_file_exits_1_with_one_line(tmp_path: Path) -> None:
    """`calm validate missing.toml` exits 1 with a single line naming the file."""
    missing = tmp_path / "missing.toml"
    result = invoke("validate", str(missing))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{missing}: ")


# -- calm new ----------------------------------------------------------------


def test_new_writes_a_commented_template_into_the_config_scripts_folder() -> None:
    """Without CALM_SCRIPTS_PATH, `calm new` writes under $XDG_CONFIG_HOME/calm/scripts."""
    target = default_scripts_dir() / "my-evening.toml"
    result = invoke("new", "my-evening")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(target)]
    text = target.read_text(encoding="utf-8")
    assert text == template_for("my-evening", target)
    assert text.startswith("#")
    assert sum(line.startswith("#") for line in text.splitlines()) >= 3


def test_new_writes_into_the_first_scripts_path_folder(user_dirs: tuple[Path, Path]) -> None:
    """With CALM_SCRIPTS_PATH set, `calm new` writes into its first folder."""
    first, second = user_dirs
    result = invoke("new", "my-evening")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(first / "my-evening.toml")]
    assert (first / "my-evening.toml").is_file()
    assert not (second / "my-evening.toml").exists()
    assert not default_scripts_dir().exists()


def test_new_template_passes_validate() -> None:
    """The template `calm new` writes is a valid script."""
    path = invoke("new", "my-evening").stdout.strip()
    result = invoke("validate", path)
    assert result.exit_code == 0, result.stderr
    assert ": ok" in result.stdout


def test_new_never_overwrites_an_existing_script() -> None:
    """A second `calm new` with the same name fails and leaves the file byte for byte as it was."""
    target = Path(invoke("new", "my-evening").stdout.strip())
    edited = target.read_bytes() + b"# my own notes\n"
    target.write_bytes(edited)

    again = invoke("new", "my-evening")
    assert again.exit_code == 1
    assert len(again.stderr.splitlines()) == 1
    assert target.read_bytes() == edited
    assert invoke("new", "my-evening.toml").exit_code == 1
    assert target.read_bytes() == edited


def test_new_from_copies_the_script_text() -> None:
    """`calm new mine --from box` copies box.toml exactly."""
    result = invoke("new", "mine", "--from", "box")
    assert result.exit_code == 0
    copied = Path(result.stdout.strip())
    assert copied == default_scripts_dir() / "mine.toml"
    assert copied.read_bytes() == (locations.builtin_scripts_dir() / "box.toml").read_bytes()


def test_new_from_unknown_script_exits_2_and_writes_nothing() -> None:
    """`calm new mine --from nosuch` exits 2 without writing a file."""
    result = invoke("new", "mine", "--from", "nosuch")
    assert result.exit_code == 2
    assert not (default_scripts_dir() / "mine.toml").exists()


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "my evening", ""])
def test_new_rejects_unusable_names(name: str, tmp_path: Path) -> None:
    """A name that is not a plain file name, such as "../x", exits 2 and writes nothing."""
    result = invoke("new", name)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert not any(Path(os.environ["HOME"]).rglob("*.toml"))
    assert not any(tmp_path.rglob("*.toml"))


def test_new_when_scripts_folder_is_a_file_does_not_claim_the_script_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the scripts folder is really a file, the error does not say the script exists."""
    not_a_folder = write(tmp_path / "scripts", "just a file")
    monkeypatch.setenv("CALM_SCRIPTS_PATH", str(not_a_folder))
    result = invoke("new", "mine")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "already exists" not in lines[0]


def test_new_script_is_listed_as_a_user_script() -> None:
    """A script made by `calm new` shows up in `calm list` with source "user"."""
    assert invoke("new", "my-evening").exit_code == 0
    by_name = {item["name"]: item for item in list_json()}
    assert by_name["my-evening"]["source"] == "user"
    assert by_name["my-evening"]["title"] == "My evening"


# -- calm start --------------------------------------------------------------


def expected_plain_lines(timeline: Timeline) -> list[str]:
    """The step and phase lines a plain session must print, in order."""
    lines = []
    total = len(timeline.spans)
    for segment in timeline.segments:
        span = timeline.spans[segment.step]
        if segment.phase is None:
            lines.append(f"Step {segment.step_number} of {total}")
            continue
        if segment.index == span.first:
            lines.append(f"Step {segment.step_number} of {total}")
        count = f"{(segment.cycle or 0) + 1}/{span.cycles}"
        label = segment.text or phase_label(segment.phase)
        lines.append(f"{count:>7}  {label} · {seconds_text((segment.ms or 0) / 1000)}")
    return lines


def assert_in_order(wanted: list[str], output: str) -> None:
    """Each wanted line begins one of the output lines, in the order given."""
    lines = [line.strip() for line in output.splitlines()]
    position = 0
    for item in wanted:
        while position < len(lines) and not lines[position].startswith(item.strip()):
            position += 1
        assert position < len(lines), f"{item!r} missing or out of order in:\n{output}"
        position += 1


def test_start_plain_prints_every_step_and_phase_and_finishes(quick_file: Path) -> None:
    """`calm start quick.toml --plain` prints each step and phase, in order, on schedule."""
    timeline = compile_timeline(load_script(quick_file))
    began = time.monotonic()
    result = invoke("start", str(quick_file), "--plain")
    elapsed = time.monotonic() - began
    assert result.exit_code == 0, result.stderr
    assert_in_order(expected_plain_lines(timeline), result.stdout)
    for span in timeline.spans:
        assert span.step.text in result.stdout
    (closing,) = [line for line in result.stdout.splitlines() if "end of the session" in line]
    assert breaths_text(timeline.cycles) in closing
    assert timeline.total_seconds - 0.05 <= elapsed < 2.0


@pytest.mark.parametrize("stdin_text", ["", "\n"], ids=["closed-stdin", "enter"])
def test_start_untimed_prompt_continues_on_enter_or_empty_stdin(
    quick_file: Path, stdin_text: str
) -> None:
    """An untimed prompt moves on when Enter is pressed or stdin is empty."""
    result = invoke("start", str(quick_file), "--plain", stdin_text=stdin_text)
    assert result.exit_code == 0
    assert "Open your eyes. (press Enter to continue)" in result.stdout
    assert "That's the end of the session" in result.stdout


def test_start_cycles_changes_the_number_of_breaths(quick_file: Path) -> None:
    """`calm start --cycles 1` breathes exactly one breath."""
    result = invoke("start", str(quick_file), "--plain", "--cycles", "1")
    assert result.exit_code == 0
    assert "1/1" in result.stdout
    assert "2/2" not in result.stdout
    (closing,) = [line for line in result.stdout.splitlines() if "end of the session" in line]
    assert breaths_text(1) in closing


@pytest.mark.slow
def test_start_plain_in_a_real_process(quick_file: Path, tmp_path: Path) -> None:
    """The real `calm start --plain` runs the session with stdin at end of file."""
    timeline = compile_timeline(load_script(quick_file))
    result = run_calm("start", str(quick_file), "--plain", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_in_order(expected_plain_lines(timeline), result.stdout)
    assert "That's the end of the session" in result.stdout


def test_start_unknown_script_exits_2() -> None:
    """`calm start nosuch` exits 2 with one line, without starting anything."""
    result = invoke("start", "nosuch", "--plain")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


def test_start_broken_script_exits_1_with_its_problems(tmp_path: Path) -> None:
    """`calm start broken.toml` exits 1 and prints the file's problems."""
    broken = write(tmp_path / "broken.toml", BROKEN)
    result = invoke("start", str(broken), "--plain")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == problems_of(broken)


# -- the root command --------------------------------------------------------


def test_version_prints_the_package_version() -> None:
    """`calm --version` prints calm.__version__ and exits 0."""
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"calm {calm.__version__}\n"


def test_no_arguments_shows_help() -> None:
    """`calm` on its own, away from a terminal, prints the help, naming every command."""
    result = invoke()
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    for command in ("list", "show", "validate", "new", "start"):
        assert command in result.stdout


# -- the real entry point: calm.cli.main -------------------------------------


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["show", "box", "--cycles", "0"], "--cycles"),
        (["show", "box", "--minutes", "x"], "--minutes"),
        (["show"], "script"),
        (["nosuchcommand"], "nosuchcommand"),
        (["list", "--bogus"], "--bogus"),
        (["list", "--category", "breath"], "breathing"),
        (["show", "bx"], "box"),
        (["new", "../x"], "../x"),
    ],
)
def test_main_turns_usage_errors_into_one_line(
    args: list[str], mentions: str, tmp_path: Path
) -> None:
    """The `calm` program reports a usage error as one `calm: ...` line and exits 2."""
    result = run_calm(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("calm: ")
    assert mentions.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr


def test_main_runs_list_and_exits_0(tmp_path: Path) -> None:
    """The `calm` program lists the scripts and exits 0."""
    result = run_calm("list", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""
    for name in BUILTIN_NAMES:
        assert row_of(result.stdout, name)


def test_main_passes_on_exit_1_for_invalid_files(tmp_path: Path) -> None:
    """The `calm` program exits 1 when `validate` finds problems, with one line each."""
    broken = write(tmp_path / "broken.toml", BROKEN)
    result = run_calm("validate", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == problems_of(broken)


def test_main_version(tmp_path: Path) -> None:
    """`calm --version` as a program prints the version and exits 0."""
    result = run_calm("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"calm {calm.__version__}"


def test_main_without_arguments_prints_help(tmp_path: Path) -> None:
    """`calm` on its own, as a program away from a terminal, prints the help and exits 0."""
    result = run_calm(cwd=tmp_path)
    assert result.returncode == 0
    assert "Usage" in result.stdout
    assert "validate" in result.stdout


def test_main_without_arguments_prints_no_error_line(tmp_path: Path) -> None:
    """`calm` on its own shows the help and no empty `calm:` error line."""
    result = run_calm(cwd=tmp_path)
    assert "Usage" in result.stdout
    assert "calm:" not in result.stderr


@pytest.mark.parametrize("args", [["show", "body-scan", "--json"], ["list"]])
def test_main_ends_quietly_when_the_reader_closes_the_pipe(args: list[str], tmp_path: Path) -> None:
    """Piping calm into a reader that has gone away ends with exit 0 and no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "calm", *args],
            cwd=tmp_path,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 0


def test_start_of_a_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    """`calm start nope.toml` is a usage error: exit 2, one line naming the path."""
    missing = tmp_path / "nope.toml"
    result = invoke("start", str(missing), "--plain")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"calm: no script file at {missing}"]


def test_new_from_a_missing_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    """`calm new x --from nope.toml` says the file is missing, in one line, and writes nothing."""
    result = invoke("new", "x", "--from", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert not (default_scripts_dir() / "x.toml").exists()


def test_new_with_an_empty_scripts_path_uses_the_default_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CALM_SCRIPTS_PATH holding only separators falls back to the default scripts folder."""
    monkeypatch.setenv("CALM_SCRIPTS_PATH", os.pathsep)
    result = invoke("new", "evening")
    assert result.exit_code == 0
    assert (default_scripts_dir() / "evening.toml").is_file()


def test_validate_a_folder_without_scripts_fails(tmp_path: Path) -> None:
    """`calm validate` of an empty folder says there is nothing to check and exits 1."""
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{tmp_path}: no .toml scripts in this folder"]


def test_new_with_a_built_in_name_says_it_takes_its_place() -> None:
    """`calm new box` writes the script and says it now hides the built-in box."""
    result = invoke("new", "box")
    assert result.exit_code == 0
    assert "takes the place of the built-in box" in result.stderr


def test_audio_render_writes_the_cues_into_the_folder_given(tmp_path: Path) -> None:
    """`calm audio render FOLDER` writes the five cues there and names each file."""
    result = invoke("audio", "render", str(tmp_path / "cues"))
    assert result.exit_code == 0, result.stderr
    written = sorted(path.name for path in (tmp_path / "cues").iterdir())
    assert written == ["end.wav", "exhale.wav", "hold.wav", "inhale.wav", "step.wav"]
    assert sorted(Path(line).name for line in result.stdout.splitlines()) == written


def test_audio_render_into_a_file_is_one_line(tmp_path: Path) -> None:
    """A folder that cannot be made gives one line and exit 1, not a traceback."""
    blocker = tmp_path / "taken"
    blocker.write_text("", encoding="utf-8")
    result = invoke("audio", "render", str(blocker / "cues"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"calm: cannot write into {blocker / 'cues'}")
    assert len(result.stderr.splitlines()) == 1


def test_audio_render_onto_a_file_says_it_is_a_file(tmp_path: Path) -> None:
    """Naming a file where a folder belongs says so in one line, exit 2, and keeps the file."""
    taken = tmp_path / "taken.toml"
    taken.write_text("keep me\n", encoding="utf-8")
    result = invoke("audio", "render", str(taken))
    assert result.exit_code == 2
    assert result.stderr == f"calm: {taken} is a file; name a folder to write the cues into\n"
    assert taken.read_text(encoding="utf-8") == "keep me\n"


def test_list_with_an_empty_category_is_refused() -> None:
    """--category '' is not every category: it is one line and exit 2."""
    result = invoke("list", "--category", "")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "expected one of" in result.stderr


@pytest.mark.parametrize("how", ["flag", "config"])
def test_skip_caution_leaves_the_caution_out_of_a_plain_session(quick_file: Path, how: str) -> None:
    """--skip-caution, or skip_caution = true in the config, works in plain mode too."""
    script = quick_file.read_text(encoding="utf-8").replace(
        'category = "reset"\n', 'category = "reset"\ncaution = "Go gently here."\n', 1
    )
    quick_file.write_text(script, encoding="utf-8")
    shown = invoke("start", str(quick_file), "--plain")
    assert "Caution: Go gently here." in shown.stdout
    if how == "flag":
        skipped = invoke("start", str(quick_file), "--plain", "--skip-caution")
    else:
        config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
        write(config, "skip_caution = true\n")
        skipped = invoke("start", str(quick_file), "--plain")
    assert skipped.exit_code == 0, skipped.stderr
    assert "Go gently here." not in skipped.stdout
    assert "That's the end of the session" in skipped.stdout


def test_a_gentle_plain_session_says_the_holds_are_already_out(tmp_path: Path) -> None:
    """A caution that asks for --gentle: with --gentle given, the next line says it is done."""
    held = write(
        tmp_path / "held.toml",
        'title = "Held"\nsummary = "Holds."\ncategory = "breathing"\n'
        'caution = "This holds the breath; use --gentle if you should not."\n'
        '[[steps]]\nbreathe = "In and out."\npattern = "0.2-0.2-0.2"\ncycles = 1\n',
    )
    shown = invoke("start", str(held), "--plain", "--gentle")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    caution = next(i for i, line in enumerate(lines) if line.startswith("Caution: "))
    assert lines[caution + 1].strip() == "You chose --gentle: the holds are left out."
    plain = invoke("start", str(held), "--plain")
    assert "You chose --gentle" not in plain.stdout


def test_an_unknown_ambient_bed_is_one_readable_line(quick_file: Path) -> None:
    """--ambient pnik is a usage error with the hint in brackets; in the config it is one
    line worded by the config's rule, and the session runs without a bed."""
    flagged = invoke("start", str(quick_file), "--plain", "--ambient", "pnik")
    assert flagged.exit_code == 2
    assert flagged.stderr.strip() == (
        'calm: no ambient bed "pnik" (did you mean "pink"?); expected one of pink, brown, ocean'
    )
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
    write(config, 'ambient = "pnik"\n')
    configured = invoke("start", str(quick_file), "--plain", "--no-audio")
    assert configured.exit_code == 0
    (line,) = configured.stderr.splitlines()
    assert line.endswith('ambient: "pnik" is not a sound bed calm has; using the default, '
                         'none. Did you mean "pink"?')  # fmt: skip


def test_a_script_with_no_breathing_does_not_count_breaths(tmp_path: Path) -> None:
    """A grounding script's closing line gives its time only: "0 breaths" would say nothing."""
    grounding = write(
        tmp_path / "ground.toml",
        'title = "Ground"\nsummary = "Feet."\ncategory = "grounding"\n'
        '[[steps]]\nsay = "Feel your feet."\nseconds = 0.3\n',
    )
    shown = invoke("start", str(grounding), "--plain")
    assert shown.exit_code == 0, shown.stderr
    (closing,) = [line for line in shown.stdout.splitlines() if "end of the session" in line]
    assert "breath" not in closing


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--minutes", "abc"], "calm: --minutes must be a number, got 'abc'"),
        (["--minutes", "0"], "calm: --minutes must be from 0.1 to 180, got 0"),
        (["--minutes", "inf"], "calm: --minutes must be from 0.1 to 180, got inf"),
        (["--cycles", "1.5"], "calm: --cycles must be a whole number, got '1.5'"),
        (["--volume", "150"], "calm: --volume must be from 0 to 100, got 150"),
    ],
)
def test_a_bad_number_is_said_plainly(args: list[str], said: str) -> None:
    """A bad number is one plain line, exit 2, not click's "is not a valid float range"."""
    result = run_calm("start", "box", "--plain", *args, cwd=Path.cwd())
    assert result.returncode == 2
    assert result.stderr.startswith(f"{said} (see `")
    assert result.stderr.endswith("start --help`)\n")
    assert len(result.stderr.splitlines()) == 1


def test_validate_checks_every_file_and_says_one_line_for_each_problem(
    tmp_path: Path, quick_file: Path
) -> None:
    """`calm validate ok.toml missing.toml bad.toml folder/`: all are checked, each problem is
    one line, and the exit is 1, not click's 2 at the first file it dislikes."""
    bad = write(tmp_path / "bad.toml", BROKEN)
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing.toml"
    result = invoke("validate", str(quick_file), str(missing), str(bad), str(empty))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{quick_file}: ok (0.5 s + self-paced)"]
    errors = result.stderr.splitlines()
    assert errors[0] == f"{missing}: no such file"
    assert errors[-1] == f"{empty}: no .toml scripts in this folder"
    assert all(line.startswith(f"{bad}: ") for line in errors[1:-1])
    assert len(errors) >= 4


def without_the_power_to_read_anything(args: list[str]) -> list[str] | None:
    """``args`` run so that file permissions apply, even for root: as they are for anyone
    else, and for root through setpriv without its read-anything capabilities; None if not."""
    if os.name == "nt":
        return None
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    dropped = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={dropped}", f"--inh-caps={dropped}", *args]


def test_validate_an_unreadable_file_is_one_line_and_the_rest_are_checked(
    tmp_path: Path, quick_file: Path
) -> None:
    """A file calm may not read is a problem line like any other (typer's own check of a path
    argument once stopped there with exit 2), and so is a folder it may not look into."""
    locked = write(tmp_path / "locked.toml", QUICK)
    shut = tmp_path / "shut"
    write(shut / "inside.toml", QUICK)
    checked = [quick_file, locked, shut / "inside.toml", shut, quick_file]
    command = without_the_power_to_read_anything(
        [sys.executable, "-m", "calm", "validate", *map(str, checked)]
    )
    if command is None:
        pytest.skip("no way to run without the power to read any file")
    locked.chmod(0)
    shut.chmod(0)
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path
        )
    finally:
        locked.chmod(0o644)
        shut.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{locked}: cannot be read: permission denied",
        f"{shut / 'inside.toml'}: cannot be read: permission denied",
        f"{shut}: cannot be read: permission denied",
    ]
    assert len(result.stdout.splitlines()) == 2


def test_validate_takes_script_names_as_show_and_start_do(tmp_path: Path) -> None:
    """`calm validate box` and `calm validate box.toml` (as the README's walk-through types it,
    outside the scripts folder) check the script of that name."""
    for typed in ("box", "box.toml"):
        result = run_calm("validate", typed, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("box.toml (built-in): ok (")


def test_validate_a_name_it_cannot_find_suggests_one(tmp_path: Path) -> None:
    """A name that is neither a file nor a script is one line with a did-you-mean."""
    result = run_calm("validate", "bxo", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == 'bxo: no such file or script; did you mean "box"?\n'


@pytest.mark.parametrize("name", ["abc\n", "abc\r", "\nabc", "ab\x1bc", "abc\u202e"])
def test_new_refuses_a_name_with_a_line_break_or_control_anywhere(name: str) -> None:
    """`calm new $'abc\\n'` once made a file whose name ended in a line break: the whole name
    must match, and the one line shows what was typed, escaped."""
    result = invoke("new", name)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith('calm: "')
    assert name.strip() not in ("", line)
    assert not any(Path(os.environ["HOME"]).rglob("*.toml"))


# -- calm start --demo, --no-check-in -------------------------------------------


CAUTIOUS = QUICK.replace(
    'category = "reset"', 'category = "reset"\ncaution = "Stop if you feel dizzy."'
).replace('prompt = "Open your eyes."', 'say = "Open your eyes."\nseconds = 0.1')
"""QUICK with a caution, and no prompt to wait at, so a session on a terminal ends alone."""


def recorded() -> int:
    """How many sessions the history holds."""
    listed = invoke("history", "--json")
    assert listed.exit_code == 0, listed.stderr
    return len(json.loads(listed.stdout))


def on_a_terminal(*args: str, tmp_path: Path, keys: bytes = b"") -> str:
    """Run calm with a pseudo-terminal as its stdin and stdout, as a person would, typing
    ``keys`` once it asks a question, until it leaves; what the terminal showed."""
    import pty

    typist, calm_side = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", *args],
        cwd=tmp_path,
        stdin=calm_side,
        stdout=calm_side,
        stderr=subprocess.PIPE,
    )
    os.close(calm_side)
    shown = b""
    next_key = 0.0
    deadline = time.monotonic() + 60
    try:
        while process.poll() is None and time.monotonic() < deadline:
            try:
                ready, _, _ = select.select([typist], [], [], 0.1)
                if ready:
                    shown += os.read(typist, 4096)
            except OSError:
                break  # the terminal closed as calm left
            if keys and b"skips." in shown and time.monotonic() > next_key:
                # Typed again until calm leaves: a key that comes before the question is
                # ready for it is thrown away, as a person's early key would be.
                os.write(typist, keys)
                next_key = time.monotonic() + 0.3
        process.wait(timeout=10)
    finally:
        os.close(typist)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    return shown.decode("utf-8", "replace")


def test_demo_leaves_out_the_caution_the_history_and_the_check_in(tmp_path: Path) -> None:
    """`calm start --demo`, with a config asking for a check-in and a history: no caution,
    no question, no record and no word about the week."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
    write(config, "check_in = true\nhistory = true\n")
    script = write(tmp_path / "cautious.toml", CAUTIOUS)
    shown = on_a_terminal(
        "start", str(script), "--plain", "--no-audio", "--demo", tmp_path=tmp_path
    )
    assert "That's the end of the session" in shown
    assert "dizzy" not in shown
    assert "tense" not in shown
    assert "this week" not in shown
    assert recorded() == 0


def test_a_demo_table_in_the_config_changes_what_demo_means(tmp_path: Path) -> None:
    """[demo] skip_caution = false: a therapist who wants the caution shown gets it."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
    write(config, "[demo]\nskip_caution = false\n")
    script = write(tmp_path / "cautious.toml", CAUTIOUS)
    result = invoke("start", str(script), "--plain", "--no-audio", "--demo")
    assert result.exit_code == 0, result.stderr
    assert "Caution: Stop if you feel dizzy." in result.stdout
    assert recorded() == 0


def test_without_demo_the_same_session_is_recorded_with_its_caution(tmp_path: Path) -> None:
    """The counterpart: no --demo, and the caution is shown and the session recorded."""
    script = write(tmp_path / "cautious.toml", CAUTIOUS)
    result = invoke("start", str(script), "--plain", "--no-audio")
    assert result.exit_code == 0, result.stderr
    assert "Caution: Stop if you feel dizzy." in result.stdout
    assert recorded() == 1


def test_no_check_in_overrides_the_config_for_one_run(tmp_path: Path) -> None:
    """check_in = true in the config asks on a terminal; --no-check-in does not, this once."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "calm" / "config.toml"
    write(config, "check_in = true\n")
    script = write(tmp_path / "cautious.toml", CAUTIOUS)
    # q at the question leaves, and nothing starts.
    asked = on_a_terminal(
        "start", str(script), "--plain", "--no-audio", tmp_path=tmp_path, keys=b"q"
    )
    assert "how tense do you feel" in asked
    assert "Nothing was started." in asked
    quiet = on_a_terminal(
        "start", str(script), "--plain", "--no-audio", "--no-check-in", tmp_path=tmp_path
    )
    assert "tense" not in quiet
    assert "That's the end of the session" in quiet


def test_demo_goes_only_with_calm_alone_or_start() -> None:
    """`calm --demo list` is a usage error naming where --demo goes."""
    result = invoke("--demo", "list")
    assert result.exit_code == 2
    assert "calm start --demo" in result.stderr


@pytest.mark.slow
def test_audio_test_with_only_the_bell_names_only_what_the_bell_plays(tmp_path: Path) -> None:
    """With no player but the terminal bell, calm audio test rings for the step and the end
    and says the breaths are silent, instead of naming inhale, exhale and hold it can't play."""
    import pty

    # No simpleaudio and no system player on PATH: only the terminal bell is left.
    starter = (
        "import sys; sys.modules['simpleaudio'] = None; sys.argv = ['calm', 'audio', 'test'];"
        "from calm.cli import main; main()"
    )
    typist, calm_side = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", starter],
        cwd=tmp_path,
        env={**os.environ, "PATH": str(tmp_path)},
        stdin=calm_side,
        stdout=calm_side,
        stderr=subprocess.PIPE,
    )
    os.close(calm_side)
    shown = b""
    try:
        while True:
            try:
                chunk = os.read(typist, 4096)
            except OSError:
                break  # the terminal closed as calm left
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(typist)
    text = shown.decode("utf-8").replace("\r\n", "\n")
    assert "Playing through: terminal bell" in text
    assert "it rings for step and end, and inhale, exhale and hold are silent" in text
    rung = text.replace("\a", "")  # each ring is a bell character before the next line
    named = [line.strip() for line in rung.splitlines() if line.startswith("  ")]
    assert named == ["step", "end"]
    assert text.count("\a") == 2


@pytest.mark.parametrize("typed", ["x\n", "1\nx", "\x1b[31m2"])
def test_a_bad_number_with_a_line_break_or_escape_is_still_one_plain_line(
    typed: str, tmp_path: Path
) -> None:
    """The plain wording matches the whole message, line breaks and all, and the line
    shows what was typed safely."""
    result = run_calm("start", "box", "--plain", "--minutes", typed, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("calm: --minutes must be a number, got ")
    assert "\x1b" not in line


def test_a_scripts_folder_calm_cannot_read_is_one_line_and_the_rest_still_list(
    tmp_path: Path,
) -> None:
    """A CALM_SCRIPTS_PATH entry that is a file, or an unknown user's folder, is one line
    each, said once per command, and the built-ins still list and start."""
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    env = dict(os.environ, CALM_SCRIPTS_PATH=f"~nosuchuser-calm/x{os.pathsep}{not_a_folder}")
    listed = run_calm("list", cwd=tmp_path, env=env)
    assert listed.returncode == 0
    assert "box" in listed.stdout
    lines = listed.stderr.splitlines()
    assert len(lines) == 2, lines
    assert 'no user "nosuchuser-calm"' in lines[0]
    assert f"{not_a_folder}: is a file, not a folder" in lines[1]
    shown = run_calm("new", "mine", "--from", "box", cwd=tmp_path, env=env)
    folder_lines = [line for line in shown.stderr.splitlines() if "left out" in line]
    assert len(folder_lines) == 2, shown.stderr
