"""``calm nudge --setup NAME`` names the calm that is running, quoted by the rules of the
place it goes: each snippet is read back here as that place would read it, with paths
holding spaces, quotes, ``%``, ``$``, ``&``, ``<`` and ``#``."""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from calm.care.nudge_setup import SETUP_NAMES, Calm, calm_started_as, setup_for

ODD_FOLDERS = (
    "/opt/my calm/bin",
    "/home/sam/100% calm/bin",
    '/home/sam/it\'s "quoted"/bin',
    "/home/sam/a&b <c> d/bin",
    "/home/sam/$HOME ${X} `x`/bin",
    "/home/sam/back\\slash #1 ;/bin",
)
"""Folders a calm could be installed in, each with something some format treats specially."""

CALMS = [Calm((f"{folder}/calm",), on_path=False) for folder in ODD_FOLDERS] + [
    Calm((f"{folder}/python3", "-m", "calm"), on_path=False) for folder in ODD_FOLDERS
]


CRON_ENVIRONMENT = "DISPLAY=:0 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus "
"""What the cron line sets before calm, so that a notification reaches the desktop."""


def systemd_exec_words(line: str) -> list[str]:
    """The argv systemd makes of an ``ExecStart=`` value, by systemd.service(5),
    "Command lines", in the order systemd reads it:

    1. ``%`` specifiers are resolved over the whole value, quoted or not: ``%%`` is a
       "%", and any other specifier is refused here (calm writes none).
    2. The value is split into words as ``extract_first_word`` does with
       ``EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE``: on whitespace, with single and double
       quotes grouping, and C escapes (``\\\\``, ``\\"``, ``\\'``, ``\\n``, ``\\t``,
       ``\\r``, ``\\s``) inside and outside quotes. shlex cannot stand in: in a POSIX
       shell a backslash is literal inside single quotes, and ``\\n`` is two characters.
    3. Variables are expanded in the arguments, never the program (the first word):
       there ``$$`` is a "$", and a lone "$" is refused here.
    4. The program must pass systemd's ``string_is_safe``: no quote, backslash or
       control character ("Executable name contains special characters").
    """
    unspecified = re.sub(r"%(.)", lambda found: _specifier(found.group(1)), line)
    escapes = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r", "s": " "}
    words: list[str] = []
    word, in_word, quote = "", False, ""
    characters = iter(unspecified)
    for char in characters:
        if char == "\\":
            escaped = next(characters)
            assert escaped in escapes, f"unknown escape \\{escaped} in {line!r}"
            word, in_word = word + escapes[escaped], True
        elif quote:
            quote, word = ("", word) if char == quote else (quote, word + char)
        elif char in "\"'":
            quote, in_word = char, True
        elif char.isspace():
            if in_word:
                words.append(word)
            word, in_word = "", False
        else:
            word, in_word = word + char, True
    assert not quote, f"unclosed quote in {line!r}"
    if in_word:
        words.append(word)
    program = words[0]
    assert not any(char in "'\"\\" or not char.isprintable() for char in program), program
    return [program, *(_unvaried(argument) for argument in words[1:])]


def started_by_systemd(snippet: str) -> list[str]:
    """What the ``ExecStart=`` line in ``snippet`` runs in the end: a path systemd
    refuses to start itself goes through ``/bin/sh -c 'exec "$0" "$@"'``."""
    words = systemd_exec_words(line_after(snippet, "ExecStart="))
    through_shell = ["/bin/sh", "-c", 'exec "$0" "$@"']
    return words[3:] if words[:3] == through_shell else words


def _specifier(letter: str) -> str:
    assert letter == "%", f"specifier %{letter} would be replaced by systemd"
    return "%"


def _unvaried(argument: str) -> str:
    assert "$" not in argument.replace("$$", ""), f"{argument!r} would be expanded"
    return argument.replace("$$", "$")


def cron_command_words(snippet: str) -> list[str]:
    """The argv cron's shell makes of the crontab line in ``snippet``: five time
    fields, then a command where cron turns ``\\%`` into "%" and ends the command at
    a bare "%" (cronie's do_command.c); then ``/bin/sh`` reads it, which shlex
    follows for these words. The environment set in front is left out."""
    (line,) = [line for line in snippet.splitlines() if not line.startswith("#")]
    fields = line.split(None, 5)
    assert len(fields) == 6, line
    command = re.sub(r"\\%|%.*", lambda found: "%" if found.group() == "\\%" else "", fields[5])
    assert command == fields[5].replace("\\%", "%"), f"a bare % cuts {line!r}"
    assert command.startswith(CRON_ENVIRONMENT), command
    return shlex.split(command.removeprefix(CRON_ENVIRONMENT))


