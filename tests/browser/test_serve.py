"""calm serve in a real browser: Debian's chromium, headless, driven by Playwright.

The page's terminal is drawn on a canvas, so each test reads the screen from xterm's own
buffer: the copy of textual.js the page loads is handed to it with one line added that
keeps the terminal where the test can reach it (request interception, the test's side
only). Every request the page makes is checked to go to the local server.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from calm.tui.screens.shared_words import WAITING

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    if os.environ.get("CALM_REQUIRE_AUDIO"):  # set by .ci/run, which installs chromium
        pytest.fail("Debian's chromium is needed for the browser tests")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
pytestmark = [pytest.mark.slow, pytest.mark.browser]

WAIT = 20.0
"""The longest any step may take before the test gives up on it."""
PATCH = (
    "this.terminal.open(e),",
    "this.terminal.open(e),(window.calmTerminals=window.calmTerminals||[]).push(this.terminal),",
)
SCREEN = """() => {
    const terminal = (window.calmTerminals || [])[0];
    if (!terminal) return "";
    const buffer = terminal.buffer.active, rows = [];
    for (let row = 0; row < terminal.rows; row++) {
        const line = buffer.getLine(row);
        rows.push(line ? line.translateToString(true) : "");
    }
    return rows.join("\\n");
}"""
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(os.environ.get("CALM_ARTIFACTS", "/tmp/calm-artifacts"))


class Served:
    """A running ``calm serve``: its process and the page's address."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def calms(self) -> list[int]:
        """The calm processes it has started and that still run."""
        return children(self.process.pid)

    def press(self, keys: str) -> None:
        """Type ``keys`` into calm serve's own terminal (a pipe here)."""
        assert self.process.stdin is not None
        self.process.stdin.write(keys)
        self.process.stdin.flush()


def children(parent: int) -> list[int]:
    """Every process below ``parent``, by reading /proc."""
    below: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if fields[0] != "Z":
                    below.setdefault(int(fields[1]), []).append(int(entry.name))
    found, waiting = [], [parent]
    while waiting:
        for child in below.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


@contextlib.contextmanager
def calm_serve(tmp_path: Path, *arguments: str) -> Iterator[Served]:
    """``calm serve`` with a home of its own, until the block ends with Ctrl+C."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(home / "state"))
    env.pop("TEXTUAL_DRIVER", None)
    port = 20000 + os.getpid() % 20000
    process = subprocess.Popen(
        [sys.executable, "-m", "calm", "serve", "--port", str(port), "--no-audio", *arguments],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://\S+", line)
        assert found, line
        yield Served(process, found.group(0))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            raise


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def open_page(browser: Any, url: str, size: dict[str, int] | None = None) -> tuple[Any, list[str]]:
    """A page on ``url``, every request it makes noted, textual.js opened up for the test."""
    page = browser.new_page(viewport=size or {"width": 1000, "height": 700})
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))

    def textual_js(route: Any) -> None:
        response = route.fetch()
        body = response.text()
        assert PATCH[0] in body, "textual.js has changed: the test's hook needs a new place"
        route.fulfill(response=response, body=body.replace(PATCH[0], PATCH[1], 1))

    page.route("**/textual.js", textual_js)
    page.goto(url)
    return page, asked


def screen(page: Any) -> str:
    return str(page.evaluate(SCREEN))


def wait_for(page: Any, wanted: str, seconds: float = WAIT) -> str:
    """The page's screen, once it shows ``wanted``."""
    deadline = time.monotonic() + seconds
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(page)
        if wanted in shown:
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"{wanted!r} never showed; the screen was:\n{shown}")


def settle(page: Any) -> None:
    """Let the first screen finish its first layout, as a person would before a key."""
    page.wait_for_timeout(800)
    page.focus(".xterm-helper-textarea")


def test_a_page_takes_keys_with_no_click_first(tmp_path: Path, browser: Any) -> None:
    """On a computer (a mouse or trackpad), the page's keys reach calm at once: a
    therapist's demo once had to click the page before anything typed did anything."""
    with calm_serve(tmp_path) as served:
        page, _ = open_page(browser, served.url)
        wait_for(page, "Type to filter")
        page.wait_for_timeout(800)  # the first layout, as in settle(), with no focus given
        page.keyboard.type("box")
        wait_for(page, "Filter: box")


