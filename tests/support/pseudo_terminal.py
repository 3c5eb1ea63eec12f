"""What a command writes to a pseudo-terminal of a given width: for checking a layout
as a terminal gets it, without the cost of a tmux server."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
from collections.abc import Mapping, Sequence


def written_to_terminal(
    command: Sequence[str], columns: int, env: Mapping[str, str], timeout: float = 60
) -> tuple[int, bytes, bytes]:
    """Run ``command`` with stdout on a pseudo-terminal ``columns`` wide (30 lines) and
    ``env``; its exit status, what it wrote there (lines ending as it wrote them), and
    its stderr."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    attributes = termios.tcgetattr(follower)
    attributes[1] &= ~termios.ONLCR  # lines end as the command wrote them
    termios.tcsetattr(follower, termios.TCSANOW, attributes)
    with subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=dict(env),
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the command
                break
            if not chunk:
                break
            chunks.append(chunk)
        status = process.wait(timeout=timeout)
        assert process.stderr is not None
        errors = process.stderr.read()
    os.close(leader)
    return status, b"".join(chunks), errors
