"""Parsing TOML from outside calm, with the shape of the text checked first.

``tomllib`` builds a whole document however it is shaped: one line of dotted keys
20,000 deep takes it half a minute and gigabytes, and lists nested 100,000 deep
exhaust Python's stack. So before it sees the text, one linear pass over it counts
what it would build: how deep keys, tables and lists nest, how many keys there are,
how many items one list holds and how long one string is. Text past any limit is
refused with one line, in milliseconds, before ``tomllib`` starts.

The pass follows TOML's strings and comments exactly as ``tomllib`` does, so a
bracket or a dot inside a string or a comment counts for nothing; where the text is
not valid TOML the pass stops and leaves ``tomllib`` to say what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from calm.core.record import Record, record


@record
class TomlLimits(Record):
    """How much one TOML file may ask ``tomllib`` to build."""

    depth: int = 10
    """How deep tables, lists and the parts of dotted keys may nest."""
    keys: int = 10_000
    """How many keys and table headers the file may have in all."""
    items: int = 1_000
    """How many items one list may hold."""
    chars: int = 20_000
    """How long one string, key or bare value may be, in characters."""


class TomlError(ValueError):
    """Text calm will not use as TOML: one line, and the place when it is known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)

    @property
    def place(self) -> str | None:
        """Where in the file, such as "line 3" or "line 3, column 7"."""
        if self.line is None:
            return None
        if self.column is None:
            return f"line {self.line}"
        return f"line {self.line}, column {self.column}"

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


_BOM = b"\xef\xbb\xbf"
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def parse_toml(
    data: bytes, limits: TomlLimits | None = None, *, kind: str = "TOML text"
) -> dict[str, Any]:
    """The TOML document in ``data``, once its shape is known to be within ``limits``.

    A UTF-8 byte-order mark at the start is skipped, as Windows editors write one.

    Args:
        data: The file's bytes.
        limits: How much the text may ask for; ``TomlLimits()`` by default.
        kind: What the file should be, for the line about a binary file.

    Raises:
        TomlError: when the bytes are not UTF-8 TOML text, or ask for too much.
    """
    text = decode_text(data, kind=kind)
    check_shape(text, limits or TomlLimits())
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(str(error)) from None
    except ValueError:
        # tomllib lets Python's limit on the digits of an integer escape as a ValueError.
        raise TomlError("TOML: a number has too many digits to read") from None
    except RecursionError:
        raise TomlError("TOML: lists or tables are nested too deeply to read") from None
    except MemoryError:
        raise TomlError("TOML: too big to read") from None


def decode_text(data: bytes, *, kind: str = "TOML text") -> str:
    """``data`` as text: UTF-8, with no byte-order mark and no NUL characters.

    Raises:
        TomlError: for a binary file, or bytes that are not UTF-8, naming the line.
    """
    if b"\x00" in data:
        raise TomlError(f"looks like a binary file, not {kind}")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise TomlError(
            f"expected UTF-8 text, found the byte 0x{byte:02x}; save the file as UTF-8", line
        ) from None


def _syntax_error(message: str) -> TomlError:
    found = _TOML_POSITION.search(message)
    line = column = None
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        message = message[: found.start()]
    message = message.strip() or "invalid TOML"
    return TomlError("TOML syntax: " + message[0].lower() + message[1:], line, column)


