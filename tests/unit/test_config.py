"""config.toml: typed settings, one line per bad key, and the defaults kept for the rest."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from calm.config import Settings, load_settings, settings_from


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
        f'{path}: reduced_moton: no such setting; ignored. Did you mean "reduced_motion"?'
    ]
    assert settings == Settings(theme="nord")


RULE = [
    # key, as written, what is used, what the line says after the key
    (
        "theme",
        "3",
        "calm",
        '3 is not a name in quotes; using the default, "calm". '
        'Write it in quotes, such as theme = "nord"',
    ),
    (
        "ambient",
        "false",
        "",
        "false is not a name in quotes; using the default, none. "
        'Write it in quotes, such as ambient = "ocean"',
    ),
    (
        "reduced_motion",
        '"yes"',
        True,
        '"yes" is not true or false; using true, as meant. Write reduced_motion = true',
    ),
    (
        "reduced_motion",
        '"maybe"',
        False,
        '"maybe" is not true or false; using the default, '
        "false. Write reduced_motion = true or reduced_motion = false",
    ),
    (
        "skip_caution",
        '"yes"',
        True,
        '"yes" is not true or false; using true, as meant. Write skip_caution = true',
    ),
    (
        "skip_caution",
        "[]",
        False,
        "a list is not true or false; using the default, false. "
        "Write skip_caution = true or skip_caution = false",
    ),
    (
        "nudge",
        '"on"',
        True,
        '"on" is not true or false; using true, as meant. Write nudge = true',
    ),
    (
        "sound",
        '"off"',
        False,
        '"off" is not true or false; using false, as meant. Write sound = false',
    ),
    (
        "sound",
        "2",
        True,
        "2 is not true or false; using the default, true. Write sound = true or sound = false",
    ),
    (
        "volume",
        '"40"',
        40,
        '"40" is not written as a whole number; using 40, as meant. Write volume = 40',
    ),
    (
        "volume",
        "40.0",
        40,
        "40.0 is not written as a whole number; using 40, as meant. Write volume = 40",
    ),
    (
        "volume",
        '"loud"',
        70,
        '"loud" is not a whole number; using the default, 70. '
        "Write a whole number from 0 to 100, such as volume = 70",
    ),
    (
        "volume",
        "400",
        70,
        "400 is more than 100; using the default, 70. "
        "Write a whole number from 0 to 100, such as volume = 70",
    ),
    (
        "volume",
        "-3",
        70,
        "-3 is less than 0; using the default, 70. "
        "Write a whole number from 0 to 100, such as volume = 70",
    ),
    (
        "history",
        '"true"',
        True,
        '"true" is not true or false; using true, as meant. Write history = true',
    ),
    (
        "history",
        '"maybe"',
        False,
        '"maybe" is not true or false; using false, so nothing is '
        "recorded. Write history = true or history = false",
    ),
    ("check_in", "1", True, "1 is not true or false; using true, as meant. Write check_in = true"),
    (
        "check_in",
        '"sometimes"',
        False,
        '"sometimes" is not true or false; using the default, '
        "false. Write check_in = true or check_in = false",
    ),
    ("voice", '"on"', True, '"on" is not true or false; using true, as meant. Write voice = true'),
    (
        "voice_rate",
        "300",
        135,
        "300 is more than 250; using the default, 135. "
        "Write a whole number from 80 to 250, such as voice_rate = 135",
    ),
    (
        "voice_phases",
        "true",
        "first",
        'true is not a name in quotes; using the default, "first". '
        'Write it in quotes, such as voice_phases = "every"',
    ),
]
"""Every key, by the one rule: a plain meaning is used as meant, anything else calm can't
use gives the default (history: off), and the line says which and how to write it."""


@pytest.mark.parametrize(("key", "written", "used", "said"), RULE)
def test_every_key_follows_one_rule_and_says_what_happens(
    tmp_path: Path, key: str, written: str, used: object, said: str
) -> None:
    """One line naming the key, what was wrong, what is used, and how to write it."""
    path = write(tmp_path, f"{key} = {written}\n")
    settings, notices = load_settings(path)
    assert getattr(settings, key) == used
    assert notices == [f"{path}: {key}: {said}"]


def test_the_rule_covers_every_setting() -> None:
    """No key is left out of the rule's test."""
    covered = {key for key, *_ in RULE}
    assert covered == {field.name for field in fields(Settings)} - {"demo"}