def test_a_session_from_the_list_in_the_browser(tmp_path: Path, browser: Any) -> None:
    """The picker, box chosen by typing, the phase words changing, q, and the summary; the
    page never asks anything of another host."""
    with calm_serve(tmp_path) as served:
        page, asked = open_page(browser, served.url)
        started = time.monotonic()
        wait_for(page, "Type to filter")
        first_frame = time.monotonic() - started
        settle(page)
        page.keyboard.type("box")
        wait_for(page, "Filter: box")
        page.keyboard.press("Enter")
        wait_for(page, "Press Enter when you are ready")
        settle(page)
        page.keyboard.press("Enter")
        wait_for(page, "Settle in")
        seen: set[str] = set()
        deadline = time.monotonic() + 16
        while time.monotonic() < deadline and len(seen) < 3:
            shown = screen(page)
            seen |= {word for word in ("Breathe in", "Hold", "Breathe out") if word in shown}
            page.wait_for_timeout(200)
        assert len(seen) >= 2, seen
        page.keyboard.press("q")
        wait_for(page, "Ended early")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve-summary.png"))
        origin = served.url.split("/", 3)[:3]
        assert all(url.split("/", 3)[:3] == origin for url in asked), asked
        assert first_frame < WAIT


def test_a_phone_sized_page_opens_straight_into_the_script(tmp_path: Path, browser: Any) -> None:
    """With SCRIPT, a phone held upright: calm's narrow layout, titled with the script; a
    screenshot is kept."""
    with calm_serve(tmp_path, "box") as served:
        page, _ = open_page(browser, served.url, PHONE)
        assert page.title() == "Box breathing · calm"
        wait_for(page, "Press Enter when you are ready")
        settle(page)
        page.keyboard.press("Enter")
        shown = wait_for(page, "Settle in")
        columns = max(len(line) for line in shown.splitlines())
        assert 36 <= columns <= 50, columns
        page.wait_for_timeout(1500)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve-phone.png"))


def test_a_wrong_token_is_refused_and_spawns_nothing(tmp_path: Path, browser: Any) -> None:
    """No token, or a wrong one: 403 and a plain page, and no calm starts."""
    with calm_serve(tmp_path, "box") as served:
        base = served.url.rsplit("/", 2)[0]
        for address in (base + "/", base + "/not-the-token/", base + "/not-the-token/ws"):
            page = browser.new_page()
            response = page.goto(address)
            assert response is not None and response.status == 403
            assert "needs the link" in page.content()
            page.close()
        time.sleep(0.5)
        assert served.calms() == []


def test_past_the_cap_calm_is_busy_and_closed_tabs_end_their_calm(
    tmp_path: Path, browser: Any
) -> None:
    """--max 2: a third page is told calm is busy, and no third calm starts; closing a tab
    ends its calm within a few seconds; Ctrl+C leaves none behind."""
    with calm_serve(tmp_path, "box", "--max", "2") as served:
        pages = []
        for _ in range(2):
            page, _ = open_page(browser, served.url)
            wait_for(page, "Press Enter when you are ready")
            pages.append(page)
        settle(pages[0])
        pages[0].keyboard.press("Enter")
        wait_for(pages[0], "Settle in")
        pages[0].wait_for_timeout(1000)
        assert len(served.calms()) == 2
        busy = browser.new_page()
        busy.goto(served.url)
        assert "calm is busy" in busy.content()
        assert len(served.calms()) == 2
        pages[0].close()
        deadline = time.monotonic() + 8
        while len(served.calms()) > 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(served.calms()) == 1
        # The closed tab's session is written down, as ended early.
        assert [row["status"] for row in history(tmp_path)] == ["ended_early"]
        left = served.calms()
    assert served.process.returncode is not None
    assert [pid for pid in left if alive(pid)] == []


