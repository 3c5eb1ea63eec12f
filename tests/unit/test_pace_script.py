"""The ``pace`` key on a breathe step: breaths a minute, or ``"preferred"``, the pace
``calm pace`` kept for the user (docs/pace.md, docs/scripts.md).

A pace alone is one breath of 60 / pace seconds, 40 % in and 60 % out; with a pattern,
the pattern is stretched or shrunk alike to that length. ``"preferred"`` is laid out at
the pace the library is handed, or at 6 a minute when none is saved. Milliseconds below
are worked out by hand from those rules.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from calm.core.length_plan import LengthOptions
from calm.core.library import Entry, Library
from calm.core.loader import load_script
from calm.core.pace import breath_at, scaled_to, uses_preferred, with_pace
from calm.core.problems import ScriptError
from calm.core.script import BreatheStep, PaceUsed, Phase, PhaseSpec, Script
from calm.core.timeline import Timeline, compile_timeline
from calm.present.preview import preview, timeline_json
from tests.support.examples import examples
from tests.support.scripts import HEADER, SIMPLE, parse

IN_OUT = [Phase.INHALE, Phase.EXHALE]


def _step_with(*keys: str) -> str:
    """One breathe step of two breaths with ``keys`` (TOML lines), however it is written."""
    return "[[steps]]\ncycles = 2\n" + "".join(f"{key}\n" for key in keys)


def _breathe(*keys: str) -> str:
    """One breathe step of two breaths, with words, and ``keys`` added."""
    return _step_with('breathe = "Slowly."', *keys)


def _step(script: Script, index: int = 0) -> BreatheStep:
    step = script.steps[index]
    assert isinstance(step, BreatheStep)
    return step


def _ms(step: BreatheStep) -> list[int]:
    return [spec.ms for spec in step.pattern]


def _breathed(timeline: Timeline) -> BreatheStep:
    """The first breathe step as the session breathes it (with --gentle, say)."""
    return next(span.step for span in timeline.spans if isinstance(span.step, BreatheStep))


def _problems(tmp_path: Path, body: str) -> list[str]:
    """The problem lines loading a script with ``body`` as its steps must raise."""
    path = tmp_path / "mine.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(ScriptError) as caught:
        load_script(path, source="mine.toml")
    return caught.value.lines()


class Reader:
    """A preferred-pace reader that counts how often it is asked."""

    def __init__(self, pace: float | None) -> None:
        self.pace = pace
        self.calls = 0

    def __call__(self) -> float | None:
        self.calls += 1
        return self.pace


def _library(tmp_path: Path, pace: Callable[[], float | None] | None, **files: str) -> Library:
    """A library of only ``files`` (name: steps), in a user folder of the test's own."""
    folder = tmp_path / "scripts"
    folder.mkdir(exist_ok=True)
    for name, body in files.items():
        (folder / f"{name}.toml").write_text(HEADER + body, encoding="utf-8")
    empty = tmp_path / "no-built-ins"
    empty.mkdir(exist_ok=True)
    return Library.discover(empty, [folder], pace=pace)


def _loaded(library: Library, name: str) -> Script:
    entry = library.get(name)
    assert entry is not None
    return entry.load()


# -- a pace in breaths a minute ----------------------------------------------------------


@pytest.mark.parametrize(
    ("pace", "ms"),
    [
        ("5", [4800, 7200]),  # 12 s
        ("4", [6000, 9000]),  # 15 s
        ("6", [4000, 6000]),  # 10 s
        ("6.5", [3692, 5539]),  # 9231 ms; 40 % is 3692.4
        ("3", [8000, 12000]),  # the slowest: 20 s
        ("10", [2400, 3600]),  # the fastest: 6 s
    ],
)
def test_a_pace_alone_is_one_breath_in_40_out_60(pace: str, ms: list[int]) -> None:
    """``pace = N`` is a breath of 60 / N seconds, 40 % of it the breath in."""
    step = _step(parse(_breathe(f"pace = {pace}")))
    assert [spec.phase for spec in step.pattern] == IN_OUT
    assert _ms(step) == ms
    assert step.preferred is False


