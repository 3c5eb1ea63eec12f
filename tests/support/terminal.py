"""A real terminal for the tests: a tmux server of the test's own, running a plain shell
that a test types into and reads back, as a person at a terminal would."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def exited(screen: str) -> bool:
    """Whether the shell has printed calm's exit status on a line of its own.

    The typed command holds "calm-exited-$?" too, and may wrap so that it starts a line.
    """
    return any(re.fullmatch(r"calm-exited-\d+", line.strip()) for line in screen.splitlines())


class Terminal:
    """A detached tmux session running a shell, driven like a person would."""

    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def tmux(self, *args: str) -> str:
        """Run a tmux command against this session's server."""
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return result.stdout

    def screen(self) -> str:
        """The visible text of the pane."""
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def send(self, *keys: str) -> None:
        """Press keys, as tmux names them."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def type_line(self, line: str) -> None:
        """Type a command and press Enter."""
        self.tmux("send-keys", "-t", self.session, "-l", line)
        self.send("Enter")

    def run(self, *args: str) -> None:
        """Type ``calm ARGS`` at the shell, followed by a line saying how it exited."""
        command = shlex.join([sys.executable, "-m", "calm", *args])
        self.type_line(f"{command}; echo calm-exited-$?")

    def flag(self, name: str) -> str:
        """A tmux pane format value, such as alternate_on."""
        return self.tmux("display-message", "-p", "-t", self.session, f"#{{{name}}}").strip()

    def wait_for(self, found: Callable[[str], bool], timeout: float = 15) -> str:
        """Poll the screen until ``found`` accepts it; fail after ``timeout`` seconds.

        Wait for the very state the test then asserts, never for a neighbour of it:
        "Paused" is drawn a moment before the footer says "space Resume".
        """
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while time.monotonic() < deadline:
            if found(screen):
                return screen
            time.sleep(0.05)
            screen = self.screen()
        raise AssertionError(f"timed out; the screen was:\n{screen}")

    def answer(self, question: str, key: str) -> None:
        """Wait for ``question`` on the screen, then press ``key``."""
        self.wait_for(lambda screen: question in screen)
        # The one-key question flushes typed-ahead keys just after it is drawn; a
        # person never answers within microseconds, so neither does the test.
        time.sleep(0.1)
        self.send(key)

    def exit_status(self) -> int:
        """Wait for calm to exit; its exit status."""
        screen = self.wait_for(
            lambda text: any(line.startswith("calm-exited-") for line in text.splitlines())
        )
        line = next(line for line in screen.splitlines() if line.startswith("calm-exited-"))
        return int(line.removeprefix("calm-exited-"))

    def leave_summary(self, timeout: float = 15) -> str:
        """Press Enter on the summary until calm has exited; the screen then.

        The summary ignores keys for a moment after it appears, so that one meant
        for the session is not taken as leaving; Enter is pressed again until calm
        is seen to exit, rather than once after a guess at that moment.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.send("Enter")
            try:
                return self.wait_for(exited, timeout=1)
            except AssertionError:
                continue
        raise AssertionError(f"calm did not leave its summary; the screen was:\n{self.screen()}")

    def modes(self) -> set[str]:
        """Whether echo and line editing are on, as the shell's ``stty`` reports them."""
        marker = f"modes-{uuid.uuid4().hex[:8]}"
        self.type_line(
            "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; "
            f"echo; echo {marker}"
        )
        # The typed command holds the marker too, but never as a line of its own.
        screen = self.wait_for(lambda screen: marker in screen.splitlines())
        lines = screen.splitlines()
        return set(lines[lines.index(marker) - 1].split())


@contextmanager
def tmux_server(
    name: str,
    *,
    size: tuple[int, int] = (80, 24),
    folder: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """A fresh tmux server named ``name-<random>`` with one session, "calm", running a
    plain shell of ``size`` columns and lines (in ``folder`` when given); its socket name.

    The shell gets ``env`` (by default the test's own, isolated environment) with a
    plain prompt and a 256-colour TERM. The server is killed as the block ends.
    """
    socket = f"{name}-{uuid.uuid4().hex[:8]}"
    shell_env = dict(env if env is not None else os.environ, PS1="$ ", TERM="xterm-256color")
    width, height = size
    where = ("-c", str(folder)) if folder is not None else ()
    subprocess.run(
        [
            *("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "calm"),
            *("-x", str(width), "-y", str(height), *where, "bash --norc --noprofile"),
        ],
        env=shell_env,
        check=True,
        timeout=10,
    )
    socket_path = Path(
        Terminal(socket, "calm").tmux("display-message", "-p", "#{socket_path}").strip()
    )
    try:
        yield socket
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False, timeout=10)
        socket_path.unlink(missing_ok=True)
