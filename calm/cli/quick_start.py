"""``calm start NAME`` with a few plain flags, read without building the typer app.

Building calm's typer app, and importing typer with the click it carries, is some
of what stands before a session's first frame. The commonest command line is read
here instead, and only when every word of it is one this module knows for sure:
the script's name and the flags below, each at most once. Anything else (a number,
``--help``, a value that looks like an option, a word too many, shell completion)
goes to typer as before, so every problem is still said in typer's words.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

SWITCHES = {
    "--gentle": ("gentle", True),
    "--plain": ("plain", True),
    "--no-audio": ("no_audio", True),
    "--reduced-motion": ("reduced_motion", True),
    "--skip-caution": ("skip_caution", True),
    "--no-history": ("no_history", True),
    "--check-in": ("check_in", True),
    "--no-check-in": ("check_in", False),
    "--demo": ("demo", True),
    "--voice": ("voice", True),
}
"""The flags read here that take no value: the parameter each sets, and to what."""

NAMED = {"--ambient": "ambient", "--theme": "theme"}
"""The options read here that take a name: the parameter each sets."""


def read_start(args: Sequence[str]) -> dict[str, str | bool] | None:
    """The parameters of ``calm start`` that ``args`` (calm's own, after the program)
    give, as typer would pass them; None for anything not read here with certainty."""
    if len(args) < 2 or args[0] != "start" or _completing():
        return None
    given: dict[str, str | bool] = {}
    words = iter(args[1:])
    for word in words:
        value: str | bool
        if word in SWITCHES:
            name, value = SWITCHES[word]
        elif word in NAMED:
            name, value = NAMED[word], next(words, "")
            if not _plain_word(value):
                return None
        elif _plain_word(word):
            name, value = "script", word
        else:
            return None
        if name in given:
            return None
        given[name] = value
    return given if "script" in given else None


def _plain_word(word: str) -> bool:
    """Whether typer would surely take ``word`` as a value: not empty, not option-like."""
    return bool(word) and not word.startswith("-")


def _completing() -> bool:
    """Whether a shell is asking click for completions, which typer answers."""
    return any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)


def start_at_once(args: Sequence[str]) -> int | None:
    """Run ``calm start`` as typer would have run it, when ``args`` are read here: the
    exit status as typer would have returned it; None when typer has to read them."""
    given = read_start(args)
    if given is None:
        return None
    from calm.cli.starting import start_session
    from calm.practice.options import SessionFlags

    def flag(name: str) -> bool:
        return given.get(name) is True

    ambient, theme = given.get("ambient"), given.get("theme")
    check_in = given.get("check_in")
    flags = SessionFlags(
        demo=flag("demo"),
        theme=theme if isinstance(theme, str) else None,
        ambient=ambient if isinstance(ambient, str) else None,
        no_audio=flag("no_audio"),
        reduced_motion=flag("reduced_motion"),
        skip_caution=flag("skip_caution"),
        no_history=flag("no_history"),
        check_in=check_in if isinstance(check_in, bool) else None,
        voice=flag("voice"),
    )
    script = str(given["script"])
    try:
        return start_session(script, None, None, flag("gentle"), plain=flag("plain"), flags=flags)
    except EOFError as error:
        # What click does with these as it runs a command, for the same ending.
        print(file=sys.stderr)
        import typer

        raise typer.Abort() from error
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        import typer  # only an ending other than the session's own needs it

        if not isinstance(error, typer.Exit):
            raise
        return error.exit_code
