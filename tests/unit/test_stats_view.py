"""What `calm stats` prints: the heat map in colour and monochrome, totals, mood, empty history."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from rich.console import Console, RenderableType
from syrupy.assertion import SnapshotAssertion

from calm.cli.stats_view import (
    CELL_WIDTH,
    GRACE_NOTE,
    LABEL_WIDTH,
    LEVEL_GLYPHS,
    heat_map,
    level,
    mood_sentence,
    stats_renderable,
)
from calm.practice.history_figures import DayTotal, MoodTotal, ScriptTotal
from calm.practice.stats import HEAT_MAP_WEEKS, PracticeStats, compute

TODAY = date(2026, 11, 4)
"""A Wednesday, so this week's Thursday to Sunday are still to come; 1 November was a Sunday."""

FIRST_MONDAY = date(2026, 8, 17)
"""The heat map's first day for ``TODAY``: the Monday eleven weeks before this week's."""

NO_MOOD = MoodTotal(sessions=0, before=None, after=None)


def pattern() -> list[DayTotal]:
    """A fixed history: every level on the days either side of 1 November, and a sparse past."""
    minutes = {
        date(2026, 10, 26): 3,  # level 1
        date(2026, 10, 27): 7,  # level 2
        date(2026, 10, 28): 15,  # level 3
        date(2026, 10, 29): 25,  # level 4
        date(2026, 10, 31): 5,  # level 2: exactly 5 minutes is no longer "under 5"
        date(2026, 11, 1): 20,  # level 4
        date(2026, 11, 2): 0,  # an interrupted session: level 0
        date(2026, 11, 3): 12,
        date(2026, 11, 4): 4,
        date(2026, 9, 30): 10,
        date(2026, 10, 1): 9.5,
        date(2026, 8, 17): 1,  # the map's first cell
        date(2026, 8, 16): 30,  # the day before it: outside the map
        date(2026, 11, 6): 8,  # after today (a clock set wrong): never drawn
    }
    return [DayTotal(day, 1, 60.0 * count) for day, count in sorted(minutes.items())]


def fixed_stats(mood: MoodTotal = NO_MOOD) -> PracticeStats:
    """The figures for the fixed history, as of ``TODAY``."""
    scripts = [
        ScriptTotal("box", "Box breathing", 8, 4830.0),
        ScriptTotal("478", "4-7-8 before sleep", 4, 960.0),
        ScriptTotal("scan", "Body scan", 2, 1260.0),
        ScriptTotal("coherent", "Coherent breathing", 1, 300.0),
    ]
    return compute(pattern(), scripts, mood, TODAY)


def render(renderable: RenderableType, *, colour: bool) -> str:
    """The text a terminal 80 columns wide shows, with its styles as ANSI codes when in colour."""
    console = Console(
        record=True,
        width=80,
        color_system="truecolor" if colour else None,
        force_terminal=True,
        legacy_windows=False,
    )
    console.print(renderable)
    return console.export_text(styles=colour)


def grid(text: str) -> list[str]:
    """The monochrome heat map's rows, Monday to Sunday, without the month line and legend."""
    return text.splitlines()[1:8]


def cell(rows: list[str], when: date) -> str:
    """The glyph drawn for ``when``, or a space when its cell is blank."""
    week, weekday = divmod((when - FIRST_MONDAY).days, 7)
    row = rows[weekday].ljust(LABEL_WIDTH + HEAT_MAP_WEEKS * CELL_WIDTH)
    return row[LABEL_WIDTH + week * CELL_WIDTH]


# Snapshots


def test_heat_map_in_colour(snapshot: SnapshotAssertion) -> None:
    """The heat map with its teal ramp matches the reviewed snapshot."""
    assert render(heat_map(fixed_stats()), colour=True) == snapshot


def test_heat_map_in_monochrome(snapshot: SnapshotAssertion) -> None:
    """Without colour, each level still has its own glyph; matches the reviewed snapshot."""
    assert render(heat_map(fixed_stats()), colour=False) == snapshot


def test_whole_stats_in_monochrome(snapshot: SnapshotAssertion) -> None:
    """All of `calm stats` with a mood line matches the reviewed snapshot."""
    stats = fixed_stats(MoodTotal(sessions=14, before=3.4, after=2.2))
    assert render(stats_renderable(stats), colour=False) == snapshot


# The heat map's layout, checked cell by cell


