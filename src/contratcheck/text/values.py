"""Typed values found in folded French text: durations (digits or words, "J+1") and percentages."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from contratcheck.text.scan import PrefixScan, TokenIndex, matches_from, prefixes

HOURS_PER = {
    "seconde": 1 / 3600, "minute": 1 / 60, "heure": 1.0, "jour": 24.0, "semaine": 168.0,
    "mois": 730.5, "an": 8766.0,  # a month is a twelfth of a Julian year
}
BUSINESS_DAY = 8.0  # hours in "un jour ouvré": a delay counted in working days runs in working hours

_UNITS = {  # folded spelling -> canonical unit
    "seconde": r"secondes?|sec(?![a-z])",
    "minute": r"minutes?|mn|min(?![a-z])",
    "heure": r"heures?|hrs?(?![a-z])|h(?![a-z0-9])",
    "jour": r"journees?|jours?|j(?![a-z+])",
    "semaine": r"semaines?",
    "mois": r"mois",
    "an": r"ans|annees?|an(?![a-z])",
}

_WORDS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
}
_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
_NUMBER_WORDS = rf"(?:{_WORD})(?:(?:-|\s)(?:et(?:-|\s))?(?:{_WORD}))*"
_NUMBER = rf"(?P<digits>\d+(?:[.,]\d+)?)|(?P<words>(?<![a-z]){_NUMBER_WORDS}(?![a-z]))"
_UNIT = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _UNITS.items())
_BUSINESS = r"(?P<business>\s*(?:ouvre(?:e)?s?|ouvrables?|ho(?![a-z])))?"

_DURATION = re.compile(
    rf"(?:{_NUMBER})(?:\s*\(\s*(?P<paren>\d+(?:[.,]\d+)?)\s*\))?\s*(?:{_UNIT})(?P<half>\s+et\s+demie?)?{_BUSINESS}"
)
_SPECIAL = re.compile(
    r"(?<![a-z])(?:j\s*\+\s*(?P<jplus>\d+)|(?P<halfday>(?:une\s+)?demi-?\s?journees?)"
    r"|(?P<halfhour>(?:une\s+)?demi-?\s?heures?)|dans\s+l'(?P<withinhour>heure))" + _BUSINESS
)
# Times of day and coverage notations are not durations: 8h-18h, de 9h a 18h, 8h30, 24h/24, 7j/7,
# "de 8 heures a 18 heures", "de huit heures trente a dix-huit heures".
_HOUR = rf"(?:\d{{1,2}}|{_NUMBER_WORDS})\s*(?:h|heures?)?(?:\s*[0-5]\d|\s+(?:trente|quinze|quarante-cinq))?"
_NOT_DURATION = re.compile(
    r"\d{1,2}\s*h\s*\d{0,2}\s*(?:-|a|et|jusqu'a)\s*\d{1,2}\s*h|\d{1,2}\s*h\s?[0-5]\d(?![\d%]|\s*%)"
    r"|\d+\s*(?:h|j|heures?|jours?)\s*/\s*\d+|\d+\s*/\s*\d+"
    rf"|(?<![a-z])(?<!delai )(?<!delais )(?<!duree )(?<!temps )(?:de|entre)\s+{_HOUR}(?:\s+(?:a|et|jusqu'a)\s+|\s+-\s+|(?<=[\dh])\s*-\s*(?=\d)){_HOUR}\s*(?:h|heures)(?![a-z])"
)


def _known_starts(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """What every match of one of this module's fixed patterns begins with (always known for them)."""
    found = prefixes(pattern.pattern)
    assert found is not None, pattern.pattern
    return found


_DURATION_STARTS = _known_starts(_DURATION)
# Where a unit word begins: looked ahead of the character before it, so that the regex engine
# skips in C to non-letters instead of trying every position (the text's start is checked apart).
_UNIT_AHEAD = "(?=(?:" + "|".join(_UNITS.values()) + "))"
_UNIT_WORD, _UNIT_AT_START = re.compile("[^a-z]" + _UNIT_AHEAD), re.compile(_UNIT_AHEAD)
# What a unit word's look-ahead reads: the character before it, its longest spelling, one more.
_UNIT_LENGTH = 2 + max(len(word) for unit in _UNITS.values() for word in re.findall("[a-z]+", unit))
_SPECIAL_STARTS = _known_starts(_SPECIAL)
_NOT_DURATION_STARTS = _known_starts(_NOT_DURATION)
_SCAN = PrefixScan((_DURATION_STARTS, _SPECIAL_STARTS, _NOT_DURATION_STARTS))
_UNIT_REACH = 40  # characters from a number's start to its unit's: "48 (quarante-huit) heures"
_PERCENT = re.compile(r"(?P<num>\d+(?:[.,]\d+)?)\s*(?:%|pour\s*cent)")
# How far past a window a percentage beginning in it may run and still be kept: no look-around, so a
# shorter view of the text changes no match that ends inside the window.
_PERCENT_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Value:
    """A typed quantity: `amount` is in hours for durations and in percent for percentages."""

    kind: str  # "duration" | "percent"
    amount: float
    start: int
    end: int
    business: bool = False


