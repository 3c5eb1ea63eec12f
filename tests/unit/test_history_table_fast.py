"""The history table's quick lines: a session whose every character takes one column (plain
ASCII, an arrow, an accent) is laid out by one format call, and reads exactly as it does
when each cell is fitted on its own, wide and zero-width characters included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calm.practice import table_cells
from calm.practice.export import table_lines
from calm.practice.history_rows import SessionRecord

START = datetime(2025, 12, 30, 21, 5, tzinfo=UTC)
TITLES = ["Box breathing", "Café calme", "深呼吸", "Cafe\u0301 combining", "Emoji 🌊 waves"]
NOTES = [None, "ok", "felt → better", "長いメモ" * 3, "a note " * 12]


def sessions(*, moods: bool, notes: bool, years: bool) -> list[SessionRecord]:
    """Twenty sessions, newest first, with every kind of title, and check-ins, notes and
    another year only when asked."""
    records = []
    for number in range(20):
        started = START - timedelta(hours=7 * number) if years else START + timedelta(hours=-number)
        records.append(
            SessionRecord(
                id=number + 1,
                script="s",
                title=TITLES[number % len(TITLES)],
                started_at=started,
                ended_at=None,
                planned_seconds=300.0,
                practised_seconds=37.5 * number,
                status=["completed", "ended_early", "hand → written"][number % 3],
                breaths=number * 3,
                mood_before=(number % 5) + 1 if moods and number % 2 else None,
                mood_after=1 if moods and number % 3 else None,
                note=NOTES[number % len(NOTES)] if notes else None,
            )
        )
    return records


class CellByCell(bytearray):
    """The packed table's record of quick rows, saying none is: every line is then made
    by fitting each cell on its own."""

    def append(self, item: int) -> None:
        super().append(0)


@pytest.mark.parametrize("width", [400, 120, 80])
@pytest.mark.parametrize("moods", [False, True])
@pytest.mark.parametrize("notes", [False, True])
@pytest.mark.parametrize("years", [False, True])
def test_quick_lines_read_as_lines_fitted_cell_by_cell(
    width: int, moods: bool, notes: bool, years: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With notes beside the titles or beneath them, a tension column or none, and the year
    shown or not, the table is the same line for line either way."""
    records = sessions(moods=moods, notes=notes, years=years)
    quick = table_lines(records, width=width, this_year=2025)
    original = table_cells.PackedCells.__init__

    def fitted(self: table_cells.PackedCells, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        self.narrow = CellByCell()

    monkeypatch.setattr(table_cells.PackedCells, "__init__", fitted)
    assert table_lines(records, width=width, this_year=2025) == quick
    assert any("→" in line for line in quick)  # some quick lines were not plain ASCII
    assert all(len(line) <= width for line in quick)
