"""The tables of `calm history`, `calm stats` and `calm list` at 40, 80 and 120 columns:
headers present, the values that matter whole, and no line wider than the terminal.
A huge title or note costs no more than a short one."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from rich.console import Console

import calm.present.table
from calm.cli.stats_view import stats_renderable
from calm.core.library import Library
from calm.practice.export import NOTE_LINES, table_lines
from calm.practice.history_figures import DayTotal, MoodTotal, ScriptTotal
from calm.practice.history_rows import SessionRecord
from calm.practice.stats import compute
from calm.present.catalogue import catalogue_lines, collect
from calm.present.table import CELL_LIMIT, cell_width, shortened

WIDTHS = (40, 80, 120)
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOTE = "shoulders dropped, jaw loosened, breath slowed right down"
TITLES = ("Coherent breathing", "Box breathing", "Progressive muscle relaxation")


def session(number: int, title: str, **changes: object) -> SessionRecord:
    """A completed session with check-ins, ``number`` days after the first."""
    fields: dict[str, object] = {
        "id": number, "script": "s", "title": title,
        "started_at": START + timedelta(days=number), "ended_at": None,
        "planned_seconds": 300.0, "practised_seconds": 333.0, "status": "ended_early",
        "breaths": 30, "mood_before": 4, "mood_after": 2, "note": None,
    }  # fmt: skip
    fields.update(changes)
    return SessionRecord(**fields)  # type: ignore[arg-type]


SESSIONS = [
    session(1, TITLES[0], note=NOTE),
    session(2, TITLES[1]),
    session(3, TITLES[2], note=NOTE),
]


def flat(lines: list[str]) -> str:
    """The lines as one string with every run of whitespace made one space."""
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("width", WIDTHS)
def test_the_history_table_fits_and_keeps_what_matters_whole(width: int) -> None:
    """At any width: no line wider, and each session's title, time, breaths, ending and
    tension whole; at 80 and 120 every header; the notes whole where a line can hold one."""
    lines = table_lines(SESSIONS, width=width, this_year=2026)
    assert max(cell_width(line) for line in lines) <= width, lines
    text = flat(lines)
    assert "…" not in text  # a title wraps rather than lose a word
    for title in TITLES:
        assert all(word in text.split() for word in title.split()), (width, lines)
    assert text.count("5 min 33 s") == len(SESSIONS)
    assert text.count("ended early") == len(SESSIONS)
    assert text.count("4 → 2") == len(SESSIONS)
    assert len(re.findall(r"\b30\b", text)) == len(SESSIONS)
    if width >= 80:
        for header in ("when", "script", "practised", "breaths", "how it ended", "tension"):
            assert header in lines[0]
        assert text.count(NOTE) == 2
    assert all("Tue 24 Nov 09:00" in line for line in lines if "Coherent breathing" in line)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_session_never_wraps_in_the_terminal(width: int) -> None:
    """The lines are cut to the terminal by calm itself, even for the widest of titles and
    notes, so the terminal never wraps one and scrambles the table."""
    wide = [session(1, "漢字のタイトル" * 20, note="☕ " * 200), session(2, "x" * 500)]
    lines = table_lines(wide, width=width, this_year=2026)
    assert max(cell_width(line) for line in lines) <= width


def stats_lines(width: int, favourites: list[ScriptTotal]) -> list[str]:
    """`calm stats` as printed at ``width`` columns, without colour."""
    figures = compute(
        [DayTotal(date(2026, 11, 27), 3, 3600 * 1234.5)], favourites, MoodTotal(0, None, None),
        date(2026, 11, 27),
    )  # fmt: skip
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(stats_renderable(figures))
    return [line.rstrip() for line in console.export_text().splitlines()]


FAVOURITES = [
    ScriptTotal("pmr", "Progressive muscle relaxation", 1234, 3600 * 123 + 60 * 7),
    ScriptTotal("box", "Box breathing", 5, 333),
]


@pytest.mark.parametrize("width", WIDTHS)
def test_stats_keep_their_headers_and_figures_whole(width: int) -> None:
    """The favourites' Time header and every figure stay whole at any width: the title
    gives way, never a number."""
    lines = stats_lines(width, FAVOURITES)
    assert max(cell_width(line) for line in lines) <= width
    text = "\n".join(lines)
    assert "Most practised" in text
    for figure in ("1234", "123 h 7 min", "5 min 33 s", "1234 h 30 min"):
        assert figure in text, (width, text)
    if width >= 80:
        assert any(line.split() == ["Most", "practised", "Sessions", "Time"] for line in lines)
        assert "Progressive muscle relaxation" in text


def test_stats_too_narrow_for_the_table_give_each_script_its_lines() -> None:
    """A terminal too narrow for the table still shows every figure, beneath its title."""
    lines = stats_lines(28, [ScriptTotal("x", "A title " * 10, 1234, 3600 * 123)])
    assert max(cell_width(line) for line in lines) <= 28
    assert "  1234 sessions · 123 h" in lines


@pytest.mark.parametrize("width", WIDTHS)
def test_the_list_fits_and_keeps_names_and_lengths_whole(width: int) -> None:
    """`calm list`: every name and length whole at any width, no line wider; at 80 and 120
    every header, and the titles given the room: "Coherent breathing" is never cut."""
    rows = collect(Library.discover())
    lines = catalogue_lines(rows, width=width)
    assert max(cell_width(line) for line in lines) <= width, lines
    text = flat(lines)
    assert "…" not in text  # a title wraps rather than lose a word
    for row in rows:
        assert row.entry.name in text.split()
        assert all(word in text.split() for word in row.length.split()), (width, row.length)
    assert "Coherent breathing" in text
    if width >= 80:
        assert lines[0].split() == ["name", "title", "category", "length", "source"]
    if width >= 120:
        assert all(row.script is None or row.script.title in text for row in rows)
        assert all(row.length in text for row in rows)


def test_a_huge_title_or_note_is_cut_before_it_is_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ten megabytes of title and note: only what a line could show is ever made safe and
    measured, in a terminal or a pipe, so listing them takes no longer than a short one."""
    seen: list[int] = []
    real = calm.present.table.one_line

    def counting(text: str) -> str:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(calm.present.table, "one_line", counting)
    huge = [session(1, "t" * 10_000_000, note="n\u0301" * 5_000_000, status="x" * 10_000_000)]
    for width in (80, 2**62):
        seen.clear()
        lines = table_lines(huge, width=width, this_year=2026)
        assert max(cell_width(line) for line in lines) <= min(width, 3 * CELL_LIMIT + 100)
        # A note may show on three lines: at most that, twice over, is looked at.
        assert seen and max(seen) <= 2 * min(NOTE_LINES * width, CELL_LIMIT) + 16
    seen.clear()
    stats_lines(80, [ScriptTotal("t", "t" * 10_000_000, 1, 60)])
    assert seen and max(seen) <= 2 * 80 + 16


