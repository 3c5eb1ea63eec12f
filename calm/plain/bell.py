"""The terminal's bell: the one sound a machine with no sound device still has."""

from __future__ import annotations

import sys
from collections.abc import Callable


def terminal_bell() -> Callable[[], None] | None:
    """A ring of the terminal's bell, when stdout is a terminal; else None."""
    if not sys.stdout.isatty():
        return None

    def ring() -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()

    return ring
