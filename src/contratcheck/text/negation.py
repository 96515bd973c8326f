"""French negation and exclusion around a match: "aucune sauvegarde", "le pare-feu n'est pas inclus"."""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate, count
from operator import add

from contratcheck.text.scan import LETTERS, PrefixScan, matches_from

# A negation only reaches across its own sub-clause: commas (not decimal ones), colons, semicolons,
# sentence ends, brackets, table cell separators and a few contrastive conjunctions stop it.
_STOP = re.compile(r"[.;:!?()\[\]|,](?!(?<=,)\d)")
# The same stops read without a match object for each (a table of contents is full of them): as
# bytes, stops become ".", commas ",", digits "0" (\d: any decimal digit) and all else a space; then a
# comma before a digit is no stop, and the lengths of the runs between stops give their positions.
_STOP_BYTES = bytes(ord("." if char in ".;:!?()[]|" else "," if char == "," else "0" if char.isdecimal() else " ")
                    for char in map(chr, range(256)))


def _stops_beyond_latin1(error: UnicodeError) -> tuple[str, int]:
    """What the stop table reads for characters latin-1 cannot encode: digits stay, others are spaces."""
    assert isinstance(error, UnicodeEncodeError)  # only registered for encoding
    return "".join("0" if char.isdecimal() else " " for char in error.object[error.start:error.end]), error.end


codecs.register_error("contratcheck-stops", _stops_beyond_latin1)
# A conjunction counts after a space, with the space. Each is searched as a literal, which the regex
# engine finds in C, instead of a pattern tried at every space of a contract.
_CONJUNCTIONS = tuple(re.compile(rf"{word}(?<=\s{word})\s{after}") for word, after in (
    ("mais", ""), ("toutefois", ""), ("cependant", ""), ("en revanche", ""),
    ("et", r"(?=(?:sont|est|seront|sera|restent|reste|demeurent|demeure)\s)"),  # "… et sont facturés"
))

