"""A small value class without ``dataclasses``, whose import (with ``inspect``) takes
longer than ``calm nudge`` may take in all at a shell prompt; so does ``typing``'s.

A ``Value`` names its fields in ``__slots__`` and sets them in its ``__init__``; it
is equal to another of its class whose fields are equal, and shows its fields.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is left unimported at run time, for the same reason
    from typing import Any


class Value:
    """Equality, hashing and a repr from the fields named in ``__slots__``."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._fields()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"
