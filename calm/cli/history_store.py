"""The history as the reading commands open it: ``calm history`` and ``calm stats``.

A damaged history is kept aside and said in one line; one that cannot be
written is still read; a session that cannot be read is left out, and said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

from calm.cli.output import fail, tell
from calm.cli.settings import read_settings

if TYPE_CHECKING:
    from calm.practice.history import HistoryStore
    from calm.practice.history_errors import HistoryError


def say_if_not_recording() -> bool:
    """Whether new sessions are recorded; when not, a reminder on stderr."""
    if read_settings().history:
        return True
    typer.echo(
        "calm: new sessions are not being recorded (history = false in the config)", err=True
    )
    return False


def open_history(*, writing: bool = False) -> HistoryStore | None:
    """The history, opened to read (or, ``writing``, to change); None when there is none.

    A damaged history is kept aside, said so in one line, and read as empty. One
    on a full disk or in a read-only file is read, with one line saying why it
    cannot be written. Any other problem exits with one line.
    """
    from calm import locations
    from calm.practice.history import open_existing
    from calm.practice.history_errors import HistoryDamaged, HistoryError

    try:
        store = open_existing(locations.history_file(), writing=writing)
    except HistoryDamaged as error:
        tell(f"calm: {_keep_damaged(error)}")
        return None
    except HistoryError as error:
        fail(str(error))
    for notice in store.notices if store is not None else []:
        tell(f"calm: {notice}")
    return store


def history_failed(store: HistoryStore | None, error: HistoryError) -> NoReturn:
    """One line for a history that failed part way; a damaged one is kept aside first."""
    from calm.practice.history_errors import HistoryDamaged

    if not isinstance(error, HistoryDamaged):
        fail(str(error))
    if store is not None:
        store.close()
    fail(_keep_damaged(error))


def _keep_damaged(error: HistoryError) -> str:
    """Move the damaged history aside, and say where it is kept."""
    from calm import locations
    from calm.practice.damaged_history import set_aside

    try:
        aside = set_aside(locations.history_file())
    except OSError:
        fail(str(error))
    return f"the history file is damaged; it is kept as {aside}, and a new one will start"


def say_left_out(left_out: list[str]) -> None:
    """One line for each session that cannot be read, which is left out."""
    for problem in left_out:
        # Every other session is still listed: one damaged row never locks the rest away.
        tell(f"calm: {problem}; it is left out")
