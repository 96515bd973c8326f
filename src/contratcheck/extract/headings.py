"""Recognise headings in plain text lines (contracts number their articles in a few fixed ways)."""

from __future__ import annotations

import re

from contratcheck.text.segment import is_list_item

_NUMBERED = re.compile(
    r"^(?:(?:article|art\.|chapitre|titre|section|annexe|partie|clause)\s+[\dIVXLC]+[\w.]*"
    r"|\d+(?:\.\d+)*\.?\s+\S)",
    re.IGNORECASE,
)
_SENTENCE_INSIDE = re.compile(r"[a-zà-ÿ)»]\.\s+[A-ZÀ-Ý]")


def is_heading(line: str) -> bool:
    """Short numbered titles ("Article 5 – Niveaux de service", "3.2 Pénalités") or short capitals."""
    words = line.split()
    if not words or len(words) > 14 or line.rstrip()[-1] in ".;," or _SENTENCE_INSIDE.search(line):
        return False
    if _NUMBERED.match(line) and not is_list_item(line):
        return True
    letters = [c for c in line if c.isalpha()]
    return len(words) <= 10 and len(letters) >= 4 and all(c.isupper() for c in letters) and line[-1] != ":"
