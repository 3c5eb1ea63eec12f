"""A care plan as calm reads it: rhythms, the checks of a plan file with one line per
problem, the summary ``calm plan import`` keeps, plan names, and finding a plan by name."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from calm.care.plan import Plan, plan_from_json, plan_name, plan_to_json
from calm.care.plan_checker import MAX_ITEMS, PlanError, load_plan, parse_plan
from calm.care.plans_folder import Plans
from calm.care.rhythm import Rhythm, RhythmError, parse_rhythm
from calm.core.library import Library
from tests.support.scripts import tiny_script

MONDAY = date(2027, 1, 4)
"""A Monday; MONDAY + n is the week's other days."""

GOOD = """\
title = "Between our sessions"
from = "Sam, Harbour Massage"
starts = 2027-01-04
ends = 2027-02-28
note = "Go gently."

[[practice]]
script = "box"
when = "daily"

[[practice]]
script = "body-scan"
when = "3 per week"

[[reminder]]
text = "Stretch your calves   gently before bed."
when = "before bed"

[[reminder]]
text = "A glass of water."
when = ["mon", "thu"]
"""
"""A plan with one of most things, that calm accepts."""

REMINDER = '[[reminder]]\ntext = "Drink some water."\nwhen = "daily"\n'


@pytest.fixture(scope="module")
def library() -> Library:
    """calm's built-in scripts alone."""
    return Library.discover(user_dirs=[])


def plan_of(text: str, library: Library, folder: Path | None = None) -> Plan:
    """The plan in ``text``, which must be good."""
    return parse_plan(text.encode(), library, source="p.toml", folder=folder)


def problems_of(text: str | bytes, library: Library, folder: Path | None = None) -> list[str]:
    """Each problem calm finds in the plan ``text``, as the lines it shows."""
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(PlanError) as caught:
        parse_plan(data, library, source="p.toml", folder=folder)
    lines = caught.value.lines()
    for line in lines:
        assert "\n" not in line and line.isprintable(), line
    return lines


# -- rhythms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected", "said"),
    [
        ("daily", Rhythm(moment="daily"), "every day"),
        ("every day", Rhythm(moment="daily"), "every day"),
        ("Every  Day", Rhythm(moment="daily"), "every day"),
        ("after work", Rhythm(moment="after work"), "after work"),
        ("Before Bed", Rhythm(moment="before bed"), "before bed"),
        ("3 per week", Rhythm(per_week=3), "3 days a week"),
        ("3 a week", Rhythm(per_week=3), "3 days a week"),
        ("3 times a week", Rhythm(per_week=3), "3 days a week"),
        ("3x per week", Rhythm(per_week=3), "3 days a week"),
        ("1 per week", Rhythm(per_week=1), "1 day a week"),
        ("7 per week", Rhythm(moment="daily"), "every day"),
        (["mon", "thu"], Rhythm(weekdays=(0, 3)), "Mon and Thu"),
        (["THU", "Mon"], Rhythm(weekdays=(0, 3)), "Mon and Thu"),
        (["Monday", "wednesday", "FRIDAY"], Rhythm(weekdays=(0, 2, 4)), "Mon, Wed and Fri"),
        (["sun", "sunday"], Rhythm(weekdays=(6,)), "Sun"),
        ("mon, thu", Rhythm(weekdays=(0, 3)), "Mon and Thu"),
        ("Tuesday and Saturday", Rhythm(weekdays=(1, 5)), "Tue and Sat"),
    ],
)
def test_every_written_rhythm_is_read(written: object, expected: Rhythm, said: str) -> None:
    rhythm = parse_rhythm(written)
    assert rhythm == expected
    assert rhythm.text == said


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("0 per week", "expected 1 to 7 per week, got 0"),
        ("8 per week", "expected 1 to 7 per week, got 8"),
        ([], "expected from 1 to 7 weekdays"),
        (["mon"] * 8, "expected from 1 to 7 weekdays"),
        (["mon", "funday"], "got 'funday'"),
        (["mon", 3], "got 3"),
        ("mon, someday", "got 'someday'"),
        ("weekly", 'expected "daily"'),
        ("", 'expected "daily"'),
        (3, 'expected "daily"'),
        (None, 'expected "daily"'),
        ({"moment": "daily"}, 'expected "daily"'),
    ],
)
def test_a_rhythm_calm_cannot_read_is_refused_in_one_line(written: object, words: str) -> None:
    with pytest.raises(RhythmError) as caught:
        parse_rhythm(written)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message


