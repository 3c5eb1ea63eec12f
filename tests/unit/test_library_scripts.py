"""The built-in library: every script is complete, careful, and does what its documentation says.

Parameters are read back through `calm show --json`, the same view a user gets.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from calm.cli import app
from calm.core.length_plan import LengthOptions
from calm.core.library import Library
from calm.core.script import BreatheStep, Category, Phase
from calm.core.timeline import compile_timeline
from calm.locations import builtin_scripts_dir

NAMES = sorted(path.stem for path in builtin_scripts_dir().glob("*.toml"))
REQUIRED = [
    "box", "4-7-8", "coherent", "resonance-6", "extended-exhale", "cyclic-sigh", "triangle",
    "body-scan", "body-scan-10", "pmr", "shoulders-and-jaw", "humming-exhale",
    "5-4-3-2-1", "between-clients", "before-you-drive", "after-the-table", "demo-tour",
]  # fmt: skip
MEDICAL = re.compile(
    r"\b(cure[sd]?|treat(s|ing)?|treatment for|heal(s|ing)?|disease|disorder|diagnos\w*|"
    r"guarantee[sd]?|proven|therapy for|prescri\w*)\b",
    re.IGNORECASE,
)


def show(name: str, *args: str) -> dict[str, Any]:
    """The script as `calm show NAME --json` gives it."""
    result = CliRunner().invoke(app, ["show", name, "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def phases(shown: dict[str, Any], step: int | None = None) -> list[tuple[str, float]]:
    """The (phase, seconds) of the first breath of a step, or of the first breathe step."""
    segments = [s for s in shown["timeline"] if s["phase"] is not None]
    if step is None:
        step = segments[0]["step"]
    first_breath: list[tuple[str, float]] = []
    for segment in segments:
        if segment["step"] != step:
            continue
        if first_breath and segment["phase"] == "inhale" and first_breath[-1][0] != "inhale":
            break
        first_breath.append((segment["phase"], segment["seconds"]))
    return first_breath


def breaths_per_minute(shown: dict[str, Any]) -> float:
    rate = shown["breaths_per_minute"]
    assert isinstance(rate, float)
    return rate


def test_the_library_holds_every_documented_script() -> None:
    """All seventeen documented scripts ship, sixteen at the least."""
    assert set(REQUIRED) <= set(NAMES)
    assert len(NAMES) >= 16


@pytest.mark.parametrize("name", NAMES)
def test_every_script_is_complete(name: str) -> None:
    """Each script validates and has a title, summary, category, length, sources and reminder."""
    script = Library.discover().resolve(name).load()
    assert script.title and script.summary and script.sources and script.reminder
    timeline = compile_timeline(script)
    if script.breathe_steps:
        assert script.length is not None, "a breathing script needs a default length"
    assert timeline.total_seconds > 0


@pytest.mark.parametrize("name", NAMES)
def test_holds_and_long_out_breaths_carry_a_caution(name: str) -> None:
    """A hold, or an out-breath of 7 s or of twice the in-breath, comes with a caution."""
    script = Library.discover().resolve(name).load()
    for step in script.breathe_steps:
        inhale = sum(spec.ms for spec in step.pattern if spec.phase is Phase.INHALE)
        exhale = max(spec.ms for spec in step.pattern if spec.phase is Phase.EXHALE)
        if step.has_holds or exhale >= 7000 or exhale >= 2 * inhale:
            assert script.caution, step


BREATHING = [name for name in NAMES if Library.discover().resolve(name).load().breathe_steps]


@pytest.mark.parametrize("name", BREATHING)
def test_gentle_works_on_every_breathing_script(name: str) -> None:
    """--gentle leaves no hold in any script, and the breathing still has breaths."""
    script = Library.discover().resolve(name).load()
    timeline = compile_timeline(script, LengthOptions(gentle=True))
    assert timeline.cycles > 0
    assert not any(s.phase and s.phase.is_hold for s in timeline.segments)


@pytest.mark.parametrize("name", NAMES)
def test_no_medical_claims(name: str) -> None:
    """The words a user reads promise nothing medical: no cures, treatments or diagnoses."""
    text = (builtin_scripts_dir() / f"{name}.toml").read_text(encoding="utf-8")
    said = [line for line in text.splitlines() if not line.lstrip().startswith(("#", '"'))]
    found = MEDICAL.findall("\n".join(said))
    assert not found, found


def test_box_is_four_even_sides() -> None:
    """box: 4-4-4-4, about four minutes."""
    shown = show("box")
    assert phases(shown) == [("inhale", 4), ("hold_in", 4), ("exhale", 4), ("hold_out", 4)]
    assert 210 <= shown["seconds"] <= 270


def test_four_seven_eight_is_four_breaths_of_weils_pattern() -> None:
    """4-7-8: in 4, hold 7, out 8, four breaths by default, with a caution about more."""
    shown = show("4-7-8")
    assert phases(shown) == [("inhale", 4), ("hold_in", 7), ("exhale", 8)]
    assert shown["cycles"] == 4
    caution = Library.discover().resolve("4-7-8").load().caution or ""
    assert "light-headed" in caution and "Four breaths" in caution


@pytest.mark.parametrize(("name", "seconds"), [("coherent", 5.5), ("resonance-6", 5.0)])
def test_resonance_scripts_breathe_five_to_seven_a_minute(name: str, seconds: float) -> None:
    """coherent and resonance-6: even in and out, between 5 and 7 breaths a minute."""
    shown = show(name)
    assert phases(shown) == [("inhale", seconds), ("exhale", seconds)]
    assert 5 <= breaths_per_minute(shown) <= 7


def test_extended_exhale_goes_from_four_six_to_four_eight() -> None:
    """extended-exhale: a 4-6 step, then a 4-8 step."""
    shown = show("extended-exhale")
    steps = sorted({s["step"] for s in shown["timeline"] if s["phase"]})
    assert [phases(shown, step) for step in steps] == [
        [("inhale", 4), ("exhale", 6)],
        [("inhale", 4), ("exhale", 8)],
    ]


def test_cyclic_sigh_breathes_out_at_least_twice_as_long_as_in() -> None:
    """cyclic-sigh: two inhales, the second shorter, then an exhale at least twice both; 5 min."""
    shown = show("cyclic-sigh")
    (first, first_s), (second, second_s), (out, out_s) = phases(shown)
    assert (first, second, out) == ("inhale", "inhale", "exhale")
    assert second_s < first_s
    assert out_s >= 2 * (first_s + second_s)
    assert 285 <= shown["seconds"] <= 315


def test_triangle_is_three_even_sides() -> None:
    """triangle: 4-4-4."""
    assert phases(show("triangle")) == [("inhale", 4), ("hold_in", 4), ("exhale", 4)]


@pytest.mark.parametrize(("name", "minutes"), [("body-scan", 5), ("body-scan-10", 10)])
def test_body_scans_last_their_minutes_and_go_feet_to_head(name: str, minutes: int) -> None:
    """body-scan and body-scan-10 last about 5 and 10 minutes and move from feet to head."""
    shown = show(name)
    assert abs(shown["seconds"] - minutes * 60) <= 30
    words = [s["text"] for s in shown["timeline"] if s["kind"] == "say"]
    feet = next(i for i, text in enumerate(words) if "toes" in text or "feet" in text)
    head = next(i for i, text in enumerate(words) if "forehead" in text)
    assert feet < head


def test_pmr_tenses_five_to_seven_and_releases_fifteen_to_twenty_feet_to_face() -> None:
    """pmr: each tense step lasts 5-7 s, each release 15-20 s, from the feet up to the face."""
    shown = show("pmr")
    says = [s for s in shown["timeline"] if s["kind"] == "say"]
    tense = [s for s in says if s["text"].startswith("Tense")]
    release = [s for s in says if s["text"].startswith("Release")]
    assert len(tense) == len(release) >= 8
    assert all(5 <= s["seconds"] <= 7 for s in tense)
    assert all(15 <= s["seconds"] <= 20 for s in release)
    assert "feet" in tense[0]["text"] and "face" in tense[-1]["text"]
    caution = Library.discover().resolve("pmr").load().caution or ""
    assert "pain" in caution and "injured" in caution


def test_grounding_counts_down_the_five_senses_at_your_own_pace() -> None:
    """5-4-3-2-1: five self-paced prompts: see 5, touch 4, hear 3, smell 2, taste 1."""
    prompts = [s for s in show("5-4-3-2-1")["timeline"] if s["kind"] == "prompt"]
    assert [p["seconds"] for p in prompts] == [None] * 5
    for prompt, (count, sense) in zip(
        prompts,
        [("five", "see"), ("four", "touch"), ("three", "hear"), ("two", "smell"), ("one", "taste")],
        strict=True,
    ):
        assert count in prompt["text"].lower() and sense in prompt["text"].lower()


@pytest.mark.parametrize("name", ["between-clients", "before-you-drive", "after-the-table"])
def test_resets_are_short(name: str) -> None:
    """The resets take about two to three minutes."""
    assert 90 <= show(name)["seconds"] <= 200


def test_before_you_drive_has_no_holds_and_no_long_out_breath() -> None:
    """before-you-drive: alert, not sleepy: no holds and no out-breath longer than the in-breath."""
    breath = phases(show("before-you-drive"))
    assert all(phase in ("inhale", "exhale") for phase, _ in breath)
    inhale = sum(s for p, s in breath if p == "inhale")
    assert all(s <= inhale for p, s in breath if p == "exhale")


def test_after_the_table_ends_with_water_and_standing_slowly() -> None:
    """after-the-table: its last steps are about standing up slowly, and it ends with water."""
    script = Library.discover().resolve("after-the-table").load()
    last_words = " ".join(step.text for step in script.steps[-3:]).lower()
    assert "stand" in last_words and "slowly" in last_words
    assert "water" in (script.reminder or "").lower()


def test_demo_tour_shows_every_kind_of_step_and_phase() -> None:
    """demo-tour: every kind of step, all four phases, and the long out-breath explained."""
    shown = show("demo-tour")
    assert {s["kind"] for s in shown["timeline"]} == {"say", "breathe", "prompt"}
    assert {s["phase"] for s in shown["timeline"] if s["phase"]} == set(Phase)
    assert any("out-breath" in (s["text"] or "") for s in shown["timeline"] if s["kind"] == "say")
    script = Library.discover().resolve("demo-tour").load()
    assert script.category is Category.DEMO


def test_default_lengths_are_in_minutes() -> None:
    """Every breathing script other than 4-7-8 states its default length in minutes."""
    for name in NAMES:
        script = Library.discover().resolve(name).load()
        if script.breathe_steps and name != "4-7-8":
            assert script.length is not None and script.length.ms is not None, name
            assert script.length.ms % 60_000 == 0, name


def test_every_breathe_step_is_a_pattern_with_an_in_and_out_breath() -> None:
    """No built-in has a breathe step without both an inhale and an exhale."""
    for name in NAMES:
        for step in Library.discover().resolve(name).load().breathe_steps:
            assert isinstance(step, BreatheStep)
            kinds = {spec.phase for spec in step.pattern}
            assert {Phase.INHALE, Phase.EXHALE} <= kinds


HOLD_WORDS = re.compile(r"\b(hold|holds|holding|held|sides?|square|triangle)\b", re.IGNORECASE)
LEFT_OUT = re.compile(r"\b(left|leave|leaves)\b[^.]*\bout\b", re.IGNORECASE)


HELD = [name for name in NAMES if Library.discover().resolve(name).load().has_holds]


def test_the_scripts_with_holds_are_known() -> None:
    """The gentle-words check below covers every script that holds the breath."""
    assert set(HELD) >= {"box", "4-7-8", "triangle", "demo-tour"}


@pytest.mark.parametrize("name", HELD)
def test_a_gentle_session_speaks_of_no_hold(name: str) -> None:
    """Under --gentle no step or phase speaks of a hold, or of a shape made with holds,
    except to say the holds are left out."""
    script = Library.discover().resolve(name).load()
    timeline = compile_timeline(script, LengthOptions(gentle=True))
    words = [span.step.text for span in timeline.spans]
    words += [segment.text for segment in timeline.segments if segment.text]
    for text in words:
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            if HOLD_WORDS.search(sentence):
                assert LEFT_OUT.search(sentence), sentence


@pytest.mark.parametrize("name", NAMES)
def test_a_caution_reads_true_with_gentle_on_or_off(name: str) -> None:
    """A caution names no option or key: calm adds how to leave holds out, or that they are."""
    script = Library.discover().resolve(name).load()
    caution = script.caution or ""
    assert "--" not in caution and "ctrl" not in caution.lower(), caution
    assert "start it with" not in caution and "use --" not in caution
    if script.has_holds:
        assert "gentle version leaves" in caution, caution


BALBAN = (
    "Yilmaz Balban M, Neri E, Kogon MM, et al. (2023). Brief structured respiration practices "
    "enhance mood and reduce physiological arousal. Cell Reports Medicine 4(1):100895. "
    "doi:10.1016/j.xcrm.2022.100895."
)
LEHRER = (
    "Lehrer PM, Gevirtz R (2014). Heart rate variability biofeedback: how and why does it work? "
    "Frontiers in Psychology 5:756."
)
ZACCARO = (
    "Zaccaro A, Piarulli A, Laurino M, et al. (2018). How breath-control can change your life: "
    "a systematic review on psycho-physiological correlates of slow breathing. "
    "Frontiers in Human Neuroscience 12:353."
)
KABAT_ZINN = "Kabat-Zinn J (1990). Full Catastrophe Living. Delacorte Press."
JACOBSON = "Jacobson E (1938). Progressive Relaxation, 2nd edition. University of Chicago Press."
CITATIONS = [
    ("box", BALBAN),
    ("cyclic-sigh", BALBAN),
    ("4-7-8", "Weil A (1999). Breathing: The Master Key to Self Healing (audio programme). "
     "Sounds True."),
    ("coherent", "Elliott S (2005). The New Science of Breath."),
    ("coherent", LEHRER),
    ("coherent", "Steffen PR, Austin T, DeBarros A, Brown T (2017). The impact of resonance "
     "frequency breathing on measures of heart rate variability, blood pressure, and mood. "
     "Frontiers in Public Health 5:222."),
    ("resonance-6", LEHRER),
    ("resonance-6", ZACCARO),
    ("extended-exhale", ZACCARO),
    ("demo-tour", LEHRER),
    ("humming-exhale", "Weitzberg E, Lundberg JON (2002). Humming greatly increases nasal nitric "
     "oxide. American Journal of Respiratory and Critical Care Medicine 166(2):144-145."),
    ("humming-exhale", "Maniscalco M, Weitzberg E, Sundberg J, Sofia M, Lundberg JO (2003). "
     "Assessment of nasal and sinus nitric oxide output using single-breath humming exhalations. "
     "European Respiratory Journal 22(2):323-329."),
    ("body-scan", KABAT_ZINN),
    ("body-scan-10", KABAT_ZINN),
    ("pmr", JACOBSON),
    ("pmr", "Bernstein DA, Borkovec TD (1973). Progressive Relaxation Training: A Manual for the "
     "Helping Professions. Research Press."),
    ("shoulders-and-jaw", JACOBSON),
]  # fmt: skip


@pytest.mark.parametrize(("name", "citation"), CITATIONS)
def test_citations_read_as_checked_against_their_sources(name: str, citation: str) -> None:
    """Each cited work is named as the issue checked it: authors, year, title, venue."""
    sources = " ".join(Library.discover().resolve(name).load().sources)
    assert citation in sources


def test_no_source_repeats_a_citation_error_that_was_found() -> None:
    """The first author is Yilmaz Balban; Weil 1999 is audio, not a book; Elliott stands alone."""
    for name in NAMES:
        sources = " ".join(Library.discover().resolve(name).load().sources)
        assert "Balban MY" not in sources and "Edmonson" not in sources, name
        if "Weil" in sources:
            assert "book" not in sources.lower(), name


def test_humming_comes_in_rounds_with_three_minutes_of_quiet_between() -> None:
    """humming-exhale: two rounds of hums, with at least 3 minutes without humming between them,
    as nasal nitric oxide took about 3 minutes of quiet to come back (Maniscalco et al. 2003)."""
    shown = show("humming-exhale")
    hums = [s for s in shown["timeline"] if s["phase"] == "exhale" and "Hum" in (s["text"] or "")]
    rounds = sorted({s["step"] for s in hums})
    assert len(rounds) >= 2
    for before, after in itertools.pairwise(rounds):
        last = max(s["start"] + s["seconds"] for s in hums if s["step"] == before)
        first = min(s["start"] for s in hums if s["step"] == after)
        assert first - last >= 180
    quiet = [s for s in shown["timeline"] if rounds[0] < s["step"] < rounds[1] and s["phase"]]
    assert quiet and not any("hum" in (s["text"] or "").lower() for s in quiet)
