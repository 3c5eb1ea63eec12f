"""Every file calm reads is guarded: only regular files, only so much of them, and TOML
whose shape is checked before it is parsed. Whatever is at a path, calm answers at once,
with one plain line, and never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calm import locations
from calm.core.library import Library, UnknownScriptError
from calm.core.loader import SCRIPT_TOML, load_script, parse_script_bytes
from calm.core.problems import ScriptError
from calm.core.safe_read import ReadError, Why, expanded, files_in, read_bytes, within
from calm.core.safe_toml import TomlError, TomlLimits, check_shape, parse_toml
from calm.practice.tips import TIPS, next_tip
from tests.conftest import ROOT
from tests.support.examples import examples
from tests.support.toml_documents import DOCUMENTS, to_toml

SCRIPT = """\
title = "Mine"
summary = "A test script."
category = "reset"

[[steps]]
say = "Arrive."
seconds = 1
"""
"""A small valid script."""

QUICKLY = 5.0
"""Seconds anything here may take, as a sanity bound only: what the tests rely on is that
the work is refused before it is done. Real times are milliseconds."""

NO_USER = "~calm-no-such-user-here"
"""A ``~user`` path for a user no system has."""


def finishes(action: Callable[[], Any], seconds: float = QUICKLY) -> Any:
    """The result of ``action``, which must finish within ``seconds``: run on a thread, so
    that a read that would wait for ever fails the test rather than hanging it."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:  # handed back to the test below
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def reason_for(path: Path, limit: int = 1000) -> ReadError:
    """The ReadError that reading ``path`` must raise, at once."""
    with pytest.raises(ReadError) as caught:
        finishes(lambda: read_bytes(path, limit))
    assert "\n" not in caught.value.reason
    return caught.value


# -- one reader for every file ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    """A named pipe, which would wait for a writer for ever, is refused at once."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    error = reason_for(pipe)
    assert (error.why, error.reason) == (Why.NOT_REGULAR, "is a named pipe, not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    """A link to /dev/zero, which never ends, is refused before any of it is read."""
    link = tmp_path / "config.toml"
    link.symlink_to("/dev/zero")
    error = reason_for(link)
    assert (error.why, error.reason) == (Why.NOT_REGULAR, "is a device, not a regular file")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    """A folder is named as one."""
    assert reason_for(tmp_path).why is Why.FOLDER


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    """A 2 GB file (sparse: it costs no disk) is refused from its size, without reading it."""
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    error = reason_for(big, limit=1_000_000)
    assert (error.why, error.reason) == (Why.TOO_BIG, "is over 1 MB")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_no_more_than_the_limit_is_read_whatever_size_a_file_claims() -> None:
    """/proc files say they are empty but are not: reading stops one byte past the limit."""
    assert os.stat("/proc/self/status").st_size == 0
    assert reason_for(Path("/proc/self/status"), limit=10).why is Why.TOO_BIG
    assert len(read_bytes(Path("/proc/self/status"), 100_000)) > 10


def test_a_file_at_the_limit_is_read_whole(tmp_path: Path) -> None:
    """Exactly ``limit`` bytes is fine, and comes back whole."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 1000)
    assert read_bytes(path, 1000) == b"x" * 1000


@pytest.mark.parametrize(
    ("make", "why", "reason"),
    [
        (lambda folder: folder / "missing", Why.MISSING, "no such file"),
        (
            lambda folder: folder / "file" / "x.toml",
            Why.MISSING,
            "no such file: a part of its path is a file, not a folder",
        ),
        (
            lambda folder: folder / ("x" * 300 + ".toml"),
            Why.UNREADABLE,
            "cannot be read: its name is longer than the system allows",
        ),
        (
            lambda folder: folder / "loop",
            Why.UNREADABLE,
            "cannot be read: its symbolic links go round in a loop",
        ),
        (
            lambda folder: Path(str(folder / "nul") + "\0"),
            Why.UNREADABLE,
            "cannot be read: its name holds a NUL character",
        ),
    ],
    ids=["missing", "file-as-folder", "name-too-long", "link-loop", "nul"],
)
def test_odd_paths_get_one_plain_reason(
    tmp_path: Path, make: Callable[[Path], Path], why: Why, reason: str
) -> None:
    """Each odd path is a reason in words, never an OSError or a ValueError."""
    (tmp_path / "file").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    error = reason_for(make(tmp_path))
    assert (error.why, error.reason) == (why, reason)


def test_a_user_who_does_not_exist_is_named() -> None:
    """~someone who is not a user is a reason, not Path.expanduser's RuntimeError."""
    with pytest.raises(ReadError) as caught:
        expanded(f"{NO_USER}/x.toml")
    assert caught.value.reason == f'there is no user "{NO_USER[1:]}" on this system'


KINDS = ("file", "empty", "folder", "pipe", "device", "missing", "loop", "long", "dangling")


def _make(kind: str, folder: Path, size: int) -> Path:
    path = folder / kind
    if kind == "file":
        path.write_bytes(b"x" * size)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to(os.devnull)
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "long":
        path = folder / ("y" * 400)
    elif kind == "dangling":
        path.symlink_to(folder / "nowhere")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), size=st.integers(0, 3000), limit=st.integers(0, 2000))