def words_to_number(words: str) -> int | None:
    """French number words to an int ("quarante-huit" -> 48, "quatre-vingt-dix" -> 90)."""
    total, current = 0, 0
    for token in re.split(r"[\s-]+", words):
        if token == "et":
            continue
        value = _WORDS.get(token)
        if value is None:
            return None
        if value == 1000:
            total, current = total + max(current, 1) * 1000, 0
        elif value == 100:
            current = max(current, 1) * 100
        elif value == 20 and current % 100 == 4:  # quatre-vingt(s)
            current = current - 4 + 80
        else:
            current += value
    return total + current


def _number(match: re.Match[str]) -> float | None:
    if match.group("paren"):
        return float(match.group("paren").replace(",", "."))
    if match.group("digits"):
        return float(match.group("digits").replace(",", "."))
    number = words_to_number(match.group("words"))
    return float(number) if number is not None else None


def _with_unit(starts: list[int], units: list[int], reach: int = _UNIT_REACH) -> list[int]:
    """Number starts followed by a unit word within `reach` characters: only they can be durations
    ("un" and "deux" are everywhere in a contract; trying the full pattern at each is wasted)."""
    return [s for s in starts if (i := bisect_left(units, s)) < len(units) and units[i] - s <= reach]


def _unit_starts(text: str, start: int, end: int) -> list[int]:
    found = [m.end() for m in matches_from(_UNIT_WORD, text, max(start - 1, 0), end, reach=_UNIT_LENGTH)]
    return [0, *found] if start == 0 and _UNIT_AT_START.match(text) else found


def _excluded(text: str, tokens: TokenIndex) -> tuple[list[tuple[int, int]], list[int]]:
    """Spans that are times of day or coverage notations, in order, and their ends (they never overlap)."""
    spans = tokens.find(_NOT_DURATION, _NOT_DURATION_STARTS, _SCAN)
    return spans, [end for _, end in spans]


def _overlaps(excluded: tuple[list[tuple[int, int]], list[int]], start: int, end: int) -> bool:
    spans, ends = excluded
    index = bisect_right(ends, start)  # the first excluded span ending after `start`
    return index < len(spans) and spans[index][0] < end


def durations(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    """Every duration of folded `text` that begins in [start, end), in order of position.

    Reading only the sentences a rule asks about, not the whole contract, is what keeps this cheap:
    the rules of the default pack look for durations in a small part of a contract's text.
    """
    end = len(text) if end is None else end
    tokens = TokenIndex(text, start, end)
    excluded = _excluded(text, tokens)
    found: list[Value] = []
    units = _unit_starts(text, start, end + _UNIT_REACH)
    for match in tokens.matches(_DURATION, _with_unit(tokens.positions(_DURATION_STARTS, _SCAN), units)):
        if _overlaps(excluded, match.start(), match.end()):
            continue
        amount = _number(match)
        unit = next(name for name in _UNITS if match.group(name))
        if amount is None:
            continue
        if match.group("half"):
            amount += 0.5
        business = bool(match.group("business"))
        size = BUSINESS_DAY if business and unit == "jour" else HOURS_PER[unit]
        found.append(Value("duration", amount * size, *match.span(), business))
    for match in tokens.matches(_SPECIAL, _SPECIAL_STARTS, _SCAN):
        if match.group("jplus"):
            amount = float(match.group("jplus")) * 24
        elif match.group("halfday"):
            amount = 12.0
        elif match.group("halfhour"):
            amount = 0.5
        else:
            amount = 1.0
        found.append(Value("duration", amount, *match.span(), bool(match.group("business")) or bool(match.group("jplus"))))
    return sorted(found, key=lambda v: v.start)


def percentages(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    return [Value("percent", float(m.group("num").replace(",", ".")), *m.span())
            for m in matches_from(_PERCENT, text, start, end, reach=_PERCENT_LENGTH)]


def to_hours(amount: float, unit: str) -> float:
    """Convert a threshold written in a rule (`4` `heures`, `3` `mois`) to hours."""
    canonical = {"minutes": "minute", "heures": "heure", "jours": "jour", "semaines": "semaine",
                 "ans": "an", "annees": "an"}.get(unit, unit)
    if canonical not in HOURS_PER:
        raise ValueError(unit)
    return amount * HOURS_PER[canonical]


def describe_hours(hours: float) -> str:
    """A short French rendering of a duration in hours, for messages."""
    for unit, label in (("an", "an(s)"), ("mois", "mois"), ("jour", "jour(s)"), ("heure", "h")):
        size = HOURS_PER[unit]
        if hours >= size and (hours / size) == round(hours / size, 1):
            amount = round(hours / size, 1)
            return f"{amount:g} {label}"
    return f"{hours * 60:g} min" if hours < 1 else f"{hours:g} h"
