"""Case- and accent-folding that keeps every offset: one output character per input character."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Typographic variants the rules should not have to spell out.
_SPECIAL = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " ", "\n": " ", "\r": " ",
    "\u00ab": '"', "\u00bb": '"', "\u201c": '"', "\u201d": '"',
    "\u0153": "o", "\u0152": "o", "\u00e6": "a", "\u00c6": "a",  # œ/æ: first letter keeps length
    "\u00b0": "o",  # n° -> no
}


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Lower-case, accent-free equivalent of one character (always exactly one character)."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    lowered = char.lower()
    if len(lowered) != 1:
        return char
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if base.isascii() or len(base) == 1 else lowered


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_match(match: re.Match[str]) -> str:
    return fold_char(match.group())


def fold(text: str) -> str:
    """Fold a whole string; len(fold(s)) == len(s) always."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare capital whose lower case is two characters (İ)
        return "".join(map(fold_char, text))
    lowered = lowered.replace("\n", " ").replace("\t", " ").replace("\r", " ").replace("`", "'")
    return lowered if lowered.isascii() else _NON_ASCII.sub(_fold_match, lowered)


def strip_accents(pattern: str) -> str:
    """Remove accents from a regex written by a rule author; ASCII (escapes included) is untouched."""
    return "".join(fold_char(c) if not c.isascii() else c for c in pattern)
