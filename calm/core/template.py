"""The commented starting point that ``calm new`` writes."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """\
# {title}: a calm script. Lines starting with # are notes for you; calm ignores them.
# Check your changes with:  calm validate {path}
# Try it with:              calm start {name}

title = "{title}"
summary = "One line that says what this script is for."
# One of: breathing, unwinding, grounding, reset, move, demo
category = "unwinding"
tags = ["my own"]
# How long the whole session lasts, say and prompt steps included: minutes = 5.
# The breathing steps without a length of their own share what the other steps leave.
# Or give the breaths they share instead: cycles = 10.
minutes = 3
# Where the technique comes from. Name the author, year and title where there is one.
sources = ["My own practice."]
# Shown once before the session starts. Delete the line if there is nothing to say.
caution = "If anything feels uncomfortable, let your breath return to normal."
# Shown when the session ends.
reminder = "Before you get up, have a sip of water and stretch gently."

# Steps run in order. There are three kinds: say, breathe and prompt.

# say: words shown for a number of seconds.
[[steps]]
say = "Settle in, and let your shoulders drop."
seconds = 8

# breathe: a pattern repeated. "4-6" is in for 4 seconds, out for 6.
# "4-7-8" adds a hold after the in-breath; "4-4-4-4" adds one after the out-breath too.
[[steps]]
breathe = "Let the out-breath be a little longer than the in-breath."
pattern = "4-6"

# A pattern can also list each phase, with its own words, and a phase can grow
# a little each breath. Phases are inhale, hold_in, exhale and hold_out.
[[steps]]
breathe = "Slowly lengthen the out-breath."
cycles = 6
pattern = [
    {{ phase = "inhale", seconds = 4, text = "In through the nose" }},
    {{ phase = "exhale", seconds = 5, text = "Out, slow and soft", per_cycle = 0.5, limit = 7 }},
]

# prompt: waits until you press Enter. Add timeout = 30 to move on by itself.
[[steps]]
prompt = "When you are ready, open your eyes."
"""


def template_for(name: str, path: Path) -> str:
    """A new script called ``name``, to be saved at ``path``, full of notes on how to change it."""
    title = name.replace("-", " ").replace("_", " ").strip().capitalize() or "My script"
    return TEMPLATE.format(name=name, title=title, path=path)
