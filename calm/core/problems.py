"""Problems found in a script, each one a single line that names the file and the place."""

from __future__ import annotations

from collections.abc import Iterable

from calm.core.record import Record, record
from calm.core.safe_text import is_hidden


@record
class Problem(Record):
    """One thing wrong with a script file."""

    source: str
    """The file, as the user would recognise it."""
    place: str | None
    """Where in the file, such as ``line 3, column 5`` or ``step 3 > pattern > exhale``."""
    message: str
    """What was expected and what was found."""

    def __str__(self) -> str:
        line = (
            f"{self.source}: {self.place}: {self.message}"
            if self.place
            else f"{self.source}: {self.message}"
        )
        # Keys and values quoted from the file may hold line breaks or terminal control
        # codes; a problem is one line, and it never drives the terminal.
        return "".join(_escape(char) if _is_control(char) else char for char in line)


def _is_control(char: str) -> bool:
    # The same test as everywhere calm shows text: controls, and the format characters
    # (such as U+202E) that can disguise the text around them.
    return is_hidden(char)


def _escape(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


class ScriptError(Exception):
    """A script could not be loaded. It carries every problem found, one line each."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a ScriptError needs at least one problem")
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Each problem as the one line shown to the user."""
        return [str(problem) for problem in self.problems]

    @property
    def first_line(self) -> str:
        """The first problem, for places that have room for only one line."""
        return str(self.problems[0])
