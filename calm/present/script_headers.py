"""What ``calm list`` and the picker show of each script, kept between runs.

Reading and checking every script to print one row each made ``calm list`` slow
with many scripts. So a script's header (its title, summary, category, tags and
planned length) is kept in the cache folder, keyed by the file's path, size and
modification time, and a file whose size or time changed is read again.

The cache is only ever a shortcut. A cache file that is missing, damaged, too
big, of another shape or from another version of calm is passed over and
written afresh, without a word; one that cannot be written is simply not kept.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calm import __version__
from calm.core.cue_names import CUE_NAMES
from calm.core.safe_read import ReadError, read_bytes, replace_file
from calm.core.script import BreatheStep, Category, Script
from calm.core.timeline import planned_ms
from calm.present.steps import words_for

FORMAT = 2
"""The shape of the cache file; a file of another shape is rebuilt. (2 added the tags,
which the picker's filter matches.)"""
MAX_CACHE_BYTES = 16 * 1024 * 1024
"""More than thousands of scripts need; a bigger file is not read, and is rebuilt."""
MAX_ENTRIES = 5000
"""The most headers kept; past it, those of files not listed this time are let go."""
SETTLE_NS = 2_000_000_000
"""A file changed this recently is not kept: a second change within its time's
granularity (two seconds on some file systems) could keep its size and its time."""


@dataclass(frozen=True, slots=True)
class Header:
    """What a listing shows of a script that loads, and what the picker filters on."""

    title: str
    summary: str
    category: Category
    seconds: float
    """The planned length as written."""
    self_paced: bool
    """Whether a step waits for the user however long it takes."""
    tags: tuple[str, ...] = ()


def header_of(script: Script) -> Header:
    """The header of a loaded script."""
    return Header(
        title=script.title,
        summary=script.summary,
        category=script.category,
        # Only the length is needed here: worked out without laying out every breath.
        seconds=planned_ms(script) / 1000,
        self_paced=any(words_for(step.kind).self_paced(step) for step in script.steps),
        tags=script.tags,
    )


def _stamp(path: Path) -> tuple[int, int] | None:
    """The file's size and modification time in nanoseconds; None when it cannot be seen."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_size, info.st_mtime_ns


def _names_sound_file(script: Script) -> bool:
    """Whether the script's validity rests on a sound file beside it, which may change alone."""
    cues = [step.cue for step in script.steps]
    for step in script.steps:
        if isinstance(step, BreatheStep):
            cues += [phase.cue for phase in step.pattern]
    return any(cue is not None and cue not in CUE_NAMES for cue in cues)


class HeaderCache:
    """The headers kept in one cache file, looked up by a script file's path.

    Headers of files not listed this time are kept too, so that listings with
    different script folders do not push each other out; past ``MAX_ENTRIES``
    only this listing's are kept.
    """

    def __init__(self, file: Path, kept: dict[str, Any]) -> None:
        self._file = file
        self._kept = kept
        self._used: set[str] = set()
        self._changed = False

    @classmethod
    def open(cls, file: Path) -> HeaderCache:
        """The headers kept in ``file``; none when it cannot be read or is not calm's."""
        try:
            document = json.loads(read_bytes(file, MAX_CACHE_BYTES))
        except (ReadError, ValueError, RecursionError):
            document = None
        if (
            isinstance(document, dict)
            and document.get("format") == FORMAT
            and document.get("calm") == __version__
            and isinstance(document.get("scripts"), dict)
        ):
            return cls(file, document["scripts"])
        return cls(file, {})

    def get(self, path: Path) -> Header | None:
        """The header kept for the file at ``path``, if the file is as it was then."""
        key = os.path.abspath(path)
        if key not in self._kept:
            return None
        kept = self._kept[key]
        stamp = _stamp(path)
        header = None
        if stamp is not None and isinstance(kept, list) and kept[:2] == list(stamp):
            header = _header_from(kept[2]) if len(kept) == 3 else None
        if header is None:  # out of date or damaged: forgotten, and perhaps learnt afresh
            del self._kept[key]
            self._changed = True
        else:
            self._used.add(key)
        return header

    def put(self, path: Path, script: Script, header: Header) -> None:
        """Keep ``header`` for the script just loaded from ``path``."""
        stamp = _stamp(path)
        if stamp is None or _names_sound_file(script):
            return
        if stamp[1] > time.time_ns() - SETTLE_NS:
            return
        fields = {
            "title": header.title,
            "summary": header.summary,
            "category": header.category.value,
            "seconds": header.seconds,
            "self_paced": header.self_paced,
            "tags": list(header.tags),
        }
        key = os.path.abspath(path)
        self._kept[key] = [*stamp, fields]
        self._used.add(key)
        self._changed = True

    def save(self) -> None:
        """Write the headers down, when anything was learnt or forgotten this time."""
        if not self._changed:
            return
        scripts = self._kept
        if len(scripts) > MAX_ENTRIES:
            scripts = {key: scripts[key] for key in self._used}
        document = {"format": FORMAT, "calm": __version__, "scripts": scripts}
        # Only a shortcut: when it cannot be kept, the next listing reads the files again.
        with contextlib.suppress(OSError, ValueError):
            replace_file(self._file, json.dumps(document, ensure_ascii=False))


def _header_from(fields: Any) -> Header | None:
    """The header a cache entry holds, or None when it is not the shape calm writes."""
    if not isinstance(fields, dict):
        return None
    title, summary = fields.get("title"), fields.get("summary")
    category, seconds = fields.get("category"), fields.get("seconds")
    self_paced, tags = fields.get("self_paced"), fields.get("tags")
    if not (isinstance(title, str) and isinstance(summary, str) and isinstance(self_paced, bool)):
        return None
    if not isinstance(category, str) or category not in {member.value for member in Category}:
        return None
    if not isinstance(seconds, float) or not math.isfinite(seconds) or seconds < 0:
        return None
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return None
    return Header(title, summary, Category(category), seconds, self_paced, tuple(tags))
