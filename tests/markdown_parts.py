"""The parts of calm's Markdown pages the doc tests read: sections, tables, links, code."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

PAGES = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "tests" / "benchmarks" / "README.md",
        *(ROOT / "docs").glob("*.md"),
    ]
)
"""Every page of calm's documentation."""


def read(page: str) -> str:
    """The text of a page, named by its path from the repository's top folder."""
    return (ROOT / page).read_text(encoding="utf-8")


def without_code(text: str) -> str:
    """``text`` with its fenced code blocks left out, so that a ``#`` in them is no heading."""
    return re.sub(r"^```.*?^```[^\n]*$", "", text, flags=re.MULTILINE | re.DOTALL)


def section(text: str, heading: str) -> str:
    """The text under a ``## `` heading, up to the next ``## `` heading."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    titles = parts[1::2]
    assert heading in titles, f"no section {heading!r}; the sections are {titles}"
    return parts[2 + 2 * titles.index(heading)]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown tables in ``text``, as lists of cells."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith(("| ---", "|---")):
            continue
        # A pipe written as \| inside a cell is part of the cell.
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.strip() for cell in cells])
    return rows


def first_table(text: str) -> list[list[str]]:
    """The rows of the first table in ``text``, its header row first."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return table_rows("\n".join(lines[start:end]))


def code_blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks in ``text`` marked as ``language``."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def links(text: str) -> list[str]:
    """The targets of the inline links and images in ``text``, outside code."""
    prose = re.sub(r"`[^`\n]*`", "", without_code(text))
    return re.findall(r"\]\(([^)\s]+)\)", prose)


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    words = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return words.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of every heading on ``page``."""
    text = without_code(page.read_text(encoding="utf-8"))
    return {anchor(title) for title in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}
