"""What ``calm stats`` prints: totals, streaks, a 12-week heat map, favourites and mood.

Every level of the heat map has its own glyph as well as its own colour, so it
reads the same with ``NO_COLOR`` or on a monochrome terminal.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from calm.practice.history_figures import MoodTotal, ScriptTotal
from calm.practice.stats import HEAT_MAP_WEEKS, PracticeStats, heat_map_start, practice_time_text
from calm.present.table import shortened

LEVEL_GLYPHS = ("·", "░", "▒", "▓", "█")
"""The heat map's glyph for each level, from no practice to the most."""

LEVEL_STYLES = ("grey39", "#2f6e66", "#3f9487", "#55b9a8", "#86e3d2")
"""The heat map's colour for each level: a dim grey, then a calm teal growing brighter."""

LEVEL_LIMITS = (5 * 60, 10 * 60, 20 * 60)
"""The seconds a day must stay under for levels 1, 2 and 3; 20 minutes or more is level 4."""

DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
"""The heat map's row labels, one row per day of the week."""

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Month labels, spelled out here so the user's locale never changes the map's width."""

LABEL_WIDTH = 4
"""Columns taken by the day labels on the left of the heat map."""

CELL_WIDTH = 2
"""Columns taken by one day: its glyph and a space."""

LEGEND_NOTE = "minutes a day: 0, <5, <10, <20, 20+"
"""What the legend's levels stand for."""

FAVOURITE_HEADERS = ("Most practised", "Sessions", "Time")
"""The headers of the favourites' table."""

FAVOURITE_GAP = 2
"""Spaces between two columns of the favourites' table."""

FAVOURITE_TITLE_LEAST = 12
"""The least room a title is cut to in the favourites' table before each script is
given lines of its own."""

GRACE_NOTE = "One day off keeps a streak going."
"""The short reminder of the grace day, under the streaks; it fits 40 columns."""


def level(seconds: float) -> int:
    """The heat map level of a day's practice: 0 for none, up to 4 for 20 minutes or more."""
    if seconds <= 0:
        return 0
    for number, limit in enumerate(LEVEL_LIMITS, start=1):
        if seconds < limit:
            return number
    return len(LEVEL_LIMITS) + 1


def heat_map(stats: PracticeStats) -> Text:
    """The last ``HEAT_MAP_WEEKS`` weeks as a calendar, oldest week on the left.

    Rows are the days of the week, Monday at the top; columns are weeks, with
    this week on the right and its days after today left blank. A month's
    name sits above the week its first day falls in, and a legend follows.
    """
    first = heat_map_start(stats.today)
    lines = [_month_line(first, stats.today)]
    for weekday, label in enumerate(DAY_LABELS):
        line = Text(label.ljust(LABEL_WIDTH))
        for week in range(HEAT_MAP_WEEKS):
            day = first + timedelta(weeks=week, days=weekday)
            line.append_text(_cell(stats, day))
        line.rstrip()
        lines.append(line)
    lines.append(_legend())
    return Text("\n").join(lines)


def _cell(stats: PracticeStats, day: date) -> Text:
    if day > stats.today:
        return Text(" " * CELL_WIDTH)
    number = level(stats.days.get(day, 0.0))
    return Text(LEVEL_GLYPHS[number], style=LEVEL_STYLES[number]) + " " * (CELL_WIDTH - 1)


def _month_line(first: date, today: date) -> Text:
    """Month names over the weeks where a month begins, and over the first week when room allows."""
    names: dict[int, str] = {}
    for week in range(HEAT_MAP_WEEKS):
        for offset in range(7):
            day = first + timedelta(weeks=week, days=offset)
            if day.day == 1 and day <= today:
                names[week] = MONTH_NAMES[day.month - 1]
    # A name is wider than one week, so the opening month is named only when the next
    # name is at least two weeks away.
    if 0 not in names and 1 not in names:
        names[0] = MONTH_NAMES[first.month - 1]
    line = [" "] * (LABEL_WIDTH + HEAT_MAP_WEEKS * CELL_WIDTH)
    for week, name in names.items():
        column = LABEL_WIDTH + week * CELL_WIDTH
        line[column : column + len(name)] = name
    return Text("".join(line).rstrip(), style="dim")


def _legend() -> Text:
    # Only the words are dim: a dimmed swatch would not match the cells it explains.
    legend = Text(" " * LABEL_WIDTH)
    legend.append("less ", style="dim")
    for glyph, style in zip(LEVEL_GLYPHS, LEVEL_STYLES, strict=True):
        legend.append(glyph, style=style)
        legend.append(" ")
    legend.append("more", style="dim")
    # On a line of its own, so that the legend fits a 40-column terminal unbroken.
    legend.append("\n" + " " * LABEL_WIDTH + LEGEND_NOTE, style="dim")
    return legend