# -- the shape check ---------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\r]+")
_BARE = re.compile(r"[^ \t\r\n\[\]{},=.#\"']+")
# Strings as tomllib reads them, or a little more loosely where tomllib would stop with an
# error anyway; never more tightly, so a string tomllib accepts always ends where it ends.
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"', re.DOTALL)
_LITERAL = re.compile(r"'[^'\n]*'")
_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""(?:""?)?', re.DOTALL)
_MULTILINE_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*'''(?:''?)?", re.DOTALL)

# What the pass expects next.
_KEY, _VALUE, _AFTER, _HEADER = range(4)
_ARRAY, _TABLE = range(2)


def check_shape(text: str, limits: TomlLimits) -> None:
    """Refuse TOML text that would build more than ``limits`` allow, in one linear pass.

    Raises:
        TomlError: naming the first limit passed and its line.
    """
    _Shape(text, limits).scan()


class _Shape:
    """One pass over TOML text that counts what it would build."""

    def __init__(self, text: str, limits: TomlLimits) -> None:
        self.text = text
        self.limits = limits
        self.line = 1
        self.keys = 0
        # Open lists and inline tables, innermost last: [kind, level, items so far].
        self.frames: list[list[int]] = []
        self.state = _KEY
        self.parts = 0
        """Parts of the key or header being read."""
        self.table_level = 0
        """How deep the table that top-level keys go into is: 0 for the root, else from
        the last [header]."""
        self.value_level = 0
        """How deep the table holding the value being read is."""
        self.array_header = False
        # Numbers, dates and words, each no longer than a bare value may be, each followed
        # by a comma: items whose dots and words can hold nothing that nests.
        self._scalars = re.compile(
            rf"(?:[ \t]*[^ \t\r\n\[\]{{}},=#\"']{{1,{limits.chars}}}[ \t]*,)+"
        )

    def scan(self) -> None:
        text, size = self.text, len(self.text)
        at = 0
        while at < size:
            char = text[at]
            if char == "\n":
                self.line += 1
                if not self.frames:
                    self.state, self.parts = _KEY, 0
                at += 1
            elif char in " \t\r":
                found = _SPACE.match(text, at)
                assert found is not None
                at = found.end()
            elif char == "#":
                end = text.find("\n", at)
                at = size if end < 0 else end
            elif char in "\"'":
                end = self._string(at)
                if end < 0:
                    return  # not closed: tomllib says so, with the place
                self.line += text.count("\n", at, end)
                at = end
            elif char in "[]{},=.":
                at = self._punctuation(char, at)
            elif (
                self.state == _VALUE
                and self.frames
                and self.frames[-1][0] == _ARRAY
                and (run := self._scalars.match(text, at))
            ):
                # A run of plain items such as "1, 2, 3," in one step, not one by one.
                self.frames[-1][2] += run.group().count(",")
                if self.frames[-1][2] > self.limits.items:
                    self._refuse(f"a list holds more than {self.limits.items} items")
                at = run.end()
            else:
                found = _BARE.match(text, at)
                assert found is not None
                if found.end() - at > self.limits.chars:
                    self._refuse(f"a key or value is longer than {self.limits.chars} characters")
                self._word()
                at = found.end()

    def _refuse(self, message: str) -> None:
        raise TomlError("TOML: " + message, self.line)

    def _string(self, at: int) -> int:
        """Where the string starting at ``at`` ends, or -1 when it is not closed."""
        text = self.text
        if text.startswith('"""', at):
            found, quotes = _MULTILINE_BASIC.match(text, at), 6
        elif text.startswith("'''", at):
            found, quotes = _MULTILINE_LITERAL.match(text, at), 6
        elif text[at] == '"':
            found, quotes = _BASIC.match(text, at), 2
        else:
            found, quotes = _LITERAL.match(text, at), 2
        if found is None:
            return -1
        if found.end() - at - quotes > self.limits.chars:
            self._refuse(f"a string is longer than {self.limits.chars} characters")
        self._word()
        return found.end()

    def _word(self) -> None:
        """A string or a bare word: a part of a key, a value, or the rest of one."""
        if self.state == _HEADER:
            self.parts += 1
            self._level(self.parts + (1 if self.array_header else 0))
        elif self.state == _KEY:
            self.parts += 1
            base = self.frames[-1][1] if self.frames else self.table_level
            # Every part of a dotted key but its last makes a table one deeper.
            self._level(base + self.parts - 1)
        elif self.state == _VALUE:
            self._item()
            self.state = _AFTER

    def _level(self, level: int) -> None:
        if level > self.limits.depth:
            self._refuse(f"keys, tables and lists are nested more than {self.limits.depth} deep")

    def _item(self) -> None:
        """A value begins; in a list, it is one more item."""
        if self.frames and self.frames[-1][0] == _ARRAY:
            self.frames[-1][2] += 1
            if self.frames[-1][2] > self.limits.items:
                self._refuse(f"a list holds more than {self.limits.items} items")

    def _key(self) -> None:
        self.keys += 1
        if self.keys > self.limits.keys:
            self._refuse(f"the file has more than {self.limits.keys} keys")

    def _holder(self) -> int:
        """How deep the table or list holding the value being read is."""
        if self.frames and self.frames[-1][0] == _ARRAY:
            return self.frames[-1][1]
        return self.value_level

    def _punctuation(self, char: str, at: int) -> int:
        """Follow one of ``[]{},=.``; where the pass goes on from."""
        state, frames = self.state, self.frames
        if char == "=" and state == _KEY:
            self._key()
            base = frames[-1][1] if frames else self.table_level
            self.value_level = base + max(self.parts, 1) - 1
            self.state, self.parts = _VALUE, 0
        elif char == "[" and state == _KEY and not frames and self.parts == 0:
            self.array_header = self.text.startswith("[", at + 1)
            self.state = _HEADER
            self._key()
            return at + (2 if self.array_header else 1)
        elif char == "[" and state == _VALUE:
            self._open(_ARRAY)
        elif char == "{" and state == _VALUE:
            self._open(_TABLE)
        elif char == "]" and state == _HEADER:
            # A [[list]] header is a table inside a list: one deeper than its name.
            self.table_level = self.parts + (1 if self.array_header else 0)
            self._level(self.table_level)
            self.state, self.parts = _AFTER, 0
            if self.array_header and self.text.startswith("]", at + 1):
                return at + 2
        elif frames and (char, frames[-1][0]) in (("]", _ARRAY), ("}", _TABLE)):
            frames.pop()
            self.state = _AFTER
        elif char == "," and frames:
            self.state = _VALUE if frames[-1][0] == _ARRAY else _KEY
            self.parts = 0
        return at + 1

    def _open(self, kind: int) -> None:
        self._item()
        level = self._holder() + 1
        self._level(level)
        self.frames.append([kind, level, 0])
        self.state = _VALUE if kind == _ARRAY else _KEY
        self.parts = 0