def test_whatever_is_at_a_path_reading_it_answers_at_once(kind: str, size: int, limit: int) -> None:
    """Any kind of thing at a path, any size, any limit: the bytes of a regular file within
    the limit, or one ReadError of one line, and never a wait."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        path = _make(kind, Path(scratch), size)
        try:
            data = finishes(lambda: read_bytes(path, limit))
        except ReadError as error:
            assert error.reason and "\n" not in error.reason
            if kind == "file" and size > limit:
                assert error.why is Why.TOO_BIG
        else:
            assert kind in ("file", "empty") and len(data) <= limit


# -- what calm does with them -------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_as_the_next_tip_file_is_replaced_not_waited_on(tmp_path: Path) -> None:
    """A named pipe where the next tip is kept costs nothing: the first tip, and a plain
    file in its place for next time."""
    state = tmp_path / "next-tip"
    os.mkfifo(state)
    assert finishes(lambda: next_tip(state)) == TIPS[0]
    assert state.is_file()
    assert finishes(lambda: next_tip(state)) == TIPS[1]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_next_tip_file_linked_to_an_endless_device_is_not_read(tmp_path: Path) -> None:
    """A link to /dev/zero as the next-tip file is neither read nor written through."""
    state = tmp_path / "next-tip"
    state.symlink_to("/dev/zero")
    assert finishes(lambda: next_tip(state)) == TIPS[0]
    assert not state.is_symlink()
    assert state.read_text() == "1"


def test_a_huge_next_tip_file_means_the_first_tip(tmp_path: Path) -> None:
    """A next-tip file holding a great deal is not read, nor turned into a number."""
    state = tmp_path / "next-tip"
    state.write_text("7" * 100_000)
    assert next_tip(state) == TIPS[0]


def test_the_scripts_folder_lists_only_script_files(tmp_path: Path) -> None:
    """A folder, a named pipe and a link to nothing named .toml are left out of the list;
    a link that calm may not follow is kept, so that loading it says why."""
    (tmp_path / "a.toml").write_text(SCRIPT)
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "nothing.toml").symlink_to(tmp_path / "gone")
    (tmp_path / "loop.toml").symlink_to(tmp_path / "loop.toml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.toml")
    found, problem = files_in(tmp_path, ".toml")
    assert problem is None
    assert [path.name for path in found] == ["a.toml", "loop.toml"]


def test_a_scripts_folder_that_is_a_file_is_one_notice(tmp_path: Path) -> None:
    """A file where a scripts folder should be is one notice; the built-ins still list."""
    not_a_folder = tmp_path / "scripts"
    not_a_folder.write_text("x")
    library = Library.discover(user_dirs=[not_a_folder])
    assert library.notices == [f"{not_a_folder}: is a file, not a folder; its scripts are left out"]
    assert "box" in library.names


def test_a_scripts_path_of_an_unknown_user_is_one_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    """CALM_SCRIPTS_PATH naming ~someone who is not a user is one notice, never a crash."""
    monkeypatch.setenv(locations.SCRIPTS_PATH_VARIABLE, f"{NO_USER}/scripts")
    library = Library.discover()
    (notice,) = library.notices
    assert notice.startswith(f"{NO_USER}/scripts: there is no user ")
    assert "box" in library.names


def test_a_script_path_of_an_unknown_user_says_so() -> None:
    """`calm start ~someone/x.toml` names the path and why, in one line."""
    with pytest.raises(UnknownScriptError) as caught:
        Library.discover(user_dirs=[]).resolve(f"{NO_USER}/x.toml")
    assert caught.value.message == (
        f'no script file at {NO_USER}/x.toml: there is no user "{NO_USER[1:]}" on this system'
    )


def test_a_script_path_too_long_for_the_system_says_so(tmp_path: Path) -> None:
    """A path with a name longer than the system allows loads as a problem naming that."""
    wanted = str(tmp_path / ("x" * 300)) + ".toml"
    entry = Library.discover(user_dirs=[]).resolve(wanted)
    assert entry.error is not None
    assert entry.error.lines() == [
        f"{wanted}: cannot be read: its name is longer than the system allows"
    ]


def test_a_bomb_in_the_scripts_folder_costs_the_list_nothing(tmp_path: Path) -> None:
    """A script of dotted keys 20,000 deep is one broken entry, found in milliseconds, and
    never reaches tomllib; the other scripts list as usual."""
    (tmp_path / "bomb.toml").write_text("x" + ".a" * 20_000 + " = 1\n")
    (tmp_path / "mine.toml").write_text(SCRIPT)
    library = Library.discover(user_dirs=[tmp_path])
    started = time.monotonic()
    error = library.get("bomb").error  # type: ignore[union-attr]
    assert time.monotonic() - started < QUICKLY
    assert error is not None
    assert error.lines() == [
        f"{tmp_path / 'bomb.toml'}: line 1: TOML: keys, tables and lists are nested more "
        "than 10 deep"
    ]
    assert library.get("mine").error is None  # type: ignore[union-attr]


def test_new_from_copies_only_a_valid_script(tmp_path: Path) -> None:
    """`calm new x --from` a file that is not a valid script is one line and exit 1, and
    writes nothing; a valid script is copied as it is."""
    not_a_script = tmp_path / "passwd"
    not_a_script.write_text("root:x:0:0:root:/root:/bin/bash\n")
    runner = CliRunner()
    refused = runner.invoke(_app(), ["new", "x", "--from", str(not_a_script)])
    assert refused.exit_code == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"calm: {not_a_script}: line 1, column ")
    assert line.endswith("(--from copies only a script that passes calm validate)")
    assert not (locations.user_scripts_dirs()[0] / "x.toml").exists()
    copied = runner.invoke(_app(), ["new", "y", "--from", "box"])
    assert copied.exit_code == 0, copied.stderr
    builtin = locations.builtin_scripts_dir() / "box.toml"
    assert (locations.user_scripts_dirs()[0] / "y.toml").read_bytes() == builtin.read_bytes()


def _app() -> Any:
    from calm.cli import app

    return app


# -- places calm may not look into -------------------------------------------------------------


CAPSH = shutil.which("capsh")


def without_permission(code: str, locked: Path) -> dict[str, Any]:
    """Run ``code`` in a fresh calm with ``locked`` (a folder) unreadable to it, and return
    the JSON it prints. Root reads any folder, so as root the process runs without the
    capabilities that let it; the test is skipped where neither is possible."""
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if CAPSH is None:
            locked.chmod(0o700)
            pytest.skip("root reads every folder, and there is no capsh to stop it")
        prefix = [
            CAPSH,
            "--drop=cap_dac_override,cap_dac_read_search",
            "--",
            "-c",
            'exec "$@"',
            "-",
        ]
    program = "import json\n" + textwrap.dedent(code)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-c", program],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        locked.chmod(0o700)
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_an_unreadable_scripts_folder_is_one_notice_and_the_built_ins_still_list(
    tmp_path: Path,
) -> None:
    """A scripts folder calm may not read is one notice; built-ins list and load."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "mine.toml").write_text(SCRIPT)
    answer = without_permission(
        f"""
        from pathlib import Path
        from calm.core.library import Library
        library = Library.discover(user_dirs=[Path({str(folder)!r})])
        print(json.dumps({{"notices": library.notices, "names": library.names,
                           "box": library.get("box").error is None}}))
        """,
        folder,
    )
    assert answer["notices"] == [
        f"{folder}: cannot be read: permission denied; its scripts are left out"
    ]
    assert "box" in answer["names"] and answer["box"]