# Cues that negate anything after them in the sub-clause: "aucune sauvegarde externalisée". Whole
# words end where a letter does not follow; "d'" and "ne saurait " end the cue themselves.
_BEFORE = re.compile(
    r"(?<![a-z])(?:(?:aucune?s?|aucunement|nullement|jamais|ni|exclu(?:e|s|es)?|exclusion|pas une?|(?:absence|pas) d(?:e|es|u)"
    r"|(?:ne|n')\s*[a-z']+(?:\s+[a-z']+){0,3}\s+(?:pas|plus|jamais|aucune?|nullement|aucunement|point))(?![a-z])"
    r"|(?:absence|pas) d'|ne\s+(?:saurai(?:en)?t|peu(?:ven)?t|pourr(?:a|ont)|doi(?:ven)?t)\s)"
)
# Prepositions only exclude what follows them closely: "hors sauvegarde", not "hors des agences, une facturation";
# "hors taxes" is a price, not an exclusion; "non" only the word right after it ("non externalisée"), not "un poste non couvert fera l'objet d'un devis".
_BEFORE_NEAR = re.compile(
    r"(?<![a-z])(?:(?:sans|hors(?!\s+(?:taxes?|tva|ht)(?![a-z]))|sauf(?!\s+(?:resiliation|denonciation|dispositions?|stipulations?|accord|avis|cas|mention|demande|indication))"
    r"|excepte|a l'exception d(?:u|e|es|')|a l'exclusion d(?:u|e|es|'))\W+(?:[a-z']+\W+){0,3}|non\W+)$"
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
_CUE_SCAN = PrefixScan([tuple(sorted(_BEFORE_CUES | _AFTER_CUES))], table=LETTERS)
_NEAR_CUE = re.compile("sans|hors|sauf|excepte|a l'exc|non")  # sought as they are, in the 40 characters


_CONJUNCTION_LENGTH = len(" en revanche ")  # the longest conjunction, with its spaces
_LOOKAHEAD = 32  # characters past a chunk that its last boundary's pattern may read ("et demeurent ")
_CHUNK = 2048  # characters read together, when a lookup first reaches them


class _Lazy:
    """Sorted positions of one or more kinds of things in a text, one list per kind, read chunk by
    chunk when a lookup first reaches them: the matches a pack checks for negation gather in a few
    parts of a contract, so most chunks are never read, and a lookup is then a bisection."""

    def __init__(self, read: Callable[[int, int], tuple[list[int], ...]], length: int, kinds: int = 1,
                 lead: int = 0) -> None:
        self._read = read  # read(first, last) -> sorted positions per kind, for things starting in [first, last)
        self._lead = lead  # how far before a position things it needs may start
        self._loaded = bytearray(length // _CHUNK + 1)
        self._kinds: tuple[list[int], ...] = tuple([] for _ in range(kinds))

    def need(self, low: int, high: int) -> tuple[int, int]:
        """Read the chunks that [low, high] touches, and those `lead` characters before; return the
        positions those chunks span."""
        first, last = max(low - self._lead, 0) // _CHUNK, high // _CHUNK + 1
        index = self._loaded.find(0, first, last)  # in C: most lookups stop here
        while index >= 0:
            self._loaded[index] = 1
            found = self._read(index * _CHUNK, (index + 1) * _CHUNK)
            for positions, more in zip(self._kinds, found):
                if more:  # a chunk's positions all lie between its neighbours'
                    at = bisect_left(positions, more[0])
                    positions[at:at] = more
            index = self._loaded.find(0, index + 1, last)
        return first * _CHUNK + self._lead, last * _CHUNK - 1

    def lists(self) -> tuple[list[int], ...]:
        """One sorted list per kind, of what the chunks read so far hold (kept up to date in place)."""
        return self._kinds

    def last(self, before: int, floor: int, kind: int = 0) -> int | None:
        """The last position in [floor, before)."""
        self.need(floor, before - 1)
        positions = self.lists()[kind]
        found = bisect_left(positions, before)
        return positions[found - 1] if found and positions[found - 1] >= floor else None

    def first(self, start: int, ceiling: int, kind: int = 0) -> int | None:
        """The first position in [start, ceiling]."""
        self.need(start, ceiling)
        positions = self.lists()[kind]
        found = bisect_left(positions, start)
        return positions[found] if found < len(positions) and positions[found] <= ceiling else None


class Boundaries:
    """Sub-clause boundaries and negation cues of a text, read as lookups need them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._stops = _Lazy(lambda first, last: (_read_stops(text, first, last),), len(text))
        self._cues = _Lazy(self._read_cues, len(text), kinds=2)
        # a conjunction ending in a chunk may start in the one before
        self._conjunctions = _Lazy(self._read_conjunctions, len(text), kinds=2, lead=_CONJUNCTION_LENGTH)

    def negated(self, spans: list[tuple[int, int]]) -> list[bool]:
        """Whether each match text[start:end] of `spans` is negated or excluded in its sub-clause.

        Most are cleared at once, in this loop: no negation cue lies as far as a sub-clause may
        reach. The others are checked again between the stops around them, which bound their
        sub-clause (conjunctions can only narrow it), and only then read in full.
        """
        found, covered = [], (0, -1)  # the cue chunks read span `covered`
        for start, end in spans:
            low, high = start - _REACH, end + _AFTER_WINDOW
            if low < covered[0] or high > covered[1]:
                covered = self._cues.need(low, high)
            found.append(self._cue_within(start, end, low, high) and self._within_stops(start, end)
                         and self._negated(start, end))
        return found

    def _cue_within(self, start: int, end: int, low: int, high: int) -> bool:
        """A negation cue lies in [low, start) before text[start:end], in [end, high) after it, or
        in the few characters before it; the cue chunks of [low, high] must be read."""
        before, after = self._cues.lists()
        i, j = bisect_left(before, low), bisect_left(after, end)
        return ((i < len(before) and before[i] < start) or (j < len(after) and after[j] < high)
                or _NEAR_CUE.search(self.text, max(low, start - _NEAR_WINDOW, 0), start) is not None)

    def _within_stops(self, start: int, end: int) -> bool:
        """A negation cue lies between the stops around text[start:end] (within the reach negated() read)."""
        stop = self._stops.last(start, start - _REACH - 1)
        low = max(0, start - _REACH) if stop is None else stop + 1
        stop = self._stops.first(end, end + _AFTER_WINDOW)
        return self._cue_within(start, end, low, end + _AFTER_WINDOW if stop is None else stop)

    def _negated(self, start: int, end: int) -> bool:
        text = self.text
        left, right = self.around(start, end)
        if _BEFORE.search(text, left, start) or _BEFORE_NEAR.search(text[max(left, start - _NEAR_WINDOW):start]):
            return True
        return _AFTER.search(text[end:min(right, end + _AFTER_WINDOW)]) is not None

    def _read_cues(self, first: int, last: int) -> tuple[list[int], list[int]]:
        """Positions in [first, last) of the cues before a match, and of those after one."""
        found = _CUE_SCAN.search(self.text, first, last)
        return (sorted(p for cue in _BEFORE_CUES for p in found.get(cue, ())),
                sorted(p for cue in _AFTER_CUES for p in found.get(cue, ())))

    def _read_conjunctions(self, first: int, last: int) -> tuple[list[int], list[int]]:
        """Starts and ends of the conjunctions starting in [first, last).

        They may overlap ("mais toutefois"): the first one wins, as in a left-to-right reading. So
        the chunk is read from a little before it, from a conjunction that nothing before it can
        overlap; the lead grows in the unlikely case of a longer chain.
        """
        lead = 64
        while True:
            low = max(0, first - lead)
            found = sorted((m.start() - 1, m.end()) for regex in _CONJUNCTIONS  # a match starts after its space
                           for m in matches_from(regex, self.text, low + 1, last + 1, reach=_LOOKAHEAD))
            kept, reached, furthest, settled = [], -1, -1, low == 0
            for start, end in found:
                # No conjunction is longer than _CONJUNCTION_LENGTH: one starting that far into the
                # lead and past the end of every one read before it overlaps none, so it is kept and
                # the reading is right from there on.
                settled = settled or (start >= low + _CONJUNCTION_LENGTH and start >= furthest)
                if start >= first and not settled:
                    break
                if start >= reached:
                    kept.append((start, end))
                    reached = end
                furthest = max(furthest, end)
            else:
                chunk = [(start, end) for start, end in kept if start >= first]
                return [start for start, _ in chunk], [end for _, end in chunk]
            lead *= 2

    def around(self, start: int, end: int, reach: int = _REACH) -> tuple[int, int]:
        """The sub-clause holding [start, end): from the last boundary ending before it to the first
        one starting after it, at most `reach` characters away."""
        left, right = max(0, start - reach), min(len(self.text), end + reach)
        if (stop := self._stops.last(start, left - 1)) is not None:  # a stop is one character long
            left = stop + 1
        if (stop := self._stops.first(end, right)) is not None:
            right = stop
        if (ending := self._conjunctions.last(start + 1, left, kind=1)) is not None:
            left = ending
        if (starting := self._conjunctions.first(end, right)) is not None:
            right = starting
        return left, right


def _read_stops(text: str, first: int, last: int) -> list[int]:
    """Positions of the stops (_STOP) in text[first:last]."""
    marks = text[first:last + 1].encode("latin-1", "contratcheck-stops").translate(_STOP_BYTES)  # + the next character
    runs = marks.replace(b",0", b" 0").replace(b",", b".").split(b".")
    found = list(map(add, accumulate(map(len, runs[:-1])), count(first)))  # run lengths + stops before
    if found and found[-1] >= last:
        found.pop()
    return found


def is_negated(text: str, start: int, end: int, bounds: Boundaries | None = None) -> bool:
    """True when the folded match text[start:end] is negated or excluded within its sub-clause.

    Give `bounds` when checking many matches of one text: it saves re-reading its boundaries.
    """
    return (bounds or Boundaries(text)).negated([(start, end)])[0]
