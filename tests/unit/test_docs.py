"""The docs agree with the code: the README's picture is the approved snapshot, every link
leads somewhere, every file and name they cite exists, and the script reference lists
every key the loader knows."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from calm.config import settings_from
from calm.core.loader import parse_script_bytes
from calm.core.pattern_checks import PHASE_KEYS
from calm.core.script import StepKind
from calm.core.script_checker import STEP_KEYS, TOP_KEYS
from tests.conftest import ROOT
from tests.markdown_parts import (
    PAGES,
    anchors,
    code_blocks,
    links,
    read,
    section,
    table_rows,
    without_code,
)

PICTURE = ROOT / "docs" / "session.svg"
"""The README's picture of the session screen."""
APPROVED = ROOT / "tests/tui/__snapshots__/test_snapshots/TestSessionPhases.test_inhale_midway.svg"
"""The snapshot the suite approves of box breathing, half way through a breath in."""

PAGE_IDS = [str(page.relative_to(ROOT)) for page in PAGES]


def test_the_picture_is_the_approved_snapshot() -> None:
    """docs/session.svg is byte for byte the session snapshot the suite approves."""
    assert PICTURE.read_bytes() == APPROVED.read_bytes(), (
        "The session snapshot changed: look at it, then "
        f"cp {APPROVED.relative_to(ROOT)} {PICTURE.relative_to(ROOT)}"
    )