def test_heat_map_cells_show_each_days_level() -> None:
    """Known days carry the glyph of their level; the map opens on its first Monday."""
    rows = grid(render(heat_map(fixed_stats()), colour=False))
    expected = {
        date(2026, 8, 17): "░",
        date(2026, 8, 18): "·",
        date(2026, 9, 30): "▓",
        date(2026, 10, 1): "▒",
        date(2026, 10, 26): "░",
        date(2026, 10, 27): "▒",
        date(2026, 10, 28): "▓",
        date(2026, 10, 29): "█",
        date(2026, 10, 30): "·",
        date(2026, 10, 31): "▒",
        date(2026, 11, 1): "█",
        date(2026, 11, 2): "·",
        date(2026, 11, 3): "▓",
        date(2026, 11, 4): "░",
    }
    assert {when: cell(rows, when) for when in expected} == expected


def test_heat_map_has_twelve_weeks_with_today_on_the_right() -> None:
    """Twelve week columns; today's is the last; days after today are blank."""
    rows = grid(render(heat_map(fixed_stats()), colour=False))
    assert [row[:LABEL_WIDTH].strip() for row in rows] == ["Mon", "", "Wed", "", "Fri", "", "Sun"]
    monday_cells = rows[0][LABEL_WIDTH:].split(" ")
    assert len(monday_cells) == HEAT_MAP_WEEKS
    assert all(glyph in LEVEL_GLYPHS for glyph in monday_cells)
    for later in range(1, 5):
        assert cell(rows, TODAY + timedelta(days=later)) == " "
    assert cell(rows, TODAY) != " "
    # Wednesday's row reaches the last column; Thursday's stops a column short.
    assert len(rows[2].rstrip()) == LABEL_WIDTH + (HEAT_MAP_WEEKS - 1) * CELL_WIDTH + 1
    assert len(rows[3].rstrip()) == LABEL_WIDTH + (HEAT_MAP_WEEKS - 2) * CELL_WIDTH + 1


def test_month_names_sit_over_the_week_each_month_begins() -> None:
    """Aug opens the map; Sep, Oct and Nov sit over the weeks holding their first day."""
    month_line = render(heat_map(fixed_stats()), colour=False).splitlines()[0]

    def column(first: date) -> int:
        return LABEL_WIDTH + (first - FIRST_MONDAY).days // 7 * CELL_WIDTH

    expected = {
        "Aug": column(FIRST_MONDAY),
        "Sep": column(date(2026, 9, 1)),
        "Oct": column(date(2026, 10, 1)),
        "Nov": column(date(2026, 11, 1)),
    }
    assert {name: month_line.find(name) for name in expected} == expected
    assert expected["Nov"] == LABEL_WIDTH + (HEAT_MAP_WEEKS - 2) * CELL_WIDTH


def test_the_opening_month_is_left_unnamed_when_a_month_begins_next_week() -> None:
    """A month beginning in the map's second week is named; the first week's name would crowd it."""
    # The map for 9 December 2026 opens on Monday 21 September; 1 October is in its second week.
    stats = compute([], [], NO_MOOD, date(2026, 12, 9))
    month_line = render(heat_map(stats), colour=False).splitlines()[0]
    assert "Sep" not in month_line
    assert month_line.find("Oct") == LABEL_WIDTH + CELL_WIDTH


def test_a_month_starting_after_today_is_not_named() -> None:
    """When the 1st of next month is still to come this week, its name is not shown yet."""
    stats = compute([], [], NO_MOOD, date(2026, 11, 30))  # Monday; 1 December is tomorrow
    assert "Dec" not in render(heat_map(stats), colour=False).splitlines()[0]


def test_heat_map_fits_sixty_columns() -> None:
    """The map and its legend stay within 60 columns."""
    text = render(heat_map(fixed_stats()), colour=False)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 60


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, 0), (-1, 0), (0.5, 1), (299, 1), (300, 2), (599, 2), (600, 3), (1199, 3), (1200, 4),
     (7200, 4)],
)  # fmt: skip
def test_levels(seconds: float, expected: int) -> None:
    """Levels: none, under 5 minutes, under 10, under 20, 20 or more."""
    assert level(seconds) == expected


def test_no_color_keeps_the_glyphs_and_drops_the_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set, the map has no colour codes but every level's glyph remains."""
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = io.StringIO()
    console = Console(file=terminal, width=80, force_terminal=True, color_system="truecolor")
    console.print(heat_map(fixed_stats()))
    styled = terminal.getvalue()
    assert "38;2;" not in styled and "38;5;" not in styled
    assert all(glyph in styled for glyph in LEVEL_GLYPHS)


def test_colours_differ_by_level() -> None:
    """In colour, each level's glyph is drawn in its own colour."""
    styled = render(heat_map(fixed_stats()), colour=True)
    colours = set()
    for glyph in LEVEL_GLYPHS:
        start = styled.index(glyph)
        colours.add(styled[styled.rindex("\x1b[", 0, start) : start])
    assert len(colours) == len(LEVEL_GLYPHS)


