"""Scripts the tests write: ``parse`` adds the top every script needs to steps alone,
steps more than one module uses are read once from tests/fixtures/scripts/, and
``tiny_script`` writes the whole small script (words, a few breaths, maybe a prompt) that
the command-line tests run, with the seconds and words each module's tests rely on."""

from __future__ import annotations

import json
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


def tiny_script(
    *,
    title: str = "Quick",
    summary: str = "A tiny script for testing.",
    category: str = "reset",
    say: str = "Arrive.",
    say_seconds: float = 0.1,
    breathe: str | None = "Two short breaths.",
    cycles: int = 2,
    inhale: float = 0.1,
    exhale: float = 0.1,
    inhale_text: str | None = None,
    exhale_text: str | None = None,
    prompt: str | None = None,
) -> str:
    """A whole script file's TOML: a say step, then (unless ``breathe`` is None) a breathe
    step of ``cycles`` breaths in and out, then (if given) an untimed prompt step.

    Each key is written ``key = value`` on its own line and the pattern on one line, as
    ``[{ phase = "inhale", seconds = 0.1 }, { phase = "exhale", seconds = 0.1 }]``, so a
    test may edit the text with ``str.replace``."""
    lines = [f"title = {_quoted(title)}", f"summary = {_quoted(summary)}"]
    lines += [f"category = {_quoted(category)}", ""]
    lines += ["[[steps]]", f"say = {_quoted(say)}", f"seconds = {say_seconds}"]
    if breathe is not None:
        phases = f"{_phase('inhale', inhale, inhale_text)}, {_phase('exhale', exhale, exhale_text)}"
        lines += ["", "[[steps]]", f"breathe = {_quoted(breathe)}", f"cycles = {cycles}"]
        lines.append(f"pattern = [{phases}]")
    if prompt is not None:
        lines += ["", "[[steps]]", f"prompt = {_quoted(prompt)}"]
    return "\n".join(lines) + "\n"


def _phase(name: str, seconds: float, text: str | None) -> str:
    """One phase of a pattern as a TOML inline table, its words last if it has any."""
    words = "" if text is None else f", text = {_quoted(text)}"
    return f"{{ phase = {_quoted(name)}, seconds = {seconds}{words} }}"


def _quoted(text: str) -> str:
    """``text`` as a TOML basic string: a JSON string, whose escapes TOML shares, with
    letters beyond ASCII written as themselves."""
    return json.dumps(text, ensure_ascii=False)
