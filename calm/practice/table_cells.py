"""The history table's cells, read from the history's rows and kept packed until laid out.

``calm history --limit 0`` may list a hundred thousand sessions, and the widest
cell of each column must be known before its first line is written; so each
session is kept only as its cells packed into one string (``PackedCells``).

Most of a session's cells repeat down the table: its day, title, length, breath
count, ending and tension. Each is made and measured the first time it is met
(``_Made``) and only looked up after that, so a session calm wrote itself costs a
few dictionary look-ups. A row held as calm writes it (``CANONICAL``, which SQL
finds from the history's indexes at no real cost) is packed as it comes from SQL,
with no check and no record made of it; any other row is read by ``read_record``
and packed from its ``SessionRecord``, so every session reads exactly as one read
the careful way.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterable, Iterator
from datetime import date
from typing import Any

from calm.core.session import Status
from calm.practice.history_errors import HistoryError
from calm.practice.history_rows import (
    CANONICAL,
    SessionRecord,
    UnreadableRow,
    quick_record,
    read_record,
)
from calm.present.measures import duration_text
from calm.present.table import CELL_LIMIT, WRAPPED_LINES, cell_width, shortened

STATUS_WORDS: dict[str, str] = {
    Status.COMPLETED: "completed",
    Status.ENDED_EARLY: "ended early",
    Status.INTERRUPTED: "interrupted",
}
"""How each status the history records reads in the table; "interrupted" means calm
never saw the end."""

GOING: None = None
"""Where a session still going is among the endings: no status is None."""

PACKING = "\x00"
"""What parts the cells of a session kept for the table: never in a cell, as every
cell from the history has been through ``one_line``, which hides control characters."""

KEPT_TITLES = 1000
"""How many titles, each shown once, the table keeps to show again without more work."""

KEPT_CELLS = 10_000
"""How many lengths or breath counts the table keeps to show again without more work."""

NOTE_LINES = 3
"""The most lines a note on lines of its own takes; more is cut short with an ellipsis."""

WHEN, TITLE, PRACTISED, BREATHS, ENDING, TENSION, NOTE, WITH_YEAR = range(8)
"""Where each cell is among a packed session's parts: the time without its year first,
and last the time with its year ("%a %d %b %Y %H:%M")."""

_INTERRUPTED = Status.INTERRUPTED.value
_ODD = f"rowid IN (SELECT rowid FROM sessions WHERE {CANONICAL} = 0)"
"""Whether a session is not held as calm writes it: found from the history's indexes,
which are built on ``CANONICAL``."""

LISTED_COLUMNS = ", ".join(
    [
        _ODD,
        "id, title, started_at, practised_seconds, status, breaths, mood_before, mood_after, note",
        # The rest of a session the table does not show, read only when it must be read
        # the careful way: there are fewer values for Python to make.
        *(
            f"CASE WHEN {_ODD} THEN {column} END"
            for column in ("script", "ended_at", "planned_seconds")
        ),
    ]
)
"""What ``PackedCells.add_rows`` reads of each session, for ``HistoryStore.each_listed``."""


class _Made(dict[Hashable, str]):
    """The cells of one column made from values that repeat, each made and measured the
    first time it is met; past ``most`` values, a new one is made each time it comes."""

    def __init__(self, make: Callable[[Any], str], kept: Callable[[str], str], most: int) -> None:
        super().__init__()
        self.make = make
        self.kept = kept
        self.most = most

    def __missing__(self, value: Hashable) -> str:
        cell = self.kept(self.make(value))
        if len(self) < self.most:
            self[value] = cell
        return cell


class PackedCells:
    """Each session's cells, packed in one string, and the widest cell of each column."""

    def __init__(self, width: int, going: Container[int], this_year: int) -> None:
        """Cells for lines ``width`` columns wide; ``going`` holds the row ids of sessions
        still running, asked only about interrupted ones."""
        self.width = width
        # What a title or status could show on its two lines, or a note on its own lines.
        self.room = min(width, CELL_LIMIT) * WRAPPED_LINES
        self.note_room = min(width, CELL_LIMIT) * NOTE_LINES
        self.going = going
        self.year = this_year
        self.rows: list[str] = []
        self.narrow = bytearray()
        """For each session, 1 when each character of its cells takes one column."""
        self.with_year = self.moods = self.notes = False
        self.widest = [0] * 8
        """The widest cell of each column, in the order of the packed parts."""
        self.odd: set[str] = set()
        """Cells in which some character does not take one column, or wider than a line."""
        self.days: dict[str, tuple[str, str]] = {}
        self.titles = _Made(self._title, self._kept(TITLE), KEPT_TITLES)
        self.lengths = _Made(duration_text, self._kept(PRACTISED), KEPT_CELLS)
        self.breaths = _Made(str, self._kept(BREATHS), KEPT_CELLS)
        self.endings = _Made(self._ending, self._kept(ENDING), KEPT_CELLS)
        self.tensions = _Made(self._tension, self._kept(TENSION), KEPT_CELLS)

    def add(self, record: SessionRecord) -> None:
        """Pack ``record``'s cells, and widen the columns they need."""
        self.add_rows([record])

    def add_rows(
        self,
        rows: Iterable[tuple[Any, ...]],
        limit: int | None = None,
        left_out: list[str] | None = None,
    ) -> None:
        """Pack the sessions in ``rows``, each read by ``LISTED_COLUMNS`` or a
        ``SessionRecord``, up to ``limit`` of them.

        Args:
            left_out: When given, a session with a value that cannot be read is left
                out and a line about it added here; otherwise it raises ``HistoryError``.
        """
        rows_kept, narrow, odd, going = self.rows, self.narrow, self.odd, self.going
        titles, lengths, breath_counts = self.titles, self.lengths, self.breaths
        endings, tensions, days = self.endings, self.tensions, self.days
        day_key = day = dated = ""
        for row in rows:
            if len(rows_kept) == limit:
                break
            if type(row) is SessionRecord:
                (ident, _, title, moment, _, _, practised, status, breaths, before, after,
                 note) = row  # fmt: skip
                started = moment.isoformat()
            elif row[0]:
                self._add_read(row, left_out)
                continue
            else:
                (_, ident, title, started, practised, status, breaths, before, after, note,
                 _, _, _) = row  # fmt: skip
            # Either way the start reads 2026-03-01T09:00...
            if started[:10] != day_key:
                day_key = started[:10]
                day, dated = days.get(day_key) or self._new_day(day_key)
            clock = started[11:16]
            title = titles[title]
            length = lengths[round(practised)] if practised >= 10 else self._short(practised)
            ending = endings[GOING if status == _INTERRUPTED and ident in going else status]
            note = self._note(note) if note else ""
            cells = (f"{day} {clock}", title, length, breath_counts[breaths], ending,
                     tensions[before, after], note, f"{dated} {clock}")  # fmt: skip
            rows_kept.append(PACKING.join(cells))
            narrow.append(
                not odd or not (day in odd or title in odd or ending in odd or note in odd)
            )

    def _add_read(self, row: tuple[Any, ...], left_out: list[str] | None) -> None:
        """Pack the session in ``row``, which SQL found is not as calm writes it, read the
        careful way."""
        (_, ident, title, started, practised, status, breaths, before, after, note, script,
         ended, planned) = row  # fmt: skip
        columns = (ident, script, title, started, ended, planned, practised, status, breaths,
                   before, after, note)  # fmt: skip
        try:
            record = quick_record(columns) or read_record(columns)
        except UnreadableRow as error:
            if left_out is None:
                raise HistoryError(str(error)) from None
            left_out.append(str(error))
            return
        self.add(record)

    def _new_day(self, key: str) -> tuple[str, str]:
        """The start's "%a %d %b", and with its year "%a %d %b %Y", made once for each day
        (``key``, as 2026-03-01): the sessions come in time order, a few to a day."""
        started = date.fromisoformat(key)
        day = started.strftime("%a %d %b")
        dated = f"{day} {_year_text(started.year)}"
        self.with_year = self.with_year or started.year != self.year
        for column, cell in ((WHEN, day), (WITH_YEAR, dated)):
            self._measure(column, cell, extra=len(" 00:00"))
        self.days[key] = day, dated
        return day, dated

    def _kept(self, column: int) -> Callable[[str], str]:
        """A function that measures a cell of ``column`` and gives it back."""

        def kept(cell: str) -> str:
            self._measure(column, cell)
            return cell

        return kept

    def _measure(self, column: int, cell: str, extra: int = 0) -> None:
        """Widen ``column`` to take ``cell`` (and ``extra`` plain columns after it), and
        note a cell a format call cannot pad."""
        used = len(cell) if cell.isascii() else cell_width(cell, self.width)
        if used != len(cell) or used + extra > self.width:
            self.odd.add(cell)
        self.widest[column] = max(self.widest[column], used + extra)

    def _short(self, seconds: float) -> str:
        """A length under ten seconds, which shows its tenths: made each time."""
        return self.lengths.kept(duration_text(seconds))

    def _title(self, title: str) -> str:
        return shortened(title, self.room)

    def _ending(self, status: str | None) -> str:
        """How a session ended in words; a status written by hand is shown as it is, safely."""
        if status is GOING:
            return "in progress"
        return STATUS_WORDS.get(status) or shortened(status, self.room)

    def _tension(self, moods: tuple[int | None, int | None]) -> str:
        before, after = ("" if mood is None else str(mood) for mood in moods)
        if not before and not after:
            return ""
        self.moods = True
        return f"{before or '-'} → {after or '-'}"

    def _note(self, note: str) -> str:
        """A note as it is shown, on lines of its own or beside its title: made each time."""
        shown = shortened(note, self.note_room)
        self._measure(NOTE, shown)
        self.notes = self.notes or bool(shown)
        return shown

    def cells(self, parts: list[str]) -> list[str]:
        """The cells shown of a session's packed ``parts``, its note apart."""
        when = parts[WITH_YEAR] if self.with_year else parts[WHEN]
        shown = [when, *parts[TITLE:TENSION]]
        return [*shown, parts[TENSION]] if self.moods else shown

    def each(self) -> Iterator[tuple[list[str], str]]:
        """Each session's cells, and its note apart."""
        for row in self.rows:
            parts = row.split(PACKING)
            yield self.cells(parts), parts[NOTE]


def _year_text(year: int) -> str:
    """A year as ``strftime`` writes it in "%Y"."""
    return date(year, 1, 1).strftime("%Y")
