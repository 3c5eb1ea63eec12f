"""Output that any terminal can take: an ASCII or Latin-1 locale, closed streams, odd bytes.

Each test runs the real ``calm`` in a process, as a shell would start it. Six of the
closed-stream cases run in the slow half (``-m slow``; see ``CLOSED_STREAM_CASES``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calm import locations
from calm.cli.streams import stand_in
from tests.support import homes
from tests.support.scripts import tiny_script

EMOJI_SCRIPT = tiny_script(
    title="Evening 🌿 été",
    summary="A tiny script whose title a plain ASCII terminal cannot show.",
    say="Arrive — softly.",
)

COMMANDS = (
    ("show", "box"),
    ("show", "evening"),
    ("list",),
    ("stats",),
    ("history",),
    ("start", "evening", "--plain", "--no-audio"),
)
"""Every command the issue found raising UnicodeEncodeError, with an emoji title in reach."""


def _calm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def practised_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the emoji-titled script and one session of it recorded by the real
    calm, made once for the module: each test gets a copy (``practised``)."""

    def practise() -> None:
        folder = locations.user_scripts_dirs()[0]
        folder.mkdir(parents=True)
        (folder / "evening.toml").write_text(EMOJI_SCRIPT, encoding="utf-8")
        done = _calm("start", "evening", "--plain", "--no-audio", env=dict(os.environ))
        assert done.returncode == 0, done.stderr
        assert locations.history_file().is_file()

    return homes.made_once(tmp_path_factory, "practised", practise)


@pytest.fixture
def practised(practised_once: Path, isolated_home: Path) -> Path:
    """A home with the emoji-titled script, and one session of it recorded: a copy of
    the module's, so a test may add to it. (A real session for each test cost most of
    this module's time.)"""
    return homes.copy_into(practised_once, isolated_home)


def _latin1_locale(tmp_path: Path) -> dict[str, str] | None:
    """Settings for a real ISO-8859-1 locale, built with localedef; None where it can't be."""
    if shutil.which("localedef") is None:
        return None
    folder = tmp_path / "locales"
    folder.mkdir()
    built = subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if not (folder / "en_US.ISO-8859-1").exists():
        return None
    assert built.returncode in (0, 1), built.stderr  # 1: built, with warnings
    return {"LOCPATH": str(folder), "LC_ALL": "en_US.ISO-8859-1", "PYTHONUTF8": "0"}


LOCALES = {
    "C": {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_a_narrow_encoding_gets_ascii_stand_ins_not_a_crash(
    practised: Path, locale: str, args: tuple[str, ...]
) -> None:
    """Under LC_ALL=C or PYTHONIOENCODING=ascii or latin-1, every command reads well and exits 0."""
    done = _calm(*args, env={**os.environ, **LOCALES[locale]})
    assert done.returncode == 0, done.stderr
    assert b"went wrong" not in done.stderr
    assert done.stdout.strip()
    if locale != "latin-1":
        done.stdout.decode("ascii")  # Every byte is one the terminal can show.


def test_the_plain_separator_falls_back_to_a_dash_in_ascii(practised: Path) -> None:
    """`·` reads as "-" where it can't be shown, and "été" as "ete": the line still reads well."""
    done = _calm("show", "evening", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    lines = done.stdout.decode("ascii").splitlines()
    assert lines[0] == "Evening ?? ete"
    assert lines[1] == "evening - reset - user"


def test_a_real_latin1_locale(practised: Path, tmp_path: Path) -> None:
    """In a real ISO-8859-1 locale, `·` and "é" are written as Latin-1, the emoji as "??"."""
    latin1 = _latin1_locale(tmp_path)
    if latin1 is None:
        pytest.skip("no localedef to build an ISO-8859-1 locale")
    for args in COMMANDS:
        done = _calm(*args, env={**os.environ, **latin1})
        assert done.returncode == 0, (args, done.stderr)
    shown = _calm("show", "evening", env={**os.environ, **latin1}).stdout.decode("latin-1")
    assert shown.splitlines()[:2] == ["Evening ?? été", "evening · reset · user"]


def test_stand_ins_are_ascii_and_keep_their_width() -> None:
    """Every stand-in is ASCII, and a wide character keeps its two columns."""
    for char in "·→░▒▓█…×—é🌿呼\u0301":
        assert stand_in(char).isascii()
    assert stand_in("🌿") == "??"
    assert stand_in("é") == "e"
    assert stand_in("→") == "->"


CLOSED_STREAM_COMMANDS = [
    ("list",),
    ("history",),
    ("stats",),
    ("show", "box"),
    ("start", "evening", "--plain"),
]
CLOSED_STREAM_CASES = [
    pytest.param(
        closed,
        args,
        id=f"{closed}-{' '.join(args)}",
        marks=[pytest.mark.slow] if closed != "stdout" and args[0] not in ("list", "start") else [],
    )
    for closed in ("stdout", "stderr", "stdin")
    for args in CLOSED_STREAM_COMMANDS
]
"""Each stream closed under each command. Calm puts the null device in a closed stream's
place as it starts, whatever the command; every command writes to stdout, so each runs
with it closed by default, and with stderr or stdin closed ``list`` and ``start`` do (the
other three run in the slow half, ``-m slow``)."""


@pytest.mark.parametrize(("closed", "args"), CLOSED_STREAM_CASES)
def test_a_closed_stream_is_no_crash(practised: Path, args: tuple[str, ...], closed: str) -> None:
    """`calm list >&-` (or 2>&-, <&-): calm runs as if the stream were the null device."""
    fd = {"stdin": 0, "stdout": 1, "stderr": 2}[closed]
    script = f"import os, sys; os.close({fd}); os.execv(sys.executable, sys.argv[1:])"
    extra = ("--no-audio",) if args[0] == "start" else ()
    done = subprocess.run(
        [sys.executable, "-c", script, sys.executable, "-m", "calm", *args, *extra],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    logs = locations.log_dir()
    assert not (logs.is_dir() and any(logs.iterdir()))


def test_history_keeps_nothing_of_a_closed_stdout(practised: Path) -> None:
    """With stdout closed, the history file calm opens never takes its place: printing a
    table must not write into the database."""
    script = "import os, sys; os.close(1); os.execv(sys.executable, sys.argv[1:])"
    for args in (("history",), ("stats",), ("start", "evening", "--plain", "--no-audio")):
        done = subprocess.run(
            [sys.executable, "-c", script, sys.executable, "-m", "calm", *args],
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    listed = _calm("history", "--json", env=dict(os.environ))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count(b'"script": "evening"') == 2


def test_a_note_with_bytes_that_are_not_utf8_is_kept_readably(practised: Path) -> None:
    """`calm history --note $'caf\\xe9'`: the bytes that are not UTF-8 become "\ufffd"."""
    note = os.fsdecode(b"caf\xe9 \xff ok")
    done = _calm("history", "--note", note, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    listed = _calm("history", "--csv", env=dict(os.environ))
    assert "caf\ufffd \ufffd ok" in listed.stdout.decode("utf-8")