def test_a_weekday_refused_is_quoted_briefly_and_without_raw_controls() -> None:
    with pytest.raises(RhythmError) as caught:
        parse_rhythm(["\x1b[2J" + "x" * 1000])
    message = str(caught.value)
    assert "\x1b" not in message
    assert len(message) <= 160


@pytest.mark.parametrize("moment", ["daily", "after work", "before bed"])
def test_a_daily_rhythm_is_asked_every_day_whatever_was_done(moment: str) -> None:
    rhythm = parse_rhythm(moment)
    for offset in range(7):
        assert rhythm.asked_on(MONDAY + timedelta(days=offset), days_done_this_week=6)


def test_a_weekday_rhythm_is_asked_only_on_its_days() -> None:
    rhythm = parse_rhythm(["mon", "thu"])
    asked = [rhythm.asked_on(MONDAY + timedelta(days=offset)) for offset in range(7)]
    assert asked == [True, False, False, True, False, False, False]


def test_a_few_times_a_week_is_asked_until_the_count_is_reached() -> None:
    rhythm = parse_rhythm("3 per week")
    thursday = MONDAY + timedelta(days=3)
    assert rhythm.asked_on(thursday, days_done_this_week=0)
    assert rhythm.asked_on(thursday, days_done_this_week=2)
    assert not rhythm.asked_on(thursday, days_done_this_week=3)
    # A day it was done on still shows it, as done.
    assert rhythm.asked_on(thursday, days_done_this_week=3, done_today=True)


def test_days_a_week_counts_each_kind() -> None:
    assert parse_rhythm("before bed").days_a_week() == 7
    assert parse_rhythm("2 per week").days_a_week() == 2
    assert parse_rhythm(["tue", "sat", "sun"]).days_a_week() == 3


@pytest.mark.parametrize(
    "written", ["daily", "after work", "before bed", "4 per week", ["mon", "fri"], ["sun"]]
)
def test_a_rhythm_survives_its_json(written: object) -> None:
    rhythm = parse_rhythm(written)
    assert Rhythm.from_json(json.loads(json.dumps(rhythm.to_json()))) == rhythm


@pytest.mark.parametrize(
    "document",
    [
        None,
        "daily",
        [],
        {},
        {"moment": "sometimes"},
        {"per_week": 0},
        {"per_week": 8},
        {"per_week": "3"},
        {"per_week": 2.5},
        {"weekdays": []},
        {"weekdays": [7]},
        {"weekdays": [-1]},
        {"weekdays": ["mon"]},
        {"weekdays": "mon"},
    ],
)
def test_json_that_is_not_a_rhythm_is_refused(document: object) -> None:
    with pytest.raises(RhythmError):
        Rhythm.from_json(document)


# -- checking a plan -----------------------------------------------------------------


def test_a_good_plan_is_read_with_every_part(library: Library) -> None:
    plan = plan_of(GOOD, library)
    assert (plan.title, plan.author, plan.note) == (
        "Between our sessions",
        "Sam, Harbour Massage",
        "Go gently.",
    )
    assert (plan.starts, plan.ends) == (date(2027, 1, 4), date(2027, 2, 28))
    assert plan.name == "between-our-sessions"
    assert plan.from_words == "Your plan from Sam, Harbour Massage"
    box, scan = plan.practices
    assert (box.script, box.title, box.when, box.path) == (
        "box",
        "Box breathing",
        Rhythm(moment="daily"),
        None,
    )
    assert box.start_command == "calm start box"
    assert (scan.title, scan.when) == ("Body scan, 5 minutes", Rhythm(per_week=3))
    # A reminder's spaces are made single, as it is shown on one line.
    assert [(item.text, item.when.text) for item in plan.reminders] == [
        ("Stretch your calves gently before bed.", "before bed"),
        ("A glass of water.", "Mon and Thu"),
    ]


def test_a_plan_with_only_a_title_and_a_reminder_is_enough(library: Library) -> None:
    plan = plan_of('title = "Small"\n' + REMINDER, library)
    assert plan.practices == ()
    assert plan.author is None
    assert plan.from_words == "Your plan"
    assert plan.active_on(date(1, 1, 1)) and plan.active_on(date(9999, 12, 31))  # no dates


def test_a_plan_is_active_between_its_dates_only(library: Library) -> None:
    plan = plan_of(GOOD, library)
    assert not plan.active_on(date(2027, 1, 3))
    assert plan.active_on(date(2027, 1, 4))
    assert plan.active_on(date(2027, 2, 28))
    assert not plan.active_on(date(2027, 3, 1))


