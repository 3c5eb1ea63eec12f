"""When calm itself goes wrong: keep the details in a log, and tell the user in one line."""

from __future__ import annotations

import errno
import os
import sys
import time
import traceback
from pathlib import Path
from typing import IO

from calm import locations

MAX_LOGS_A_SECOND = 100
"""How many logs calm will name within one second before it gives up on a new one."""


def save_log(text: str) -> Path | None:
    """Write ``text`` to a new log file in calm's log folder; None if it cannot be written.

    Each log gets a name of its own, such as ``error-20250101-093000-2.log``: two
    crashes in the same second never overwrite each other.
    """
    folder = locations.log_dir()
    stamp = time.strftime("error-%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for count in range(1, MAX_LOGS_A_SECOND + 1):
            path = folder / (f"{stamp}.log" if count == 1 else f"{stamp}-{count}.log")
            try:
                # "x" creates the file only if it is new, even with another calm racing.
                with path.open("x", encoding="utf-8") as log:
                    log.write(text)
            except FileExistsError:
                continue
            return path
    except OSError:
        return None
    return None


def report(details: str) -> Path | None:
    """Save ``details`` and print the one line that points to them."""
    log = save_log(details)
    where = f"; the details are in {log}" if log else ""
    sys.stderr.write(f"calm: something went wrong inside calm{where}\n")
    return log


def report_exception(error: BaseException) -> Path | None:
    """Save the traceback of ``error`` and print one line about it."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return report(details)


#: Errors of a full or failing output device: the user's disk, not a bug in calm.
OUTPUT_DEVICE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})


def write_nowhere(*streams: IO[str]) -> None:
    """Point ``streams`` (stdout, say) at the null device: their reader is gone, so
    nothing more is shown, and Python's last flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in streams:
            os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # No real file behind them (a test's capture): nothing reaches a terminal.
