"""What becomes of a damaged history: the one policy, for every command that opens it.

A history file that is not a database, or one with broken pages, is never
deleted and never written over. It is renamed aside with the time it was found
(``history.sqlite3.corrupt-20261202-093000``, its WAL files beside it), and
calm says in one line where it is kept. Then:

- a session being recorded starts a new history in its place, so it is still
  written down (``start_afresh``, ``open_to_record``);
- a command that reads the history (``calm history``, ``calm stats``) reads no
  sessions, and the next session starts the new file (``open_to_read``);
- a history found damaged part way through a command is kept aside the same way,
  and the command ends with one line (``failed_part_way``).

When the file cannot even be renamed, what was wrong with it is said instead,
and it is left exactly as it is.
"""

from __future__ import annotations

import time
from pathlib import Path

from calm.practice.history import HistoryStore, open_existing
from calm.practice.history_errors import HistoryDamaged, HistoryError

KEPT_AS = "corrupt"
"""The word in the name of a damaged history kept aside: ``history.sqlite3.corrupt-…``."""

NOT_RECORDING = "calm: not recording this session"
"""How a notice begins when a session cannot be recorded at all."""


def set_aside(path: Path) -> Path:
    """Rename the history (and its WAL files) with a timestamp; never delete it.

    Returns:
        The name it is kept under.

    Raises:
        OSError: when it cannot be renamed.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{KEPT_AS}-{stamp}")
    number = 1
    while aside.exists():
        # A file kept earlier in the same second must never be replaced.
        number += 1
        aside = path.with_name(f"{path.name}.{KEPT_AS}-{stamp}-{number}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        leftover = path.with_name(path.name + suffix)
        if leftover.exists():
            leftover.rename(aside.with_name(aside.name + suffix))
    return aside


def kept_copies(path: Path) -> list[Path]:
    """The damaged histories kept aside beside ``path``, oldest first; clearing the
    history never touches them, so the user may want to know they are there."""
    try:
        return sorted(path.parent.glob(f"{path.name}.{KEPT_AS}-*"))
    except OSError:
        return []


def start_afresh(path: Path) -> tuple[HistoryStore | None, str]:
    """For a recorder: move a damaged history aside, keeping it, and open a new one.

    Returns:
        The new store, or None when there is none, with the notice to show: one
        whole line that begins "calm: ", as a recorder's notices do.
    """
    try:
        aside = set_aside(path)
        store = HistoryStore.open(path)
    except (OSError, HistoryError) as error:
        return None, f"{NOT_RECORDING}: {error}"
    return (
        store,
        f"calm: the history file was damaged; it is kept as {aside}, and a new one started",
    )


def open_to_record(path: Path) -> tuple[HistoryStore | None, str | None]:
    """The history to record a session in, or None, with a notice, when it cannot be used.

    A damaged file is kept aside and a new one started (``start_afresh``). The
    notice, when there is one, is one whole line that begins "calm: ".
    """
    try:
        return HistoryStore.open(path), None
    except HistoryDamaged:
        return start_afresh(path)
    except HistoryError as error:
        return None, f"{NOT_RECORDING}: {error}"


def open_to_read(path: Path, *, writing: bool = False) -> tuple[HistoryStore | None, list[str]]:
    """The history for a command that reads it, or changes it (``writing``), and the
    notices to show before anything else, each one line without the "calm: " it is
    shown with.

    The store is None when there is no history yet, and when it was damaged: it is
    then kept aside, a notice says where, and it reads as empty. A history calm
    cannot write (a full disk, a read-only file) is still read, unless ``writing``,
    with a notice saying why it cannot be written (``open_existing``).

    Raises:
        HistoryError: only for what must end the command, such as a file another
            program holds, or one from a newer calm; its message is the one line to show.
    """
    try:
        store = open_existing(path, writing=writing)
    except HistoryDamaged as error:
        try:
            aside = set_aside(path)
        except OSError:
            raise error from None  # left as it is: what was wrong with it is the line
        return None, [_kept_aside(aside)]
    if store is None:
        return None, []
    return store, list(store.notices)


def failed_part_way(path: Path, store: HistoryStore | None, error: HistoryError) -> str:
    """The one line that ends a command whose history at ``path`` failed part way.

    A damaged history is closed and kept aside first, and the line says where; any
    other failure is said as it is. The line is without the "calm: " it is shown with.
    """
    if not isinstance(error, HistoryDamaged):
        return str(error)
    if store is not None:
        store.close()
    try:
        aside = set_aside(path)
    except OSError:
        return str(error)
    return _kept_aside(aside)


def _kept_aside(aside: Path) -> str:
    return f"the history file is damaged; it is kept as {aside}, and a new one will start"
