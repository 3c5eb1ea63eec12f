"""What calm has already said about the sound, so that it is said once, not every session.

On a machine with no sound device every session would open with the same notice.
The rule: a sound notice is shown the first time, and again only once sound has
worked since, so a device that fails anew is always told. The words said are kept
in a small file in calm's data folder; losing it only means a notice said again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from calm.core.safe_read import ReadError, read_bytes, replace_file

MAX_BYTES = 4096
"""The most the file is read or grows to: a few notices, never a burden."""


class ToldOnce:
    """The sound notices already said, kept in the file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _said(self) -> list[str]:
        try:
            data = read_bytes(self.path, MAX_BYTES)
        except ReadError:
            return []
        return data.decode("utf-8", errors="replace").splitlines()

    def first_time(self, notice: str) -> bool:
        """Whether ``notice`` is new since sound last worked; it is remembered as said."""
        said = self._said()
        line = " ".join(notice.split())  # one line of the file
        if line in said:
            return False
        kept = [*said, line]
        while kept and len("\n".join(kept).encode()) >= MAX_BYTES:
            kept.pop(0)
        self._write("".join(f"{line}\n" for line in kept))
        return True

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError):
            replace_file(self.path, text)

    def sound_worked(self) -> None:
        """Sound played through a whole session: the next failure is news again."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
