"""calm serve's pages as a browser meets them, with no browser: the address typed without
its last slash, what each page says of the sound, and a page turned away when every
session is in use, which the serving terminal says too. A real ``calm serve``."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from calm.serve.server import NO_SOUND_NOTE, SOUND_NOTE

pytestmark = pytest.mark.slow
"""Each test serves for real, and a page's calm starts for real."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(home: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``calm serve OPTIONS`` on a free port: its page's address, and the process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "serve", "--port", str(free_port()), *options],
        env=dict(os.environ, HOME=str(home), CALM_PLAYER="silence"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        found = re.search(r"http://\S+", process.stdout.readline())
        assert found, "no address printed"
        yield found.group(0), process
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return str(answer.read().decode())


def test_the_address_without_its_last_slash_is_the_page(tmp_path: Path) -> None:
    with serving(tmp_path) as (url, _):
        assert url.endswith("/")
        assert SOUND_NOTE in page(url.rstrip("/"))


def test_no_audio_says_so_on_the_page_and_in_the_terminal(tmp_path: Path) -> None:
    with serving(tmp_path, "--no-audio") as (url, process):
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "No sound (--no-audio). Press Ctrl+C to stop."
        html = page(url)
        assert NO_SOUND_NOTE in html and SOUND_NOTE not in html


def test_a_page_turned_away_is_said_in_the_serving_terminal(tmp_path: Path) -> None:
    """--max 1: a page holds the one session; the next is told calm is busy, and the
    therapist's terminal says why the phone was refused."""
    import aiohttp

    with serving(tmp_path, "--max", "1", "--no-audio") as (url, process):
        assert process.stdout is not None
        process.stdout.readline()  # the sound line

        async def hold_one_and_ask_again() -> int:
            socket_url = url.replace("http://", "ws://") + "ws?width=80&height=24"
            async with aiohttp.ClientSession() as client, client.ws_connect(socket_url) as held:
                await held.receive(timeout=20)  # its calm has started and drawn
                async with client.get(url) as second:
                    return second.status

        assert asyncio.run(hold_one_and_ask_again()) == 503
        said = process.stdout.readline().strip()
        assert said == (
            "A page was turned away: 1 page at a time is the most (--max 1); it can try"
            " again once one has ended."
        )