def test_a_pace_alone_sets_the_sessions_rate() -> None:
    """Five a minute for two breaths: 24 seconds, and the timeline says 5 a minute."""
    timeline = compile_timeline(parse(_breathe("pace = 5")))
    assert timeline.total_seconds == 24
    assert timeline.breaths_per_minute == 5


@pytest.mark.parametrize(
    ("keys", "pace", "ms"),
    [
        # 4-4-4-4 is 16 s; at 5 a minute, 12 s: each side 3 s.
        (['breathe = "4-4-4-4"'], 5, [3000, 3000, 3000, 3000]),
        # 4-2-6 is 12 s; at 6 a minute, 10 s: 4 x 10/12 = 3333.3, 2 x 10/12 = 1666.7, and
        # the last takes the rest, 10000 - 3333 - 1667 = 5000.
        (['breathe = "4-2-6"'], 6, [3333, 1667, 5000]),
        # 2 in, 3 out is 5 s; at 4 a minute, 15 s: three times as long.
        (['breathe = "Slowly."',
          'pattern = [{ phase = "inhale", seconds = 2 }, { phase = "exhale", seconds = 3 }]'],
         4, [6000, 9000]),
    ],
)  # fmt: skip
def test_a_pattern_with_a_pace_is_scaled_to_it(keys: list[str], pace: int, ms: list[int]) -> None:
    """The written pattern's shares are kept; its breath takes 60 / pace seconds."""
    step = _step(parse(_step_with(*keys, f"pace = {pace}")))
    assert _ms(step) == ms
    assert sum(ms) == 60_000 // pace


def test_a_scaled_pattern_keeps_its_words() -> None:
    """Each phase's own words survive the stretching."""
    pattern = (
        'pattern = [{ phase = "inhale", seconds = 4, text = "In gently" },'
        ' { phase = "exhale", seconds = 6, text = "Out slowly" }]'
    )
    step = _step(parse(_breathe(pattern, "pace = 5")))
    assert [(spec.text, spec.ms) for spec in step.pattern] == [
        ("In gently", 4800),
        ("Out slowly", 7200),
    ]


@settings(max_examples=examples(500))
@given(
    seconds=st.lists(st.integers(1, 20), min_size=1, max_size=4),
    pace=st.integers(30, 100).map(lambda tenths: tenths / 10),
)
def test_any_pattern_scaled_takes_one_breath_at_the_pace(seconds: list[int], pace: float) -> None:
    """Whatever the pattern, scaled it lasts round(60000 / pace) ms in all, each phase
    keeps its share to within a millisecond or two of rounding, and none vanishes."""
    pattern = tuple(
        PhaseSpec(IN_OUT[number % 2], whole * 1000) for number, whole in enumerate(seconds)
    )
    scaled = scaled_to(pattern, pace)
    target = round(60_000 / pace)
    assert sum(spec.ms for spec in scaled) == target
    assert [spec.phase for spec in scaled] == [spec.phase for spec in pattern]
    for before, after in zip(pattern, scaled, strict=True):
        assert after.ms >= 1
        assert abs(after.ms - before.ms * target / (sum(seconds) * 1000)) <= len(seconds)


@settings(max_examples=examples(500))
@given(pace=st.floats(3, 10))
def test_one_breath_at_any_pace_is_in_for_40_percent(pace: float) -> None:
    """In, then out, 60 / pace seconds in all, the breath in 40 % of it."""
    inhale, exhale = breath_at(pace)
    whole = inhale.ms + exhale.ms
    assert (inhale.phase, exhale.phase) == (Phase.INHALE, Phase.EXHALE)
    assert whole == round(60_000 / pace)
    assert abs(inhale.ms - 0.4 * whole) <= 0.5