def test_a_script_in_an_unreadable_folder_says_why(tmp_path: Path) -> None:
    """A script path inside a folder calm may not read: `start`, `show` and `new --from`
    find it, and loading it is one line naming the path and the cause."""
    folder = tmp_path / "locked"
    folder.mkdir()
    script = folder / "x.toml"
    script.write_text(SCRIPT)
    answer = without_permission(
        f"""
        from calm.core.library import Library
        entry = Library.discover(user_dirs=[]).resolve({str(script)!r})
        print(json.dumps({{"lines": entry.error.lines()}}))
        """,
        folder,
    )
    assert answer["lines"] == [f"{script}: cannot be read: permission denied"]


def test_a_cue_in_an_unreadable_folder_says_why(tmp_path: Path) -> None:
    """A cue file in a subfolder calm may not read is one problem naming the cue."""
    sounds = tmp_path / "sounds"
    sounds.mkdir()
    script = tmp_path / "x.toml"
    script.write_text(SCRIPT + 'cue = "sounds/bell.wav"\n')
    answer = without_permission(
        f"""
        from pathlib import Path
        from calm.core.loader import load_script
        from calm.core.problems import ScriptError
        try:
            load_script(Path({str(script)!r}), source="x.toml")
        except ScriptError as error:
            print(json.dumps({{"lines": error.lines()}}))
        """,
        sounds,
    )
    assert answer["lines"] == [
        'x.toml: step 1: cue file "sounds/bell.wav" cannot be read: permission denied'
    ]