def test_shortened_ends_in_an_ellipsis_only_when_it_cut() -> None:
    """A short text is kept whole and made safe; a long one is cut and says so."""
    assert shortened("Box\x1b[2J", 80) == "Box?[2J"
    assert shortened("a\nb", 80) == "a / b"
    assert shortened("x" * 1000, 10) == "x" * 9 + "…"
    assert shortened("x" * 20_000, 2**62) == "x" * (CELL_LIMIT - 1) + "…"


@pytest.mark.parametrize("width", [1, 2, 5, 12, 40])
def test_a_wrapped_cell_keeps_its_words_and_marks_what_it_leaves_out(width: int) -> None:
    """Wrapped, a cell's lines fit the column, hold its words in order, and end in one
    ellipsis when there was more than the lines could hold."""
    text = "Resonance breathing, six a minute, " * 3 + "漢字のタイトル" * 3
    lines = calm.present.table.wrapped(text, width)
    assert 1 <= len(lines) <= calm.present.table.WRAPPED_LINES
    assert all(cell_width(line) <= width for line in lines)
    assert lines[-1].endswith("…") and not lines[-1].endswith("……")
    assert "".join(lines).replace("…", "").replace(" ", "") in text.replace(" ", "")
    assert calm.present.table.wrapped("Box breathing", width + 20) == ["Box breathing"]