def test_each_problem_is_one_line_naming_the_file_and_the_place(library: Library) -> None:
    text = (
        'title = "T"\n'
        '[[practice]]\nscript = "box"\nwhen = "daily"\n'
        '[[practice]]\nscript = "bx"\nwhen = "daily"\n'
        '[[practice]]\nscript = "box"\nwhen = "sometimes"\n'
        '[[reminder]]\nwhen = "daily"\n'
    )
    assert problems_of(text, library) == [
        'p.toml: practice 2 > script: calm has no script named "bx"; did you mean "box"?',
        "p.toml: practice 3 > when: expected "
        '"daily", "after work", "before bed", "N per week" (1 to 7), '
        'or a list of weekdays such as ["mon", "thu"]',
        "p.toml: reminder 1: text is missing; expected text",
    ]


def test_a_script_name_like_nothing_calm_has_points_to_the_list(library: Library) -> None:
    text = 'title = "T"\n[[practice]]\nscript = "qqqqqqqq"\nwhen = "daily"\n'
    assert problems_of(text, library) == [
        'p.toml: practice 1 > script: calm has no script named "qqqqqqqq";'
        " run `calm list` to see them all"
    ]


def test_a_missing_rhythm_and_a_missing_script_are_said(library: Library) -> None:
    text = 'title = "T"\n[[practice]]\nscript = "box"\n[[practice]]\nwhen = "daily"\n'
    assert problems_of(text, library) == [
        'p.toml: practice 1: when is missing; expected a rhythm such as "daily"',
        "p.toml: practice 2: script is missing; expected text",
    ]


def test_a_library_script_with_problems_is_a_problem_of_the_plan(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('title = "Mine"\n', encoding="utf-8")
    own = Library.discover(user_dirs=[tmp_path])
    text = 'title = "T"\n[[practice]]\nscript = "mine"\nwhen = "daily"\n'
    (line,) = problems_of(text, own)
    assert line.startswith("p.toml: practice 1 > script: script mine has problems: ")


def test_a_script_file_beside_the_plan_is_used(tmp_path: Path, library: Library) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "evening.toml").write_text(tiny_script(title="Evening"), encoding="utf-8")
    (tmp_path / "sub" / "later.toml").write_text(tiny_script(title="Later"), encoding="utf-8")
    text = (
        'title = "T"\n'
        '[[practice]]\nscript = "evening.toml"\nwhen = "daily"\n'
        '[[practice]]\nscript = "sub/later.toml"\nwhen = ["sat"]\n'
    )
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    plan = load_plan(tmp_path / "plan.toml", library)
    evening, later = plan.practices
    assert (evening.title, evening.path) == ("Evening", tmp_path / "evening.toml")
    assert (later.title, later.path) == ("Later", tmp_path / "sub" / "later.toml")
    assert evening.start_command == f"calm start {tmp_path / 'evening.toml'}"
    assert plan.path == tmp_path / "plan.toml"


def test_the_command_for_a_script_file_with_a_space_can_be_typed(
    tmp_path: Path, library: Library
) -> None:
    (tmp_path / "my evening.toml").write_text(tiny_script(title="Evening"), encoding="utf-8")
    text = 'title = "T"\n[[practice]]\nscript = "my evening.toml"\nwhen = "daily"\n'
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    (practice,) = load_plan(tmp_path / "plan.toml", library).practices
    assert shlex.split(practice.start_command) == [
        "calm",
        "start",
        str(tmp_path / "my evening.toml"),
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("missing.toml", '"missing.toml" was not found beside the plan'),
        ("../x.toml", "must be in the plan's folder"),
        ("/etc/x.toml", "must be in the plan's folder"),
        ("broken.toml", "the script has problems: broken.toml: "),
    ],
)
def test_a_script_file_that_cannot_be_used_is_a_problem(
    tmp_path: Path, library: Library, name: str, words: str
) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    (tmp_path / "x.toml").write_text(tiny_script(), encoding="utf-8")  # there, but outside
    (folder / "broken.toml").write_text('title = "Broken"\nsummary = 3\n', encoding="utf-8")
    text = f'title = "T"\n[[practice]]\nscript = "{name}"\nwhen = "daily"\n'
    (line,) = problems_of(text, library, folder=folder)
    assert line.startswith(f"p.toml: practice 1 > script: {words}")


