"""What an app has drawn, read through Textual's public API.

The text comes from the app's own screenshot (``App.export_screenshot``), the
actions from what each drawn widget renders (``Widget.render_lines``), so the
tests see what a person would without reaching into Textual's compositor.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.geometry import Region

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)"'
    r' clip-path="url\(#[^)]*-line-(\d+)\)">([^<]*)</text>'
)
"""One run of text in the screenshot: where it starts, its length, its line and its
characters (escaped, with each space as ``&#160;``)."""


def drawn_lines(app: App[Any]) -> list[str]:
    """Every line of the screen on top as the terminal shows it, a cell with nothing
    in it as a space and a wide character once, as it is written."""
    width, height = app.size
    cells = [[" "] * width for _ in range(height)]
    for x, length, line, escaped in _TEXT.findall(app.export_screenshot()):
        text = html.unescape(escaped).replace("\xa0", " ")
        if text == "\n":
            continue  # each line's end
        row = cells[int(line)]
        # The screenshot gives each character the same width, so where a run starts
        # and how long it is say which cell it starts in.
        column = round(float(x) * len(text) / float(length))
        for char in text:
            row[column] = char
            for covered in range(column + 1, column + cell_len(char)):
                row[covered] = ""  # the second cell of a wide character
            column += cell_len(char)
    return ["".join(row) for row in cells]


def click_actions(app: App[Any]) -> list[object]:
    """Every action a click on the screen on top could run: the ``@`` keys in the style
    of every cell that each widget drawn there renders (all of it, covered or not;
    the scrollbars, Textual's own, aside)."""
    screen = app.screen
    found = []
    for widget in [screen, *screen.query("*")]:
        region = widget.region  # empty when the widget is not drawn
        for strip in widget.render_lines(Region(0, 0, region.width, region.height)):
            for segment in strip:
                meta = segment.style.meta if segment.style is not None else {}
                found += [value for key, value in meta.items() if key.startswith("@")]
    return found
