"""Render the cue set into WAV files: ``python -m calm.sound.write_cues [FOLDER]``.

The files in the repository's ``audio/`` folder are exactly what this writes,
and a test checks that they still are.
"""

from __future__ import annotations

import sys
from pathlib import Path

from calm import locations
from calm.sound.synth import render_all


def render_into(folder: Path) -> list[Path]:
    """Write every cue as ``NAME.wav`` in ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, segment in render_all().items():
        path = folder / f"{name}.wav"
        segment.export(path, format="wav")
        written.append(path)
    return written


NEEDS_FOLDER = "name a folder to write the cues into; an installed calm's own cues stay as they are"
"""Said when no folder is given and calm is not running from a source checkout."""


def main(argv: list[str] | None = None) -> int:
    """Render into the folder given, or a source checkout's audio folder."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else locations.source_audio_dir()
    if folder is None:
        print(f"calm: {NEEDS_FOLDER}", file=sys.stderr)
        return 2
    try:
        written = render_into(folder)
    except OSError as error:
        print(f"calm: cannot write into {folder}: {error.strerror or error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
