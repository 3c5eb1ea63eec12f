"""Where scripts come from: the built-in ones, the user's folders, the script files that
came with the user's care plans, and direct paths.

Listing the library only looks at file names; a script is read when it is
needed, so a broken file never hides the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from calm import locations
from calm.core.loader import load_script
from calm.core.pace import uses_preferred, with_pace
from calm.core.problems import ScriptError
from calm.core.safe_read import ReadError, expanded, files_in, is_dir, is_file, is_there
from calm.core.safe_text import shown_name
from calm.core.script import Script
from calm.core.suggest import did_you_mean

PreferredPace = Callable[[], float | None]
"""Reads the user's preferred pace in breaths a minute; None when none is saved."""


class Origin(StrEnum):
    """Where a script was found."""

    BUILTIN = "built-in"
    USER = "user"
    PLAN = "plan"
    PATH = "path"


@dataclass(eq=False)
class Entry:
    """One script file in the library, loaded on first use."""

    name: str
    path: Path
    origin: Origin
    hides: list[Entry] = field(default_factory=list)
    """Scripts of the same name that this one hides, such as a built-in script."""
    pace: PreferredPace | None = field(default=None, repr=False)
    """Reads the user's preferred pace, for a script that breathes at it."""
    plan: str | None = None
    """The name of the care plan the script came with, for one that came with a plan."""
    _script: Script | None = field(default=None, repr=False)
    _error: ScriptError | None = field(default=None, repr=False)
    _loaded: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        # A file's name is data: one holding an escape sequence must never reach the
        # terminal, in a listing, a preview, the picker or a message.
        self.name = shown_name(self.name)

    @property
    def shown_path(self) -> str:
        """How the file is named in messages, shown safely on one line."""
        if self.origin is Origin.BUILTIN:
            return f"{self.name}.toml (built-in)"
        return shown_name(str(self.path))

    @property
    def shown_origin(self) -> str:
        """Where it comes from, as ``calm list`` says it: "plan evening-rest" for a
        script that came with a care plan."""
        if self.origin is Origin.PLAN and self.plan:
            return f"{self.origin.value} {shown_name(self.plan)}"
        return self.origin.value

    def load(self) -> Script:
        """The checked script.

        Raises:
            ScriptError: when the file has problems.
        """
        if not self._loaded:
            try:
                script = load_script(self.path, name=self.name, source=self.shown_path)
                if uses_preferred(script):  # the pace is read only for such a script
                    script = with_pace(script, self.pace() if self.pace is not None else None)
                self._script = script
            except ScriptError as error:
                self._error = error
            self._loaded = True
        if self._error is not None:
            raise self._error
        assert self._script is not None
        return self._script

    @property
    def error(self) -> ScriptError | None:
        """The problems with the file, if it has any."""
        try:
            self.load()
        except ScriptError as error:
            return error
        return None


def _add_folder(found: dict[str, Entry], notices: list[str], folder: Path, origin: Origin) -> None:
    """Every script in ``folder`` into ``found``; one line into ``notices`` when it
    cannot be read."""
    paths, problem = files_in(folder, ".toml")
    if problem is not None:
        notices.append(f"{shown_name(str(folder))}: {problem}; its scripts are left out")
    for path in paths:
        _add(found, Entry(name=path.stem, path=path, origin=origin))


def _add(found: dict[str, Entry], entry: Entry) -> None:
    """``entry`` into ``found``, or among what the one found first of its name hides."""
    if entry.name in found:
        found[entry.name].hides.append(entry)
    else:
        found[entry.name] = entry


class UnknownScriptError(LookupError):
    """No script has the name the user typed, or no file is at the path they gave."""

    def __init__(
        self, name: str, names: list[str], *, is_path: bool = False, reason: str | None = None
    ) -> None:
        self.name = name
        self.names = names
        self.is_path = is_path
        self.reason = reason
        """Why there is no file there, when it is more than that nothing is there."""
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line that says what was not found and what might have been meant."""
        if self.is_path:
            because = f": {self.reason}" if self.reason else ""
            return f"no script file at {self.name}{because}"
        text = f'no script named "{self.name}"'
        hint = did_you_mean(self.name, self.names)
        text += f"; {hint}" if hint else "."
        return text + " Run `calm list` to see them all."


class Library:
    """All the scripts calm can find, by name."""

    def __init__(
        self,
        entries: list[Entry],
        notices: list[str] | None = None,
        pace: PreferredPace | None = None,
    ) -> None:
        self._by_name = {entry.name: entry for entry in entries}
        self.notices = notices or []
        """One line for each scripts folder that could not be read; the rest still count."""
        self.pace = pace
        """Reads the user's preferred pace; None has none (see ``calm.core.pace``)."""
        for entry in entries:
            entry.pace = pace

    @classmethod
    def discover(
        cls,
        builtin_dir: Path | None = None,
        user_dirs: list[Path] | None = None,
        *,
        pace: PreferredPace | None = None,
        plan_scripts: list[tuple[str, Path]] | None = None,
    ) -> Library:
        """Find every script in the user's folders, the care plans' script files and
        the built-in folder.

        A user script hides a built-in of the same name, and an earlier user
        folder hides a later one. ``plan_scripts`` are the script files that came with
        the care plans, each with its plan's name (found by whoever reads the plans);
        they come after the user's folders. ``pace`` reads the user's preferred pace,
        for the scripts that breathe at it; it is called only when one of them is read.
        """
        builtin = builtin_dir if builtin_dir is not None else locations.builtin_scripts_dir()
        users = user_dirs if user_dirs is not None else locations.user_scripts_dirs()
        found: dict[str, Entry] = {}
        notices: list[str] = []
        for folder in users:
            _add_folder(found, notices, folder, Origin.USER)
        for plan, path in plan_scripts or []:
            _add(found, Entry(name=path.stem, path=path, origin=Origin.PLAN, plan=plan))
        _add_folder(found, notices, builtin, Origin.BUILTIN)
        return cls(list(found.values()), notices, pace)

    @property
    def names(self) -> list[str]:
        """Every script name, sorted."""
        return sorted(self._by_name)

    def entries(self) -> list[Entry]:
        """Every script, sorted by name."""
        return [self._by_name[name] for name in self.names]

    def get(self, name: str) -> Entry | None:
        """The script called ``name``, if there is one."""
        return self._by_name.get(name)

    def resolve(self, wanted: str) -> Entry:
        """The script the user means: a name from the library or a path to a file.

        Raises:
            UnknownScriptError: when nothing matches.
        """
        entry = self._by_name.get(wanted)
        if entry is not None:
            return entry
        path_like = wanted.endswith(".toml") or "/" in wanted or "\\" in wanted
        try:
            path = expanded(wanted)
        except ReadError as error:
            if path_like:
                raise UnknownScriptError(wanted, [], is_path=True, reason=error.reason) from None
            path = Path(wanted)
        # Something calm may not look at is still the user's file: loading it says why.
        if is_file(path) or (path_like and is_there(path) and not is_dir(path)):
            return Entry(name=path.stem, path=path, origin=Origin.PATH, pace=self.pace)
        if path_like:
            raise UnknownScriptError(wanted, [], is_path=True)
        lowered = {name.lower(): name for name in self._by_name}
        if wanted.lower() in lowered:
            return self._by_name[lowered[wanted.lower()]]
        raise UnknownScriptError(wanted, list(self._by_name))
