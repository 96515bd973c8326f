"""The ranking of a comparison: points anyone can recount, each with its reason in French.

For every scored row of the grid (a key figure, or the estimated yearly cost): its weight for the
best value of the row (ties included), half of it for another firm value, nothing when the offer
states none or only a hedged one. For every finding: minus the penalty of its severity.
"""

from __future__ import annotations

from dataclasses import dataclass

from contratcheck.engine.ir import Figure
from contratcheck.errors import ConfigError
from contratcheck.model import Severity, Status
from contratcheck.service.config import CompareSettings
from contratcheck.service.offers import Offer
from contratcheck.text.wording import french_number

DEFAULT_PENALTIES = {Severity.CRITIQUE: 3.0, Severity.MAJEUR: 1.0, Severity.MINEUR: 0.0, Severity.INFO: 0.0}
DEFAULT_COST_WEIGHT = 2.0
PLURALS = {Severity.CRITIQUE: "critiques", Severity.MAJEUR: "majeurs", Severity.MINEUR: "mineurs",
           Severity.INFO: "d'information"}


@dataclass(frozen=True, slots=True)
class Scoring:
    weights: dict[str, float]  # figure id -> weight of its row
    penalties: dict[Severity, float]  # points taken per finding of that severity
    cost_weight: float  # weight of the estimated yearly cost row


@dataclass(frozen=True, slots=True)
class Cell:
    lines: tuple[str, ...]
    best: bool = False  # the best value of its row
    firm: bool = False  # a value that counts: stated, firm, comparable
    alert: bool = False  # a red flag


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: tuple[Cell, ...]  # one per offer
    weight: float = 0.0  # 0: shown, not scored


@dataclass(frozen=True, slots=True)
class Reason:
    points: float
    text: str


@dataclass(frozen=True, slots=True)
class Standing:
    offer: int  # index in the comparison's offers
    place: int | None  # 1 for the first, shared by equal points; None: not ranked (unread)
    points: float | None
    reasons: tuple[Reason, ...]


def scoring(figures: tuple[Figure, ...], settings: CompareSettings) -> Scoring:
    """The pack's weights and the default penalties, overridden by the project's [compare] tables."""
    known = sorted(f.id for f in figures)
    unknown = sorted(set(settings.weights) - set(known))
    if unknown:
        raise ConfigError(f"chiffre clé inconnu « {unknown[0]} » dans [compare.poids] de la configuration"
                          f" (chiffres clés : {', '.join(known)}).")
    weights = {f.id: settings.weights.get(f.id, f.weight) for f in figures}
    penalties = {**DEFAULT_PENALTIES, **{Severity(k): v for k, v in settings.penalties.items()}}
    cost = DEFAULT_COST_WEIGHT if settings.cost_weight is None else settings.cost_weight
    return Scoring(weights, penalties, cost)


def rank(offers: tuple[Offer, ...], rows: list[Row], penalties: dict[Severity, float]) -> tuple[Standing, ...]:
    """Standings best first; equal points share a place; unread offers come last, unranked."""
    scored = [(index, *_points(index, offer, rows, penalties)) for index, offer in enumerate(offers)]
    scored.sort(key=lambda item: (item[1] is None, -(item[1] or 0)))
    standings, place, previous = [], 0, None
    for position, (index, points, reasons) in enumerate(scored, 1):
        if points != previous:
            place, previous = position, points
        standings.append(Standing(index, place if points is not None else None, points, reasons))
    return tuple(standings)


def _points(index: int, offer: Offer, rows: list[Row], penalties: dict[Severity, float]):
    if offer.result.status is not Status.OK:
        return None, ()
    reasons, missing = [], []
    for row in (r for r in rows if r.weight):
        cell = row.cells[index]
        if cell.best:
            reasons.append(Reason(row.weight, f"{row.label} : meilleure valeur ({cell.lines[0]})"))
        elif cell.firm:
            reasons.append(Reason(row.weight / 2, f"{row.label} : moins bien que la meilleure ({cell.lines[0]})"))
        else:
            missing.append(row.label)
    if missing:
        reasons.append(Reason(0, "non indiqué ou seulement indicatif : " + ", ".join(missing)))
    for severity, penalty in penalties.items():
        titles = [f.title for f in offer.result.findings if f.severity is severity]
        if titles and penalty:
            reasons.append(Reason(-penalty * len(titles), _penalty(severity, titles)))
    return sum(r.points for r in reasons), tuple(reasons)


def place_label(place: int) -> str:
    return "1er" if place == 1 else f"{place}e"


def points_text(points: float) -> str:
    """French number with a true minus sign: "17,5", "−16"."""
    return ("−" if points < 0 else "") + french_number(abs(points))


def signed(points: float) -> str:
    return ("+" if points > 0 else "") + points_text(points)


def _penalty(severity: Severity, titles: list[str]) -> str:
    count = f"{len(titles)} point{'s' if len(titles) > 1 else ''} {PLURALS[severity] if len(titles) > 1 else severity.value}"
    return f"{count} : {' ; '.join(titles)}" if severity is Severity.CRITIQUE else count


def method(rows: list[Row], penalties: dict[Severity, float]) -> tuple[str, ...]:
    """How the points are counted, in French, with the weights and penalties actually used."""
    weights = ", ".join(f"{row.label} {french_number(row.weight)}" for row in rows if row.weight)
    taken = ", ".join(f"{severity.value} {points_text(-points)}" for severity, points in penalties.items())
    return (
        "Pour chaque ligne notée : son poids si l'offre a la meilleure valeur de la ligne (ex aequo compris), la"
        " moitié si elle indique une autre valeur ferme, 0 si elle n'indique rien ou seulement une valeur indicative.",
        f"Poids ([compare.poids], et poids-cout pour le coût) : {weights or 'aucun'}.",
        f"Par point relevé par l'audit ([compare.penalites]) : {taken}.",
        "Le classement résume la grille ; lisez les lignes et les alertes avant de décider.",
    )
