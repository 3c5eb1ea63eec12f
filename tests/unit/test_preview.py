"""``calm show``'s preview: every step, and a bounded amount of text however big the script."""

from __future__ import annotations

import io
import time
from pathlib import Path

from rich.console import Console

from calm.core.library import Entry, Origin
from calm.core.loader import parse_script_bytes
from calm.core.timeline import compile_timeline
from calm.present.preview import PREVIEW_LINES, PREVIEW_LINES_EACH, preview


def _shown(source: str, width: int = 80) -> str:
    script = parse_script_bytes(source.encode(), name="big", source="big.toml")
    entry = Entry(name="big", path=Path("big.toml"), origin=Origin.PATH)
    out = io.StringIO()
    Console(file=out, width=width, highlight=False).print(preview(entry, compile_timeline(script)))
    return out.getvalue()


def _many_lines(count: int) -> str:
    return "\\n".join(f"line {number}" for number in range(count))


HEAD = 'title = "Big"\nsummary = "A script as big as calm allows."\ncategory = "reset"\n'


def test_a_short_script_is_shown_whole() -> None:
    """Texts of a usual length are shown in full, with no note about cutting."""
    shown = _shown(HEAD + f'[[steps]]\nsay = "{_many_lines(10)}"\nseconds = 5\n')
    assert "line 9" in shown
    assert "cut short" not in shown


def test_one_long_text_is_cut_short_with_a_pointer_to_json() -> None:
    """A say of hundreds of lines shows its start, "…", and where to find every word."""
    shown = _shown(HEAD + f'[[steps]]\nsay = "{_many_lines(300)[:2000]}"\nseconds = 5\n')
    assert "line 0" in shown
    assert f"line {PREVIEW_LINES_EACH + 1}" not in shown
    assert "…" in shown
    assert "`calm show big --json` gives every word" in shown


def test_the_biggest_script_shows_every_step_in_bounded_lines_at_once() -> None:
    """120 steps of 16 phases, every text as long as calm allows and broken into short lines:
    every step is listed, the lines shown stay bounded, and it comes at once (such a preview
    once took 21 s)."""
    phase_text = _many_lines(40)[:300]
    phases = ", ".join(
        f'{{ phase = "{"inhale" if number % 2 == 0 else "exhale"}", seconds = 0.5, '
        f'text = "{phase_text}" }}'
        for number in range(16)
    )
    step = f'[[steps]]\nbreathe = "{_many_lines(300)[:2000]}"\ncycles = 1\npattern = [{phases}]\n'
    source = HEAD + step * 120  # as many as fit in the 1 MB a script may take
    started = time.monotonic()
    shown = _shown(source)
    took = time.monotonic() - started
    rows = [line for line in shown.splitlines() if line.strip().startswith(("1 ", "120 "))]
    assert len(rows) >= 2
    # A line for each step and each of its phases, and the text's share on top.
    assert len(shown.splitlines()) <= 120 * 18 + 2 * PREVIEW_LINES
    assert took < 5  # a sanity guard only: the bound on lines is the real guarantee
