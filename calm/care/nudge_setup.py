"""What to add, by hand, for ``calm nudge`` to speak: ``calm nudge --setup NAME`` prints
it. calm never edits a dotfile, and never installs a timer, itself.

A timer runs with a bare PATH (``/usr/bin:/bin`` for cron and launchd), where a calm
installed in a virtual environment or by pipx is not found, so the cron, systemd and
launchd snippets name the calm that is running by its absolute path. The prompt
snippets say a plain ``calm`` when that is this calm on PATH, and the path otherwise.
Each is quoted by the rules of the place it goes, so any path works: spaces, quotes,
``%``, ``$``, ``&`` and ``<`` included.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Calm:
    """How to start this calm from somewhere else: a timer, a prompt."""

    argv: tuple[str, ...]
    """The absolute path of the ``calm`` console script, or Python's with ``-m calm``."""
    on_path: bool
    """Whether a bare ``calm`` on PATH is this same calm."""


def running_calm() -> Calm:
    """The calm that is running now, as a timer or a prompt would start it."""
    return calm_started_as(sys.argv[0] if sys.argv else "", sys.executable, shutil.which("calm"))


def calm_started_as(argv0: str, executable: str, found_on_path: str | None) -> Calm:
    """The calm started as ``argv0`` by the Python at ``executable``, with
    ``found_on_path`` what a bare ``calm`` on PATH is (None when nothing is).

    The console script is preferred: the one that started calm, else the one on PATH
    or beside Python when it belongs to this Python. Failing those, ``python -m calm``.
    """
    script = None
    if os.path.basename(argv0) == "calm" and os.path.isfile(argv0):
        script = os.path.abspath(argv0)
    else:
        beside = os.path.join(os.path.dirname(executable), "calm") if executable else None
        for candidate in (found_on_path, beside):
            if candidate and _runs_with(candidate, executable):
                script = os.path.abspath(candidate)
                break
    on_path = bool(script and found_on_path and _same_file(script, found_on_path))
    if script:
        return Calm((script,), on_path)
    python = os.path.abspath(executable) if executable else "python3"
    return Calm((python, "-m", "calm"), on_path=False)


def _runs_with(script: str, executable: str) -> bool:
    """Whether ``script`` is calm's console script for the Python at ``executable``:
    its first lines name a Python in that Python's folder, and import calm."""
    if not executable:
        return False
    try:
        with open(script, "rb") as handle:
            head = handle.read(1024).decode("utf-8", "replace")
    except OSError:
        return False
    python_here = os.path.join(os.path.dirname(executable), "python")
    return python_here in head and "calm" in head


def _same_file(one: str, other: str) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def setup_for(name: str, calm: Calm) -> str:
    """What to add for ``name`` (one of ``SETUP_NAMES``), starting ``calm``."""
    return _WRITERS[name](calm)


def _shell_words(argv: Sequence[str]) -> str:
    """Words for a POSIX shell (bash, zsh, sh): each one quoted when it must be."""
    return shlex.join(argv)


def _at_prompt(calm: Calm, *args: str) -> tuple[str, ...]:
    """The words that run calm at a prompt: a plain ``calm`` when that is this one."""
    return ("calm", *args) if calm.on_path else (*calm.argv, *args)


def _bash(calm: Calm) -> str:
    command = _shell_words(_at_prompt(calm, "nudge", "--once-per", "3"))
    if calm.on_path:
        line = f'PROMPT_COMMAND="{command}${{PROMPT_COMMAND:+; $PROMPT_COMMAND}}"'
    else:
        # PROMPT_COMMAND is read again at each prompt: the path stays quoted inside it.
        line = f'PROMPT_COMMAND={shlex.quote(command)}"${{PROMPT_COMMAND:+; $PROMPT_COMMAND}}"'
    return f"# Add to ~/.bashrc: a kind line above your prompt now and then.\n{line}"


def _zsh(calm: Calm) -> str:
    command = _shell_words(_at_prompt(calm, "nudge", "--once-per", "3"))
    return (
        "# Add to ~/.zshrc: a kind line above your prompt now and then.\n"
        "autoload -Uz add-zsh-hook\n"
        f"_calm_nudge() {{ {command} }}\n"
        "add-zsh-hook precmd _calm_nudge"
    )


def _fish_word(word: str) -> str:
    """One word for fish, whose single quotes take ``\\'`` and ``\\\\`` as escapes."""
    if word and all(char.isalnum() or char in "/._-+=:," for char in word):
        return word
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(calm: Calm) -> str:
    command = " ".join(_fish_word(word) for word in _at_prompt(calm, "nudge", "--once-per", "3"))
    return (
        "# Add to ~/.config/fish/config.fish: a kind line above your prompt now and then.\n"
        "function _calm_nudge --on-event fish_prompt\n"
        f"    {command}\n"
        "end"
    )


