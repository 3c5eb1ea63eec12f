"""The private Textual names calm reaches into are still there.

calm pins textual to ``>=8,<9`` (pyproject.toml) for these two, and no others:
- ``App._print_error_renderables`` and ``App._exit_renderables``: calm's app keeps
  a crash's traceback in a log and says one line, in place of a wall of text;
- ``LinuxDriver._file``: calm's driver writes the screen through ``TerminalOutput``,
  which notices a terminal that has gone.
Should a Textual in that range drop either, these tests fail before a user finds out.
"""

from __future__ import annotations

import asyncio
import inspect

from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from calm.tui.app import CalmApp
from calm.tui.driver import TerminalOutput, calm_driver


def test_the_error_hook_calm_overrides_is_textuals_own() -> None:
    """CalmApp overrides a method Textual has and calls, over a list Textual fills."""
    assert "_print_error_renderables" in vars(App)
    assert "_print_error_renderables" in vars(CalmApp)
    assert "self._print_error_renderables()" in inspect.getsource(App)
    assert isinstance(App()._exit_renderables, list)


def test_the_driver_still_keeps_its_terminal_where_calm_wraps_it() -> None:
    """Textual's Linux driver names its output ``_file``, which calm's driver wraps."""

    async def made() -> LinuxDriver:
        return calm_driver()(App(), size=(80, 24))  # it wants a running loop

    driver = asyncio.run(made())
    assert isinstance(vars(driver)["_file"], TerminalOutput)
    assert "self._file" in inspect.getsource(LinuxDriver)