def test_an_unreadable_config_folder_means_the_defaults(tmp_path: Path) -> None:
    """A config file in a folder calm may not read is one notice and every default."""
    folder = tmp_path / "calm"
    folder.mkdir()
    (folder / "config.toml").write_text('theme = "nord"\n')
    answer = without_permission(
        f"""
        from pathlib import Path
        from calm.config import Settings, load_settings
        settings, notices = load_settings(Path({str(folder / "config.toml")!r}))
        print(json.dumps({{"default": settings == Settings(), "notices": notices}}))
        """,
        folder,
    )
    assert answer == {
        "default": True,
        "notices": [f"{folder / 'config.toml'}: cannot be read: permission denied; using defaults"],
    }


# -- the shape of TOML, checked before it is parsed ---------------------------------------------


def _refused(text: str, limits: TomlLimits | None = None) -> str:
    """The one line check_shape refuses ``text`` with; tomllib is never reached."""
    with pytest.raises(TomlError) as caught:
        finishes(lambda: check_shape(text, limits or TomlLimits()))
    return str(caught.value)


BOMBS = {
    "dotted key": ("x" + ".a" * 20_000 + " = 1\n", "nested more than 10 deep"),
    "header": ("[" + "a." * 20_000 + "a]\n", "nested more than 10 deep"),
    "list of tables header": ("[[" + "a." * 20_000 + "a]]\n", "nested more than 10 deep"),
    "lists": ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than 10 deep"),
    "inline tables": ("x = " + "{a = " * 100_000 + "1" + "}" * 100_000, "nested more than 10 deep"),
    "inline dotted": ("x = {" + "a." * 20_000 + "a = 1}", "nested more than 10 deep"),
    "keys": ("".join(f"k{i} = 1\n" for i in range(100_000)), "more than 10000 keys"),
    "list items": ("x = [" + "1," * 100_000 + "]\n", "a list holds more than 1000 items"),
    "string": ('x = "' + "a" * 750_000 + '"\n', "a string is longer than 20000 characters"),
    "multi-line string": ("x = '''" + "a\n" * 400_000 + "'''\n", "longer than 20000 characters"),
    "bare value": ("x = " + "1" * 100_000 + "\n", "a key or value is longer than 20000"),
}


