"""The commented plan ``calm plan new`` writes, for a therapist to fill in for a client."""

from __future__ import annotations

FROM_PLACEHOLDER = "Your therapist's name or practice"
"""The template's words for ``from``, which a plan may not keep: a client would read
"Your plan from Your therapist's name or practice"."""

TEMPLATE = """\
# A care plan for calm: what to practise between appointments, and a few reminders.
# Fill it in, check it with `calm plan validate FILE`, and give it to your client.
# They add it with `calm plan import FILE`, and see it each day with `calm today`.

title = "Between our sessions"
from = "Your therapist's name or practice"

# Optional: when the plan begins and ends (year-month-day).
# starts = 2027-01-04
# ends = 2027-02-28

note = "Go gently. Stop anything that hurts, and tell me about it next time."

# Each practice is a calm script (see `calm list`), or a script file that you give
# with this plan, in the same folder ("my-evening.toml").
# when: "daily", "after work", "before bed", "3 per week", or weekdays: ["mon", "thu"]

[[practice]]
script = "between-clients"
when = "daily"

[[practice]]
script = "body-scan"
when = "3 per week"

# Reminders are in your own words, each with a rhythm like a practice's.

[[reminder]]
text = "Stretch your calves gently before bed."
when = "before bed"

[[reminder]]
text = "A glass of water after each session."
when = "daily"
"""
"""The template: valid as written but for ``from``, which ``calm plan validate`` asks
to be filled in."""
