"""The one gate for text from outside calm: nothing a terminal would act on gets through.

``shown_safely`` (a block of text), ``one_line`` (a line of it), ``shown_name`` (a
name or a path) and ``quoted`` (a value exactly as typed) are how every string from
a file, a file name, a setting, an argument, an environment variable or the history
reaches any output. The properties here hold for all text, not only the examples.
"""

from __future__ import annotations

import codecs

from hypothesis import given
from hypothesis import strategies as st

from calm.cli.streams import FALLBACK, stand_in
from calm.core.safe_text import is_hidden, one_line, quoted, shown_name, shown_safely

HIDDEN = [
    chr(code) for code in (*range(0x20), *range(0x7F, 0xA0), 0x202A, 0x202B, 0x202C, 0x202D, 0x202E)
] + ["\u2066", "\u2067", "\u2068", "\u2069", "\u2060", "\ufeff", "\U000e0041", "\udcff"]
"""Controls (C0, DEL, C1) and format characters that can disguise text: the bidi
embeddings, overrides and isolates, the word joiner, the byte-order mark, a tag; and a
lone surrogate, which is what a byte that is not UTF-8 becomes in a file name."""

PAYLOAD = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil\u2066\x7f"
"""A title change, a screen clear, a C1 CSI, a right-to-left override, an isolate, DEL."""

outside_text = st.text(
    alphabet=st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(HIDDEN)),
    max_size=60,
)
"""Any text at all, with the dangerous characters much likelier than by chance."""


def _left_raw(text: str, *, line_breaks: bool) -> list[str]:
    return [char for char in text if is_hidden(char) and not (line_breaks and char in "\n\t")]


@given(outside_text)
def test_shown_safely_lets_nothing_through_but_line_breaks_and_tabs(text: str) -> None:
    """No control, surrogate or disguising format character survives shown_safely."""
    shown = shown_safely(text)
    assert _left_raw(shown, line_breaks=True) == []
    assert len(shown) == len(text)  # one "?" for each hidden character: nothing else moves


@given(outside_text)
def test_one_line_and_shown_name_are_one_line_with_nothing_hidden(text: str) -> None:
    """A line of text, and a name, hold no line break and nothing hidden at all."""
    for shown in (one_line(text), shown_name(text)):
        assert _left_raw(shown, line_breaks=False) == []
        assert len(shown.splitlines()) <= 1


@given(outside_text)
def test_quoted_shows_every_hidden_character_as_an_escape(text: str) -> None:
    """quoted() holds nothing hidden, and the escapes say exactly what was there."""
    shown = quoted(text)
    assert _left_raw(shown, line_breaks=False) == []
    assert shown.startswith('"') and shown.endswith('"')
    for char in text:
        if is_hidden(char):
            assert char.encode("unicode_escape").decode("ascii") in shown


@given(st.text(alphabet=st.characters(codec=None)))
def test_printable_text_is_shown_exactly_as_written(text: str) -> None:
    """Text with nothing hidden, in any script, comes through unchanged."""
    if not any(is_hidden(char) for char in text):
        assert shown_safely(text) == text


def test_the_joiner_and_direction_marks_are_kept() -> None:
    """Emoji glued by a zero-width joiner, and right-to-left marks, are text, not tricks."""
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    hebrew = "\u05e9\u05dc\u05d5\u05dd\u200f, world"
    assert shown_safely(family) == family
    assert shown_safely(hebrew) == hebrew


def test_the_payload_is_shown_as_question_marks() -> None:
    """The title-changing, screen-clearing, text-reversing payload is harmless shown."""
    assert shown_safely(PAYLOAD) == "?]0;owned??[2J?31m?evil??"


def test_every_character_unicode_has_is_judged_the_same_way() -> None:
    """Across every code point, shown_safely hides exactly what the rule hides, including
    format characters outside the planes searched first."""
    every = "".join(map(chr, range(0x110000)))
    shown = shown_safely(every)
    for code, (before, after) in enumerate(zip(every, shown, strict=True)):
        hidden = is_hidden(before) and before not in "\n\t"
        assert (after == "?") == (hidden or before == "?"), hex(code)


@given(outside_text)
def test_any_text_can_be_written_to_an_ascii_or_latin1_stream(text: str) -> None:
    """With calm's fallback, any text encodes to ASCII or Latin-1: never UnicodeEncodeError."""
    for encoding in ("ascii", "latin-1", "cp1252"):
        codecs.encode(text, encoding, FALLBACK)


@given(st.characters(codec=None, exclude_categories=()))
def test_every_stand_in_is_ascii(char: str) -> None:
    """A stand-in is always plain ASCII, so any terminal can show it."""
    assert stand_in(char).isascii()


def test_unicode_line_and_paragraph_separators_are_hidden() -> None:
    """U+2028 and U+2029 break no line in a terminal, so they show as "?" (found by
    the property test above)."""
    assert shown_safely("a\u2028b\u2029c\nd") == "a?b?c\nd"
