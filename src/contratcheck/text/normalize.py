"""Character-level clean-up shared by every format: ligatures, odd spaces, invisible characters."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile("[\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\t\x0b\x0c]")  # a regex beats str.translate here
# Soft hyphens, zero-width characters, BOM and other C0/C1 controls carry nothing readable.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\x00-\x08\x0e-\x1f\x7f-\x9f]")


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