def test_what_the_history_could_not_tell_apart_is_a_problem(
    tmp_path: Path, library: Library
) -> None:
    """The history knows a session by its script's name, and a tick by its words."""
    (tmp_path / "sub").mkdir()
    for name in ("box.toml", "evening.toml", "sub/evening.toml"):
        (tmp_path / name).write_text(tiny_script(), encoding="utf-8")
    text = (
        'title = "T"\n'
        '[[practice]]\nscript = "box.toml"\nwhen = "daily"\n'
        '[[practice]]\nscript = "evening.toml"\nwhen = "daily"\n'
        '[[practice]]\nscript = "sub/evening.toml"\nwhen = "before bed"\n'
        '[[practice]]\nscript = "coherent"\nwhen = "daily"\n'
        '[[practice]]\nscript = "coherent"\nwhen = ["sat"]\n'
        '[[reminder]]\ntext = "Drink water."\nwhen = "daily"\n'
        '[[reminder]]\ntext = "drink   WATER."\nwhen = "after work"\n'
    )
    assert problems_of(text, library, folder=tmp_path) == [
        'p.toml: practice 1 > script: "box.toml" has the name of calm\'s own box script,'
        " so your history could not tell them apart; give the file another name",
        'p.toml: practice 3 > script: practice 2 is "evening" too;'
        " give one practice a script once, with one rhythm",
        'p.toml: practice 5 > script: practice 4 is "coherent" too;'
        " give one practice a script once, with one rhythm",
        "p.toml: reminder 2 > text: reminder 1 says the same; say each reminder once",
    ]


@pytest.mark.parametrize("count", [True, False, [True], [1, False]])
def test_a_summary_s_true_or_false_is_no_count_or_weekday(count: object) -> None:
    key = "per_week" if isinstance(count, bool) else "weekdays"
    with pytest.raises(RhythmError):
        Rhythm.from_json({key: count})


def test_a_script_file_needs_a_plan_file_to_be_beside(library: Library) -> None:
    text = 'title = "T"\n[[practice]]\nscript = "evening.toml"\nwhen = "daily"\n'
    assert problems_of(text, library) == [
        "p.toml: practice 1 > script: a script file must come beside a plan file"
    ]


@pytest.mark.parametrize(
    ("dates", "words"),
    [
        ("starts = 2027-02-01\nends = 2027-01-31\n", "ends (2027-01-31) comes before starts"),
        ('starts = "2027-02-01"\nends = "2027-01-31"\n', "ends (2027-01-31) comes before starts"),
        ("starts = 2027-02-01T10:00:00\nends = 2027-01-31\n", "comes before starts"),
        ('starts = "soon"\n', 'starts must be a date such as 2027-01-31, got "soon"'),
        ("ends = 3\n", "ends must be a date such as 2027-01-31, got 3"),
    ],
)
def test_dates_that_cannot_be_used_are_problems(library: Library, dates: str, words: str) -> None:
    (line,) = problems_of('title = "T"\n' + dates + REMINDER, library)
    assert line.startswith("p.toml: ")
    assert words in line


def test_a_plan_that_suggests_nothing_is_a_problem(library: Library) -> None:
    assert problems_of('title = "T"\nfrom = "Sam"\n', library) == [
        "p.toml: has no [[practice]] and no [[reminder]]: nothing to suggest"
    ]


def test_a_plan_needs_a_title(library: Library) -> None:
    assert problems_of(REMINDER, library) == ["p.toml: title is missing; expected text"]
    assert problems_of('title = "  "\n' + REMINDER, library) == ["p.toml: title must not be empty"]


def test_unknown_keys_and_wrong_shapes_are_problems(library: Library) -> None:
    lines = problems_of('title = "T"\ntitel = "x"\npractice = 3\n' + REMINDER, library)
    assert lines == [
        'p.toml: unknown key "titel", did you mean "title"?',
        "p.toml: practice must be tables written [[practice]], got 3",
    ]


