"""Is extracted text real language, and is it French? Broken font encodings give text-shaped
garbage ("Ohv sduwlhv", private-use glyphs) that must not be audited as if it had been read."""

from __future__ import annotations

import re

_FRENCH = set("le la les de des du un une et en au aux est sont par pour dans sur que qui ne pas "
              "avec ce cette ses son sa il elle à".split())
_OTHER = set("the of and to in is are for be by with that this shall will or as on der die das und "
             "ist el los las y que del il di e per".split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ODD = re.compile(r"[^\w\s.,;:!?'\"«»()\[\]{}\-–—/%€$&@#*+=§°’‘“”…|<>_~^`]")
MIN_WORDS = 60
SAMPLE = 30_000  # characters: enough to judge, cheap on a 400-page document


def _ratio(words: list[str], vocabulary: set[str]) -> float:
    return sum(w in vocabulary for w in words) / len(words)


def assess(text: str) -> str | None:
    """None for readable French; "garbled" when the text is not language; "foreign" otherwise."""
    sample = text[:SAMPLE]
    words = [w.lower().split("'")[-1] for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return None
    odd = len(_ODD.findall(sample)) / max(1, len(sample))
    french, other = _ratio(words, _FRENCH), _ratio(words, _OTHER)
    if odd > 0.2 or french + other < 0.04:
        return "garbled"
    if french < 0.06 and other > french:
        return "foreign"
    return None
