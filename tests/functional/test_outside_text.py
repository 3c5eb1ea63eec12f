"""Every string from outside calm reaches the terminal shown safely, whatever field it is in.

A payload of control and bidi characters (a title change, a screen clear, a C1 escape,
a right-to-left override, an isolate, DEL) is put into each kind of input calm takes:
script fields, script file names, config keys and values, arguments, environment
variables, and history rows in the real SQLite file. Then the real ``calm`` runs each
command that could show it, and no byte of its stdout or stderr may carry it raw.

Every test spawns several real ``calm`` processes for each payload, so the default run
puts in one payload that holds every kind of character at once; each kind alone (the
two payloads it is made of) runs in the slow half (``-m slow``), which CI runs too.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from calm import locations
from tests.support import homes
from tests.support.scripts import tiny_script

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m"
C1_AND_BIDI = "\x9b31m\u202eevil\u2066\u2067\x7f\x08"
PAYLOADS = {
    "escapes": ESCAPES,
    "c1-and-bidi": C1_AND_BIDI,
    "every-kind": ESCAPES + C1_AND_BIDI,
}
"""Escape sequences a terminal acts on, the 8-bit and bidi kind, and both at once."""

RAW = [
    char.encode("utf-8")
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2067", "\x7f", "\x08")
]
"""The bytes that must never appear in calm's output."""

QUICK = tiny_script(summary="A tiny script.", breathe="Two breaths.", cycles=1)


def toml_text(text: str) -> str:
    """``text`` as the inside of a TOML basic string, every hidden character escaped as
    TOML escapes it (``\\u001b``), so the file is valid TOML and holds the payload."""
    return "".join(
        f"\\u{ord(char):04x}" if not char.isprintable() or char in '"\\' else char for char in text
    )