def stats_renderable(stats: PracticeStats, *, recording: bool = True) -> RenderableType:
    """Everything ``calm stats`` shows, or one gentle line when nothing is recorded yet.

    Args:
        recording: Whether new sessions are being recorded; when not, the empty
            history makes no promise that they will appear.
    """
    if stats.sessions == 0:
        later = " They will appear here after `calm start`." if recording else ""
        return Text(f"No sessions recorded yet.{later}")
    parts: list[RenderableType] = [
        _totals(stats),
        Text(GRACE_NOTE, style="dim"),
        "",
        Text(f"The last {HEAT_MAP_WEEKS} weeks", style="bold"),
        heat_map(stats),
    ]
    if stats.favourites:
        parts += ["", _Favourites(stats.favourites)]
    feeling = mood_sentence(stats.mood)
    if feeling is not None:
        parts += ["", Text(feeling)]
    return Group(*parts)


def _totals(stats: PracticeStats) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Sessions", str(stats.sessions))
    table.add_row("Total time", practice_time_text(stats.seconds))
    table.add_row("This week", practice_time_text(stats.week_seconds))
    current = _days_text(stats.current_streak) if stats.current_streak else "starts next session"
    table.add_row("Current streak", current)
    table.add_row("Longest streak", _days_text(stats.longest_streak))
    return table


class _Favourites:
    """The most practised scripts, laid out for the width they are drawn at: a table whose
    figures are never cut, its titles giving way; or, too narrow for that, each script on
    a line of its own with its figures beneath."""

    def __init__(self, favourites: list[ScriptTotal]) -> None:
        """Show ``favourites``, most practised first."""
        self._favourites = favourites

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The table, or the lines, for ``options.max_width`` columns."""
        width = options.max_width
        counts = [str(favourite.sessions) for favourite in self._favourites]
        times = [practice_time_text(favourite.seconds) for favourite in self._favourites]
        # Cut before measuring, so that a huge title costs no more than a short one.
        titles = [shortened(favourite.title, width) for favourite in self._favourites]
        count_width = max(len(FAVOURITE_HEADERS[1]), *map(len, counts))
        time_width = max(len(FAVOURITE_HEADERS[2]), *map(len, times))
        room = width - count_width - time_width - 2 * FAVOURITE_GAP
        natural = max(cell_len(title) for title in [FAVOURITE_HEADERS[0], *titles])
        if room < min(natural, FAVOURITE_TITLE_LEAST):
            yield Text(FAVOURITE_HEADERS[0], style="bold")
            for title, count, spent in zip(titles, counts, times, strict=True):
                sessions = "1 session" if count == "1" else f"{count} sessions"
                yield Text(title, no_wrap=True, overflow="ellipsis")
                yield Text(f"  {sessions} · {spent}", no_wrap=True, overflow="ellipsis")
            return
        table = Table(
            box=None,
            padding=(0, FAVOURITE_GAP // 2),
            pad_edge=False,
            show_edge=False,
            header_style="bold",
        )
        table.add_column(
            FAVOURITE_HEADERS[0], width=min(natural, room), no_wrap=True, overflow="ellipsis"
        )
        table.add_column(FAVOURITE_HEADERS[1], justify="right", width=count_width, no_wrap=True)
        table.add_column(FAVOURITE_HEADERS[2], justify="right", width=time_width, no_wrap=True)
        for title, count, spent in zip(titles, counts, times, strict=True):
            # Text, not a string, so that brackets in a title are never read as rich markup.
            table.add_row(Text(title), count, spent)
        yield table


def mood_sentence(mood: MoodTotal) -> str | None:
    """How tension changed over a session on average, in plain words; None without check-ins.

    Moods run from 1 (at ease) to 5 (very tense), so a fall is a session that
    eased the user; the sentence says which way it went without judging it.
    """
    if not mood.sessions or mood.before is None or mood.after is None:
        return None
    change = mood.after - mood.before
    check_ins = "1 check-in" if mood.sessions == 1 else f"{mood.sessions} check-ins"
    points = f"{abs(change):.1f}".removesuffix(".0")
    if points == "0":
        return f"After a session you felt about as tense as before, on average ({check_ins})."
    direction = "less" if change < 0 else "more"
    unit = "point" if points == "1" else "points"
    return f"After a session you felt {points} {unit} {direction} tense on average ({check_ins})."


def _days_text(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