def _tmux_string(text: str) -> str:
    """``text`` as one tmux configuration word: single quotes keep everything as it
    is, but cannot hold a single quote; then double quotes, with ``\\`` escapes."""
    if "'" not in text:
        return f"'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def _tmux(calm: Calm) -> str:
    command = _shell_words(_at_prompt(calm, "nudge", "--status"))
    # The status line is a tmux format that strftime reads too: "#" and "%" are doubled.
    shown = command.replace("#", "##").replace("%", "%%")
    return (
        "# Add to ~/.tmux.conf: today's next suggestion in the status line, while there is one.\n"
        "set -g status-interval 60\n"
        f"set -ga status-right {_tmux_string(f' #({shown})')}"
    )


def _cron(calm: Calm) -> str:
    # cron ends the command at a bare "%" (the rest is its input); "\%" is a "%".
    command = _shell_words((*calm.argv, "nudge", "--notify")).replace("%", "\\%")
    return (
        "# Add with `crontab -e`: a desktop notification at 6 pm, if anything is left.\n"
        "0 18 * * * DISPLAY=:0 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus "
        f"{command}"
    )


_SYSTEMD_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}

_THROUGH_SHELL = ("/bin/sh", "-c", 'exec "$0" "$@"')
"""Words that start a program systemd itself will not, with the words after them."""


def _systemd_word(word: str, *, program: bool = False) -> str:
    """One word of an ``ExecStart=`` line, by systemd.service(5)'s "Command lines":
    quoted when it holds anything but plain characters, with C escapes inside the
    quotes; "%" written "%%", as specifiers are read first, quoted or not; and "$"
    written "$$" in an argument, where systemd expands variables (never in the program).
    """
    if word and all(char.isalnum() or char in "/._-+=:,@" for char in word):
        return word
    escaped = "".join(_SYSTEMD_ESCAPES.get(char, char) for char in word).replace("%", "%%")
    return f'"{escaped if program else escaped.replace("$", "$$")}"'


def _systemd_refuses(program: str) -> bool:
    """Whether systemd refuses ``program`` as the one to start ("Executable name
    contains special characters"): a quote, a backslash or a control character."""
    return any(char in "'\"\\" or not char.isprintable() for char in program)


def _systemd(calm: Calm) -> str:
    words = (*calm.argv, "nudge", "--notify")
    if _systemd_refuses(words[0]):
        words = (*_THROUGH_SHELL, *words)  # a shell starts any path
    command = " ".join(
        [_systemd_word(words[0], program=True), *(_systemd_word(word) for word in words[1:])]
    )
    return (
        "# Save as ~/.config/systemd/user/calm-nudge.service\n"
        "[Unit]\n"
        "Description=A kind reminder from calm\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={command}\n"
        "\n"
        "# Save as ~/.config/systemd/user/calm-nudge.timer\n"
        "[Unit]\n"
        "Description=A kind reminder from calm, late afternoon\n"
        "\n"
        "[Timer]\n"
        "OnCalendar=*-*-* 17:30\n"
        "Persistent=false\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
        "\n"
        "# Then: systemctl --user daemon-reload && systemctl --user enable --now calm-nudge.timer"
    )


def _launchd(calm: Calm) -> str:
    arguments = "".join(
        f"<string>{escape(word)}</string>" for word in (*calm.argv, "nudge", "--notify")
    )
    # The declaration must open the file; the guidance is a comment just after it.
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Save as ~/Library/LaunchAgents/org.calm.nudge.plist, then:\n"
        "     launchctl load ~/Library/LaunchAgents/org.calm.nudge.plist -->\n"
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n'
        "<dict>\n"
        "    <key>Label</key><string>org.calm.nudge</string>\n"
        "    <key>ProgramArguments</key>\n"
        f"    <array>{arguments}</array>\n"
        "    <key>StartCalendarInterval</key>\n"
        "    <dict><key>Hour</key><integer>17</integer>"
        "<key>Minute</key><integer>30</integer></dict>\n"
        "</dict>\n"
        "</plist>"
    )


_WRITERS = {
    "bash": _bash,
    "zsh": _zsh,
    "fish": _fish,
    "tmux": _tmux,
    "cron": _cron,
    "systemd": _systemd,
    "launchd": _launchd,
}

SETUP_NAMES = tuple(_WRITERS)
"""Each place a nudge can come from, in the order ``--help`` names them."""


class _Setups(Mapping[str, str]):
    """Each place a nudge can come from, and what to add there for the calm running."""

    def __getitem__(self, name: str) -> str:
        return setup_for(name, running_calm())

    def __iter__(self) -> Iterator[str]:
        return iter(SETUP_NAMES)

    def __len__(self) -> int:
        return len(SETUP_NAMES)


SETUPS: Mapping[str, str] = _Setups()
"""Each place a nudge can come from, and what to add there (worked out when asked)."""
