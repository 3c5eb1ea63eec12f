"""A session's sound as a file to take home: the soundtrack of ``calm render``, and the
browser's "Download this session as audio" on the summary (``calm serve``).

The soundtrack is the session's cues at the volume over its bed, with the voice
when it is on, each prompt that waits for the user lasting ``untimed_ms``. What
stands in the way of a part (a cue that cannot be made ready, no speech engine)
is one line to ``tell``, and the file goes on without that part.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calm.core.timeline import Timeline
    from calm.practice.options import SessionOptions
    from calm.sound.soundtrack import Soundtrack

TAKE_HOME_VOLUME = 70
"""The volume of a file made from a session that played silently (``--no-audio``)."""
PROMPT_SECONDS = 10.0
"""How long a prompt that waits for the user lasts in a file, when nothing says."""


def session_soundtrack(
    timeline: Timeline,
    options: SessionOptions,
    *,
    untimed_ms: int,
    tell: Callable[[str], None],
    volume: int | None = None,
) -> Soundtrack:
    """The session's soundtrack, at ``volume`` (the options' by default)."""
    from calm.sound.cues import Speaking, load_bed, load_clips, spoken_lines
    from calm.sound.pcm import RATE
    from calm.sound.soundtrack import Soundtrack

    level = options.volume if volume is None else volume
    clips, notices = load_clips(timeline, level)
    for notice in notices:
        tell(notice)
    bed = load_bed(options.ambient, level) if options.ambient else None
    spoken = None
    if options.voice:
        speaking = Speaking(options.voice_rate, options.voice_phases)
        spoken = spoken_lines(
            timeline, clips, speaking, volume=level, notify=tell, untimed_ms=untimed_ms
        )
    return Soundtrack(timeline, clips, bed=bed, rate=RATE, untimed_ms=untimed_ms, voice=spoken)


def take_home_mp3(
    timeline: Timeline, options: SessionOptions, folder: Path, tell: Callable[[str], None]
) -> Path:
    """The session as an MP3 in ``folder``, named for its script, for the browser to
    download; a session that played silently is made at ``TAKE_HOME_VOLUME``.

    Raises:
        RenderError: when the file cannot be written.
    """
    from calm.core.safe_text import shown_name
    from calm.sound.render_file import Tags, format_for, write_file

    track = session_soundtrack(
        timeline,
        options,
        untimed_ms=round(PROMPT_SECONDS * 1000),
        tell=tell,
        volume=options.volume or TAKE_HOME_VOLUME,
    )
    kind = format_for("session.mp3")
    assert kind is not None
    wanted = shown_name(timeline.script.name)[:60]
    name = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "-" for c in wanted)
    target = Path(tempfile.mkdtemp(prefix="calm-take-home-", dir=folder)) / f"{name or 'calm'}.mp3"
    tags = Tags(title=timeline.script.title, album=timeline.script.name, comment="made by calm")
    write_file(track, target, kind, tags)
    return target