@pytest.mark.parametrize("text,message", list(BOMBS.values()), ids=list(BOMBS))
def test_a_toml_bomb_is_refused_before_it_is_parsed(
    text: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each shape that makes tomllib take seconds and gigabytes is one line, naming the
    limit and the line, before tomllib is called at all."""

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("tomllib was reached")

    monkeypatch.setattr(tomllib, "loads", never)
    with pytest.raises(TomlError) as caught:
        finishes(lambda: parse_toml(text.encode()))
    assert message in str(caught.value)
    assert str(caught.value).startswith("line ")
    assert "\n" not in str(caught.value)


def test_a_refusal_names_the_line_it_is_on() -> None:
    """The line of a refusal counts the lines of multi-line strings before it."""
    text = 'a = """\n[[[\n"""\nb = 1\n\nc = [[[[[[[[[[[[1]]]]]]]]]]]]\n'
    assert _refused(text) == "line 6: TOML: keys, tables and lists are nested more than 10 deep"


FOOLERS = [
    'x = "[[[[[[[[[[[[[[[[{{{{{{{{{{{{a.b.c.d.e.f.g.h.i.j.k.l"\n',
    "x = '[[[[[[[[[[[[[[[[[[[[[[[[[[[.......................'\n",
    'x = """\n[[[[[[[[[[[[[[[\n{{{{{{{{{{{{ "" \\""" a.b.c.d.e.f.g.h.i.j.k.l\n"""\n',
    "x = '''\n[[[[[[[[[[[[[[[[['' a.b.c.d.e.f.g.h.i.j.k.l\n'''\n",
    "# [[[[[[[[[[[[[[[[[[[[ a.b.c.d.e.f.g.h.i.j.k.l = 1\nx = 1\n",
    '"a.b.c.d.e.f.g.h.i.j.k.l.m" = 1\n',
    '["a.b.c.d.e.f.g.h.i.j.k.l.m"]\nx = 1\n',
    'x = ["]]]]]]", "[[[[[[[[[[[[[[[[", 1.5, 2.25, 1979-05-27T07:32:00.999Z]\n',
    'x = "\\"[[[[[[[[[[[[[[[[[["\n',
    'x = """a"""""\ny = [[[[[[[[[1]]]]]]]]]\n',
]


@pytest.mark.parametrize("text", FOOLERS)
def test_brackets_and_dots_in_strings_and_comments_count_for_nothing(text: str) -> None:
    """Brackets, braces and dots inside strings, multi-line strings, quoted keys and
    comments are text, not nesting: valid TOML like this is never refused."""
    tomllib.loads(text)  # valid TOML, as tomllib reads it
    check_shape(text, TomlLimits())


def _depth(value: Any, level: int = 0) -> int:
    """How deep tables and lists nest in a parsed document, the root table being 0."""
    inner = value.values() if isinstance(value, dict) else value
    containers = [item for item in inner if isinstance(item, dict | list)]
    return max((_depth(item, level + 1) for item in containers), default=level)


def _longest_list(value: Any, top: bool = True) -> int:
    """The most items in one list, leaving out the [[tables]] the writer puts at the top."""
    if isinstance(value, dict):
        found = [
            max((_longest_list(table, top=False) for table in item), default=0)
            if top and _is_tables(item)
            else _longest_list(item, top=False)
            for item in value.values()
        ]
        return max(found, default=0)
    if isinstance(value, list):
        return max([len(value), *(_longest_list(item, top=False) for item in value)])
    return 0


def _is_tables(value: Any) -> bool:
    """Whether the writer puts ``value`` at the top as [[tables]]."""
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) for x in value)


def _keys(value: Any) -> int:
    """The keys of a document as its text has them: every key of every table, and every
    [[header]] in place of the key it repeats."""

    def inner(item: Any) -> int:
        if isinstance(item, dict):
            return sum(1 + inner(child) for child in item.values())
        if isinstance(item, list):
            return sum(inner(child) for child in item)
        return 0

    return sum(
        len(item) + inner(item) if _is_tables(item) else 1 + inner(item) for item in value.values()
    )


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=DOCUMENTS,
    comment=st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=20),
)
def test_the_shape_check_measures_what_tomllib_builds(
    document: dict[str, Any], comment: str
) -> None:
    """For any document, with any text in its strings and keys and a comment of any text,
    the check measures the depth tomllib builds, its keys and its longest list exactly:
    it passes at those limits and refuses one under each."""
    text = f"# {comment}\n" + to_toml(document).replace("\n", f"\n# {comment}\n", 1)
    parsed = tomllib.loads(text)
    depth, items, keys = _depth(parsed), _longest_list(parsed), _keys(parsed)
    check_shape(text, TomlLimits(depth=depth, keys=keys, items=items, chars=10**6))
    if keys:
        with pytest.raises(TomlError, match="keys"):
            check_shape(text, TomlLimits(depth=100, keys=keys - 1, items=10**6, chars=10**6))
    if depth:
        with pytest.raises(TomlError, match="nested more than"):
            check_shape(text, TomlLimits(depth=depth - 1, keys=10**6, items=10**6, chars=10**6))
    if items:
        with pytest.raises(TomlError, match="a list holds more than"):
            check_shape(text, TomlLimits(depth=100, keys=10**6, items=items - 1, chars=10**6))


def test_every_built_in_script_is_well_within_the_limits() -> None:
    """The built-in scripts pass with limits a tenth of calm's, so real scripts have room."""
    tight = TomlLimits(
        depth=SCRIPT_TOML.depth // 2,
        keys=SCRIPT_TOML.keys // 10,
        items=SCRIPT_TOML.items // 10,
        chars=SCRIPT_TOML.chars // 10,
    )
    for path in sorted(locations.builtin_scripts_dir().glob("*.toml")):
        assert parse_toml(path.read_bytes(), tight) == tomllib.loads(path.read_text("utf-8"))


def test_the_largest_script_the_loader_allows_passes_the_shape_check() -> None:
    """200 steps, each with 16 phases with every key written, is within the limits."""
    phase = (
        '{ phase = "inhale", seconds = 1, text = "In", cue = "inhale", per_cycle = 0.1, limit = 2 }'
    )
    step = (
        '[[steps]]\nbreathe = "Breathe."\ncue = "step"\ngentle = "Softly."\ncycles = 1\n'
        f"pattern = [{', '.join([phase] * 16)}]\n"
    )
    text = 'title = "Big"\nsummary = "Big."\ncategory = "reset"\n' + step * 200
    check_shape(text, SCRIPT_TOML)


def test_lists_nested_past_python_s_stack_are_one_line_even_without_the_check() -> None:
    """Should the shape check ever let deep nesting through, tomllib's RecursionError is
    still one line, never a traceback."""
    text = "x = " + "[" * 100_000 + "]" * 100_000
    with pytest.raises(TomlError) as caught:
        parse_toml(text.encode(), TomlLimits(depth=10**6, items=10**6, chars=10**6))
    assert str(caught.value) == "TOML: lists or tables are nested too deeply to read"


def test_a_byte_order_mark_is_skipped() -> None:
    """A UTF-8 byte-order mark, as Windows editors write, is not part of the text."""
    assert parse_toml(b'\xef\xbb\xbftheme = "nord"\n') == {"theme": "nord"}


# -- cue files stay beside their script ----------------------------------------------------------


@pytest.mark.parametrize(
    "cue",
    ["../outside.wav", "../../outside.wav", "/etc/outside.wav", "~/outside.wav", "a/../../x.wav"],
)
def test_a_cue_outside_the_script_s_folder_is_refused(tmp_path: Path, cue: str) -> None:
    """A cue that leads out of the script's folder is one problem, whether or not the
    file is there, and nothing outside is opened."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    (tmp_path / "outside.wav").write_bytes(b"RIFF")
    script = folder / "x.toml"
    script.write_text(SCRIPT + f'cue = "{cue}"\n')
    with pytest.raises(ScriptError) as caught:
        load_script(script, source="x.toml")
    assert caught.value.lines() == [
        f'x.toml: step 1: cue file "{cue}" must be in the script\'s folder or a folder inside it'
    ]


def test_a_cue_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    """A link inside the folder that leads out of it counts as outside."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    (tmp_path / "outside.wav").write_bytes(b"RIFF")
    (folder / "bell.wav").symlink_to(tmp_path / "outside.wav")
    with pytest.raises(ReadError) as caught:
        within(folder, "bell.wav")
    assert caught.value.why is Why.OUTSIDE


def test_a_cue_in_a_folder_inside_is_fine(tmp_path: Path) -> None:
    """sounds/bell.wav beside the script is inside its folder."""
    (tmp_path / "sounds").mkdir()
    assert within(tmp_path, "sounds/bell.wav") == tmp_path / "sounds" / "bell.wav"


def test_a_cue_without_a_folder_is_still_checked_as_written() -> None:
    """Without a file to load it from, a script's cue path is still refused as written."""
    data = (SCRIPT + 'cue = "../x.wav"\n').encode()
    with pytest.raises(ScriptError, match="must be in the script's folder"):
        parse_script_bytes(data, name="x", source="x.toml")


def test_an_unreadable_data_folder_costs_the_record_not_the_session(tmp_path: Path) -> None:
    """A data folder of mode 000: the history is one line saying why, for a session
    (which then runs unrecorded) and for `calm history`, never a PermissionError."""
    folder = tmp_path / "calm"
    folder.mkdir()
    history = folder / "history.sqlite3"
    answer = without_permission(
        f"""
        from pathlib import Path
        from calm.practice.damaged_history import open_to_record
        from calm.practice.history import open_existing
        from calm.practice.history_errors import HistoryError
        store, notice = open_to_record(Path({str(history)!r}))
        try:
            open_existing(Path({str(history)!r}))
            listed = None
        except HistoryError as error:
            listed = str(error)
        print(json.dumps({{"store": store is None, "notice": notice, "listed": listed}}))
        """,
        folder,
    )
    reason = f"{history} cannot be read: permission denied"
    assert answer == {
        "store": True,
        "notice": f"calm: not recording this session: {reason}",
        "listed": reason,
    }
