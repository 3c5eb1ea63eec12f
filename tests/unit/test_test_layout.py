"""The test suite's own layout: no test module imports from another test module.

What tests share lives in ``tests/support/`` or in a ``conftest.py``, where any test may
reach it; a test module that imported another would also collect and run that module's
helpers as a side effect, and would break when its neighbour is moved or renamed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
"""The tests folder, a package whose modules are named ``tests.…``."""


def _is_test_module(name: str) -> bool:
    """Whether the dotted ``name`` is a module pytest collects: a file tests/…/test_*.py or
    tests/…/*_test.py (not a helper that is merely named so, such as ``pilot_test``)."""
    parts = name.split(".")
    path = TESTS.parent.joinpath(*parts).with_suffix(".py")
    is_test = parts[-1].startswith("test_") or parts[-1].endswith("_test")
    return parts[0] == "tests" and is_test and path.is_file()


def _imported(source: str, package: str) -> Iterator[tuple[int, str]]:
    """Every module ``source`` imports, anywhere in it, with its line: for ``from a import b``
    both ``a`` and ``a.b``, since ``b`` may be a module. ``package`` resolves relative ones."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _package_of(path: Path) -> str:
    """The dotted package a file under tests/ belongs to, such as ``tests.tui``."""
    return ".".join(path.relative_to(TESTS.parent).parent.parts)


def test_no_test_module_imports_from_another_test_module() -> None:
    """Every file under tests/ imports helpers from tests/support/ or conftest, never a test
    module; a helper two test modules need moves to tests/support/."""
    found = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in _imported(path.read_text(encoding="utf-8"), _package_of(path))
        if _is_test_module(name)
    ]
    assert found == []


def test_the_check_sees_every_way_of_importing_a_test_module() -> None:
    """Absolute, from-package, relative and nested imports of a test module are all seen;
    support modules, conftest, helpers named like tests and outside packages are not."""
    source = (
        "import tests.unit.test_clock\n"
        "from tests.tui.test_keys import footer\n"
        "from tests.tui import test_keys\n"
        "from .test_session_app import Driver\n"
        "from . import test_sound_app\n"
        "from ..functional.test_terminal import SHORT\n"
        "def later():\n"
        "    from tests.unit.test_history_values import UNTYPED\n"
        "from tests.support.terminal import Terminal\n"
        "from tests.conftest import ROOT\n"
        "from tests.support.tui import pilot_test\n"
        "from . import drawn\n"
        "import pytest\n"
    )
    caught = {line for line, name in _imported(source, "tests.tui") if _is_test_module(name)}
    assert caught == {1, 2, 3, 4, 5, 6, 8}