# -- what the checker refuses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0", "0"),
        ("11", "11"),
        ("2.5", "2.5"),
        ("10.5", "10.5"),
        ('"fast"', '"fast"'),
        ('"Preferred"', '"Preferred"'),
        ('"6"', '"6"'),
        ("true", "true"),
        ("[6]", "a list"),
    ],
)
def test_a_pace_that_is_no_pace_is_one_line(tmp_path: Path, value: str, said: str) -> None:
    """Anything but 3 to 10 breaths a minute or "preferred" is one line, naming the
    step, the key, what is allowed and what was written."""
    assert _problems(tmp_path, _breathe(f"pace = {value}")) == [
        "mine.toml: step 1 > pace: expected breaths a minute from 3 to 10, or"
        f' "preferred", got {said}'
    ]


@pytest.mark.parametrize("pace", ["5", '"preferred"'])
def test_a_pattern_that_changes_breath_by_breath_cannot_have_a_pace(
    tmp_path: Path, pace: str
) -> None:
    """A growing exhale has no one breath length to scale: one line says so."""
    pattern = (
        'pattern = [{ phase = "inhale", seconds = 4 },'
        ' { phase = "exhale", seconds = 4, per_cycle = 0.5, limit = 8 }]'
    )
    assert _problems(tmp_path, _breathe(pattern, f"pace = {pace}")) == [
        "mine.toml: step 1 > pace: a pattern that changes breath by breath cannot also have a pace"
    ]


def test_a_bad_pace_among_other_problems_is_still_one_line(tmp_path: Path) -> None:
    """Each problem has its line; the bad pace adds exactly one, in its step."""
    body = SIMPLE + _breathe("pace = 0") + _breathe('pace = "fast"')
    lines = _problems(tmp_path, body)
    assert [line for line in lines if "> pace:" in line] == [
        'mine.toml: step 4 > pace: expected breaths a minute from 3 to 10, or "preferred", got 0',
        "mine.toml: step 5 > pace: expected breaths a minute from 3 to 10, or"
        ' "preferred", got "fast"',
    ]
    assert len(lines) == 2


# -- "preferred" -------------------------------------------------------------------------

PREFERRED = _breathe('pace = "preferred"')
PREFERRED_4_6 = _breathe(
    'pace = "preferred"',
    'pattern = [{ phase = "inhale", seconds = 4 }, { phase = "exhale", seconds = 6 }]',
)


def test_preferred_read_alone_waits_at_6_a_minute() -> None:
    """Parsed on its own, with no library to say the pace, it is marked preferred and
    laid out at 6 a minute; nobody has said yet which pace it used."""
    script = parse(PREFERRED)
    assert uses_preferred(script)
    assert _step(script).preferred is True
    assert _ms(_step(script)) == [4000, 6000]
    assert script.pace_used is None


@pytest.mark.parametrize("reader", [None, Reader(None)], ids=["no reader", "none saved"])
def test_preferred_with_no_saved_pace_breathes_at_6(tmp_path: Path, reader: Reader | None) -> None:
    """With no pace saved it breathes at 6 a minute, and says the pace is not saved."""
    script = _loaded(_library(tmp_path, reader, mine=PREFERRED), "mine")
    assert _ms(_step(script)) == [4000, 6000]
    assert script.pace_used == PaceUsed(per_minute=6.0, saved=False)


def test_preferred_follows_the_saved_pace(tmp_path: Path) -> None:
    """Saved at 5: a breath of 12 s, 4.8 in and 7.2 out, and the script says so."""
    script = _loaded(_library(tmp_path, Reader(5.0), mine=PREFERRED), "mine")
    assert _ms(_step(script)) == [4800, 7200]
    assert script.pace_used == PaceUsed(per_minute=5.0, saved=True)
    timeline = compile_timeline(script)
    assert timeline.breaths_per_minute == 5
    assert timeline.total_seconds == 24


def test_preferred_scales_its_own_pattern_to_the_saved_pace(tmp_path: Path) -> None:
    """4 in, 6 out at 5.5 a minute: 60000 / 5.5 = 10909 ms, 40 % of it 4363.6, so
    4364 in and 6545 out."""
    script = _loaded(_library(tmp_path, Reader(5.5), mine=PREFERRED_4_6), "mine")
    assert _ms(_step(script)) == [4364, 6545]
    assert script.pace_used == PaceUsed(per_minute=5.5, saved=True)


