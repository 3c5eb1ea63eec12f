"""calm's own quiet theme: low contrast, cool and soft."""

from __future__ import annotations

from textual.theme import Theme

CALM_THEME = Theme(
    name="calm",
    primary="#88B4B0",
    secondary="#A7BFA0",
    accent="#B9A7C9",
    foreground="#D5DCE0",
    background="#1C2226",
    surface="#232A2F",
    panel="#2B3338",
    warning="#D8C08A",
    error="#D09A9A",
    success="#A7BFA0",
    dark=True,
)
"""The default theme. Textual's own themes can be chosen with --theme or the config."""


def theme_names() -> list[str]:
    """Every theme a session can use: calm's own and Textual's built-in ones."""
    from textual.theme import BUILTIN_THEMES

    return sorted({*BUILTIN_THEMES, CALM_THEME.name})
