"""The one gate for text from outside calm on its way to a terminal: shown safely."""

from __future__ import annotations

import functools
import unicodedata


def one_line(text: str) -> str:
    """Text safe to print within one line of a terminal.

    Line breaks become " / ", a tab a space, and anything else ``shown_safely``
    hides "?": an escape sequence in a note must not recolour, retitle or clear
    the terminal.
    """
    if text.isprintable():
        return text  # The quick way for almost every title and note.
    joined = " / ".join(part for part in text.splitlines() if part.strip())
    return shown_safely(joined.replace("\t", " "))


def shown_safely(text: str) -> str:
    """``text`` as it may reach any output: every character a terminal would act on,
    or that could disguise the text around it, shown as "?".

    This is the one gate for text from outside calm (files, file names, settings,
    arguments, environment variables, history rows) on its way to a terminal, a
    log line or a notice. It hides C0 and C1 control characters (escape, bell,
    DEL), lone surrogates left by bytes that are not UTF-8, and format characters
    such as the bidi overrides and isolates, and Unicode's line and paragraph
    separators; line breaks, tabs, the zero-width joiner and the direction marks
    are kept.
    """
    if text.isprintable():
        return text  # Nothing to hide, found at C speed.
    return text.translate(_hidden_table())


def shown_name(text: str) -> str:
    """A name or a path shown safely on one line: as ``shown_safely``, with line
    breaks and tabs shown as "?" too, as ``ls`` does."""
    if text.isprintable():
        return text
    return shown_safely(text).translate(_LINE_BREAKS)


def quoted(text: str) -> str:
    """``text`` in double quotes, with every hidden character written as an escape
    (``"abc\\n"``), for a message that must show exactly what was typed."""
    return '"' + "".join(_escaped(char) for char in text) + '"'


def _escaped(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if is_hidden(char):
        return char.encode("unicode_escape").decode("ascii")
    return char


def is_hidden(char: str) -> bool:
    """Whether ``char`` is one that ``shown_safely`` hides, or a line break or tab."""
    return _hidden_control(char) or unicodedata.category(char) in {"Cs", "Zl", "Zp"}


def _hides(char: str) -> bool:
    # Unicode's line and paragraph separators break no line in a terminal: shown as
    # they are, a line could read as two, or two as one.
    return not char.isprintable() and (_acted_on(char) or unicodedata.category(char) in _SEPARATORS)


_SEPARATORS = frozenset({"Zl", "Zp"})


_LINE_BREAKS = str.maketrans(dict.fromkeys("\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "?"))

_FORMAT_PLANES = (range(0x0000, 0x20000), range(0xE0000, 0xE1000))
"""Where Unicode puts its format characters: the first two planes and the tags plane."""


@functools.cache
def _hidden_table() -> dict[int, str]:
    """``str.translate``'s table for ``shown_safely``, built once, on first need."""
    table = {code: "?" for code in range(0xD800, 0xE000)}  # lone surrogates
    for plane in _FORMAT_PLANES:
        # isprintable first: it answers for most characters at C speed.
        table.update({code: "?" for code in plane if _hides(chr(code))})
    return table


def first_control(text: str) -> str | None:
    """The first character in ``text`` that a terminal would act on rather than show;
    line breaks and tabs are fine."""
    return next((char for char in text if _acted_on(char)), None)


def _acted_on(char: str) -> bool:
    return _hidden_control(char) and char not in "\n\t"


_DIRECTION_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
"""The bidi classes of the embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
U+2069): they reorder the text that follows them, so a line can read other than it is."""
_DISGUISING_FORMAT = frozenset(
    [chr(code) for code in range(0x206A, 0x2070)] + ["\ufff9", "\ufffa", "\ufffb"]
)
"""Other format characters that change how the text around them reads: the deprecated
switches for mirroring, Arabic shaping and digit shapes, and the interlinear annotation
marks, whose text a reader may hide."""


def _hidden_control(char: str) -> bool:
    """Whether ``char`` is a control character, or a format character that can disguise
    the text around it.

    Every other format character is harmless and kept: it is invisible, or joins or
    marks the letters beside it, and a terminal shows the text as it is. That covers
    the zero-width space and joiners, the soft hyphen, the word joiner, a byte-order
    mark inside text, the direction marks right-to-left writing needs, and the tag
    characters of flag emoji.
    """
    category = unicodedata.category(char)
    if category == "Cc":
        return True
    if category != "Cf":
        return False
    return unicodedata.bidirectional(char) in _DIRECTION_CONTROLS or char in _DISGUISING_FORMAT