# The rest of `calm stats`


def test_totals_streaks_and_favourites() -> None:
    """The totals, both streaks with the grace note, and the top three scripts are shown."""
    text = render(stats_renderable(fixed_stats()), colour=False)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Sessions 14" in lines
    assert "This week 16 min" in lines  # Monday 0, Tuesday 12, Wednesday 4
    # 26 October to 4 November: 30 October and 2 November (0 s) are single missed days.
    assert "Current streak 8 days" in lines
    assert "Longest streak 8 days" in lines
    assert lines[lines.index("Longest streak 8 days") + 1] == GRACE_NOTE
    assert "Box breathing 8 1 h 20 min" in lines
    assert "Body scan 2 21 min" in lines
    assert "Coherent breathing" not in text
    assert "felt" not in text


def test_stats_fit_forty_columns() -> None:
    """In a 40-column terminal every line of `calm stats` fits, and nothing wraps: the
    headers and the figures are whole, and the titles have the room."""
    console = Console(record=True, width=40, color_system=None, legacy_windows=False)
    console.print(stats_renderable(fixed_stats()))
    narrow = [line.rstrip() for line in console.export_text().splitlines()]
    wide = Console(record=True, width=120, color_system=None, legacy_windows=False)
    wide.print(stats_renderable(fixed_stats()))
    lines = [line.rstrip() for line in wide.export_text().splitlines()]
    assert max(len(line) for line in narrow) <= 40
    assert len(narrow) == len(lines)
    assert [line.split()[0] for line in narrow if line] == [
        line.split()[0] for line in lines if line
    ]
    assert "Most practised      Sessions        Time" in narrow
    assert any(line.startswith("4-7-8 before sleep ") for line in narrow)
    assert any(line.startswith("Box breathing") and line.endswith("1 h 20 min") for line in narrow)


def test_no_current_streak_is_put_gently() -> None:
    """With no current streak, the line looks forward instead of showing a zero."""
    stats = compute([DayTotal(date(2026, 10, 1), 1, 600.0)], [], NO_MOOD, TODAY)
    text = render(stats_renderable(stats), colour=False)
    assert "Current streak  starts next session" in text
    assert "Longest streak  1 day " in text


@pytest.mark.parametrize(
    ("mood", "expected"),
    [
        (MoodTotal(14, 3.4, 2.2), "After a session you felt 1.2 points less tense on average "
         "(14 check-ins)."),
        (MoodTotal(1, 2.0, 3.0), "After a session you felt 1 point more tense on average "
         "(1 check-in)."),
        (MoodTotal(5, 4.0, 2.0), "After a session you felt 2 points less tense on average "
         "(5 check-ins)."),
        (MoodTotal(3, 2.5, 2.52), "After a session you felt about as tense as before, on average "
         "(3 check-ins)."),
        (NO_MOOD, None),
    ],
)  # fmt: skip
def test_mood_sentence(mood: MoodTotal, expected: str | None) -> None:
    """The mood line says which way tension moved, plainly, and is absent without check-ins."""
    assert mood_sentence(mood) == expected


def test_mood_line_is_shown_with_check_ins() -> None:
    """The mood sentence is part of `calm stats` when there are check-ins."""
    stats = fixed_stats(MoodTotal(sessions=2, before=4.0, after=2.5))
    text = " ".join(render(stats_renderable(stats), colour=False).split())
    assert "After a session you felt 1.5 points less tense on average (2 check-ins)." in text


def test_empty_history_is_one_gentle_line() -> None:
    """With nothing recorded, `calm stats` shows one line pointing to `calm start`, no tables."""
    stats = compute([], [], NO_MOOD, TODAY)
    text = render(stats_renderable(stats), colour=False)
    assert text == "No sessions recorded yet. They will appear here after `calm start`.\n"


def test_a_title_from_the_history_never_drives_the_terminal() -> None:
    """A title holding an escape sequence, a bell, a bidi override or markup is shown as
    text, at any width, whether the favourites sit in a table or on lines of their own."""
    title = "Box \x1b]0;pwned\x07 \u202eevil [bold]x[/]"
    stats = compute(
        [DayTotal(date(2026, 11, 27), 1, 60.0)],
        [ScriptTotal("box", title, 1, 60.0)],
        NO_MOOD,
        date(2026, 11, 27),
    )
    for width in (24, 40, 80):
        console = Console(record=True, width=width, color_system=None, legacy_windows=False)
        console.print(stats_renderable(stats))
        drawn = console.export_text()
        assert not {"\x1b", "\x07", "\u202e"} & set(drawn)
        assert "[bold]x[/]" in drawn or width < 80
