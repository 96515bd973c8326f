"""French negation and exclusion around a match: "aucune sauvegarde", "le pare-feu n'est pas inclus"."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from contratcheck.text.tokens import LETTERS, matches_from, spaced, trie

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
_NEAR_WINDOW = 40
_REACH = 400  # characters a sub-clause may extend on either side of a match

# Words without which none of the patterns above can match, each where a word begins: sought once
# in a copy of the text where every character but a letter is a space (so "n " is "n'"). Most
# matches a pack checks have none within reach, and are cleared without finding their sub-clause.
_BEFORE_CUES = frozenset({"aucun", "nullement", "jamais", "ni ", "exclu", "absence d", "pas ", "plus ", "point ", "ne "})
_AFTER_CUES = frozenset({"ne ", "n ", "exclu", "non "})
_CUE = re.compile(f" (?=({trie(_BEFORE_CUES | _AFTER_CUES)}))")
_NEAR_CUES = ("sans", "hors", "sauf", "excepte", "a l'exc", "non")  # sought as they are, in the 40 characters


_CHUNK = 2048  # characters whose stops are read together, when a lookup first reaches them


class Boundaries:
    """Sub-clause boundaries of a text, read when a lookup first needs them; lookups are bisections.

    Stops are read chunk by chunk: the matches a pack checks for negation gather in a few parts of a
    contract (30 % of its 2,048-character chunks on the 29-page sample).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._stops: dict[int, list[int]] = {}  # chunk index -> stop positions in it
        self._conjunctions: tuple[list[int], list[int]] | None = None
        self._cues: tuple[list[int], list[int]] | None = None

    def may_negate(self, start: int, end: int) -> bool:
        """False when no negation cue lies where it could reach the match text[start:end]."""
        before, after = self._cues or self._read_cues()
        near = self.text[max(0, start - _NEAR_WINDOW):start]
        return (_any_in(before, start - _REACH, start) or _any_in(after, end, end + _AFTER_WINDOW)
                or any(cue in near for cue in _NEAR_CUES))

    def _read_cues(self) -> tuple[list[int], list[int]]:
        before, after = [], []
        for match in _CUE.finditer(" " + spaced(self.text, LETTERS) + " "):  # padded: the ends count as spaces
            cue, position = match.group(1), match.end() - 1
            if cue in _BEFORE_CUES:
                before.append(position)
            if cue in _AFTER_CUES:
                after.append(position)
        self._cues = (before, after)
        return self._cues

    def _chunk(self, index: int) -> list[int]:
        stops = self._stops.get(index)
        if stops is None:
            first = index * _CHUNK
            stops = self._stops[index] = [m.start() for m in matches_from(_STOP, self.text, first, first + _CHUNK)]
        return stops

    def _last_stop(self, before: int, floor: int) -> int | None:
        """The last stop at a position in [floor, before)."""
        floor = max(floor, 0)
        if before <= floor:
            return None
        for index in range((before - 1) // _CHUNK, floor // _CHUNK - 1, -1):
            stops = self._chunk(index)
            if (found := bisect_left(stops, before)) > 0:
                return stops[found - 1] if stops[found - 1] >= floor else None
        return None

    def _first_stop(self, start: int, ceiling: int) -> int | None:
        """The first stop at a position in [start, ceiling]."""
        for index in range(start // _CHUNK, ceiling // _CHUNK + 1):
            stops = self._chunk(index)
            if (found := bisect_left(stops, start)) < len(stops):
                return stops[found] if stops[found] <= ceiling else None
        return None

    def _read_conjunctions(self) -> tuple[list[int], list[int]]:
        # Conjunctions may overlap ("mais toutefois"): the first one wins, as in a left-to-right reading.
        # Stops never overlap them: a conjunction holds only letters and spaces.
        kept, reached = [], -1
        for start, end in sorted((m.start() - 1, m.end()) for regex in _CONJUNCTIONS for m in regex.finditer(self.text)):
            if start >= reached:
                kept.append((start, end))
                reached = end
        self._conjunctions = ([s for s, _ in kept], [e for _, e in kept])
        return self._conjunctions

    def around(self, start: int, end: int, reach: int = _REACH) -> tuple[int, int]:
        """The sub-clause holding [start, end): from the last boundary ending before it to the first
        one starting after it, at most `reach` characters away."""
        left, right = max(0, start - reach), min(len(self.text), end + reach)
        if (stop := self._last_stop(start, left - 1)) is not None:  # a stop is one character long
            left = stop + 1
        if (stop := self._first_stop(end, right)) is not None:
            right = stop
        starts, ends = self._conjunctions or self._read_conjunctions()
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
    bounds = bounds or Boundaries(text)
    if not bounds.may_negate(start, end):
        return False
    left, right = bounds.around(start, end)
    if _BEFORE.search(text, left, start) or _BEFORE_NEAR.search(text[max(left, start - _NEAR_WINDOW):start]):
        return True
    return _AFTER.search(text[end:min(right, end + _AFTER_WINDOW)]) is not None


def _any_in(positions: list[int], low: int, high: int) -> bool:
    index = bisect_left(positions, low)
    return index < len(positions) and positions[index] < high