def fish_words(line: str) -> list[str]:
    """The words fish reads in ``line``: single quotes take only ``\\'`` and ``\\\\``."""
    found = re.findall(r"'((?:[^'\\]|\\.)*)'|(\S+)", line)
    return [re.sub(r"\\([\\'])", r"\1", quoted) if quoted else bare for quoted, bare in found]


def line_after(snippet: str, start: str) -> str:
    """The rest of the one line of ``snippet`` that begins with ``start``."""
    (line,) = [line for line in snippet.splitlines() if line.startswith(start)]
    return line.removeprefix(start)


@pytest.mark.parametrize("calm", CALMS, ids=lambda calm: " ".join(calm.argv))
def test_each_timer_runs_this_calm_by_its_path_however_odd(calm: Calm) -> None:
    """launchd, systemd and cron each read back the path and words calm wrote."""
    wanted = [*calm.argv, "nudge", "--notify"]
    plist = setup_for("launchd", calm)
    assert plist.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    read = plistlib.loads(plist.encode())
    assert read["ProgramArguments"] == wanted
    assert (read["Label"], read["StartCalendarInterval"]) == (
        "org.calm.nudge",
        {"Hour": 17, "Minute": 30},
    )
    systemd = setup_for("systemd", calm)
    assert started_by_systemd(systemd) == wanted
    cron = setup_for("cron", calm)
    assert cron_command_words(cron) == wanted


@pytest.mark.parametrize("calm", CALMS, ids=lambda calm: " ".join(calm.argv))
def test_each_prompt_runs_this_calm_when_it_is_not_on_path(calm: Calm) -> None:
    """bash (read by a real bash), zsh and fish read back calm's path and words."""
    wanted = [*calm.argv, "nudge", "--once-per", "3"]
    bash = setup_for("bash", calm)
    shown = subprocess.run(
        ["bash", "--norc", "-c", f'{bash}\nprintf %s "$PROMPT_COMMAND"'],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.defpath},
    ).stdout
    assert shlex.split(shown) == wanted
    zsh = line_after(setup_for("zsh", calm), "_calm_nudge() { ")
    assert shlex.split(zsh.removesuffix(" }")) == wanted
    fish = line_after(setup_for("fish", calm), "    ")
    assert fish_words(fish) == wanted


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_tmux_reads_back_the_status_command_for_an_odd_path(tmp_path: Path) -> None:
    """A real tmux sources the snippet; its status line runs calm's path and words."""
    calms = [Calm((f"{folder}/calm",), on_path=False) for folder in ODD_FOLDERS]
    config = tmp_path / "tmux.conf"
    config.write_text("\n".join(setup_for("tmux", calm) for calm in calms) + "\n")
    socket = f"calm-nudge-setup-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket, "-f", os.devnull]
    read_back = ["source-file", str(config), ";", "show-options", "-gv", "status-right"]
    try:
        shown = subprocess.run(
            [*tmux, "new-session", "-d", ";", "set", "-g", "status-right", "", ";", *read_back],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False, timeout=10)
    commands = re.findall(r" #\((.*?)\)(?= #\(|$)", shown.rstrip("\n"))
    assert len(commands) == len(calms), shown
    for calm, command in zip(calms, commands, strict=True):
        unformatted = command.replace("##", "#").replace("%%", "%")
        assert shlex.split(unformatted) == [*calm.argv, "nudge", "--status"]


def test_on_path_the_prompts_say_a_plain_calm_and_the_timers_still_the_path() -> None:
    """A calm found on PATH keeps the prompt snippets short; timers never rely on PATH."""
    calm = Calm(("/opt/my calm/bin/calm",), on_path=True)
    assert 'PROMPT_COMMAND="calm nudge --once-per 3${PROMPT_COMMAND:+' in setup_for("bash", calm)
    assert "_calm_nudge() { calm nudge --once-per 3 }" in setup_for("zsh", calm)
    assert "    calm nudge --once-per 3\n" in setup_for("fish", calm)
    assert "' #(calm nudge --status)'" in setup_for("tmux", calm)
    for timer in ("cron", "systemd", "launchd"):
        assert "my calm" in setup_for(timer, calm)