def test_a_good_value_gives_no_line() -> None:
    """Every key, written as calm expects, is taken without a word."""
    document = {
        "theme": "nord",
        "reduced_motion": True,
        "skip_caution": True,
        "sound": False,
        "volume": 0,
        "ambient": "ocean",
        "history": False,
        "check_in": True,
        "voice": True,
        "voice_rate": 110,
        "voice_phases": "every",
    }
    settings, notices = settings_from(document, "config.toml")
    assert notices == []
    assert {key: getattr(settings, key) for key in document} == document


def test_a_key_or_value_with_control_characters_never_reaches_the_terminal_raw() -> None:
    """Keys and values quoted in a notice are shown safely, on one line."""
    document = {"\x1b]0;owned\x07": 1, "theme": 3, "volume": "\x1b[31m\u202e"}
    _, notices = settings_from(document, "con\x1bfig.toml")
    for notice in notices:
        assert "\x1b" not in notice and "\x07" not in notice and "\u202e" not in notice
        assert "\n" not in notice


def test_demo_means_no_caution_no_history_and_no_check_in() -> None:
    """--demo over any config: the caution left out, nothing recorded, no check-in."""
    settings, _ = settings_from({"history": True, "check_in": True, "volume": 30}, "c")
    demo = settings.for_demo()
    assert (demo.skip_caution, demo.history, demo.check_in) == (True, False, False)
    assert demo.volume == 30


def test_a_demo_table_changes_settings_for_demos_only(tmp_path: Path) -> None:
    """[demo] keys apply when --demo is used, read by the same rule as the rest."""
    path = write(
        tmp_path,
        'volume = 60\n[demo]\nvolume = 30\ntheme = "nord"\nskip_caution = false\n'
        'check_in = "yes"\nhistory = "maybe"\n',
    )
    settings, notices = load_settings(path)
    assert (settings.volume, settings.theme, settings.skip_caution) == (60, "calm", False)
    demo = settings.for_demo()
    assert (demo.volume, demo.theme, demo.skip_caution) == (30, "nord", False)
    assert (demo.check_in, demo.history) == (True, False)
    assert notices == [
        f'{path}: demo.check_in: "yes" is not true or false; using true, as meant. '
        "Write check_in = true",
        f'{path}: demo.history: "maybe" is not true or false; using false, so nothing is '
        "recorded. Write history = true or history = false",
    ]


def test_a_bad_value_in_the_demo_table_leaves_what_demos_use_without_it(tmp_path: Path) -> None:
    """demo.volume = "loud" is one line; demos keep the volume from above."""
    path = write(tmp_path, 'volume = 60\n[demo]\nvolume = "loud"\nnoise = 1\n')
    settings, notices = load_settings(path)
    assert settings.for_demo().volume == 60
    assert notices == [
        f'{path}: demo.volume: "loud" is not a whole number; using 60, as demos do without '
        "it. Write a whole number from 0 to 100, such as volume = 70",
        f"{path}: demo.noise: no such setting; ignored.",
    ]


def test_demo_that_is_not_a_table_is_one_line(tmp_path: Path) -> None:
    """demo = true is not a table: one line saying how to write one."""
    path = write(tmp_path, "demo = true\n")
    settings, notices = load_settings(path)
    assert settings.for_demo() == Settings().for_demo()
    assert notices == [
        f"{path}: demo: true is not a table; ignored. Write [demo] on a line of its own, "
        "and the settings for demos under it"
    ]


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
