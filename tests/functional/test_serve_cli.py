"""calm serve's command line, with no browser: what it checks before serving anything,
and the one line it gives when it cannot serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from calm.serve.command import Served, served_command


def calm(*arguments: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calm", *arguments],
        env=dict(os.environ, HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_a_script_calm_does_not_have_is_refused_as_start_refuses_it(tmp_path: Path) -> None:
    """The same line and status as `calm start`, before anything is served."""
    served = calm("serve", "bx", home=tmp_path)
    started = calm("start", "bx", "--plain", home=tmp_path)
    assert served.returncode == started.returncode == 2
    assert served.stderr == started.stderr
    assert served.stdout == ""


def test_a_broken_script_file_is_refused_before_serving(tmp_path: Path) -> None:
    """A script with problems: each said, exit 1, nothing served."""
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[[steps]]\nsay = 3\n', encoding="utf-8")
    result = calm("serve", str(broken), home=tmp_path)
    assert result.returncode == 1
    assert "broken.toml" in result.stderr
    assert "serving" not in result.stdout


@pytest.mark.parametrize("port", ["0", "70000", "x", "-1"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, port: str) -> None:
    result = calm("serve", "--port", port, home=tmp_path)
    assert result.returncode == 2
    assert "--port" in result.stderr


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    """Another program on the port: one line in plain words naming it and what to do,
    exit 1 (the command line was right: the machine is not), no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = calm("serve", "--port", str(port), home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"calm: port {port} is in use by another program; choose another with --port N"
    ]


def test_the_served_command_comes_only_from_checked_options() -> None:
    """calm itself, started from its own module, with the options as flags; a script
    name that looks like a flag is never read as one."""
    assert served_command(Served()).endswith("-m calm start")
    assert served_command(Served("box", demo=True, no_audio=True)).endswith(
        "-m calm start --no-audio --demo box"
    )
    assert served_command(Served("-x.toml")).endswith("-m calm start -- -x.toml")
    assert served_command(Served("/a b/it's.toml")).endswith("""start '/a b/it'"'"'s.toml'""")
    assert served_command(Served()).startswith("exec ")
    follows = served_command(Served("box", no_audio=True, follow="/tmp/calm-x/log.json"))
    assert follows.endswith("start --no-audio --follow /tmp/calm-x/log.json box")


@pytest.mark.slow
def test_lan_serves_on_the_network_address_with_a_qr_code_and_the_token(tmp_path: Path) -> None:
    """--lan: the address is this machine's on its network, printed with a QR code; the
    page answers there with its token and refuses without it."""
    import re
    import signal
    import urllib.error
    import urllib.request

    from calm.serve.address import lan_address
    from calm.serve.qr import qr_lines

    if lan_address() is None:
        pytest.skip("this machine has no network address")
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "serve", "box", "--lan", "--port", "18931"],
        env=dict(os.environ, HOME=str(tmp_path)),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://(\S+?):18931/(\S+)/", first)
        assert found, first
        assert found.group(1) == lan_address()
        url = found.group(0)
        printed = [process.stdout.readline() for _ in range(len(qr_lines(url).splitlines()) + 1)]
        assert "".join(printed[1:]) == qr_lines(url)
        with urllib.request.urlopen(url, timeout=10) as page:
            assert "Box breathing" in page.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.rsplit("/", 2)[0] + "/", timeout=10)
        assert refused.value.code == 403
        token = found.group(2)
        assert len(token) >= 22  # 128 bits in URL-safe base64
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)


@pytest.mark.slow
def test_a_title_with_markup_is_shown_as_text_on_the_page(tmp_path: Path) -> None:
    """A script's title is data: on the page it is text, never markup or script."""
    import re
    import signal
    import urllib.request

    script = tmp_path / "odd.toml"
    script.write_text(
        'title = "</title><script>alert(1)</script>"\nsummary = "x"\ncategory = "breathing"\n'
        '[[steps]]\nsay = "Rest."\nseconds = 2\n',
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "serve", str(script), "--port", "18932"],
        env=dict(os.environ, HOME=str(tmp_path)),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        found = re.search(r"http://\S+", process.stdout.readline())
        assert found
        with urllib.request.urlopen(found.group(0), timeout=10) as page:
            html = page.read().decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)


def test_together_needs_a_script_to_lead(tmp_path: Path) -> None:
    result = calm("serve", "--together", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--together" in result.stderr
    assert "serving" not in result.stdout


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["box", "--follow", "/no/such/log"], "/no/such/log"),
        (["box", "--follow", "\x1b[2Jx"], "?[2Jx"),
        (["box", "--plain", "--follow", "LOG"], "full screen"),
        (["--follow", "LOG"], "named script"),
    ],
)
def test_a_page_that_cannot_follow_says_so_in_one_line(
    tmp_path: Path, arguments: list[str], named: str
) -> None:
    """``--follow`` (hidden: calm serve --together gives it to each page) names a log that
    is a file, for a named script on the full screen; anything else is one line, exit 2,
    with no escape sequence passed through."""
    log = tmp_path / "log.json"
    log.write_text('{"format": 1, "start": null, "controls": []}', encoding="utf-8")
    result = calm(
        "start", *[str(log) if word == "LOG" else word for word in arguments], home=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and named in result.stderr, result.stderr
    assert "\x1b" not in result.stderr
