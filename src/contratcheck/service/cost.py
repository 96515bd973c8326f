"""What downtime may cost under an offer, from its key figures and stated assumptions.

Pure arithmetic, every amount with the French sentence that shows how it was computed:
- one critical incident: hours of the firm critical GTR (else the shortest firm GTR, else an
  assumed duration) × the hourly cost of downtime;
- the downtime the availability commitment allows: (100 − rate) % × 8 760 h × the hourly cost;
- the yearly price: monthly price × 12;
- the yearly total: yearly price + incidents a year × one critical incident.
"""

from __future__ import annotations

from dataclasses import dataclass

from contratcheck.engine.figures import HOURS_PER_YEAR
from contratcheck.model import KeyFigure
from contratcheck.text.wording import french_number

CRITICAL = "critique"


@dataclass(frozen=True, slots=True)
class Assumptions:
    """What the computation takes for granted; every one is printed next to the results."""

    hourly: float  # what one hour of downtime costs the buyer, in euros
    hours_without_gtr: float = 24.0  # length of a critical incident when no firm GTR is stated
    incidents_per_year: float = 1.0  # critical incidents counted in the yearly total


@dataclass(frozen=True, slots=True)
class Amount:
    """Euros and how they were computed; `euros` is None when the contract gives nothing to compute."""

    euros: float | None
    how: str  # "4 h (GTR critique : quatre (4) heures) × 300 €/h = 1 200 €"
    assumed: bool = False  # rests on an assumption instead of a figure of the contract


@dataclass(frozen=True, slots=True)
class OfferCost:
    incident: Amount  # one critical incident, worst case the contract allows
    downtime: Amount  # downtime the availability commitment allows in a year
    price: Amount  # yearly price
    total: Amount  # yearly price + yearly risk of critical incidents


def euros(amount: float) -> str:
    return f"{french_number(round(amount, 2))} €"


def hours(amount: float) -> str:
    return f"{french_number(amount)} h"


def offer_cost(figures: tuple[KeyFigure, ...], assumptions: Assumptions) -> OfferCost:
    by_id = {figure.id: figure for figure in figures}
    incident = incident_cost(by_id.get("gtr"), assumptions)
    price = yearly_price(by_id.get("prix-mensuel"))
    return OfferCost(incident, allowed_downtime(by_id.get("disponibilite"), assumptions.hourly), price,
                     yearly_total(price, incident, assumptions.incidents_per_year))


def incident_cost(gtr: KeyFigure | None, assumptions: Assumptions) -> Amount:
    """The firm critical GTR, else the shortest firm GTR; a hedged GTR counts as none."""
    # (duration, value) pairs, so that the duration is known to be a number
    firm = [(v.amount, v) for v in gtr.values if v.amount is not None and v.caveat is None] if gtr else []
    chosen = (next((pair for pair in firm if pair[1].level == CRITICAL), None)
              or min(firm, key=lambda pair: pair[0], default=None))
    rate = f"{euros(assumptions.hourly)}/h"
    if chosen is None:
        cost = assumptions.hours_without_gtr * assumptions.hourly
        return Amount(cost, f"aucune GTR ferme : hypothèse de {hours(assumptions.hours_without_gtr)} d'arrêt"
                            f" × {rate} = {euros(cost)}", assumed=True)
    duration, value = chosen
    level = f" {value.level}" if value.level else ""
    cost = duration * assumptions.hourly
    return Amount(cost, f"{hours(duration)} (GTR{level} : {value.text}) × {rate} = {euros(cost)}")


def allowed_downtime(availability: KeyFigure | None, hourly: float) -> Amount:
    rate = availability.amount() if availability else None
    if rate is None or not 0 < rate <= 100:
        hedged = " ferme" if availability and availability.values else ""
        return Amount(None, f"non chiffrable : aucun engagement de disponibilité{hedged}")
    downtime = (100 - rate) / 100 * HOURS_PER_YEAR
    return Amount(downtime * hourly, f"(100 − {french_number(rate, 3)}) % × {french_number(HOURS_PER_YEAR)} h"
                                     f" = {hours(downtime)} × {euros(hourly)}/h = {euros(downtime * hourly)}")


def yearly_price(monthly: KeyFigure | None) -> Amount:
    amount = monthly.amount() if monthly else None
    if amount is None:
        return Amount(None, "prix mensuel non trouvé dans le contrat")
    return Amount(amount * 12, f"{euros(amount)} × 12 mois = {euros(amount * 12)}")


def yearly_total(price: Amount, incident: Amount, incidents_per_year: float) -> Amount:
    # incident_cost always computes an amount, falling back on the assumed duration without a firm GTR
    assert incident.euros is not None
    risk = incidents_per_year * incident.euros
    if price.euros is None:
        return Amount(None, f"non chiffrable : prix mensuel non trouvé (risque seul : {euros(risk)})", incident.assumed)
    assumed = " (hypothèse : pas de GTR ferme)" if incident.assumed else ""
    return Amount(price.euros + risk, f"{euros(price.euros)} + {french_number(incidents_per_year)} × "
                                      f"{euros(incident.euros)}{assumed} = {euros(price.euros + risk)}", incident.assumed)


def assumption_lines(assumptions: Assumptions) -> tuple[str, ...]:
    """The assumptions and the method, in French, to print with any result."""
    count = french_number(assumptions.incidents_per_year)
    return (
        f"Une heure d'arrêt vous coûte {euros(assumptions.hourly)} : c'est votre estimation (--cout-horaire"
        " ou la configuration), pas un chiffre du contrat.",
        f"Incident critique : il dure la GTR ferme du niveau critique (sinon la plus courte GTR ferme) ; sans GTR"
        f" ferme, hypothèse de {hours(assumptions.hours_without_gtr)} d'arrêt. Un délai seulement indicatif ne compte pas.",
        "Les heures sont comptées comme le contrat les écrit : une GTR de 4 heures ouvrées déclenchée un vendredi"
        " à 17 h peut ne finir que le lundi à 11 h, et l'arrêt réel être plus long.",
        f"Total annuel = prix annuel (prix mensuel × 12, hors frais hors forfait) + {count} incident(s) critique(s)"
        " par an (hypothèse) × le coût d'un incident.",
        f"Indisponibilité admise = (100 − taux de disponibilité) % × {french_number(HOURS_PER_YEAR)} h par an :"
        " c'est un autre regard sur le même risque, qui inclut déjà les incidents ; elle n'est pas ajoutée au total.",
        "Ce sont des ordres de grandeur pour comparer les offres entre elles, pas des montants certains.",
    )
