"""What the commands write: lines on stdout, notices on stderr, Rich output, the bell.

Everything here is shown safely (``calm.core.safe_text``), whatever it quotes, and
a reader that goes away (``calm list | head -3``) ends calm quietly.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

USAGE_ERROR = 2
"""Exit status for something typed wrong, as with any Unix tool."""


class ReaderGone(Exception):
    """Whatever read calm's output went away (``calm list | head -3``)."""


def echo(text: str = "") -> None:
    """Print a line to stdout, shown safely: it may quote a name, a path or a value."""
    from calm.core.safe_text import shown_safely

    sys.stdout.write(shown_safely(text) + "\n")
    sys.stdout.flush()


def tell(message: str) -> None:
    """Print a notice on stderr as one line, shown safely, whatever it quotes."""
    from calm.core.safe_text import one_line

    try:
        sys.stderr.write(one_line(message) + "\n")
        sys.stderr.flush()
    except BrokenPipeError:
        write_nowhere()  # Nobody is reading stderr either: nothing more to say.


def fail(message: str, code: int = 1) -> NoReturn:
    """Say ``message`` as one ``calm:`` line on stderr and exit with ``code``."""
    import typer  # only a failure needs it: `calm start NAME` runs without typer

    tell(f"calm: {message}")
    raise typer.Exit(code)


def console() -> Console:
    """A Rich console for stdout whose closed pipe ends calm quietly, as every other does."""
    from rich.console import Console

    from calm.present.table import rich_size

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 itself; calm ends every closed pipe the same way.
            self.quiet = True
            raise ReaderGone

    width, height = rich_size()
    return QuietConsole(highlight=False, width=width, height=height)


def write_nowhere() -> None:
    """The reader went away: what is left to say goes nowhere, quietly."""
    from calm.crash import write_nowhere as to_null_device

    to_null_device(sys.stdout, sys.stderr)


def write_new_file(target: Path, content: bytes, kind: str) -> None:
    """Write a file that must not exist yet (``calm new``, ``calm plan new``); one line
    and exit 1 when it does, or when it cannot be written. ``kind`` names what it is."""
    try:
        with target.open("xb") as handle:
            handle.write(content)
    except FileExistsError:
        fail(f"{target} already exists; calm never overwrites a {kind}. Pick another name.")
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
