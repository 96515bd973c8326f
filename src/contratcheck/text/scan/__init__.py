"""Finding an author's pattern in a folded text, fast: the one interface to the speed code.

A pattern whose matches all begin with known prefixes ("pen", "gtr", "del"…) is tried only where a
token begins with one of them (`_prefixes` reads them from the regex; `_index` finds those token
starts, for every pattern of a pack in one Aho-Corasick pass). `_patterns` makes an author's regex
fit folded text and refuses dangerous ones; `_memo` keeps that work between runs.
"""

from __future__ import annotations

import re

from contratcheck.text.scan._index import LETTERS, PrefixScan, TokenIndex, matches_from, spaced
from contratcheck.text.scan._memo import PatternMemo, compiled, remembered, remembering
from contratcheck.text.scan._patterns import Analysis, analysis, folded_expression, invalid
from contratcheck.text.scan._prefixes import DEPTH, prefixes

__all__ = [
    "LETTERS", "Analysis", "PatternMemo", "PrefixScan", "TokenIndex", "analyse", "compile_pattern", "find",
    "invalid", "matches_from", "prefixes", "remembered", "remembering", "spaced",
]


def analyse(source: str) -> Analysis:
    """(risky, prefixes, valid) of an author's pattern, from the open memo when there is one."""
    def plain() -> list:
        found = analysis(source)
        return [found.risky, list(found.prefixes) if found.prefixes else None, found.valid]

    risky, starts, valid = remembered(f"analysis-{DEPTH}", source, plain)  # prefixes depend on DEPTH
    return Analysis(risky, tuple(starts) if starts else None, valid)


def compile_pattern(source: str) -> re.Pattern[str]:
    """Author's regex → pattern on folded text: accents ignored, whole words, flexible spaces."""
    return compiled(remembered("expression", source, lambda: folded_expression(source)))


def find(pattern: re.Pattern[str], text: str, starts: tuple[str, ...] | None = None,
         start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the non-overlapping matches of `pattern` in text[start:end], tried only where a
    token begins with one of `starts` (everywhere when None)."""
    return TokenIndex(text, start, end).find(pattern, starts)
