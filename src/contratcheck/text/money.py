"""Amounts of money in folded French text: "1 180 € HT", "1.500,00 euros", "85 EUR"."""

from __future__ import annotations

import re

from contratcheck.text.values import Value

# Thousands are grouped by a space, a dot or nothing; decimals follow a comma.
_AMOUNT = re.compile(
    r"(?<![\d.,])(?P<units>\d{1,3}(?:[ .]\d{3})+|\d+)(?:,(?P<cents>\d{1,2}))?\s*(?:€|euros?(?![a-z])|eur(?![a-z]))"
    r"(?P<tax>\s*(?:ht|ttc|hors taxes?|toutes taxes comprises)(?![a-z]))?"
)


def amounts(text: str) -> list[Value]:
    """Every amount in euros in folded `text`, in order; `business` marks a price stated before tax."""
    found = []
    for match in _AMOUNT.finditer(text):
        units = re.sub(r"[ .]", "", match.group("units"))
        amount = float(units) + (float("0." + match.group("cents")) if match.group("cents") else 0.0)
        before_tax = (match.group("tax") or "").strip().startswith(("ht", "hors"))
        found.append(Value("money", amount, *match.span(), before_tax))
    return found
