"""What the user asked to hear: a volume, and perhaps an ambient bed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AudioChoice:
    """The sound settings for a session, after flags and config are combined."""

    volume: int = 0
    """Cue volume from 0 to 100; 0 means no sound at all."""
    ambient: str | None = None
    """The ambient bed to loop under the cues, if any."""
