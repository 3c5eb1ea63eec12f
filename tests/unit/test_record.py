"""A ``record`` behaves as the frozen, slotted dataclass it stands in for."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace
from typing import Any

import pytest

from calm.core.record import Record, record


@dataclass(frozen=True, slots=True)
class Made:
    """The dataclass, as Python writes it."""

    name: str
    ms: int = 5
    note: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    kind: str = field(default="say", init=False)
    hidden: int = field(default=0, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.ms < 0:
            raise ValueError("ms below 0")


@record
class Written(Record):
    """The same, as a record."""

    name: str
    ms: int = 5
    note: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    kind: str = field(default="say", init=False)
    hidden: int = field(default=0, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.ms < 0:
            raise ValueError("ms below 0")


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a",), {}),
    (("a", 3), {"note": "n"}),
    ((), {"name": "b", "tags": ("x", "y"), "hidden": 4}),
    (("c", 1, None, ("t",), 9), {}),
]


def _shown(value: object) -> str:
    return repr(value).replace("Written", "Made")


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_a_record_is_made_shown_compared_and_hashed_as_the_dataclass(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """The same fields, repr, equality and hash, from the same arguments."""
    made, written = Made(*args, **kwargs), Written(*args, **kwargs)
    assert _shown(written) == _shown(made)
    assert [one.name for one in fields(written)] == [one.name for one in fields(made)]
    assert written == Written(*args, **kwargs)
    assert hash(written) == hash(Written(*args, **kwargs))
    assert (written == Written("other")) == (made == Made("other"))
    assert written != made  # another class is never equal, as with dataclasses
    assert Written.__match_args__ == Made.__match_args__
    assert Written.__slots__ == Made.__slots__


def test_a_record_compares_and_hashes_only_the_compared_fields() -> None:
    """A field left out of comparison changes neither equality nor hash."""
    assert Written("a", hidden=1) == Written("a", hidden=2)
    assert hash(Written("a", hidden=1)) == hash(Written("a", hidden=2))


def test_a_record_is_frozen_and_slotted() -> None:
    """No field can be set or deleted, and no other attribute added."""
    written = Written("a")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'ms'"):
        written.ms = 3  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'ms'"):
        del written.ms  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        written.other = 1  # type: ignore[attr-defined]
    assert not hasattr(written, "__dict__")


def test_replace_copy_and_pickle_keep_a_record_whole() -> None:
    """``dataclasses.replace``, copying and pickling give equal records."""
    written = Written("a", 2, "n", ("t",), hidden=3)
    assert replace(written, ms=4) == Written("a", 4, "n", ("t",), hidden=3)
    with pytest.raises(ValueError):
        replace(written, kind="breathe")  # type: ignore[call-arg]
    assert copy.copy(written) == written and copy.deepcopy(written) == written
    assert pickle.loads(pickle.dumps(written)) == written


def test_post_init_runs_and_wrong_arguments_are_refused() -> None:
    """``__post_init__`` checks each record made; a wrong call is a TypeError."""
    with pytest.raises(ValueError, match="ms below 0"):
        Written("a", -1)
    with pytest.raises(ValueError, match="ms below 0"):
        replace(Written("a"), ms=-1)
    for args, kwargs in [((), {}), (("a",), {"name": "b"}), (("a",), {"kind": "x"})]:
        with pytest.raises(TypeError):
            Written(*args, **kwargs)
    with pytest.raises(TypeError):
        Written("a", 1, None, (), 0, 0)
