"""What each key does, read from the screens' bindings.

The help screen, the command palette and the README's key table all say what
the session's keys do. None of them keeps its own list: the words live on the
``Binding`` objects (a binding's ``tooltip`` is its line in the help, which the
footer also shows on hover), and each of them reads them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.keys import format_key
from textual.screen import Screen

PALETTE_WORDS = "all commands, and themes"
"""What the command palette's key opens. The palette's binding is Textual's own, so its
words for the help are kept here."""

HELP_ORDER = (
    "pause",
    "continue",
    "next_step",
    "previous_step",
    "mute",
    "help",
    "end",
    "leave",
    "suspend_process",
    "command_palette",
)
"""The actions the help lists first, in this order: what moves the session on, then
sound and help, then the ways out. The footer's order is another (the way out comes
straight after the key of the moment), so the help keeps its own. Any other binding
with a tooltip follows them."""

KEY_GAP = "  "
"""Between two keys that do the same, as in "q  esc"."""


@dataclass(frozen=True)
class CommandBinding(Binding):
    """A key whose action the command palette offers too, under a title of its own.

    The palette reads its titles and help as markup, so both are calm's own fixed
    words, never a script's.
    """

    command: str = ""
    """The palette's title for the action, such as "Pause or resume"."""
    command_help: str = ""
    """The palette's line under the title."""


@dataclass(frozen=True)
class KeyHelp:
    """One row of the key help: the keys as shown, and what they do."""

    keys: str
    """The keys, such as "space" or "q  esc"."""
    what: str
    """What they do, in a few lower-case words."""
    action: str = field(default="", compare=False)
    """The action they run, such as "pause"."""


def session_keys() -> list[KeyHelp]:
    """The session's keys and what each does: the help screen's rows, in its order.

    The session screen's bindings come first, then the app's own (Ctrl+C, Ctrl+Z) and
    the command palette's key.
    """
    # Imported here: the screens import this module for ``CommandBinding``.
    from calm.tui.app import CalmApp
    from calm.tui.screens.session import SessionScreen

    palette = Binding(CalmApp.COMMAND_PALETTE_BINDING, "command_palette", tooltip=PALETTE_WORDS)
    return help_rows([*SessionScreen.BINDINGS, *CalmApp.BINDINGS, palette], HELP_ORDER)


def help_rows(bindings: Sequence[BindingType], first: Sequence[str]) -> list[KeyHelp]:
    """The help's rows: one for each action in ``first``, in that order, then one for
    each other binding with a tooltip, in the order of ``bindings``.

    A row is made from the first of ``bindings`` that runs its action, as written
    ("n,right" whole).

    Raises:
        LookupError: No binding runs one of the actions in ``first``.
    """
    by_action: dict[str, Binding] = {}
    for binding in bindings:
        if isinstance(binding, Binding):  # a tuple says nothing the help could show
            by_action.setdefault(binding.action, binding)
    missing = [action for action in first if action not in by_action]
    if missing:
        raise LookupError(f"no binding runs {', '.join(missing)}")
    others = [action for action, binding in by_action.items() if binding.tooltip]
    chosen = [*first, *[action for action in others if action not in first]]
    return [
        KeyHelp(keys_shown(by_action[action]), words_for(by_action[action]), action)
        for action in chosen
    ]


def keys_shown(binding: Binding) -> str:
    """A binding's keys as the help shows them: its own display, or each key's name."""
    if binding.key_display:
        return binding.key_display
    return KEY_GAP.join(format_key(key.strip()) for key in binding.key.split(","))


def words_for(binding: Binding) -> str:
    """What a binding does, in the help's words: its tooltip, or else its description
    as the help writes it, starting in lower case."""
    words = binding.tooltip or binding.description
    return words[:1].lower() + words[1:]


def palette_commands(screen: Screen[Any]) -> Iterable[SystemCommand]:
    """The command palette's entries for ``screen``: each ``CommandBinding`` whose key
    does something there now."""
    for binding in screen.BINDINGS:
        if isinstance(binding, CommandBinding) and _key_works(screen, binding.key):
            yield SystemCommand(
                binding.command, binding.command_help, getattr(screen, f"action_{binding.action}")
            )


def _key_works(screen: Screen[Any], key: str) -> bool:
    """Whether any of ``screen``'s bindings on ``key`` is enabled now.

    One key may run several actions, of which ``check_action`` enables the one it
    means at the moment (space pauses, resumes or carries on): the palette offers
    the key's command while any of them is enabled.
    """
    return any(
        screen.check_action(binding.action, ())
        for binding in screen.BINDINGS
        if isinstance(binding, Binding) and binding.key == key
    )
