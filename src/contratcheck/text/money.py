"""Amounts of money in folded French text: "1 180 € HT", "1.500,00 euros", "85 EUR"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contratcheck.text.scan import matches_from
from contratcheck.text.values import Value

# Thousands are grouped by a space, a dot or nothing; decimals follow a comma.
_AMOUNT = re.compile(
    r"(?<![\d.,])(?P<units>\d{1,3}(?:[ .]\d{3})+|\d+)(?:,(?P<cents>\d{1,2}))?\s*(?:€|euros?(?![a-z])|eur(?![a-z]))"
    r"(?P<tax>\s*(?:ht|ttc|hors taxes?|toutes taxes comprises)(?![a-z]))?"
)


_SIGNS = (re.compile("€"), re.compile(r"eur(?:os?)?(?![a-z])"))  # two literal scans: an alternation is much slower
_REACH = 24  # characters an amount can span before its currency sign: "1 500 000,00 "


def _signs(text: str, start: int, end: int) -> list[int]:
    found = [m.start() for m in _SIGNS[0].finditer(text, start, end)]
    found += [m.start() for m in matches_from(_SIGNS[1], text, start, end, reach=len("euros") + 1)
              if m.start() == 0 or not text[m.start() - 1].isalpha()]
    return sorted(found)


def _matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Amount matches, tried only just before a currency sign: a scan of the whole text would try
    the pattern at every position of a long tender."""
    seen = -1
    for sign in _signs(text, start, end):
        for match in _AMOUNT.finditer(text, max(seen, sign - _REACH), sign + 30):
            if match.start() > seen:
                seen = match.end()
                yield match


def amounts(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    """Amounts in euros of folded `text` whose currency sign lies in [start, end), in order;
    `business` marks a price stated before tax."""
    found = []
    for match in _matches(text, start, len(text) if end is None else end):
        units = re.sub(r"[ .]", "", match.group("units"))
        amount = float(units) + (float("0." + match.group("cents")) if match.group("cents") else 0.0)
        before_tax = (match.group("tax") or "").strip().startswith(("ht", "hors"))
        found.append(Value("money", amount, *match.span(), before_tax))
    return found
