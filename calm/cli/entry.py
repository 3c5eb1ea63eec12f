"""The entry point, ``main``: runs the ``calm`` command and says how every failure ended.

A usage error is one ``calm:`` line, a reader that goes away ends calm quietly,
a failing output device is one line, and a bug is one line and a crash log.
``calm start NAME`` with a few plain flags starts without typer (see
``calm.cli.quick_start``); typer is imported when anything else is asked for, or
something fails.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from calm.cli.output import USAGE_ERROR, ReaderGone, tell, write_nowhere


def main() -> None:
    """Run the ``calm`` command, turning every usage error into one line.

    When whatever reads calm's output goes away (``calm list | head -3``, or
    ``| true``), calm stops writing and exits 0, however far it had got: the
    reader chose to stop, and the exit status no longer depends on how much it
    read before it did.
    """
    from calm.cli.streams import prepare_standard_streams

    prepare_standard_streams()
    try:
        code = _run(sys.argv[1:])
        # Flushed here, not at exit, so a closed pipe or a full disk is caught below.
        sys.stdout.flush()
    except (BrokenPipeError, ReaderGone):
        write_nowhere()
        sys.exit(0)
    except Exception as error:
        _end_with(error)
    sys.exit(code if isinstance(code, int) else 0)


def _run(args: list[str]) -> object:
    """Run the command ``args`` ask for; what typer returns, the exit status or None."""
    from calm.cli.quick_start import start_at_once

    code = start_at_once(args)
    if code is not None:
        return code
    from calm.cli.root import app

    return app(standalone_mode=False)


def _end_with(error: Exception) -> NoReturn:
    """Say how ``error`` ended calm, in one line, and exit."""
    import typer

    if isinstance(error, typer.TyperException):
        message = error.format_message()
        context = getattr(error, "ctx", None)
        # With no arguments, typer has already printed the help and has nothing to add.
        if message:
            hint = ""
            if context is not None and getattr(error, "exit_code", 1) == USAGE_ERROR:
                hint = f" (see `{context.command_path} --help`)"
            tell(f"calm: {message}{hint}")
        sys.exit(getattr(error, "exit_code", 1))
    if isinstance(error, typer.Abort):
        sys.exit(1)
    from calm.crash import OUTPUT_DEVICE_ERRORS, report_exception
    from calm.crash import write_nowhere as to_null_device

    if isinstance(error, OSError) and error.errno in OUTPUT_DEVICE_ERRORS:
        # A full disk or a failing device is the machine's trouble, not a bug in calm.
        to_null_device(sys.stdout)
        tell(f"calm: could not write: {error.strerror}")
        sys.exit(1)
    # The last line of defence: a bug in calm is one line and a log, never a wall of text.
    report_exception(error)
    sys.exit(1)
