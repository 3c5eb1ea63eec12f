"""``record``: a frozen, slotted dataclass whose methods are written once, here.

``@dataclass(frozen=True, slots=True)`` writes each class its own ``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` as
source text and compiles each as the module is imported: some 4.5 million
instructions a class, and a session's first frame waits for every class of the
script model. A ``record`` is the same dataclass (``dataclasses.fields`` and
``replace`` know it), whose methods come from ``Record``, compiled with calm, and
behave as the generated ones do. For classes made by the few, not the thousand:
its ``__init__`` reads its arguments in Python rather than in code of its own.
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar, cast, dataclass_transform

if TYPE_CHECKING:
    from dataclasses import Field

_Class = TypeVar("_Class", bound=type)

_FIELDS: dict[type, tuple[Field[Any], ...]] = {}
"""Each record class's fields, once looked up."""


def _fields_of(record: object) -> tuple[Field[Any], ...]:
    kind = type(record)
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = fields(kind)  # type: ignore[arg-type]
    return found


class Record:
    """What a frozen dataclass is given, written once for every ``record``."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Each field from the arguments, by position or by name, else its default."""
        taken = [one for one in _fields_of(self) if one.init]
        if len(args) > len(taken):
            raise TypeError(f"{type(self).__name__}() takes {len(taken)} arguments")
        values = dict(zip((one.name for one in taken), args, strict=False))
        for name, value in kwargs.items():
            if name in values or all(one.name != name for one in taken):
                raise TypeError(f"{type(self).__name__}() got an unexpected argument {name!r}")
            values[name] = value
        for one in _fields_of(self):
            if one.name in values:
                value = values[one.name]
            elif one.default is not MISSING:
                value = one.default
            elif one.default_factory is not MISSING:
                value = one.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() missing argument {one.name!r}")
            object.__setattr__(self, one.name, value)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, one.name) for one in _fields_of(self) if one.compare)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        hashed = (
            getattr(self, one.name)
            for one in _fields_of(self)
            if (one.compare if one.hash is None else one.hash)
        )
        return hash(tuple(hashed))

    def __repr__(self) -> str:
        shown = (f"{one.name}={getattr(self, one.name)!r}" for one in _fields_of(self) if one.repr)
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return [getattr(self, one.name) for one in _fields_of(self)]

    def __setstate__(self, state: list[Any]) -> None:
        for one, value in zip(_fields_of(self), state, strict=True):
            object.__setattr__(self, one.name, value)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: _Class) -> _Class:
    """Make ``cls``, a ``Record``, a frozen and slotted dataclass with ``Record``'s methods."""
    return cast("_Class", dataclass(init=False, repr=False, eq=False, slots=True)(cls))
