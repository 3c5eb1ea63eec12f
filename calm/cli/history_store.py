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

    The damaged-history policy is ``calm.practice.damaged_history``'s: a damaged
    history is kept aside, said in one line, and read as empty. Anything that must
    end the command is one line and exit 1.
    """
    from calm import locations
    from calm.practice.damaged_history import open_to_read
    from calm.practice.history_errors import HistoryError

    try:
        store, notices = open_to_read(locations.history_file(), writing=writing)
    except HistoryError as error:
        fail(str(error))
    for notice in notices:
        tell(f"calm: {notice}")
    return store


def history_failed(store: HistoryStore | None, error: HistoryError) -> NoReturn:
    """One line for a history that failed part way; a damaged one is kept aside first."""
    from calm import locations
    from calm.practice.damaged_history import failed_part_way

    fail(failed_part_way(locations.history_file(), store, error))


def say_left_out(left_out: list[str]) -> None:
    """One line for each session that cannot be read, which is left out."""
    for problem in left_out:
        # Every other session is still listed: one damaged row never locks the rest away.
        tell(f"calm: {problem}; it is left out")
