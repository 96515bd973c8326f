"""Is extracted text real language, and is it French? Broken font encodings give text-shaped
garbage ("Ohv sduwlhv", private-use glyphs) that must not be audited as if it had been read; a
contract in another language must not be audited as a French one missing every clause."""

from __future__ import annotations

import re
from functools import lru_cache

_FRENCH = set("le la les de des du un une et en au aux est sont par pour dans sur que qui ne pas "
              "avec ce cette ses son sa il elle à".split())
_OTHER = set("the of and to in is are for be by with that this shall will or as on der die das und "
             "ist el los las y que del il di e per".split())
# Words only French uses among these languages: 15 to 24 % of the words of every French contract of
# both corpora, at most 1.4 % of the English, German and Spanish ones. Far above the latter, the
# text is French and the detector is not asked (5 ms a document).
_ONLY_FRENCH = set("des du les une et au aux est sont par pour dans sur qui pas avec cette ses à".split())
SURELY_FRENCH = 0.10
_WORD = re.compile(r"(?:[^\W\d_]+')?([^\W\d_]+)")  # the word after an elided article: l'article -> article
_ODD = re.compile(r"[^\w\s.,;:!?'\"«»()\[\]{}\-–—/%€$&@#*+=§°’‘“”…|<>_~^`]")
MIN_WORDS = 60
SAMPLE = 30_000  # characters: enough to judge, and cheap however long the document


def _ratio(words: list[str], vocabulary: set[str]) -> float:
    return sum(map(vocabulary.__contains__, words)) / len(words)


def assess(text: str) -> str | None:
    """None for readable French; "garbled" when the text is not language; "foreign" otherwise."""
    sample = text[:SAMPLE]
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return None
    odd = len(_ODD.findall(sample)) / max(1, len(sample))
    french, other = _ratio(words, _FRENCH), _ratio(words, _OTHER)
    if odd > 0.2 or french + other < 0.04:
        return "garbled"
    if _ratio(words, _ONLY_FRENCH) >= SURELY_FRENCH:
        return None
    return None if language_of(sample) == "fr" else "foreign"


# The languages of the contracts a French company may be sent; the detector tells them apart only.
LANGUAGES = ("FRENCH", "ENGLISH", "GERMAN", "SPANISH", "ITALIAN", "DUTCH", "PORTUGUESE")
SAMPLES, SAMPLE_LENGTH = 3, 1_500  # characters read at the start, the middle and two thirds in


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder  # imported only when needed; models load at first use

    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def language_of(text: str) -> str | None:
    """The ISO 639-1 code of the language most of the samples are written in (a French contract
    with an English annex stays French), None when undecided."""
    votes: dict[str, int] = {}
    for index in range(SAMPLES):
        start = len(text) * index // SAMPLES
        found = _detector().detect_language_of(text[start:start + SAMPLE_LENGTH])
        if found is not None:
            code = found.iso_code_639_1.name.lower()
            votes[code] = votes.get(code, 0) + 1
    return max(votes, key=votes.__getitem__) if votes else None
