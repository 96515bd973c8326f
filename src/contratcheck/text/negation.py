"""French negation and exclusion around a match: "aucune sauvegarde", "le pare-feu n'est pas inclus"."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# A negation only reaches across its own sub-clause: commas (not decimal ones), colons, semicolons,
# sentence ends, brackets, table cell separators and a few contrastive conjunctions stop it.
_STOP = re.compile(r"[.;:!?()\[\]|,](?!(?<=,)\d)")
# A conjunction counts after a space, with the space. Each is searched as a literal, which the regex
# engine finds in C, instead of a pattern tried at every one of a contract's 20,000 spaces (twice as slow).
_CONJUNCTIONS = tuple(re.compile(rf"{word}(?<=\s{word})\s{after}") for word, after in (
    ("mais", ""), ("toutefois", ""), ("cependant", ""), ("en revanche", ""),
    ("et", r"(?=(?:sont|est|seront|sera|restent|reste|demeurent|demeure)\s)"),  # "… et sont facturés"
))

# Cues that negate anything after them in the sub-clause: "aucune sauvegarde externalisée".
_BEFORE = re.compile(
    r"(?<![a-z])(?:aucune?s?|aucunement|nullement|jamais|ni|exclu(?:e|s|es)?|exclusion|absence d|pas d'|pas de|pas une?"
    r"|(?:ne|n')\s*[a-z']+(?:\s+[a-z']+){0,3}\s+(?:pas|plus|jamais|aucune?|nullement|aucunement|point)"
    r"|ne\s+(?:saurai(?:en)?t|peu(?:ven)?t|pourr(?:a|ont)|doi(?:ven)?t)\s)(?![a-z])"
)
# Prepositions only exclude what follows them closely: "hors sauvegarde", not "hors des agences, une facturation".
_BEFORE_NEAR = re.compile(
    r"(?<![a-z])(?:sans|hors|sauf(?!\s+(?:resiliation|denonciation|dispositions?|stipulations?|accord|avis|cas|mention|demande|indication))"
    r"|excepte|a l'exception d(?:u|e|es|')|a l'exclusion d(?:u|e|es|')|non)\W+(?:[a-z']+\W+){0,3}$"
)
_AFTER = re.compile(
    r"^\W*(?:[a-z']+\W+){0,4}?"
    r"(?:(?:ne\s|n')\s*[a-z']+(?:\s+[a-z']+)?\s+(?:pas|plus|jamais|nullement|aucunement)(?!\s+(?:depasser|exceder|etre superieur))"
    r"|(?:est|sont|sera|seront|reste|restent|demeure|demeurent)\s+(?:[a-z]+ment\s+)?(?:exclue?s?|exclu)"
    r"|ne\s+(?:saurai(?:en)?t|peu(?:ven)?t|pourr(?:a|ont))(?!\s+(?:depasser|exceder|etre superieur))"
    r"|non\s+(?:compris|inclus|prevu|couvert|fourni|assure)e?s?)(?![a-z])"
)
_AFTER_WINDOW = 80


class Boundaries:
    """Sub-clause boundaries of a whole text, found once; each lookup is then a bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        stops = [m.start() for m in _STOP.finditer(text)]
        # Conjunctions may overlap ("mais toutefois"): the first one wins, as in a left-to-right reading.
        # Stops never overlap them: a conjunction holds only letters and spaces.
        conjunctions, reached = [], -1
        for start, end in sorted((m.start() - 1, m.end()) for regex in _CONJUNCTIONS for m in regex.finditer(text)):
            if start >= reached:
                conjunctions.append((start, end))
                reached = end
        self.kinds = ((stops, [s + 1 for s in stops]),
                      ([s for s, _ in conjunctions], [e for _, e in conjunctions]))

    def around(self, start: int, end: int, reach: int = 400) -> tuple[int, int]:
        """The sub-clause holding [start, end): from the last boundary ending before it to the first
        one starting after it, at most `reach` characters away."""
        left, right = max(0, start - reach), min(len(self.text), end + reach)
        for starts, ends in self.kinds:
            before = bisect_right(ends, start) - 1
            if before >= 0 and ends[before] >= left:
                left = ends[before]
            after = bisect_left(starts, end)
            if after < len(starts) and starts[after] <= right:
                right = starts[after]
        return left, right


def is_negated(text: str, start: int, end: int, bounds: Boundaries | None = None) -> bool:
    """True when the folded match text[start:end] is negated or excluded within its sub-clause.

    Give `bounds` when checking many matches of one text: it saves re-scanning for boundaries.
    """
    left, right = (bounds or Boundaries(text)).around(start, end)
    if _BEFORE.search(text, left, start) or _BEFORE_NEAR.search(text[max(left, start - 40):start]):
        return True
    return _AFTER.search(text[end:min(right, end + _AFTER_WINDOW)]) is not None
