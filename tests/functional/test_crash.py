"""A bug inside calm is one line on stderr and a saved log, never a wall of traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text

from calm import locations
from tests.support.apps import calm_app


def _logs() -> list[Path]:
    folder = locations.log_dir()
    return sorted(folder.glob("error-*.log")) if folder.is_dir() else []


def test_a_crash_in_a_command_is_one_line_and_a_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception in `calm list` prints one line naming a log that holds it."""
    import calm.present.catalogue
    from calm.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the list is broken")

    monkeypatch.setattr(calm.present.catalogue, "collect", broken)
    monkeypatch.setattr(sys, "argv", ["calm", "list"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith("calm: something went wrong inside calm; the details are in ")
    (log,) = _logs()
    assert str(log) in err
    assert "RuntimeError: the list is broken" in log.read_text()


def test_a_crash_inside_the_app_is_one_line_and_a_log(capsys: pytest.CaptureFixture[str]) -> None:
    """What Textual would print after an internal error goes to a log; stderr gets one line."""
    app = calm_app(tip=lambda: "tip")
    app._exit_renderables.append(Text("Traceback: a pretend failure in a widget"))
    app._print_error_renderables()
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert app.crash_log is not None
    assert str(app.crash_log) in err
    assert "a pretend failure in a widget" in app.crash_log.read_text()


def test_an_unwritable_log_folder_still_gives_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """When the log cannot be saved, the one line still appears, without a path."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(locations, "log_dir", lambda: blocker / "log")
    from calm.crash import report

    assert report("details") is None
    assert capsys.readouterr().err == "calm: something went wrong inside calm\n"
    assert os.path.isfile(blocker)


def _calm(*args: str) -> list[str]:
    return [sys.executable, "-m", "calm", *args]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("list",), ("show", "box", "--json"), ("stats",)])
def test_a_full_disk_is_one_line_and_no_log(args: tuple[str, ...]) -> None:
    """Output to a full device names the trouble in one line; it is not filed as a bug."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            _calm(*args), stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )
    assert done.returncode == 1
    assert done.stderr == "calm: could not write: No space left on device\n"
    assert _logs() == []


@pytest.mark.parametrize("args", [("list",), ("show", "box"), ("history", "--csv")])
def test_a_reader_that_goes_away_stops_calm_quietly(args: tuple[str, ...]) -> None:
    """`calm list | true` style: when the pipe closes first, calm stops with no message at all,
    and exits 0, as when the reader reads it all."""
    process = subprocess.Popen(
        _calm(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    assert process.stdout is not None and process.stderr is not None
    # Closed long before calm has imported enough to write, so its first write meets a broken pipe.
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert err == b""
    assert _logs() == []


def test_crashes_in_the_same_second_keep_a_log_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logs are named to the second, and a second crash within it gets a name of its own."""
    import time

    from calm import crash

    monkeypatch.setattr(time, "strftime", lambda pattern: "error-20250101-093000")
    first = crash.save_log("first")
    second = crash.save_log("second")
    third = crash.save_log("third")
    assert first is not None and second is not None and third is not None
    assert len({first, second, third}) == 3
    assert sorted(log.read_text() for log in _logs()) == ["first", "second", "third"]
    assert first.name == "error-20250101-093000.log"
    assert second.name == "error-20250101-093000-2.log"


@pytest.mark.parametrize(
    "args",
    [
        ("list",),  # small enough to sit whole in the pipe
        ("show", "box", "--json", "--cycles", "10000"),  # megabytes: the pipe breaks part way
    ],
)
def test_a_reader_that_stops_part_way_gives_the_same_exit_as_one_that_reads_it_all(
    args: tuple[str, ...],
) -> None:
    """`calm list | head -3`: the reader takes a line and goes, and calm exits 0 quietly,
    whether the rest fitted in the pipe or not."""
    process = subprocess.Popen(
        _calm(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    assert first
    assert process.wait(timeout=60) == 0
    assert err == b""
    assert _logs() == []
