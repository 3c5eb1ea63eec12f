"""A plan's words where they were unclear: the template's placeholder for who it is
from is refused, and a named pipe or a folder where a script file should be is named
as such, not "not found"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calm.care.plan_checker import PlanError, load_plan
from calm.care.plan_template import TEMPLATE
from calm.core.library import Library


@pytest.fixture(scope="module")
def library() -> Library:
    """calm's built-in scripts alone."""
    return Library.discover(user_dirs=[])


def problems(path: Path, library: Library) -> list[str]:
    """The lines the plan at ``path`` is refused with."""
    with pytest.raises(PlanError) as refused:
        load_plan(path, library, source="p.toml")
    return refused.value.lines()


@pytest.mark.parametrize(
    "author", ["Your therapist's name or practice", "  your THERAPIST'S name  or practice"]
)
def test_the_templates_placeholder_for_from_is_refused(
    tmp_path: Path, library: Library, author: str
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(TEMPLATE.replace("Your therapist's name or practice", author), "utf-8")
    assert problems(plan, library) == [
        "p.toml: from: still the template's words; put your name or practice"
    ]
    plan.write_text(TEMPLATE.replace("Your therapist's name or practice", "Sam"), "utf-8")
    assert load_plan(plan, library).author == "Sam"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_or_a_folder_for_a_script_file_is_named_as_such(
    tmp_path: Path, library: Library
) -> None:
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "folder.toml").mkdir()
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'title = "T"\n'
        '[[practice]]\nscript = "fifo.toml"\nwhen = "daily"\n'
        '[[practice]]\nscript = "folder.toml"\nwhen = "daily"\n'
        '[[practice]]\nscript = "gone.toml"\nwhen = "daily"\n',
        "utf-8",
    )
    assert problems(plan, library) == [
        'p.toml: practice 1 > script: "fifo.toml" is a named pipe, not a regular file',
        'p.toml: practice 2 > script: "folder.toml" is a folder, not a script file',
        'p.toml: practice 3 > script: "gone.toml" was not found beside the plan',
    ]
