"""The picker: every script by category, a preview, and the length to start with.

Typing filters the list; up and down choose; left and right shorten and
lengthen the session, and Enter starts it. Every printable key is text for the
filter, so "4-7-8" or "cyclic-sigh" can be typed without changing a length.

The list is made, filtered and grouped from each script's header alone (kept
between runs by ``calm.present.script_headers``), so a library of hundreds of
scripts opens without reading them: a script is loaded only when it is
highlighted, for its preview and length, or chosen.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.message import Message
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from calm.core.length_plan import LengthError, LengthOptions
from calm.core.library import Entry
from calm.core.safe_text import shown_name, shown_safely
from calm.core.script import MAX_CYCLES, MAX_MINUTES, Category
from calm.core.timeline import Timeline, compile_timeline
from calm.present.catalogue import Row
from calm.present.measures import breaths_text, length_text
from calm.present.preview import preview
from calm.tui.screens.base import CalmScreen, TooSmall
from calm.tui.widgets.plain import Plain

PLANNED = "plan:"
"""What begins the id of a script listed again under "Your plan"."""


class PickerScreen(CalmScreen[None]):
    """Lets the user choose a script and its length.

    It stays underneath while the session runs, so that stepping back from a
    caution returns to the list just as it was.
    """

    class Chosen(Message):
        """The user chose a script to start, at a length."""

        def __init__(self, entry: Entry, options: LengthOptions) -> None:
            super().__init__()
            self.entry = entry
            self.options = options

    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        # Not - and +: those are text, and "4-7-8" is a name to type. Before the list's
        # own (unused) sideways scrolling, so that the footer names them.
        Binding("left", "shorter", "Shorter", key_display="←", priority=True),
        Binding("right", "longer", "Longer", key_display="→", priority=True),
        Binding("ctrl+g", "gentle", "Gentle"),
        Binding("escape", "clear_or_quit", "Clear / quit"),
        # A narrow footer has room only for Start and the way out. These keys work
        # there all the same, unnamed: the length line names them.
        Binding("left", "shorten", "Shorter", show=False, priority=True),
        Binding("right", "lengthen", "Longer", show=False, priority=True),
        Binding("ctrl+g", "toggle_gentle", "Gentle", show=False),
    ]

    NAMED_WHEN_WIDE = {"shorter": "shorten", "longer": "lengthen", "gentle": "toggle_gentle"}
    """Each key the footer names only in a wide window, and its unnamed twin."""

    def __init__(self, rows: list[Row], planned: dict[str, bool] | None = None) -> None:
        """List ``rows``; ``planned`` names today's practices from the care plans, each
        with whether it is done today, listed first as "Your plan"."""
        super().__init__()
        self.rows = rows
        self.planned = dict(planned or {})
        self.filter = ""
        self._lengths: dict[str, LengthOptions] = {}
        self._by_name = {row.entry.name: row for row in rows}
        self._broken: set[str] = set()
        """Scripts listed from their headers that turned out broken when loaded."""
        self._listed: tuple[object, ...] | None = None
        """What the list was last filled with: the scripts shown and today's plan."""
        self._previewed: tuple[object, ...] | None = None
        """What the preview last showed: the script and its length options."""

    def compose(self) -> ComposeResult:
        yield self.notices
        with Horizontal(id="picker"):
            with Vertical(id="picker-left"):
                yield Plain("", id="filter")
                yield OptionList(id="scripts")
            with Vertical(id="picker-right"):
                with VerticalScroll(id="preview-scroll"):
                    yield Plain("", id="preview")
                yield Plain("", id="length")
        yield TooSmall()
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    # -- the list ----------------------------------------------------------------

    def _matches(self, row: Row) -> bool:
        if not self.filter:
            return True
        wanted = _squeezed(self.filter)
        haystack = [row.entry.name]
        if row.header is not None:
            header = row.header
            haystack += [header.title, header.summary, header.category.value, *header.tags]
        return any(wanted in _squeezed(text) for text in haystack)

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        shown = [row for row in self.rows if self._matches(row)]
        filter_text = f"Filter: {self.filter}▏" if self.filter else "Type to filter"
        self.query_one("#filter", Plain).update(filter_text)
        listed = (tuple(row.entry.name for row in shown), tuple(self.planned.items()))
        if listed == self._listed:
            # A letter that leaves the same scripts shown (most of a name, once typed)
            # changes the filter line alone: the list, its highlight and the preview
            # stay, rather than being built and drawn again for each key.
            return
        self._listed = listed
        options.clear_options()
        entries: list[Option] = []
        planned = [row for name in self.planned if (row := self._by_name.get(name)) in shown]
        if planned:
            entries.append(Option(Text("YOUR PLAN", style="bold dim"), disabled=True))
            entries += [Option(self._label(row), id=PLANNED + row.entry.name) for row in planned]
        for category in [*Category, None]:
            group = [
                row for row in shown if (row.header.category if row.header else None) is category
            ]
            if not group:
                continue
            heading = category.value if category else "invalid"
            entries.append(Option(Text(heading.upper(), style="bold dim"), disabled=True))
            entries += [self._option(row) for row in group]
        options.add_options(entries)
        first = self._first_choice(options)
        options.highlighted = first
        if first is None:
            self._show_preview(None)

    def _option(self, row: Row) -> Option:
        # Broken scripts can be highlighted, so their problem shows in the preview.
        return Option(self._label(row), id=row.entry.name)

    def _label(self, row: Row) -> Text:
        """A list entry: the title, then the name and the length as chosen."""
        # A file's name is whatever its owner chose, escape sequences and all.
        name = shown_name(row.entry.name)
        header = row.header
        length = row.length  # as written, from the header: listing loads no script
        if row.entry.name in self._lengths:  # chosen here, so the script is loaded
            timeline = self._timeline(row)
            length = "" if timeline is None else length_text(timeline)
        if header is None or not length or row.entry.name in self._broken:
            return Text.assemble((name, "bold"), ("\ninvalid", "red"))
        label = Text.assemble((shown_safely(header.title), "bold"), (f"\n{name} · {length}", "dim"))
        done = self.planned.get(row.entry.name)
        if done is not None:
            label.append(" · ✓ done" if done else " · today", style="green")
        return label

    def _row(self) -> Row | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self._by_name.get((option.id or "").removeprefix(PLANNED))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_preview(self._row())

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_start()

    # -- preview and length --------------------------------------------------------

    def _options_for(self, row: Row) -> LengthOptions:
        return self._lengths.get(row.entry.name, LengthOptions())

    def _timeline(self, row: Row) -> Timeline | None:
        if row.script is None:
            return None
        try:
            return compile_timeline(row.script, self._options_for(row))
        except LengthError:
            return compile_timeline(row.script)

    def _show_preview(self, row: Row | None) -> None:
        shown = None if row is None else (row.entry.name, self._options_for(row))
        if shown == self._previewed:
            return  # already on the screen: a preview is dozens of tables to draw
        self._previewed = shown
        preview_widget = self.query_one("#preview", Plain)
        length_widget = self.query_one("#length", Plain)
        if row is None:
            preview_widget.update("No script matches. Press escape to clear the filter.")
            length_widget.update("")
            return
        timeline = self._timeline(row)
        if timeline is None:
            # A script listed from its header may have broken since: its own problem shows.
            error = row.error or row.entry.error
            message = error.first_line if error else "This script cannot be read."
            preview_widget.update(Text(message, style="red"))
            length_widget.update("")
            if row.header is not None and row.entry.name not in self._broken:
                self._broken.add(row.entry.name)
                self._relabel(row)
            return
        preview_widget.update(preview(row.entry, timeline))
        length = length_text(timeline)
        if timeline.cycles:
            length += f" · {breaths_text(timeline.cycles)}"
        if timeline.options.gentle:
            length += " · gentle, no holds"
        hint = "  ← → to change · ctrl+g gentle" if row.script and row.script.breathe_steps else ""
        length_widget.update(Text.assemble(("Length ", "dim"), (length, "bold"), (hint, "dim")))

    def _change_length(self, direction: int) -> None:
        row = self._row()
        if row is None or row.script is None or not row.script.breathe_steps:
            return
        current = self._timeline(row)
        if current is None:
            return
        options = self._options_for(row)
        if _counts_breaths(row):
            cycles = min(max(current.cycles + direction, 1), MAX_CYCLES)
            chosen = replace(options, cycles=cycles, minutes=None)
        else:
            minutes = round(current.total_seconds / 60) + direction
            chosen = replace(options, minutes=min(max(minutes, 1), MAX_MINUTES), cycles=None)
        try:
            compile_timeline(row.script, chosen)
        except LengthError as error:
            self.notify(str(error), timeout=4)
            return
        self._lengths[row.entry.name] = chosen
        self._show_preview(row)
        self._relabel(row)

    def _relabel(self, row: Row) -> None:
        """Show the chosen length in the list as well as in the preview."""
        options = self.query_one(OptionList)
        label = self._label(row)
        for option_id in (row.entry.name, PLANNED + row.entry.name):
            with contextlib.suppress(OptionDoesNotExist):
                options.replace_option_prompt(option_id, label)

    def plan_today(self, planned: dict[str, bool]) -> None:
        """Today's practices from the care plans, worked out after the list was first
        drawn: they go first, highlighted, unless a script was already chosen there."""
        options = self.query_one(OptionList)
        chosen = options.highlighted_option
        moved = options.highlighted != self._first_choice(options)
        highlighted = chosen.id if moved and chosen is not None else None
        self.planned = dict(planned)
        self._fill()
        if highlighted is not None:
            with contextlib.suppress(OptionDoesNotExist):
                options.highlighted = options.get_option_index(highlighted)

    @staticmethod
    def _first_choice(options: OptionList) -> int | None:
        """Where the first entry that can be chosen is, below the headings."""
        return next(
            (index for index, option in enumerate(options.options) if not option.disabled), None
        )

    def practised(self, name: str) -> None:
        """A session of ``name`` now counts as done today: its plan entry says so."""
        if self.planned.get(name) is False:
            self.planned[name] = True
            row = self._by_name.get(name)
            if row is not None:
                self._relabel(row)

    # -- keys ------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        """Every printable key goes into the filter; none of them is a command."""
        if event.key == "backspace" and self.filter:
            self.filter = self.filter[:-1]
        elif event.is_printable and event.character:
            if event.character == " " and not self.filter:
                return
            self.filter += event.character
        else:
            return
        event.stop()
        self._fill()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a narrow window, the length keys work under their unnamed twins."""
        if not super().check_action(action, parameters):
            return False
        wide = self.has_class("-wide")
        if action in self.NAMED_WHEN_WIDE:
            return wide
        if action in self.NAMED_WHEN_WIDE.values():
            return not wide
        return True

    def action_shorten(self) -> None:
        """← in a narrow window."""
        self.action_shorter()

    def action_lengthen(self) -> None:
        """→ in a narrow window."""
        self.action_longer()

    def action_toggle_gentle(self) -> None:
        """ctrl+g in a narrow window."""
        self.action_gentle()

    def action_start(self) -> None:
        """Start the highlighted script at the chosen length."""
        row = self._row()
        if row is None or row.script is None:
            return
        self.post_message(self.Chosen(row.entry, self._options_for(row)))

    def action_shorter(self) -> None:
        """A minute or a breath less."""
        self._change_length(-1)

    def action_longer(self) -> None:
        """A minute or a breath more."""
        self._change_length(+1)

    def action_gentle(self) -> None:
        """Leave the holds out, or put them back."""
        row = self._row()
        if row is None or row.script is None:
            return
        options = self._options_for(row)
        self._lengths[row.entry.name] = replace(options, gentle=not options.gentle)
        self._show_preview(row)
        self._relabel(row)

    def action_clear_or_quit(self) -> None:
        """Escape clears the filter, or leaves when there is none."""
        if self.filter:
            self.filter = ""
            self._fill()
        else:
            self.app.exit()


def _counts_breaths(row: Row) -> bool:
    """Whether the script's length is written in breaths rather than minutes."""
    script = row.script
    if script is None:
        return False
    if script.length is not None:
        return script.length.cycles is not None
    return all(
        step.length is not None and step.length.cycles is not None for step in script.breathe_steps
    )


def _squeezed(text: str) -> str:
    """Text to match on, without case, spaces or hyphens, so that "478" and "4-7-8"
    both find 4-7-8, and "bodyscan" finds body-scan."""
    return "".join(char for char in text.lower() if char not in " -")
