"""``calm history``: your recorded sessions, and a note on the latest or clearing them all.

A group whose default lists: ``calm history`` on its own prints the table.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.flag_rules import Apart, Needs, RuledGroup
from calm.cli.history_store import history_failed, open_history, say_if_not_recording, say_left_out
from calm.cli.number_option import NumberRange
from calm.cli.output import fail

if TYPE_CHECKING:
    from pathlib import Path

    from calm.practice.history import HistoryStore

TABLE_LIMIT = 20
"""How many sessions ``calm history`` lists unless asked for more."""
NOTED_TITLE_COLUMNS = 60
"""How much of a title ``calm history --note`` quotes in its line."""
MAX_LIMIT = 1_000_000_000
"""The largest ``--limit``; SQLite cannot count past 2**63."""


class _HistoryGroup(RuledGroup):
    """``calm history`` does one thing at a time: list in one format, note, or clear."""

    rules = (
        Apart("--json", "--csv", "--note", "--clear"),
        Needs("--yes", "--clear"),
        Apart("--limit", "--note"),
        Apart("--limit", "--clear"),
    )


# With no subcommand the group's own callback runs, and lists: `calm history`.
app = typer.Typer(cls=_HistoryGroup, invoke_without_command=True, subcommand_metavar="")


def _typed_text(value: str | None) -> str | None:
    """Text typed on the command line, with any bytes in it that are not UTF-8 as
    "\ufffd": Python hands them over as lone surrogates, which can be neither
    stored nor shown."""
    if value is None:
        return None
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


@app.callback()
def history(
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            parser=NumberRange(0, MAX_LIMIT, whole=True),
            metavar="N",
            help="The latest N sessions; 0 for all.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            metavar="TEXT",
            help="Add a note to your latest session.",
            callback=lambda value: _typed_text(value),
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Forget every recorded session.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Clear without asking.")] = False,
) -> None:
    """Your recorded sessions, newest first. They never leave this machine."""
    from calm import locations
    from calm.practice.history_errors import HistoryError

    recording = say_if_not_recording()
    store = open_history(writing=clear or note is not None)
    try:
        if clear:
            _clear_history(store, locations.history_file(), yes=yes)
        elif note is not None:
            _note_latest(store, note)
        else:
            _print_history(store, limit, as_json=as_json, as_csv=as_csv, recording=recording)
    except HistoryError as error:
        history_failed(store, error)
    finally:
        if store is not None:
            store.close()


def _print_history(
    store: HistoryStore | None, limit: int | None, *, as_json: bool, as_csv: bool, recording: bool
) -> None:
    """The sessions as a table (the latest twenty unless ``limit`` says), JSON or CSV."""
    from calm.core.safe_text import shown_safely
    from calm.practice.export import record_json, write_csv

    shown = TABLE_LIMIT if limit is None and not (as_json or as_csv) else limit
    left_out: list[str] = []
    if not (as_json or as_csv):
        _print_table(store, shown, left_out, recording=recording)
        return
    records = store.sessions(shown or None, left_out=left_out) if store is not None else []
    say_left_out(left_out)
    if as_json:
        typer.echo(json.dumps([record_json(record) for record in records], indent=2))
    else:
        text = io.StringIO()
        write_csv(records, text)
        # Straight to stdout: typer.echo would drop escape codes from a note in a file.
        # On a terminal, as ls does, control characters show as "?" instead.
        sys.stdout.write(shown_safely(text.getvalue()) if sys.stdout.isatty() else text.getvalue())


def _print_table(
    store: HistoryStore | None, shown: int | None, left_out: list[str], *, recording: bool
) -> None:
    """The sessions as a table, each line written as it is made, however many there are."""
    from calm import locations
    from calm.practice.export import packed_table, table_cells
    from calm.practice.running_marks import running_rows
    from calm.practice.table_cells import LISTED_COLUMNS
    from calm.present.table import write_lines

    history = locations.history_file()
    packed = table_cells(running=_Asked(lambda row: bool(running_rows(history, [row]))))
    if store is not None:
        packed.add_rows(store.each_listed(LISTED_COLUMNS), shown or None, left_out)
    say_left_out(left_out)
    if not packed.rows:
        later = " They will appear here after `calm start`." if recording else ""
        typer.echo(f"No sessions recorded yet.{later}")
        return
    write_lines(packed_table(packed))
    read = len(packed.rows)
    total = store.count() if store is not None else 0
    if read + len(left_out) < total:
        typer.echo(f"The latest {read} of {total}; `calm history --limit 0` shows all.")


class _Asked:
    """A container that asks ``holds`` about each thing looked for in it, only when it is."""

    def __init__(self, holds: Callable[[int], bool]) -> None:
        self.holds = holds

    def __contains__(self, row: object) -> bool:
        return isinstance(row, int) and self.holds(row)


def _clear_history(store: HistoryStore | None, path: Path, *, yes: bool) -> None:
    """Forget every session, after asking on a terminal unless ``yes``."""
    count = store.count() if store is not None else 0
    if not count:
        typer.echo("There are no recorded sessions to clear.")
        _mention_kept_copies(path)
        return
    if not yes:
        if not sys.stdin.isatty():
            fail("--clear asks before it forgets anything; add --yes to clear without asking")
        which = "the 1 recorded session" if count == 1 else f"all {count} recorded sessions"
        try:
            sure = typer.confirm(f"Forget {which}? This cannot be undone.")
        except typer.Abort:
            sure = False  # Ctrl+C or end of input is a no.
            typer.echo("")
        if not sure:
            typer.echo("Nothing was cleared.")
            return
    assert store is not None
    store.clear()
    typer.echo(f"Cleared {count} {'session' if count == 1 else 'sessions'} from {path}.")
    _mention_kept_copies(path)


def _mention_kept_copies(path: Path) -> None:
    """Clearing never touches the damaged copies calm kept, so say they are there."""
    from calm.practice.damaged_history import kept_copies

    if kept_copies(path):
        typer.echo(
            f"Damaged history files calm kept earlier are still in {path.parent}; "
            "delete them yourself if you want them gone."
        )


def _note_latest(store: HistoryStore | None, note: str) -> None:
    """Note on the session recorded last: the one just finished, whatever time it carries.

    A session still running in another terminal is passed over for the one before it.
    """
    from calm import locations
    from calm.practice.running_marks import running_rows
    from calm.present.table import shortened

    left_out: list[str] = []
    found = None
    if store is not None:
        recorded = store.latest_recorded(left_out=left_out)
        for record in recorded:
            found = found or record
            if not running_rows(locations.history_file(), [record.id]):
                found = record
                break
        recorded.close()  # done reading before writing
    say_left_out(left_out)
    if store is None or found is None:
        fail("there is no session yet to add a note to")
    store.set_note(found.id, note)
    title = shortened(found.title, NOTED_TITLE_COLUMNS)
    session = f"{title}, {found.started_at.strftime('%a %d %b %H:%M')}"
    if note.strip():
        typer.echo(f"Noted on {session}.")
    elif found.note:
        typer.echo(f"Note removed from {session}.")
    else:
        typer.echo(f"There was no note on {session}.")
