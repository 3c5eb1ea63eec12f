"""Writing a widget's changed rows straight to the terminal, past Textual's compositor.

The breath orb changes a dozen times a second. Through ``Widget.refresh`` each
change costs Textual a frame: it gathers the dirty regions, finds every widget
they touch, renders and crops each one, and joins the pieces, which is most of
the processor a session uses. The orb already knows which of its rows changed
and has them drawn, so when nothing can be in the way, those rows are written
to the terminal as they are, in one synchronized frame.

"Nothing in the way" is checked against Textual's own map of the screen: the
widget's screen is the one showing, the terminal is a full screen of Textual's
Linux driver (a browser, a test's headless app or an inline app take the
ordinary path), and no widget drawn above it overlaps it. Whatever Textual
draws later over the same cells comes from the same ``render_lines``, so the
two paths always agree.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Region

if TYPE_CHECKING:
    from textual.app import App
    from textual.driver import Driver
    from textual.widget import Widget


class DirectRows:
    """Writes rows of one widget straight to the terminal while nothing covers it."""

    def __init__(self, widget: Widget) -> None:
        """Write rows of ``widget``."""
        self._widget = widget
        self._written: dict[Hashable, str] = {}
        """What was written for each picture, rows and place, since the last layout."""
        self._checked: tuple[object, Region | None] | None = None
        """The screen map last checked, and the part of the widget it leaves in view
        and uncovered (None when something covers it)."""

    def write(self, first: int, stop: int, *, picture: Hashable = None) -> bool:
        """Write the widget's rows ``first`` to ``stop`` (its own row numbers) to the
        terminal now; False, having written nothing, when they must go through Textual.

        With a ``picture`` naming what the rows show, what is written is kept for the
        next time those rows show it in the same place.
        """
        widget = self._widget
        app = widget.app
        terminal = full_screen_terminal(app)
        if terminal is None or widget.screen is not app.screen:
            return False
        shown = self._uncovered()
        if shown is None:
            return False
        region = widget.region
        key = (picture, first, stop, shown, region, app.cursor_position)
        data = self._written.get(key) if picture is not None else None
        if data is None:
            data = self._rows(first, stop, shown, region)
            if picture is not None:
                self._written[key] = data
        if data:
            _write_frame(app, terminal, data)
        return True

    def forget(self) -> None:
        """Forget what was written: the widget's pictures have changed colours."""
        self._written.clear()

    def _rows(self, first: int, stop: int, shown: Region, region: Region) -> str:
        """What puts rows ``first`` to ``stop`` on the terminal, as much as is in view."""
        widget = self._widget
        app = widget.app
        top = max(first, shown.y - region.y)
        bottom = min(stop, shown.bottom - region.y)
        if top >= bottom:
            return ""  # the rows that changed are out of view
        crop = Region(shown.x - region.x, top, shown.width, bottom - top)
        console = app.console
        pieces = []
        for offset, strip in enumerate(widget.render_lines(crop)):
            pieces.append(_move_to(shown.x, region.y + top + offset))
            pieces.append(strip.render(console))
        pieces.append(_move_to(*app.screen.outer_size.clamp_offset(app.cursor_position)))
        return "".join(pieces)

    def _uncovered(self) -> Region | None:
        """The part of the widget on screen, when no widget drawn above it overlaps it."""
        widget = self._widget
        compositor: Any = getattr(widget.screen, "_compositor", None)
        if compositor is None:
            return None
        try:
            layers = compositor.visible_widgets
        except Exception:
            return None
        checked = self._checked
        if checked is not None and checked[0] is layers:
            return checked[1]
        self._written.clear()  # the screen was laid out anew
        shown: Region | None = None
        # Textual lists the visible widgets from the topmost down.
        # A container is drawn under what it holds, whatever its place in the list.
        holders = set(widget.ancestors)
        above: list[Region] = []
        for other, (region, clip) in layers.items():
            if other is widget:
                shown = region.intersection(clip)
                break
            if other not in holders:
                above.append(region.intersection(clip))
        if shown is not None and (not shown or any(shown.overlaps(cover) for cover in above)):
            shown = None
        self._checked = (layers, shown)
        return shown


def _move_to(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


def full_screen_terminal(app: App[Any]) -> Driver | None:
    """The driver of the terminal ``app`` is drawing on now, when that is a full
    screen of Textual's Linux driver; None for a browser, a test's headless app, an
    inline app, an app not running, or a batch of updates under way."""
    driver = getattr(app, "_driver", None)
    if (
        not isinstance(driver, LinuxDriver)
        or driver.is_inline
        or app.is_headless
        or getattr(app, "_batch_count", True)
        or not app.is_running
    ):
        return None
    return driver


def _write_frame(app: App[Any], driver: Driver, data: str) -> None:
    """Write ``data`` as Textual writes a frame: synchronized when the terminal can."""
    # Textual's own, which begin and end synchronized output when the terminal has it.
    begin, end = getattr(app, "_begin_update", None), getattr(app, "_end_update", None)
    if begin is not None:
        begin()
    driver.write(data)
    if end is not None:
        end()
    driver.flush()
