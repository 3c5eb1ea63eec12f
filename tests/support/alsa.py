"""Real sound captured without a sound card: ALSA's ``file`` plugin, set up in a home of
the test's own, writes every stream calm opens to a file to read back."""

from __future__ import annotations

from pathlib import Path


def capture_home(folder: Path) -> Path:
    """A home whose ALSA default device writes each stream to out.raw, out.raw.0001, ..."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".asoundrc").write_text(
        "pcm.!default {\n"
        "    type file\n"
        '    slave.pcm "null"\n'
        f'    file "{folder / "out.raw"}"\n'
        '    format "raw"\n'
        "    truncate false\n"
        "}\n",
        encoding="utf-8",
    )
    return folder