def test_the_picture_is_an_svg_a_browser_can_size() -> None:
    """The picture is well-formed SVG with a viewBox, so a page can scale it as an image."""
    root = ElementTree.parse(PICTURE).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = (float(n) for n in root.attrib["viewBox"].split()[2:])
    assert width > 0 and height > 0


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    """Each relative link on a page names a file or folder that exists, and a heading
    that exists when it names one."""
    for target in links(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a web address: not checked here, the tests run offline
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{target}: no such file"
        if fragment and linked.suffix == ".md":
            assert fragment in anchors(linked), f"{target}: no such heading"


def cited_paths(text: str) -> list[str]:
    """The repository paths a page names in backticks, such as `calm/core/script.py`."""
    roots = ("calm/", "tests/", "docs/", "scripts/", "audio/", ".ci/")
    quoted = re.findall(r"`([^`\s]+)`", without_code(text))
    return [name for name in quoted if name.startswith(roots) and "*" not in name]


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_cited_path_exists(page: Path) -> None:
    """A path a page names in backticks is a file or folder in the repository."""
    for name in cited_paths(page.read_text(encoding="utf-8")):
        assert (ROOT / name).exists(), f"{page.name} names {name}, which does not exist"


def test_the_package_table_names_real_modules() -> None:
    """Each module the CONTRIBUTING package table lists is in the package of its row."""
    layers = section(read("CONTRIBUTING.md"), "The layers")
    rows = [row for row in table_rows(layers) if re.fullmatch(r"`calm/\w+/`", row[0])]
    assert len(rows) >= 7
    for first, holds in rows:
        package = ROOT / first.strip("`")
        for name in re.findall(r"`([\w.]+\.(?:py|tcss)|\w+/)`", holds):
            assert (package / name).exists(), f"{first} lists {name}, which is not there"


def defined_names(path: Path) -> set[str]:
    """Every name a module defines or imports, at any depth, and each class member as
    ``Class.member``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
            for member in node.body:
                for inner in _bound(member):
                    names.add(f"{node.name}.{inner}")
        names.update(_bound(node))
    return names


def _bound(node: ast.AST) -> list[str]:
    """The names one statement binds."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def passages(text: str) -> list[str]:
    """A page's paragraphs and list items, each as one string."""
    chunks = re.split(r"\n(?=\s*\n|\s*(?:[-*]|\d+\.) |\|)", without_code(text))
    return [chunk for chunk in chunks if chunk.strip()]


def cited_names(passage: str) -> list[str]:
    """Python names a passage quotes, such as `StepKind`, `_Layout.add` or `state()`."""
    quoted = re.findall(r"`([A-Za-z_][\w.]*)(?:\(\))?`", passage)
    return [name for name in quoted if not name.endswith((".py", ".md", ".toml", ".tcss"))]


def test_contributing_names_only_what_the_code_has() -> None:
    """In CONTRIBUTING.md, a passage that names modules of calm names only functions,
    classes and constants that one of those modules defines or imports."""
    checked = 0
    for passage in passages(read("CONTRIBUTING.md")):
        files = re.findall(r"`(calm/[\w/]+\.py)`", passage)
        files += [
            name.replace(".", "/") + ".py"
            for name in re.findall(r"`(calm\.[\w.]+)`", passage)
            if (ROOT / (name.replace(".", "/") + ".py")).exists()
        ]
        if not files:
            continue
        known = set().union(*(defined_names(ROOT / name) for name in files))
        modules = {name.removesuffix(".py").replace("/", ".") for name in files}
        for name in cited_names(passage):
            if name in modules or name.startswith("calm."):
                continue
            assert name in known, f"{name} is not in {', '.join(files)}:\n{passage.strip()}"
            checked += 1
    assert checked >= 15


def test_the_step_reference_lists_every_kind_and_its_keys() -> None:
    """docs/scripts.md's step table has one row per step kind, naming each of its keys."""
    steps = section(read("docs/scripts.md"), "Steps")
    rows = {row[0].strip("`"): row[1] for row in table_rows(steps) if row[0].startswith("`")}
    assert set(rows) == {kind.value for kind in StepKind}
    for kind in StepKind:
        named = set(re.findall(r"`(\w+)`", rows[kind.value]))
        assert named == set(STEP_KEYS[kind]), kind


def test_the_script_and_phase_tables_list_every_key() -> None:
    """docs/scripts.md names every key a script and a phase may have."""
    text = read("docs/scripts.md")
    fields = table_rows(section(text, "The script's own fields"))
    phases = table_rows(section(text, "Patterns"))
    assert {k for row in fields for k in re.findall(r"`(\w+)`", row[0])} == set(TOP_KEYS)
    assert {row[0].strip("`") for row in phases if row[0].startswith("`")} == set(PHASE_KEYS)


@pytest.mark.parametrize("page", ["README.md", "docs/scripts.md"])
def test_every_whole_script_in_the_docs_loads(page: str) -> None:
    """Each complete example script (one with a title) loads without a problem."""
    scripts = [block for block in code_blocks(read(page), "toml") if "title =" in block]
    assert scripts
    for block in scripts:
        parse_script_bytes(block.encode(), name="example", source="example.toml")


def test_the_plan_example_is_a_plan_calm_takes() -> None:
    """The example in docs/plans.md checks as a plan, against the built-in library."""
    from calm.care.plan_checker import parse_plan
    from calm.core.library import Library

    (block,) = code_blocks(read("docs/plans.md"), "toml")
    plan = parse_plan(block.encode(), Library.discover(user_dirs=[]), source="plan", folder=None)
    assert plan.practices and plan.reminders


def test_the_settings_examples_are_settings_calm_takes() -> None:
    """Each config example in docs/settings.md reads with no notice."""
    blocks = code_blocks(read("docs/settings.md"), "toml")
    assert blocks
    for block in blocks:
        _, notices = settings_from(tomllib.loads(block), "config.toml")
        assert notices == [], block


def test_each_benchmark_is_described_with_options_it_takes() -> None:
    """tests/benchmarks/README.md has a section for each benchmark, and each command it
    shows uses only options that benchmark accepts."""
    text = read("tests/benchmarks/README.md")
    for bench in sorted((ROOT / "tests" / "benchmarks").glob("bench_*.py")):
        assert f"## {bench.name}" in text, bench.name
        source = bench.read_text(encoding="utf-8")
        for command in re.findall(rf"^python tests/benchmarks/{bench.name}(.*)$", text, re.M):
            for option in re.findall(r"--[a-z-]+", command):
                assert f'"{option}"' in source, (bench.name, option)
