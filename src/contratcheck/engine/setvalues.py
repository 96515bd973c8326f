"""A key figure stated differently by two pieces of a contract in several files.

Two pieces disagree on a figure (at one level) when both state firm values for it and no value of
one is a value of the other ("reconduction tacite" in the CCAP, "pas de tacite reconduction" in the
CCTP). The prevailing piece's values then come first, so that the sheet and the threshold rules
show and judge the value that applies; when the contract does not say which piece prevails, the
values keep the order of the pieces as given, and nothing is marked as prevailing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contratcheck.engine.precedence import PieceOrder
from contratcheck.model import FigureValue, Prevalence

UNSAID = "les pièces du contrat donnent des valeurs différentes et le contrat ne dit pas laquelle prévaut"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Pieces stating different values of one figure at one level."""

    level: str | None
    values: tuple[FigureValue, ...]  # each disagreeing piece's first firm value; the prevailing one first
    prevailing: str | None  # the piece whose value applies; None when the contract does not say
    order: PieceOrder

    def prevalence(self) -> Prevalence:
        if self.prevailing is None:
            return Prevalence(None, UNSAID)
        others = {v.evidence.path for v in self.values if v.evidence.path != self.prevailing}
        return Prevalence(self.prevailing, self.order.reason(self.prevailing, {p for p in others if p}),
                          self.order.clause)


def _key(value: FigureValue) -> object:
    return round(value.amount, 6) if value.amount is not None else value.rank if value.rank is not None else value.text


def arrange(values: list[FigureValue], order: PieceOrder | None,
            level: str | None) -> tuple[list[FigureValue], Conflict | None]:
    """The values of one level (in document order), the prevailing piece's first and marked, and
    the conflict between pieces if there is one; unchanged when the pieces agree."""
    if order is None:
        return values, None
    stated: dict[str, list[FigureValue]] = {}
    for value in values:
        if value.caveat is None and value.evidence.path is not None:
            stated.setdefault(value.evidence.path, []).append(value)
    keys = {piece: {_key(v) for v in found} for piece, found in stated.items()}
    disagreeing = {p for p in keys for q in keys if p != q and not keys[p] & keys[q]}
    if not disagreeing:
        return values, None
    winner = order.prevailing(disagreeing)
    ordered = [p for p in order.pieces if p in disagreeing]
    if winner is not None:
        ordered = [winner] + [p for p in sorted(ordered, key=lambda p: order.ranks[p]) if p != winner]
        values = _marked(values, winner, disagreeing)
        values = sorted(values, key=lambda v: v.evidence.path != winner)  # stable: the winner's first
    first = tuple(next(v for v in values if v.evidence.path == p and v.caveat is None) for p in ordered)
    return values, Conflict(level, first, winner, order)


def _marked(values: list[FigureValue], winner: str, disagreeing: set[str]) -> list[FigureValue]:
    """Each disagreeing piece's applying value (its first firm one) marked: the winner's True."""
    marked, seen = [], set()
    for value in values:
        piece = value.evidence.path
        if value.caveat is None and piece in disagreeing and piece not in seen:
            seen.add(piece)
            value = replace(value, prevails=piece == winner)
        marked.append(value)
    return marked
