"""Options more than one command takes, declared once: the same name, bounds and help."""

from __future__ import annotations

from typing import Annotated

import typer

from calm.cli.number_option import NumberRange

MinutesOption = Annotated[
    float | None,
    typer.Option(
        "--minutes",
        "-m",
        parser=NumberRange(0.1, 180),
        metavar="M",
        help="Fit the session to about M minutes, from 0.1 to 180.",
    ),
]
"""``--minutes M`` / ``-m M``: fit a script to about M minutes (``show`` and ``start``)."""

CyclesOption = Annotated[
    int | None,
    typer.Option(
        "--cycles",
        "-c",
        parser=NumberRange(1, 10_000, whole=True),
        metavar="N",
        help="Breathe N breaths in all, from 1 to 10000.",
    ),
]
"""``--cycles N`` / ``-c N``: breathe N breaths in all (``show`` and ``start``)."""

GentleOption = Annotated[
    bool,
    typer.Option("--gentle", help="Leave out every breath hold, keeping the in and out breaths."),
]
"""``--gentle``: leave out every breath hold (``show`` and ``start``)."""

DemoOption = Annotated[
    bool,
    typer.Option(
        "--demo",
        # typer reads help as Rich markup, where a bare "[demo]" would vanish as a tag.
        help="For showing calm to someone: no caution, nothing recorded, no check-in, "
        "no tip or word about your week; the config's \\[demo] table can change this.",
    ),
]
"""``--demo``: a session for showing calm to someone (bare ``calm`` and ``start``)."""

VolumeOption = Annotated[
    int | None,
    typer.Option(
        "--volume",
        parser=NumberRange(0, 100, whole=True),
        metavar="0-100",
        help="Cue volume.",
    ),
]
"""``--volume 0-100``: how loud the cues are (``start`` and ``audio test``)."""

PlainOption = Annotated[bool, typer.Option("--plain", help="Print lines of text, no screen.")]
"""``--plain``: lines of text instead of the screen (``start`` and ``pace``)."""

NoAudioOption = Annotated[bool, typer.Option("--no-audio", help="No sound cues.")]
"""``--no-audio``: no sound at all (``start`` and ``pace``)."""

VoiceOption = Annotated[
    bool, typer.Option("--voice", help="Speak the steps through the system's speech engine.")
]
"""``--voice``: speak each step's words (``start``, ``pace`` and ``render``)."""
