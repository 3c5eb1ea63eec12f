"""The history table prints every session on one safe line."""

from __future__ import annotations

from datetime import UTC, datetime

from calm.practice.export import table_lines
from calm.practice.history_rows import SessionRecord

START = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def record(
    title: str = "Box breathing", note: str | None = None, **changes: object
) -> SessionRecord:
    """A completed session with a title and note of the test's choosing."""
    fields: dict[str, object] = {
        "id": 1, "script": "box", "title": title, "started_at": START, "ended_at": START,
        "planned_seconds": 240.0, "practised_seconds": 238.0, "status": "completed",
        "breaths": 14, "mood_before": None, "mood_after": None, "note": note,
    }  # fmt: skip
    fields.update(changes)
    return SessionRecord(**fields)  # type: ignore[arg-type]


def test_a_note_over_several_lines_stays_on_one() -> None:
    """Line breaks in a note become " / ", so each session is one line of the table."""
    lines = table_lines([record(note="first\nsecond\r\nthird")], width=200)
    assert len(lines) == 2
    assert "first / second / third" in lines[1]


def test_control_characters_never_reach_the_terminal() -> None:
    """An escape sequence in a title or note is shown as text, not obeyed."""
    lines = table_lines([record(title="Box\x1b[2J", note="\x1b]0;TITLE\x07red")], width=200)
    joined = "\n".join(lines)
    assert "\x1b" not in joined and "\x07" not in joined
    assert "Box?[2J" in joined and "?]0;TITLE?red" in joined


def test_moods_show_before_and_after() -> None:
    """The tension column reads "4 → 2", with a dash for a skipped answer."""
    lines = table_lines([record(mood_before=4, mood_after=2), record(mood_before=3)], width=200)
    assert "4 → 2" in lines[1]
    assert "3 → -" in lines[2]


def test_a_note_with_no_room_beside_the_titles_has_a_line_of_its_own() -> None:
    """A note that cannot sit whole beside whole titles goes on a line of its own under its
    session, wrapped to the terminal; the title keeps its room."""
    long = record(title="Progressive muscle relaxation", note="shoulders dropped " * 4)
    lines = table_lines([long, record()], width=130)
    assert max(len(line) for line in lines) <= 130
    assert "Progressive muscle relaxation" in lines[1]
    assert lines[2] == "  note: " + ("shoulders dropped " * 4).strip()
    assert "note" not in lines[0]
    lines = table_lines([long, record()], width=79)
    assert max(len(line) for line in lines) <= 79
    (note,) = [line for line in lines if line.startswith("  note: ")]
    assert note == "  note: " + ("shoulders dropped " * 4).strip()
    assert lines.index(note) == len(lines) - 2  # under its own session, before the next
    lines = table_lines([long], width=40)
    start = lines.index("  note: shoulders dropped shoulders")
    assert lines[start + 1 :] == ["        dropped shoulders dropped", "        shoulders dropped"]
    assert max(len(line) for line in lines) <= 40


def test_tension_and_note_columns_appear_only_when_used() -> None:
    """Without check-ins or notes the table has no empty columns; one answer brings its back."""
    (header, _) = table_lines([record()], width=200)
    assert header.split("  ")[-1] == "how it ended"
    assert "tension" not in header and "note" not in header
    header = table_lines([record(), record(mood_after=2)], width=200)[0]
    assert "tension" in header and "note" not in header
    header = table_lines([record(), record(note="lighter")], width=200)[0]
    assert "note" in header and "tension" not in header


def test_a_title_wraps_only_when_the_figures_leave_it_no_room() -> None:
    """The figures are never cut; a long title wraps onto a second line, whole, only when
    the line is too short for it."""
    lines = table_lines([record(title="Progressive muscle relaxation")], width=70)
    assert max(len(line) for line in lines) <= 70
    assert "Progressive" in lines[1] and "muscle relaxation" in lines[2]
    assert lines[2].strip() == "muscle relaxation"
    for value in ("3 min 58 s", "14", "completed"):
        assert value in lines[1]
    assert "…" not in "".join(lines)


def test_a_tab_in_a_note_reads_as_a_space() -> None:
    """A tab is whitespace, not a hidden control character: it shows as a space, not "?"."""
    lines = table_lines([record(note="felt\tlighter")], width=200)
    assert "felt lighter" in lines[1]


def test_wide_characters_keep_the_columns_in_line() -> None:
    """A title in Japanese takes two columns a character: the table measures it so, and cuts
    it to fit the terminal by columns, not by characters."""
    from calm.present.table import cell_width

    rows = [record(title="漢字のタイトル長い名前です", note="静かな朝 ☕"), record()]
    for width in (200, 80):
        lines = table_lines(rows, width=width)
        header = lines[0]  # plain ASCII: its characters are its columns
        for line in lines[1:]:
            if line.startswith("  note: "):
                continue
            shown = on_screen(line)
            for name, value in (("practised", "3 min 58 s"), ("how it ended", "completed")):
                start = header.index(name)
                assert "".join(shown[start : start + len(value)]) == value, (width, line)
        assert max(cell_width(line) for line in lines) <= width


def on_screen(line: str) -> list[str]:
    """The terminal columns a line fills, one entry each; a wide character fills two."""
    from calm.present.table import cell_width

    cells: list[str] = []
    for char in line:
        cells += [char] + [""] * (cell_width(char) - 1)
    return cells
