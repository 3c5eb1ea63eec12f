"""The cache of script headers behind ``calm list`` and the picker: used while a file is
unchanged, read again when it changes, and rebuilt without a word when it is damaged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calm import locations
from calm.cli import app
from calm.core import library as library_module
from calm.core.library import Library
from calm.present.catalogue import catalogue_json, catalogue_lines, collect
from calm.present.script_headers import FORMAT
from tests.support.scripts import tiny_script

PAST_NS = 1_600_000_000 * 10**9
"""A modification time long gone, so the cache keeps the file's header."""


def write(path: Path, text: str, *, mtime_ns: int = PAST_NS) -> None:
    """Write a script file and date it ``mtime_ns``."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.fixture
def scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user scripts folder with two good scripts and a broken one, named by
    CALM_SCRIPTS_PATH."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    write(folder / "quick.toml", tiny_script(title="Quick one"))
    write(folder / "prompted.toml", tiny_script(title="Waits", prompt="Ready?"))
    write(folder / "broken.toml", 'title = "Broken"\n')
    monkeypatch.setenv(locations.SCRIPTS_PATH_VARIABLE, str(folder))
    return folder


def loads_counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every script file loaded from now on, in order."""
    loaded: list[Path] = []
    real = library_module.load_script

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        loaded.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library_module, "load_script", counting)
    return loaded


def listed(*args: str) -> tuple[str, str]:
    """What ``calm list`` prints, and its error output."""
    result = CliRunner().invoke(app, ["list", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def test_a_second_listing_reads_only_the_broken_script(
    scripts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once every good script's header is kept, listing again loads none of them: a
    broken one is never kept, so its problem is found afresh."""
    collect(Library.discover())
    loaded = loads_counted(monkeypatch)
    rows = collect(Library.discover())
    assert loaded == [scripts / "broken.toml"]
    assert [row.entry.name for row in rows if row.error] == ["broken"]


def test_the_listing_is_the_same_with_and_without_the_cache(scripts: Path) -> None:
    """The table, the JSON and the error output match, first listing and second, and the
    rows a picker gets carry the same scripts."""
    first = listed(), listed("--json")
    assert locations.script_headers_file().is_file()
    second = listed(), listed("--json")
    assert first == second
    assert "broken" in first[0][0] and "invalid" in first[0][0]
    assert "broken" in first[1][1]
    fresh = collect(Library.discover())
    kept = collect(Library.discover())
    assert catalogue_json(fresh) == catalogue_json(kept)
    assert catalogue_lines(fresh, width=100) == catalogue_lines(kept, width=100)
    assert [row.script.title if row.script else None for row in kept] == [
        row.script.title if row.script else None for row in fresh
    ]


def test_a_changed_file_is_read_again(scripts: Path) -> None:
    """A script rewritten with another title and size lists with its new title."""
    assert "Quick one" in listed()[0]
    write(scripts / "quick.toml", tiny_script(title="Quick and new"), mtime_ns=PAST_NS + 10**9)
    table, _ = listed()
    assert "Quick and new" in table and "Quick one" not in table


def test_a_file_changed_keeping_its_size_is_read_again(scripts: Path) -> None:
    """Only the modification time differs: that is enough."""
    listed()
    write(scripts / "quick.toml", tiny_script(title="Quick two"), mtime_ns=PAST_NS + 10**9)
    assert "Quick two" in listed()[0]


def test_a_script_that_breaks_is_listed_as_broken(scripts: Path) -> None:
    """A kept header never hides a problem the file has now."""
    listed()
    write(scripts / "quick.toml", 'title = "Quick"\n', mtime_ns=PAST_NS + 10**9)
    table, _ = listed()
    assert table.count("invalid") == 2


def test_a_file_just_written_is_not_kept(scripts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed a moment ago could change again within its time's granularity, so
    its header waits for a later listing."""
    (scripts / "fresh.toml").write_text(tiny_script(title="Fresh"), encoding="utf-8")
    collect(Library.discover())
    loaded = loads_counted(monkeypatch)
    collect(Library.discover())
    assert scripts / "fresh.toml" in loaded


DAMAGE = {
    "garbage bytes": lambda file: file.write_bytes(b"\xff\x00{not json"),
    "a folder": lambda file: file.mkdir(),
    "a list": lambda file: file.write_text("[1, 2, 3]"),
    "another version": lambda file: file.write_text(
        json.dumps({"format": FORMAT, "calm": "0.0.0-other", "scripts": {}})
    ),
    "wrong entries": lambda file: file.write_text(
        json.dumps(
            {
                "format": FORMAT,
                "calm": __import__("calm").__version__,
                "scripts": {"x": 1, "y": [1, 2, {"category": []}]},
            }
        )
    ),
    "too big": lambda file: file.write_bytes(b" " * (17 * 1024 * 1024)),
    "deep nesting": lambda file: file.write_text("[" * 100_000),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_is_ignored_and_rebuilt(scripts: Path, damage: str) -> None:
    """Whatever sits where the cache belongs, the listing is as ever and says nothing
    more; the cache is then written afresh wherever a file can be."""
    expected = listed(), listed("--json")
    file = locations.script_headers_file()
    if file.is_file():
        file.unlink()
    DAMAGE[damage](file)
    assert (listed(), listed("--json")) == expected
    if damage != "a folder":
        document = json.loads(file.read_text(encoding="utf-8"))
        kept = {Path(key).name for key in document["scripts"]}
        assert {"prompted.toml", "quick.toml", "box.toml"} <= kept
        assert "broken.toml" not in kept


def test_an_entry_of_the_wrong_shape_is_read_again(
    scripts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One damaged header costs its own file a read, and the rest are still used."""
    collect(Library.discover())
    file = locations.script_headers_file()
    document = json.loads(file.read_text(encoding="utf-8"))
    quick = str(scripts / "quick.toml")
    document["scripts"][quick][2]["seconds"] = "long"
    document["scripts"][str(scripts / "prompted.toml")][2]["tags"] = ["ok", 3]
    file.write_text(json.dumps(document), encoding="utf-8")
    loaded = loads_counted(monkeypatch)
    collect(Library.discover())
    assert sorted(path.name for path in loaded) == ["broken.toml", "prompted.toml", "quick.toml"]


def test_a_cache_that_cannot_be_written_is_not_missed(
    scripts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the cache folder should be is a file: the listing goes on as ever."""
    cache = locations.cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a folder")
    assert "Quick one" in listed()[0]
