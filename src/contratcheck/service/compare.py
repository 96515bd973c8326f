"""The comparison grid of several offers, computed once for every format: one column per offer;
rows for the key figures, the estimated cost of downtime, the audit's findings, then the points.

The best value of a row is the best firm one: lowest or highest amount as the figure says
(`better`), lowest rank for a choice (the pack lists the best answer first); for a figure tied to
priority levels, the critical level (else the first one stated) is compared. A hedged value or an
assumption never wins; several offers can share the best value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contratcheck.engine.ir import Figure
from contratcheck.model import FigureValue, KeyFigure, Severity, Status
from contratcheck.service.cost import Amount, Assumptions, assumption_lines, euros, offer_cost
from contratcheck.service.offers import Offer
from contratcheck.service.ranking import PLURALS, Cell, Row, Scoring, Standing, method, place_label, points_text, rank
from contratcheck.service.verdict import verdict
from contratcheck.text.wording import describe

UNSTATED = "non trouvé"
UNREAD = "non lu"
FLAGGED = (Severity.CRITIQUE, Severity.MAJEUR)


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    offers: tuple[Offer, ...]
    sections: tuple[Section, ...]
    ranking: tuple[Standing, ...]  # best first
    method: tuple[str, ...]  # how the points are counted
    assumptions: tuple[str, ...]  # of the cost rows; empty when no hourly cost was given
    notices: tuple[str, ...]  # files merged or set aside…


def compare(offers: tuple[Offer, ...], figures: tuple[Figure, ...], scoring: Scoring,
            assumptions: Assumptions | None = None, notices: tuple[str, ...] = ()) -> Comparison:
    sections = [Section("Chiffres clés", tuple(_figure_row(f, offers, scoring.weights.get(f.id, 0)) for f in figures))]
    if assumptions is not None:
        sections.append(Section("Coût estimé des pannes", _cost_rows(offers, assumptions, scoring.cost_weight)))
    sections.append(Section("Audit", _audit_rows(offers, scoring.penalties)))
    rows = [row for section in sections for row in section.rows]
    ranking = rank(offers, rows, scoring.penalties)
    sections.append(Section("Classement", (_points_row(offers, ranking),)))
    return Comparison(offers, tuple(sections), ranking, method(rows, scoring.penalties),
                      assumption_lines(assumptions) if assumptions else (), notices)


def _audited(offer: Offer) -> bool:
    return offer.result.status is Status.OK


def _best(keys: list[float | None]) -> list[bool]:
    """Which keys (lower is better) hold the best value; None never does, and a value every offer
    shares is nobody's advantage ("reconduction tacite : oui" everywhere is not highlighted)."""
    stated = [key for key in keys if key is not None]
    if len(stated) == len(keys) and len(set(stated)) == 1:
        return [False] * len(keys)
    return [key is not None and key == min(stated) for key in keys]


def _figure_row(figure: Figure, offers: tuple[Offer, ...], weight: float) -> Row:
    found = [{k.id: k for k in o.result.key_figures}.get(figure.id) if _audited(o) else None for o in offers]
    compared = [_compared(figure, k) for k in found]
    keys = [_key(figure, value) for value in compared]
    cells = tuple(Cell(_lines(key_figure, value) if _audited(offer) else (UNREAD,), best, key is not None)
                  for offer, key_figure, value, key, best in zip(offers, found, compared, keys, _best(keys)))
    return Row(figure.label, cells, weight)


def _compared(figure: Figure, found: KeyFigure | None) -> FigureValue | None:
    """The firm value the row compares: best choice, else the critical (or first) level's amount."""
    firm = [v for v in (found.values if found else ()) if v.caveat is None]
    if figure.choices:  # (rank, value) pairs, so that the rank is known to be a number
        ranked = [(v.rank, v) for v in firm if v.rank is not None]
        return min(ranked, key=lambda pair: pair[0])[1] if ranked else None
    level = figure.levels[0].label if figure.levels else None
    return next((v for v in firm if v.level == level), None) or next(iter(firm), None)