@pytest.mark.parametrize("kind", ["practice", "reminder"])
def test_a_plan_holds_a_limited_number_of_items(tmp_path: Path, kind: str) -> None:
    for n in range(MAX_ITEMS + 1):  # a plan names each script once: enough of them
        (tmp_path / f"own-{n}.toml").write_text(tiny_script(), encoding="utf-8")
    library = Library.discover(user_dirs=[tmp_path])

    def items(count: int) -> str:
        if kind == "practice":
            return "".join(
                f'[[practice]]\nscript = "own-{n}"\nwhen = "daily"\n' for n in range(count)
            )
        return "".join(f'[[reminder]]\ntext = "Water {n}."\nwhen = "daily"\n' for n in range(count))

    assert plan_of('title = "T"\n' + items(MAX_ITEMS), library)
    assert problems_of('title = "T"\n' + items(MAX_ITEMS + 1), library) == [
        f"p.toml: a plan can have at most {MAX_ITEMS} [[{kind}]], got {MAX_ITEMS + 1}"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "' + "a" * 121 + '"\n' + REMINDER, "title must be at most 120 characters"),
        ('title = "T"\nfrom = "' + "a" * 121 + '"\n' + REMINDER, "from must be at most 120"),
        ('title = "T"\nnote = "' + "a" * 2001 + '"\n' + REMINDER, "note must be at most 2000"),
        (
            'title = "T"\n[[reminder]]\ntext = "' + "a" * 301 + '"\nwhen = "daily"\n',
            "reminder 1: text must be at most 300 characters, got 301",
        ),
        ('title = "T"\nnote = "' + "a" * 5000 + '"\n' + REMINDER, "longer than 2001 characters"),
        ('title = "two\\nlines"\n' + REMINDER, "title must be one line, got 2 lines"),
    ],
)
def test_texts_that_are_too_long_are_problems(library: Library, text: str, expected: str) -> None:
    (line,) = problems_of(text, library)
    assert expected in line


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("title", "\\u001b[2JWelcome", "title holds a control character (U+001B)"),
        ("from", "Sam\\u009b31m", "from holds a control character (U+009B)"),
        ("from", "Sam\\u0007", "from holds a control character (U+0007)"),
        ("title", "evil\\u202etxt.exe", "title holds a direction override (U+202E)"),
    ],
)
def test_texts_that_would_drive_the_terminal_are_refused(
    library: Library, key: str, value: str, words: str
) -> None:
    head = 'title = "T"\n' if key != "title" else ""
    (line,) = problems_of(head + f'{key} = "{value}"\n' + REMINDER, library)
    assert words in line
    assert "\x1b" not in line and "\x9b" not in line


def test_a_reminder_or_a_script_name_that_would_drive_the_terminal_is_refused(
    library: Library,
) -> None:
    text = (
        'title = "T"\n'
        '[[practice]]\nscript = "box\\u001b[31m"\nwhen = "daily"\n'
        '[[reminder]]\ntext = "Water \\u001b]0;owned\\u0007"\nwhen = "daily"\n'
        '"\\u001b[2J" = 1\n'
    )
    lines = problems_of(text, library)
    assert len(lines) == 3
    assert lines[0].startswith("p.toml: practice 1: script holds a control character (U+001B)")
    assert lines[1].startswith("p.toml: reminder 1: unknown key")
    assert lines[2].startswith("p.toml: reminder 1: text holds a control character (U+001B)")
    assert all("\x1b" not in line and "\x07" not in line for line in lines)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'title = "T"\n' + b"x." * 5000 + b"y = 1\n", "nested more than 4 deep"),
        (b'title = "T"\nq = ' + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested more than 4"),
        (b'title = "T"\n' + b"".join(b"k%d = 1\n" % n for n in range(2000)), "more than 1000 keys"),
        (b'title = "T"\nq = [' + b"1, " * 5000 + b"]\n", "a list holds more than 31 items"),
        (b'title = "T"\nq = "' + b"a" * 90_000 + b'"\n', "longer than 2001 characters"),
        (b"\x00\x01\x02 binary", "looks like a binary file, not a TOML plan"),
        (b'title = "T\n', "p.toml: line 1"),
    ],
)
def test_text_that_is_not_a_plan_is_refused_before_it_is_built(
    library: Library, data: bytes, words: str
) -> None:
    (line,) = problems_of(data, library)
    assert words in line


def test_a_plan_file_too_big_or_missing_is_one_line(tmp_path: Path, library: Library) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * 200_000 + b"\n")
    with pytest.raises(PlanError) as caught:
        load_plan(big, library)
    assert caught.value.lines() == [f"{big}: is over 100 kB, too big to be a plan"]
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path, library)
    assert caught.value.lines() == [f"{tmp_path}: is a folder, not a plan file"]
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "none.toml", library)
    assert len(caught.value.lines()) == 1
    assert caught.value.lines()[0].startswith(f"{tmp_path / 'none.toml'}: ")


