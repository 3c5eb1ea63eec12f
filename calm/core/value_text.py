"""A value read from a file, as a message names it: its kind, and the value when it is short.

Scripts, the config and its settings all say what they found in the same words:
``true``, ``"breathe"``, ``3600.0001``, ``a list``, ``a table``, ``empty text``.
"""

from __future__ import annotations

import math

TEXT_SHOWN = 40
"""The most characters of a text a message quotes whole; longer is cut short."""


def describe_value(value: object) -> str:
    """How a TOML value is named in a problem: its kind, and the value when it is short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, str):
        shown = value if len(value) <= TEXT_SHOWN else value[: TEXT_SHOWN - 3] + "..."
        return f'"{shown}"' if shown else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def number_text(value: float) -> str:
    """A number as it was written, or nearly: never longer than a message can hold."""
    if isinstance(value, int):
        if value.bit_length() > 128:
            # str() of a number this long may not even be allowed; its size says enough.
            return "a number with more than 38 digits"
        text = str(value)
        return text if len(text) <= 20 else text[:17] + "..."
    if math.isnan(value) or math.isinf(value):
        return str(value)
    # As written: the shortest text that reads back as the same number, so 3600.0001 is
    # never "3600" and 0.0 is never "0", unless a shorter form reads back the same.
    text, short = repr(value), f"{value:g}"
    return short if len(text) > 12 and float(short) == value else text