def test_preferred_with_holds_keeps_their_shares(tmp_path: Path) -> None:
    """4-2-6 at a saved 5 a minute, 12 s: exactly as written."""
    body = _step_with('breathe = "4-2-6"', 'pace = "preferred"')
    script = _loaded(_library(tmp_path, Reader(5.0), mine=body), "mine")
    assert _ms(_step(script)) == [4000, 2000, 6000]


@pytest.mark.parametrize(
    ("keys", "pace", "ms"),
    [
        (['breathe = "4-2-6"', "pace = 5"], 5.0, [4800, 7200]),  # 12 s, 4:6 as written
        (['breathe = "4-4-4-4"', 'pace = "preferred"'], 4.0, [7500, 7500]),  # 15 s
        (['breathe = "4-7-8"', "pace = 3"], 3.0, [6667, 13333]),  # 20 s, 4:8
    ],
)
def test_gentle_leaves_out_the_holds_and_keeps_the_pace(
    tmp_path: Path, keys: list[str], pace: float, ms: list[int]
) -> None:
    """--gentle at a pace: the breath in and out share the holds' time, so the breath
    is as long as before and the session breathes at the same pace."""
    script = _loaded(_library(tmp_path, Reader(pace), mine=_step_with(*keys)), "mine")
    gentle = compile_timeline(script, LengthOptions(gentle=True))
    held = compile_timeline(script)
    assert _ms(_breathed(gentle)) == ms
    assert gentle.breaths_per_minute == held.breaths_per_minute == pace
    assert gentle.total_seconds == held.total_seconds


def test_gentle_without_a_pace_still_leaves_the_holds_out_of_the_time() -> None:
    """A pattern in seconds, with no pace, keeps its in and out as written."""
    script = parse(_step_with('breathe = "4-4-4-4"'))
    gentle = compile_timeline(script, LengthOptions(gentle=True))
    assert _ms(_breathed(gentle)) == [4000, 4000]


@pytest.mark.parametrize("saved", [2.5, 12.0, float("nan")])
def test_a_saved_pace_out_of_bounds_is_not_used(tmp_path: Path, saved: float) -> None:
    """A reader that hands back no pace a script may breathe at counts as none saved."""
    script = _loaded(_library(tmp_path, Reader(saved), mine=PREFERRED), "mine")
    assert script.pace_used == PaceUsed(per_minute=6.0, saved=False)
    assert _ms(_step(script)) == [4000, 6000]


def test_only_preferred_steps_follow_the_saved_pace(tmp_path: Path) -> None:
    """A step with its own pace, and one with its own seconds, stay as written."""
    body = _breathe("pace = 4") + PREFERRED + _step_with('breathe = "4-6"')
    script = _loaded(_library(tmp_path, Reader(5.0), mine=body), "mine")
    assert [_ms(_step(script, index)) for index in range(3)] == [
        [6000, 9000],
        [4800, 7200],
        [4000, 6000],
    ]


def test_the_pace_is_read_only_for_a_script_that_breathes_at_it(tmp_path: Path) -> None:
    """Listing the library and loading scripts without a preferred step never reads
    the history; the first script with one reads it once."""
    reader = Reader(5.0)
    library = _library(
        tmp_path, reader, plain=_breathe("pace = 5"), words=SIMPLE, mine=PREFERRED, also=PREFERRED
    )
    assert library.names == ["also", "mine", "plain", "words"]
    library.entries()
    _loaded(library, "plain")
    _loaded(library, "words")
    assert reader.calls == 0
    _loaded(library, "mine")
    _loaded(library, "mine")
    assert reader.calls == 1
    _loaded(library, "also")
    assert reader.calls == 2