def run(*args: str, env: dict[str, str] | None = None) -> bytes:
    """stdout and stderr of the real calm, as bytes: what a terminal would be sent."""
    done = subprocess.run(
        [sys.executable, "-m", "calm", *args],
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.stdout + done.stderr


def assert_shown_safely(output: bytes, what: str) -> None:
    """Nothing in ``output`` would drive a terminal."""
    found = [raw for raw in RAW if raw in output]
    assert not found, f"{what} sent {found} raw: {output[:400]!r}"


@pytest.fixture(
    params=[
        "every-kind",
        pytest.param("escapes", marks=pytest.mark.slow),
        pytest.param("c1-and-bidi", marks=pytest.mark.slow),
    ]
)
def payload(request: pytest.FixtureRequest) -> str:
    """One of the payloads: every kind at once by default, each alone in the slow half."""
    return PAYLOADS[str(request.param)]


@pytest.fixture
def scripts() -> Iterator[Path]:
    """The user's scripts folder, made."""
    folder = locations.user_scripts_dirs()[0]
    folder.mkdir(parents=True)
    yield folder


@pytest.fixture(scope="module")
def recorded_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with one session of ``QUICK`` recorded by the real calm, made once."""

    def record() -> None:
        script = Path(os.environ["HOME"]) / "quick.toml"
        script.write_text(QUICK, encoding="utf-8")
        assert_shown_safely(run("start", str(script), "--plain", "--no-audio"), "start")
        assert locations.history_file().is_file()

    return homes.made_once(tmp_path_factory, "recorded", record)


@pytest.fixture
def recorded(recorded_once: Path, isolated_home: Path) -> Path:
    """A copy of the home with one session recorded, for a test to change."""
    return homes.copy_into(recorded_once, isolated_home)


def _commands_for(path: Path) -> list[tuple[str, ...]]:
    return [
        ("list",),
        ("list", "--json"),
        ("validate", str(path)),
        ("validate", str(path.parent)),
        ("show", str(path)),
        ("show", str(path), "--json"),
        ("start", str(path), "--plain", "--no-audio"),
    ]


def test_a_script_file_name(payload: str, scripts: Path) -> None:
    """A file named with the payload (which once retitled the terminal) is listed, checked,
    previewed and started with its name shown safely."""
    path = scripts / f"a{payload}b.toml"
    path.write_text(QUICK, encoding="utf-8")
    for args in _commands_for(path):
        assert_shown_safely(run(*args), " ".join(args[:1]))


def test_a_broken_script_file_name(payload: str, scripts: Path) -> None:
    """Its problem lines, in the listing and from validate, name it safely too."""
    path = scripts / f"a{payload}b.toml"
    path.write_text('title = "Broken"\n', encoding="utf-8")
    for args in _commands_for(path):
        assert_shown_safely(run(*args), " ".join(args[:1]))


FIELDS = ["title", "summary", "caution", "reminder", "say", "breathe", "text", "tags", "sources"]
"""Every text field of a script."""


def _fielded(payload: str, field: str) -> str:
    """``QUICK`` with the payload in ``field``, as valid TOML."""
    quoted = toml_text(payload)
    text = QUICK
    if field in ("title", "summary", "say", "breathe"):
        text = text.replace(f'{field} = "', f'{field} = "{quoted}', 1)  # the first such field
    elif field == "text":
        text = text.replace("seconds = 0.1 }, {", f'seconds = 0.1, text = "{quoted}" }}, {{', 1)
    elif field in ("tags", "sources"):
        text = text.replace('category = "reset"', f'category = "reset"\n{field} = ["{quoted}"]')
    else:
        text = text.replace('category = "reset"', f'category = "reset"\n{field} = "{quoted}"')
    assert quoted in text
    return text


@pytest.mark.parametrize("field", FIELDS)
def test_every_script_field(payload: str, field: str, scripts: Path) -> None:
    """The payload in any field is refused with a problem line that shows it escaped, by
    each command that reads the one file (the list, for every field at once, below)."""
    path = scripts / "fielded.toml"
    path.write_text(_fielded(payload, field), encoding="utf-8")
    checked = run("validate", str(path))
    assert b"TOML" not in checked  # the file is TOML, and the payload is in the field
    assert b": ok (" not in checked
    assert_shown_safely(checked, "validate")
    for args in (
        ("show", str(path)),
        ("show", str(path), "--json"),
        ("start", str(path), "--plain", "--no-audio"),
    ):
        assert_shown_safely(run(*args), " ".join(args[:1]))


def test_every_script_field_in_the_list(payload: str, scripts: Path) -> None:
    """A file for each field, side by side: the list and validate of the folder name each
    one, safely (one run of each for all nine, where each field's own file is above)."""
    for field in FIELDS:
        (scripts / f"fielded-{field}.toml").write_text(_fielded(payload, field), encoding="utf-8")
    for args in (("list",), ("list", "--json"), ("validate", str(scripts))):
        output = run(*args)
        assert_shown_safely(output, " ".join(args[:1]))
        for field in FIELDS:
            assert f"fielded-{field}".encode() in output, (args, field)


def test_config_keys_and_values(payload: str, tmp_path: Path) -> None:
    """Unknown keys, bad values and the [demo] table quote the payload safely."""
    quoted = toml_text(payload)
    config = locations.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(
        f'"{quoted}" = 1\ntheme = "{quoted}"\nambient = "{quoted}"\nvolume = "{quoted}"\n'
        f'reduced_motion = "{quoted}"\nhistory = "{quoted}"\n'
        f'[demo]\n"{quoted}" = 2\nvolume = "{quoted}"\n',
        encoding="utf-8",
    )
    script = tmp_path / "quick.toml"
    script.write_text(QUICK, encoding="utf-8")
    assert b"config.toml: " in run("history")  # the config was read, and has its say
    for args in (
        ("start", str(script), "--plain", "--no-audio"),
        ("start", str(script), "--plain", "--no-audio", "--demo"),
        ("list",),
        ("history",),
        ("stats",),
        ("audio", "test", "--volume", "0"),
    ):
        assert_shown_safely(run(*args), " ".join(args[:1]))


def test_command_line_arguments(payload: str, tmp_path: Path) -> None:
    """Whatever is typed is quoted back safely: names, options and usage errors alike."""
    script = tmp_path / "quick.toml"
    script.write_text(QUICK, encoding="utf-8")
    for args in (
        ("show", payload),
        ("show", f"{payload}.toml"),
        ("validate", payload),
        ("validate", f"/nowhere/{payload}.toml"),
        ("new", payload),
        ("new", "fine", "--from", payload),
        ("start", payload, "--plain"),
        ("start", str(script), "--plain", "--ambient", payload),
        ("start", str(script), "--plain", "--minutes", payload),
        ("list", "--category", payload),
        (payload,),
        ("history", "--limit", payload),
    ):
        assert_shown_safely(run(*args), " ".join(args[:1]))


def test_a_note_typed_on_the_command_line(payload: str, recorded: Path) -> None:
    """A note given with --note is shown safely by every command that shows it."""
    assert_shown_safely(run("history", "--note", payload), "history --note")
    for args in (("history",), ("history", "--json"), ("stats",)):
        assert_shown_safely(run(*args), " ".join(args))


def test_environment_variables(payload: str, tmp_path: Path) -> None:
    """Folders named in the environment are quoted safely in every notice."""
    script = tmp_path / "quick.toml"
    script.write_text(QUICK, encoding="utf-8")
    odd = tmp_path / f"odd{payload}"
    for env, args in (
        ({"CALM_SCRIPTS_PATH": str(odd)}, ("list",)),
        ({"CALM_SCRIPTS_PATH": str(odd)}, ("new", "evening")),
        ({"CALM_SCRIPTS_PATH": f"{script}"}, ("list",)),  # a file where a folder should be
        ({"CALM_TRACE": str(odd / "trace.jsonl")}, ("start", str(script), "--plain")),
        ({"XDG_CONFIG_HOME": str(odd)}, ("new", "evening")),
    ):
        assert_shown_safely(run(*args, env=env), " ".join(args[:1]))


@pytest.mark.parametrize("column", ["title", "status", "note", "script", "started_at"])
def test_history_rows_in_the_real_file(
    payload: str, column: str, recorded: Path, tmp_path: Path
) -> None:
    """A row changed by hand in the history file, in any column, is shown safely (the
    status column once went out raw)."""
    script = tmp_path / "quick.toml"
    script.write_text(QUICK, encoding="utf-8")
    with sqlite3.connect(locations.history_file()) as connection:
        connection.execute(f"UPDATE sessions SET {column} = ?", (payload,))
    connection.close()
    for args in (
        ("history",),
        ("history", "--json"),
        ("stats",),
        ("stats", "--json"),
        ("start", str(script), "--plain", "--no-audio"),
        ("history", "--note", "kept"),
    ):
        assert_shown_safely(run(*args), " ".join(args))
