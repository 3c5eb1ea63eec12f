"""config.toml: typed settings, one line per bad key, and the defaults kept for the rest."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from calm.config import Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_config_means_every_default(tmp_path: Path) -> None:
    """No config file is not a problem: the defaults, and no notices."""
    assert load_settings(tmp_path / "config.toml") == (Settings(), [])


def test_good_keys_are_read(tmp_path: Path) -> None:
    """Each known key of the right kind is taken as given."""
    path = write(
        tmp_path, 'theme = "nord"\nreduced_motion = true\nskip_caution = true\nvolume = 40\n'
    )
    settings, notices = load_settings(path)
    assert notices == []
    assert settings == Settings(theme="nord", reduced_motion=True, skip_caution=True, volume=40)


def test_an_unknown_key_is_named_with_a_suggestion_and_ignored(tmp_path: Path) -> None:
    """A misspelt key gives one line with a did-you-mean; the other keys still count."""
    path = write(tmp_path, 'reduced_moton = true\ntheme = "nord"\n')
    settings, notices = load_settings(path)
    assert notices == [
        f'{path}: unknown key "reduced_moton", did you mean "reduced_motion"?; ignored'
    ]
    assert settings == Settings(theme="nord")


def test_a_wrong_kind_of_value_names_the_key_and_keeps_the_default(tmp_path: Path) -> None:
    """reduced_motion = "maybe" is one line naming the key; the default stays."""
    path = write(tmp_path, 'reduced_motion = "maybe"\n')
    settings, notices = load_settings(path)
    assert notices == [f'{path}: reduced_motion must be true or false, got "maybe"; using false']
    assert settings.reduced_motion is False


@pytest.mark.parametrize(
    ("written", "meant"),
    [('"yes"', True), ('"True"', True), ("1", True), ('"off"', False), ("0", False)],
)
def test_a_switch_in_quotes_or_as_a_number_means_what_it_says(
    tmp_path: Path, written: str, meant: bool
) -> None:
    """reduced_motion = "yes" is not TOML's true, but its meaning is plain: it is used,
    with one line saying how to write it."""
    path = write(tmp_path, f"reduced_motion = {written}\n")
    settings, notices = load_settings(path)
    assert settings.reduced_motion is meant
    (notice,) = notices
    assert notice.startswith(f"{path}: reduced_motion must be true or false, got ")
    assert notice.endswith(f"; using {str(meant).lower()}")


def test_an_out_of_range_number_keeps_the_default(tmp_path: Path) -> None:
    """volume = 400 is out of range: one line, and the default volume."""
    path = write(tmp_path, "volume = 400\n")
    settings, notices = load_settings(path)
    assert notices == [f"{path}: volume must be from 0 to 100, got 400; using 70"]
    assert settings.volume == Settings().volume


def test_broken_toml_is_one_line_and_all_defaults(tmp_path: Path) -> None:
    """A config that is not TOML gives one line and every default."""
    path = write(tmp_path, "theme = \n")
    settings, notices = load_settings(path)
    assert settings == Settings()
    assert len(notices) == 1
    assert notices[0].startswith(f"{path}: not valid TOML")
    assert "\n" not in notices[0]


def test_a_binary_config_is_one_line_and_all_defaults(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 give one line and every default, never a traceback."""
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00theme")
    settings, notices = load_settings(path)
    assert settings == Settings()
    assert len(notices) == 1


def test_a_huge_number_is_named_without_a_traceback(tmp_path: Path) -> None:
    """volume = a 5,000-digit number is one line, never a ValueError from str()."""
    path = write(tmp_path, "volume = 1" + "0" * 5000 + "\n")
    settings, notices = load_settings(path)
    assert settings == Settings()
    assert len(notices) == 1


def test_an_unclear_history_setting_means_no_recording(tmp_path: Path) -> None:
    """history = "maybe" is not true or false; for a privacy switch, unclear means off."""
    settings, notices = load_settings(write(tmp_path, 'history = "maybe"\n'))
    assert settings.history is False
    (notice,) = notices
    assert notice.endswith('history must be true or false, got "maybe"; using false')


def test_history_true_in_quotes_keeps_recording(tmp_path: Path) -> None:
    """history = "true" plainly means true: a quoting slip must not stop the record."""
    settings, notices = load_settings(write(tmp_path, 'history = "true"\n'))
    assert settings.history is True
    (notice,) = notices
    assert notice.endswith('history must be true or false, got "true"; using true')


# -- reading the file ------------------------------------------------------------------------


def test_a_config_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A config saved by a Windows editor, with a UTF-8 byte-order mark, reads like any."""
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbftheme = "nord"\n')
    assert load_settings(path) == (Settings(theme="nord"), [])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_as_the_config_is_one_notice_at_once(tmp_path: Path) -> None:
    """A named pipe where config.toml should be is refused without waiting for a writer."""
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    assert finishes(lambda: load_settings(path)) == (
        Settings(),
        [f"{path}: is a named pipe, not a regular file; using defaults"],
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_config_linked_to_an_endless_device_is_one_notice(tmp_path: Path) -> None:
    """config.toml as a link to /dev/zero is refused before a byte of it is read."""
    path = tmp_path / "config.toml"
    path.symlink_to("/dev/zero")
    assert finishes(lambda: load_settings(path)) == (
        Settings(),
        [f"{path}: is a device, not a regular file; using defaults"],
    )


def test_a_huge_config_is_refused_by_its_size(tmp_path: Path) -> None:
    """A 2 GB config (sparse: it costs no disk) is one notice, never read."""
    path = tmp_path / "config.toml"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    assert load_settings(path) == (
        Settings(),
        [f"{path}: is over 100 kB, too big to be a config file; using defaults"],
    )


def test_a_config_folder_is_one_notice(tmp_path: Path) -> None:
    """A folder named config.toml is one notice and the defaults."""
    path = tmp_path / "config.toml"
    path.mkdir()
    assert load_settings(path) == (Settings(), [f"{path}: is a folder, not a file; using defaults"])


@pytest.mark.parametrize(
    "text",
    [
        # Each under the size limit, so that the shape check is what refuses it.
        "theme = " + "[" * 40_000 + "]" * 40_000 + "\n",
        "x" + ".a" * 20_000 + " = 1\n",
        "theme = " + "{a = " * 15_000 + "1" + "}" * 15_000 + "\n",
    ],
    ids=["lists", "dotted-key", "inline-tables"],
)
def test_a_deeply_nested_config_is_one_notice(tmp_path: Path, text: str) -> None:
    """Nesting that would exhaust Python's stack, or take seconds and gigabytes, is one
    notice and the defaults, in a moment."""
    path = write(tmp_path, text)
    settings, notices = finishes(lambda: load_settings(path))
    assert settings == Settings()
    assert notices == [
        f"{path}: not valid TOML (line 1: keys, tables and lists are nested more than 10 deep); "
        "using defaults"
    ]


def finishes(action: Callable[[], Any], seconds: float = 5.0) -> Any:
    """The result of ``action``, which must finish within ``seconds`` (a sanity bound: the
    guard refuses before any waiting or parsing), run on a thread so a hang fails."""
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(action()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive() and outcome, f"no answer after {seconds} s"
    return outcome[0]
