"""Scripts the unit tests write as their steps alone: ``parse`` adds the top every script
needs, and steps more than one module uses are read once from tests/fixtures/scripts/."""

from __future__ import annotations

from pathlib import Path

from calm.core.loader import parse_script_bytes
from calm.core.script import Script

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"
"""Whole script files the tests share, each a valid script that `calm validate` accepts."""

HEADER = 'title = "T"\nsummary = "S"\ncategory = "breathing"\n'
"""The top every script needs, with no length and no steps."""


def parse(body: str) -> Script:
    """A script from TOML text, with the required title, summary and category added."""
    return parse_script_bytes((HEADER + body).encode(), name="t", source="t.toml")


def steps_of(name: str) -> str:
    """The steps of tests/fixtures/scripts/NAME.toml: all of it below its ``HEADER``."""
    text = (FIXTURES / f"{name}.toml").read_text(encoding="utf-8")
    assert text.startswith(HEADER), f"{name}.toml should begin with the HEADER"
    return text.removeprefix(HEADER)


SIMPLE = steps_of("simple")
"""5 s say (0-5), three 12 s breaths of 4 in, 2 hold, 6 out (5-41), 5 s say (41-46):
46 s in all."""
