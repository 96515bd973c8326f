"""Character-level clean-up shared by every format: ligatures, odd spaces, invisible characters."""

from __future__ import annotations

import re
import unicodedata

from contratcheck.text.tracked import Tracked

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile("[\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\t\x0b\x0c]")  # a regex beats str.translate here
# Nothing readable: C0/C1 controls, every Unicode format character (category Cf: soft hyphen,
# zero-width characters, BOM, direction marks and overrides, invisible operators, tags…) and the
# fillers that look like nothing (Hangul and Khmer fillers, the combining grapheme joiner). Left
# in a word (« m\u200eois »), they would hide it from every rule.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff"
    "\ufff9-\ufffb\ufffe\uffa0\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def prepare(text: str) -> str:
    """Composed accents, ligatures spelt out, odd spaces made plain, invisible characters dropped;
    line breaks are kept (a PDF page is prepared whole, then cut into lines)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        for ligature, letters in _LIGATURES.items():
            if ligature in text:
                text = text.replace(ligature, letters)
        text = _SPACES.sub(" ", text)
    return _INVISIBLE.sub("", text)


def clean(text: str) -> str:
    """One block's text as the rules and the user see it: a single line, single-spaced, composed
    accents (some producers write "é" as "e" plus a combining accent)."""
    return " ".join(prepare(text).split())


_BLANKS = re.compile(r"^\s+|\s+$|\s{2,}|[^\S ]")  # what differs from single spaces between words


def clean_tracked(text: Tracked) -> Tracked:
    """`clean` of one source line, each character kept knowing where it stands in the file."""
    if not text.text.isascii():
        if not unicodedata.is_normalized("NFC", text.text):
            text = text.edit(_composed(text.text))
        text = text.edit((m.start(), m.end(), _LIGATURES.get(m.group(), " ")) for m in _ODD.finditer(text.text))
    text = text.edit((m.start(), m.end(), "") for m in _INVISIBLE.finditer(text.text))
    size = len(text.text)
    return text.edit((m.start(), m.end(), "" if m.start() == 0 or m.end() == size else " ")
                     for m in _BLANKS.finditer(text.text))


_ODD = re.compile(f"[{''.join(_LIGATURES)}]|{_SPACES.pattern}")


def _composed(text: str):
    """NFC, one base character and its combining marks at a time (the only changes of length)."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            piece = text[start:index]
            composed = unicodedata.normalize("NFC", piece)
            if composed != piece:
                yield start, index, composed
            start = index
