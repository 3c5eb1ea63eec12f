"""The command line ``calm serve`` has textual-serve run for each page.

It is built here from options already checked, never from a request: a page
cannot name a file, a flag or anything else. The script, when there is one, is
one calm has already found and compiled, named by its path or its built-in name.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Served:
    """What each page runs: a script, or the list to choose from, and how."""

    script: str | None = None
    """A built-in name or an absolute path, already checked; None for the list."""
    demo: bool = False
    no_audio: bool = False
    follow: str | None = None
    """The shared session's log every page follows (``--together``), a path calm made."""
    pace: bool = False
    """Whether each page runs ``calm pace`` instead of a session."""


def served_command(served: Served) -> str:
    """The shell command line for one page's calm; ``exec`` so the process that
    textual-serve holds, and ends, is calm itself."""
    # `calm start` with no script opens on the list, as bare `calm` does.
    argv = [sys.executable, "-m", "calm", "pace" if served.pace else "start"]
    if served.no_audio:
        argv.append("--no-audio")
    if served.demo:
        argv.append("--demo")
    if served.follow is not None:
        argv += ["--follow", served.follow]
    if served.script is not None:
        # After "--": a built-in name or path is never read as a flag.
        argv += ["--", served.script] if served.script.startswith("-") else [served.script]
    return "exec " + shlex.join(argv)
