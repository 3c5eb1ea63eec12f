"""The session screen's keys: what the footer calls each, and what the help and the
command palette say it does.

Everything calm tells about these keys is read from here (see ``calm.tui.key_help``):
a binding's tooltip is its line in the help screen and the README, and a
``CommandBinding`` is an entry in the command palette as well.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from calm.tui.key_help import CommandBinding

# The footer shows these in this order and drops from the right when the window
# is narrow, so the way out comes straight after the key of the moment.
# One key may have several names; check_action shows the one it has now.
SESSION_BINDINGS: list[BindingType] = [
    CommandBinding(
        "space",
        "pause",
        "Pause",
        key_display="space",
        tooltip="pause and resume; at a prompt, carry on",
        command="Pause or resume",
        command_help="Freeze the session",
    ),
    Binding("space", "resume", "Resume", key_display="space"),
    Binding("space", "carry_on", "Continue", key_display="space"),
    CommandBinding(
        "q,escape",
        "end",
        "End",
        tooltip="end, and see the summary",
        command="End session",
        command_help="End now and see the summary",
    ),
    CommandBinding(
        "question_mark",
        "help",
        "Help",
        key_display="?",
        tooltip="this help",
        command="Help",
        command_help="Show the keys",
    ),
    CommandBinding(
        "m",
        "mute",
        "Mute",
        tooltip="sound (or the bell) off and on",
        command="Mute or unmute",
        command_help="Sound off, or on again",
    ),
    Binding("m", "unmute", "Unmute"),
    Binding("m", "bell_off", "Bell off"),
    Binding("m", "bell_on", "Bell on"),
    CommandBinding(
        "n,right",
        "next_step",
        "Next",
        tooltip="next step",
        command="Next step",
        command_help="Skip to the next step",
    ),
    CommandBinding(
        "b,left",
        "previous_step",
        "Back",
        tooltip="previous step",
        command="Previous step",
        command_help="Back to the previous step",
    ),
    # The same keys, unlisted: in a narrow window the footer has no room for them.
    Binding("n,right", "skip_forward", "Next", show=False),
    Binding("b,left", "skip_back", "Back", show=False),
    Binding(
        "enter",
        "continue",
        "Continue",
        show=False,
        key_display="enter",
        tooltip="carry on from a prompt",
    ),
]