def console_script(folder: Path, python: str) -> Path:
    """A ``calm`` console script in ``folder``, as pip writes one for ``python``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "calm"
    script.write_text(f"#!{python}\nimport sys\nfrom calm.__main__ import run\nrun()\n")
    script.chmod(0o755)
    return script


def test_the_calm_that_started_is_the_one_named(tmp_path: Path) -> None:
    """Started as a console script, calm names that script; on PATH, plainly."""
    script = console_script(tmp_path / "my venv" / "bin", "/elsewhere/bin/python3")
    assert calm_started_as(str(script), "/elsewhere/bin/python3", None) == Calm(
        (str(script),), on_path=False
    )
    assert calm_started_as(str(script), "/elsewhere/bin/python3", str(script)).on_path


def test_python_m_calm_finds_its_own_console_script_and_no_other(tmp_path: Path) -> None:
    """Started as ``python -m calm``: the console script on PATH or beside that Python
    when it is this calm's; otherwise Python itself with ``-m calm``."""
    venv = tmp_path / "a venv" / "bin"
    python = str(venv / "python")
    ours = console_script(venv, str(venv / "python3"))
    main = "/somewhere/calm/__main__.py"
    assert calm_started_as(main, python, str(ours)) == Calm((str(ours),), on_path=True)
    theirs = console_script(tmp_path / "other" / "bin", "/usr/bin/python3")
    assert calm_started_as(main, python, str(theirs)) == Calm((str(ours),), on_path=False)
    ours.unlink()
    assert calm_started_as(main, python, str(theirs)) == Calm((python, "-m", "calm"), on_path=False)


def test_every_setup_is_written_for_every_calm() -> None:
    """Each named setup has words for a console script and for ``python -m calm``."""
    for name in SETUP_NAMES:
        for calm in CALMS:
            assert "nudge" in setup_for(name, calm)


def run_calm(program: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run calm as a timer would: PATH holds only the system's own folders."""
    return subprocess.run(
        [*program, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_the_printed_plist_and_unit_start_the_calm_that_printed_them(tmp_path: Path) -> None:
    """Saved whole, the launchd output is a plist; the program it and the systemd and
    cron lines name runs, from a folder with a space, a % and an & in its name."""
    installed = Path(sys.executable).parent / "calm"
    if not installed.is_file():
        pytest.skip("calm's console script is not installed beside this Python")
    folder = tmp_path / "my 100% & <calm>"
    folder.mkdir()
    (folder / "calm").symlink_to(installed)
    starts = [[str(folder / "calm")], [sys.executable, "-m", "calm"]]
    for start in starts:
        plist = run_calm(start, "nudge", "--setup", "launchd")
        assert plist.returncode == 0, plist.stderr
        saved = tmp_path / "org.calm.nudge.plist"
        saved.write_text(plist.stdout)
        program = plistlib.loads(saved.read_bytes())["ProgramArguments"][:-2]
        assert program == (start if start[0] != sys.executable else [str(installed)])
        systemd = run_calm(start, "nudge", "--setup", "systemd").stdout
        assert started_by_systemd(systemd)[:-2] == program
        cron = run_calm(start, "nudge", "--setup", "cron").stdout
        assert cron_command_words(cron)[:-2] == program
        ran = run_calm(program, "nudge", "--setup", "bash")
        assert (ran.returncode, ran.stderr) == (0, ""), ran.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize("name", ["100% $HOME & <calm> #1", 'it\'s "my" calm \\ 100%'])
def test_systemd_itself_takes_the_unit_and_it_starts_the_program(tmp_path: Path, name: str) -> None:
    """``systemd-analyze verify`` takes the service, finds its program in an odd folder
    (through a shell, for a path systemd will not start), and the words run it."""
    folder = tmp_path / name
    folder.mkdir()
    program = folder / "calm"
    program.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/said"\n')
    program.chmod(0o755)
    systemd = setup_for("systemd", Calm((str(program),), on_path=False))
    service = tmp_path / "calm-nudge.service"
    service.write_text(systemd.split("\n# Save as")[0])
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(service)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (checked.returncode, checked.stderr) == (0, ""), checked.stderr
    subprocess.run(systemd_exec_words(line_after(systemd, "ExecStart=")), check=True, timeout=10)
    assert (folder / "said").read_text() == "nudge\n--notify\n"