# -- the summary an import keeps -----------------------------------------------------


def test_a_plan_survives_its_summary(tmp_path: Path, library: Library) -> None:
    (tmp_path / "evening.toml").write_text(tiny_script(title="Evening"), encoding="utf-8")
    text = GOOD + '[[practice]]\nscript = "evening.toml"\nwhen = "after work"\n'
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    plan = load_plan(tmp_path / "plan.toml", library)
    kept = json.loads(json.dumps(plan_to_json(plan)))
    again = plan_from_json(kept, tmp_path / "plan.toml")
    # The summary is for calm nudge, which never shows the note.
    assert again == Plan(
        title=plan.title,
        author=plan.author,
        practices=plan.practices,
        reminders=plan.reminders,
        starts=plan.starts,
        ends=plan.ends,
        note=None,
        path=plan.path,
        given_name=tmp_path.name,  # the folder an import keeps it in names it
    )
    assert again.practices[-1].path == tmp_path / "evening.toml"


def test_a_plan_without_dates_or_author_survives_its_summary(library: Library) -> None:
    plan = plan_of('title = "Small"\n' + REMINDER, library)
    again = plan_from_json(json.loads(json.dumps(plan_to_json(plan))), Path("p.toml"))
    assert (again.title, again.author, again.starts, again.ends) == ("Small", None, None, None)
    assert again.reminders == plan.reminders


def _summary(library: Library) -> dict[str, object]:
    return plan_to_json(plan_of(GOOD, library))


@pytest.mark.parametrize(
    "damage",
    [
        lambda document: document.update(format=2),
        lambda document: document.pop("title"),
        lambda document: document.update(title="\x1b[2J"),
        lambda document: document.update(title=3),
        lambda document: document.update(starts="soon"),
        lambda document: document.update(practices="box"),
        lambda document: document.update(practices=[{"script": "box"}]),
        lambda document: document.update(reminders=[{"text": "x", "when": {"per_week": 9}}]),
    ],
)
def test_a_damaged_summary_is_refused(
    library: Library, damage: Callable[[dict[str, object]], object]
) -> None:
    document = _summary(library)
    damage(document)
    with pytest.raises(ValueError, match="not a plan summary"):
        plan_from_json(document, Path("p.toml"))
    with pytest.raises(ValueError, match="not a plan summary"):
        plan_from_json([document], Path("p.toml"))


# -- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Between our sessions", "between-our-sessions"),
        ("  Calm, then: sleep!  ", "calm-then-sleep"),
        ("Café crème", "cafe-creme"),
        ("Ünïcödé 2027", "unicode-2027"),
        ("休息", "plan"),
        ("!!!", "plan"),
        ("", "plan"),
        ("word " * 30, ("word-" * 12).rstrip("-")),
    ],
)
def test_a_title_becomes_a_plain_name(title: str, name: str) -> None:
    assert plan_name(title) == name
    assert len(plan_name(title)) <= 60


def _two_plans(library: Library) -> Plans:
    first = plan_of(GOOD, library)
    second = plan_of('title = "Evening Rest"\n' + REMINDER, library)
    return Plans([first, second])


@pytest.mark.parametrize(
    ("wanted", "title"),
    [
        ("between-our-sessions", "Between our sessions"),
        ("Between our sessions", "Between our sessions"),
        ("BETWEEN OUR SESSIONS", "Between our sessions"),
        ("evening-rest", "Evening Rest"),
        ("evening rest", "Evening Rest"),
    ],
)
def test_a_plan_is_found_by_name_or_title_in_any_case(
    library: Library, wanted: str, title: str
) -> None:
    assert _two_plans(library).named(wanted).title == title


def test_a_plan_not_found_gets_a_did_you_mean(library: Library) -> None:
    plans = _two_plans(library)
    with pytest.raises(LookupError) as caught:
        plans.named("evening-rst")
    assert str(caught.value) == 'no plan named "evening-rst"; did you mean "evening-rest"?'
    with pytest.raises(LookupError) as caught:
        plans.named("zzz")
    assert str(caught.value) == 'no plan named "zzz"; plans: between-our-sessions, evening-rest'
    with pytest.raises(LookupError) as caught:
        plans.named("\x1b[2J")
    assert "\x1b" not in str(caught.value)
    with pytest.raises(LookupError) as caught:
        Plans([]).named("anything")
    assert str(caught.value) == "no plans are imported; import one with calm plan import FILE"
