"""Each number calm shows keeps one format, in calm list, calm show, the summary and the stats.

A length reads "4 min", "1 min 32 s" or "0.5 s", never "4s" or "92 s" in one place and
another way elsewhere; a breathing rate has at most one decimal place ("5.5 breaths/min",
"6 breaths/min"), never "5.96" beside "6"; and the same quantity reads the same in every
command that shows it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from calm import locations
from calm.cli import app
from calm.present.measures import duration_text, rate_text, seconds_text
from tests.support.scripts import tiny_script

BUILTINS = sorted(path.stem for path in locations.builtin_scripts_dir().glob("*.toml"))

DURATION = re.compile(r"^(?:\d+ h(?: [1-9]\d? min)?|[1-9]\d? min(?: [1-9]\d? s)?|\d+(?:\.\d)? s)$")
"""How a length reads: "1 h 5 min", "4 min 30 s", "45 s", "4.5 s"."""

GLUED = re.compile(r"\d(?:s|min|h)\b")
"""A number glued to its unit, such as "4s": calm always puts a space between."""

RATE = re.compile(r"([\d.]+) breaths/min")

QUICK = tiny_script(say_seconds=1.5, breathe="Two breaths.", inhale=0.6, exhale=0.6)


def calm(*args: str) -> str:
    """What ``calm ARGS`` prints, stdout and stderr, asserting it succeeded."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@given(st.floats(min_value=0, max_value=100_000, allow_nan=False))
def test_a_duration_has_one_grammar(seconds: float) -> None:
    """duration_text always reads one of the forms calm uses, with a space before the unit."""
    assert DURATION.match(duration_text(seconds)), duration_text(seconds)


@given(st.floats(min_value=0.1, max_value=60, allow_nan=False))
def test_a_breathing_rate_has_at_most_one_decimal(rate: float) -> None:
    """5.96 reads "6", 5.45 "5.5": one decimal place at most, and no trailing ".0"."""
    (number,) = RATE.findall(rate_text(rate))
    assert re.fullmatch(r"\d+(?:\.\d)?", number)
    assert not number.endswith(".0")
    assert abs(float(number) - rate) <= 0.05 + 1e-9


def test_a_phase_length_is_spaced_like_every_other_length() -> None:
    """ "4 s", never "4s"."""
    assert seconds_text(4) == "4 s"
    assert seconds_text(5.5) == "5.5 s"


@pytest.mark.parametrize("name", BUILTINS)
def test_list_and_show_give_a_script_the_same_length(name: str) -> None:
    """A script's planned length reads the same in calm list and calm show."""
    listed = next(line for line in calm("list").splitlines() if line.split()[:1] == [name])
    shown = calm("show", name)
    length_line = next(line for line in shown.splitlines() if line.startswith("Length"))
    length = length_line.removeprefix("Length").strip().split(" · ")[0]
    assert f"  {length}  " in f"{listed}  "
    for text in (listed, shown):
        assert not GLUED.search(text), text
        for rate in RATE.findall(text):
            assert re.fullmatch(r"\d+(?:\.\d)?", rate), rate


@pytest.mark.slow
def test_a_session_reads_the_same_in_the_summary_the_history_and_the_stats(
    tmp_path: Path,
) -> None:
    """The time practised reads the same in the closing line, calm history and calm stats;
    and the week's time the same in the week sentence and the stats."""
    script = tmp_path / "quick.toml"
    script.write_text(QUICK, encoding="utf-8")
    closing = calm("start", str(script), "--plain", "--no-audio")
    done = re.search(r"That's the end of the session: ([^,]+), 2 breaths\.", closing)
    assert done is not None, closing
    practised = done.group(1)
    assert DURATION.match(practised)
    history = calm("history")
    assert f"  {practised}  " in history
    stats = calm("stats")
    assert re.search(rf"Total time\s+{re.escape(practised)}\b", stats), stats
    assert re.search(rf"This week\s+{re.escape(practised)}\b", stats), stats
    week = re.search(r"That's (.+) of practice this week\.", calm("start", str(script), "--plain"))
    assert week is not None
    twice = re.search(r"This week\s+(.+?)\s*$", calm("stats"), re.MULTILINE)
    assert twice is not None
    assert week.group(1) == twice.group(1)
    for text in (closing, history, stats):
        assert not GLUED.search(text), text