def history(tmp_path: Path) -> list[dict[str, Any]]:
    """The sessions written down in ``calm_serve``'s home."""
    home = tmp_path / "home"
    env = dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(home / "state"))
    result = subprocess.run(
        [sys.executable, "-m", "calm", "history", "--json", "--limit", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    import json

    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


SHORT = """title = "Short"
summary = "A few seconds."
category = "breathing"

[[steps]]
breathe = "Breathe."
pattern = "1-0-1"
cycles = 1
"""


def test_the_summary_downloads_the_session_as_audio(tmp_path: Path, browser: Any) -> None:
    """Done in a browser: d on the summary delivers the session's soundtrack as an MP3
    of the session's length with the end chime, through the page's own server."""
    soundfile = pytest.importorskip("soundfile")
    script = tmp_path / "short.toml"
    script.write_text(SHORT, encoding="utf-8")
    with calm_serve(tmp_path, str(script)) as served:
        page, asked = open_page(browser, served.url)
        # With no holds there is no caution: the session begins, and ends, at once.
        wait_for(page, "Press d to download this session as audio")
        settle(page)
        # The page opens the download in a new tab: the test takes it on its way.
        delivered: dict[str, Any] = {}

        def take(route: Any) -> None:
            response = route.fetch()
            delivered["body"] = response.body()
            delivered["disposition"] = response.headers.get("content-disposition", "")
            route.fulfill(response=response)

        page.context.route("**/download/**", take)
        page.keyboard.press("d")
        deadline = time.monotonic() + WAIT
        while "body" not in delivered and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert delivered, f"no download came; the screen was:\n{screen(page)}"
        assert "short.mp3" in delivered["disposition"]
        saved = tmp_path / "taken-home.mp3"
        saved.write_bytes(delivered["body"])
        samples, rate = soundfile.read(saved)
        # Two seconds of breath, then the end chime rings out (three seconds).
        assert 4.5 <= len(samples) / rate <= 5.5
        assert 0.05 < abs(samples).max() < 1.0
        origin = served.url.split("/", 3)[:3]
        assert all(url.split("/", 3)[:3] == origin for url in asked), asked


RECORD_WORDS = """() => {
    // Every change of the big words (the first row of words below the top line, above
    // the progress and the footer), with the wall clock's moment, which both pages
    // share: read each time xterm has parsed what calm sent.
    window.calmChanges = [];
    const terminal = window.calmTerminals[0];
    let last = null;
    const look = () => {
        const buffer = terminal.buffer.active;
        let words = "";
        for (let row = 1; row < terminal.rows - 2 && !words; row++) {
            const line = buffer.getLine(row);
            const text = line ? line.translateToString(true).trim() : "";
            if (/[A-Za-z]{3}/.test(text)) words = text;
        }
        if (words !== last) {
            last = words;
            window.calmChanges.push([Date.now() / 1000, words]);
        }
    };
    look();
    terminal.onWriteParsed(look);
}"""


def test_together_every_page_follows_one_session_led_from_the_terminal(
    tmp_path: Path, browser: Any
) -> None:
    """--together: two pages wait, then begin at once when the serving terminal presses
    Enter; over 30 s, with a pause and a resume from the terminal, their words change
    alike, each change within 100 ms of the other page's. A page's own keys change
    nothing; its help says the session is led from elsewhere. The shared log's folder
    is gone once serving stops."""
    with calm_serve(tmp_path, "--together", "box") as served:
        pages = [open_page(browser, served.url, PHONE)[0] for _ in range(2)]
        for page in pages:
            wait_for(page, "Waiting for the session to begin")
        follow = Path(_argument_after("--follow", served.calms()))
        assert follow.parent.name.startswith("calm-together-")
        assert follow.parent.stat().st_mode & 0o077 == 0  # this user's alone
        for page in pages:
            page.evaluate(RECORD_WORDS)
        served.press("\n")
        begun = time.monotonic()
        for at, key in ((13.0, " "), (16.0, " "), (30.0, None)):
            time.sleep(max(at - (time.monotonic() - begun), 0))
            if key:
                served.press(key)
        changes = [page.evaluate("() => window.calmChanges") for page in pages]
        words = [[said for _, said in page_changes] for page_changes in changes]
        assert words[0] == words[1], words
        assert words[0][0] == WAITING, words[0]  # the session screen, waiting
        assert {"Paused", "Breathe in through the nose"} <= set(words[0]), words[0]
        assert len(words[0]) >= 8, words[0]
        apart = [abs(a[0] - b[0]) for a, b in zip(changes[0][1:], changes[1][1:], strict=True)]
        measured = list(zip(words[0][1:], apart, strict=True))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        import json

        (ARTIFACTS / "together-apart.json").write_text(json.dumps(measured, indent=1))
        assert max(apart) <= 0.1, measured
        # A page's keys do nothing to the shared session, and its help says why.
        settle(pages[0])
        pages[0].keyboard.press(" ")
        pages[0].keyboard.press("n")
        pages[0].wait_for_timeout(600)
        assert "Paused" not in screen(pages[0])
        assert screen(pages[0]).count("step 2 of 3") == 1
        pages[0].keyboard.press("?")
        wait_for(pages[0], "This session is led from")
        assert len(served.calms()) == 2
    assert not follow.parent.exists()


def _argument_after(flag: str, pids: list[int]) -> str:
    """The value after ``flag`` in the command line of the first of ``pids`` that has it."""
    for pid in pids:
        with contextlib.suppress(OSError):
            words = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            if flag in words:
                return words[words.index(flag) + 1]
    raise AssertionError(f"no calm was started with {flag}")


def test_pace_runs_calm_pace_on_each_page(tmp_path: Path, browser: Any) -> None:
    """``calm serve --pace``: a phone's page opens on calm pace's introduction, its first
    pace runs, and q stops it kindly, keeping nothing."""
    with calm_serve(tmp_path, "--pace") as served:
        page, _ = open_page(browser, served.url, PHONE)
        intro = wait_for(page, "Press Enter when you are ready")
        assert "Finding your preferred pace" in intro
        settle(page)
        page.keyboard.press("Enter")
        wait_for(page, "Rung 1 of 5")
        wait_for(page, "6.5 breaths a minute")
        page.keyboard.press("q")
        stopped = " ".join(wait_for(page, "Ended early").split())
        assert "nothing was saved" in stopped
