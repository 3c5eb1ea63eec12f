"""Numbers typed on the command line, checked in calm's words.

click's own number types say "0.0 is not in the range 0.1<=x<=180" about a typed
"0": the converted value, in a programmer's notation. This parser keeps what was
typed, so the one line calm prints quotes the user exactly, and its problem
words itself through click's own ``format_message`` hook:
"--minutes must be a number, got 'abc'".
"""

from __future__ import annotations

import math

import typer

from calm.cli.flag_rules import long_name


class NumberProblem(typer.BadParameter):
    """A number typed wrong, said as a sentence about the option: "--minutes must be
    from 0.1 to 180, got 0", where click would say "Invalid value for '--minutes' /
    '-m': ..."."""

    def format_message(self) -> str:
        """The option's long name, then what is wrong with the number."""
        if self.param is None:
            return self.message
        return f"{long_name(self.param)} {self.message}"


class NumberRange:
    """Parses a number from ``low`` to ``high``; whole numbers only when ``whole``."""

    def __init__(self, low: float, high: float, *, whole: bool = False) -> None:
        """A parser for numbers from ``low`` to ``high``, both included."""
        self.low = low
        self.high = high
        self.whole = whole

    def __call__(self, value: str | float) -> float:
        """The number ``value`` stands for.

        Raises:
            NumberProblem: in plain words, quoting what was typed.
        """
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value  # a default, already a number
        text = str(value).strip()
        try:
            number = int(text) if self.whole else float(text)
        except ValueError:
            kind = "a whole number" if self.whole else "a number"
            raise NumberProblem(f"must be {kind}, got {text!r}") from None
        if not (math.isfinite(number) and self.low <= number <= self.high):
            low, high = _bound(self.low), _bound(self.high)
            raise NumberProblem(f"must be from {low} to {high}, got {text}")
        return number


def _bound(value: float) -> str:
    """A limit as people write it: "0.1", "180", "1000000000"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
