"""The names of the ambient beds, apart from how they are made.

Checking ``--ambient`` happens before a session's first screen, and needs the
names alone: importing the beds themselves would bring the WAV cache and its
modules along before anything is drawn.
"""

BED_NAMES = ("pink", "brown", "ocean")
"""The ambient beds, as named to ``--ambient``."""