def test_a_script_named_by_its_path_follows_the_saved_pace_too(tmp_path: Path) -> None:
    """``calm start ./file.toml`` reads the pace as a script in a folder does."""
    path = tmp_path / "elsewhere.toml"
    path.write_text(HEADER + PREFERRED, encoding="utf-8")
    library = _library(tmp_path, Reader(4.5))
    script = library.resolve(str(path)).load()
    assert script.pace_used == PaceUsed(per_minute=4.5, saved=True)


def test_with_pace_leaves_a_script_without_preferred_steps_alone() -> None:
    """Nothing to lay out: the very same script, with no pace used."""
    script = parse(_breathe("pace = 5"))
    assert with_pace(script, 4.5) is script
    assert script.pace_used is None


# -- my-pace, the built-in ---------------------------------------------------------------


def _my_pace(pace: float | None) -> tuple[Entry, Script]:
    entry = Library.discover(user_dirs=[], pace=lambda: pace).get("my-pace")
    assert entry is not None
    return entry, entry.load()


def test_my_pace_follows_the_saved_pace() -> None:
    """my-pace writes 4 in and 6 out at the preferred pace; at a saved 5 that is 4.8 and
    7.2 s, with its own words, and 5 breaths a minute."""
    _, script = _my_pace(5.0)
    (breathing,) = [step for step in script.steps if isinstance(step, BreatheStep)]
    assert breathing.preferred
    assert [(spec.phase, spec.ms, spec.text) for spec in breathing.pattern] == [
        (Phase.INHALE, 4800, "Breathe in gently"),
        (Phase.EXHALE, 7200, "Breathe out slowly"),
    ]
    assert script.pace_used == PaceUsed(per_minute=5.0, saved=True)
    assert compile_timeline(script).breaths_per_minute == 5


def test_my_pace_with_nothing_saved_breathes_at_6() -> None:
    """Before any calm pace, my-pace breathes at 6 a minute and says none is saved."""
    _, script = _my_pace(None)
    assert script.pace_used == PaceUsed(per_minute=6.0, saved=False)
    assert compile_timeline(script).breaths_per_minute == 6


def test_my_pace_cites_the_issues_sources_and_says_it_is_an_estimate() -> None:
    """Lehrer & Gevirtz, Shaffer & Meehan and Steffen et al., and the honest caveat."""
    _, script = _my_pace(None)
    cited = " ".join(script.sources)
    for where in ("5:756", "14:570400", "5:222"):
        assert where in cited
    assert "comfort-based estimate, not a measurement" in cited


# -- calm show ---------------------------------------------------------------------------


def test_show_json_gives_the_preferred_pace_used() -> None:
    """``preferred_pace`` is the pace used and whether it was saved; null for a script
    that breathes at none."""
    for pace, expected in [
        (5.5, {"breaths_per_minute": 5.5, "saved": True}),
        (None, {"breaths_per_minute": 6.0, "saved": False}),
    ]:
        entry, script = _my_pace(pace)
        shown = timeline_json(entry, compile_timeline(script))
        assert shown["preferred_pace"] == expected
    box = Library.discover(user_dirs=[], pace=lambda: 5.5).get("box")
    assert box is not None
    assert timeline_json(box, compile_timeline(box.load()))["preferred_pace"] is None


def _preview(entry: Entry, script: Script) -> str:
    out = io.StringIO()
    Console(file=out, width=120, highlight=False).print(preview(entry, compile_timeline(script)))
    return out.getvalue()


def test_show_names_the_pace_used() -> None:
    """The Pace row, as docs/pace.md shows it: "your preferred pace, 5.5 breaths a
    minute"; with none saved, 6 a minute and that none is saved; no row for box."""
    saved = _preview(*_my_pace(5.5))
    assert "Pace" in saved and "your preferred pace, 5.5 breaths a minute" in saved
    unsaved = " ".join(_preview(*_my_pace(None)).split())
    assert "Pace 6 breaths a minute: no preferred pace is saved yet" in unsaved
    box = Library.discover(user_dirs=[]).get("box")
    assert box is not None
    assert not [line for line in _preview(box, box.load()).splitlines() if line.startswith("Pace")]