def _key(figure: Figure, value: FigureValue | None) -> float | None:
    if value is None:
        return None
    if figure.choices:
        return value.rank
    if figure.better is None or value.amount is None:
        return None
    return value.amount if figure.better == "lower" else -value.amount


def _lines(found: KeyFigure | None, value: FigureValue | None) -> tuple[str, ...]:
    """The compared value first, then the other values and the figure's note."""
    if found is None or not found.values:
        return (UNSTATED,)
    reason = found.prevailing.reason if found.prevailing else None  # pieces of the offer disagree
    if value is None or value.level is None:
        return tuple(line for line in (describe(found), found.note, reason) if line)
    others = tuple(v for v in found.values if v is not value)
    first = _described(found, (value,))
    return (first, *((_described(found, others),) if others else ()), *((reason,) if reason else ()))


def _described(found: KeyFigure, values: tuple[FigureValue, ...]) -> str:
    """The line describing `found` restricted to `values`, which is never empty here."""
    text = describe(replace(found, values=values))
    assert text is not None  # describe gives None only for a figure without values
    return text


def _cost_rows(offers: tuple[Offer, ...], assumptions: Assumptions, weight: float) -> tuple[Row, ...]:
    costs = [offer_cost(o.result.key_figures, assumptions) if _audited(o) else None for o in offers]
    return (
        _amount_row("Un arrêt critique (pire cas)", [c.incident if c else None for c in costs], assumed_wins=False),
        _amount_row("Arrêt admis par la disponibilité, par an", [c.downtime if c else None for c in costs]),
        _amount_row("Prix annuel", [c.price if c else None for c in costs]),
        _amount_row("Total annuel estimé (prix + risque)", [c.total if c else None for c in costs], weight=weight),
    )


def _amount_row(label: str, amounts: list[Amount | None], *, assumed_wins: bool = True, weight: float = 0.0) -> Row:
    counted = [a is not None and a.euros is not None and (assumed_wins or not a.assumed) for a in amounts]
    best = _best([a.euros if a is not None and ok else None for a, ok in zip(amounts, counted)])
    cells = tuple(Cell(_amount_lines(a), b, ok) for a, b, ok in zip(amounts, best, counted))
    return Row(label, cells, weight)


def _amount_lines(amount: Amount | None) -> tuple[str, ...]:
    if amount is None:
        return (UNREAD,)
    return (amount.how,) if amount.euros is None else (euros(amount.euros), amount.how)


def _audit_rows(offers: tuple[Offer, ...], penalties: dict[Severity, float]) -> tuple[Row, ...]:
    results = [o.result for o in offers]
    verdicts = tuple(Cell((verdict(r), *((r.error.message,) if r.error else ())), alert=r.status is not Status.OK)
                     for r in results)
    taken = [sum(penalties[f.severity] for f in r.findings) if r.status is Status.OK else None for r in results]
    counts = tuple(Cell(_counts(r.findings) if r.status is Status.OK else (UNREAD,), best)
                   for r, best in zip(results, _best(taken)))
    flags = tuple(Cell(tuple(f"{f.severity.value} : {f.title}" for s in FLAGGED for f in r.findings if f.severity is s)
                       or ("aucune" if r.status is Status.OK else UNREAD,), alert=True) for r in results)
    return Row("Verdict de l'audit", verdicts), Row("Points relevés", counts), Row("Alertes (critiques, majeures)", flags)


def _counts(findings) -> tuple[str, ...]:
    lines = []
    for severity in Severity:
        count = sum(f.severity is severity for f in findings)
        if count:
            lines.append(f"{count} {PLURALS[severity] if count > 1 else severity.value}")
    return tuple(lines) or ("aucun",)


def _points_row(offers: tuple[Offer, ...], ranking: tuple[Standing, ...]) -> Row:
    cells = {standing.offer: _points_cell(standing) for standing in ranking}  # rank() places every offer
    return Row("Points (détail sous la grille)", tuple(cells[index] for index in range(len(offers))))


def _points_cell(standing: Standing) -> Cell:
    if standing.points is None or standing.place is None:  # rank() leaves both None for an unread offer
        return Cell(("non classée",))
    return Cell((f"{points_text(standing.points)} points", place_label(standing.place)), standing.place == 1)
