"""Cost of downtime: hand-checked amounts, and every assumption said."""

from __future__ import annotations

import pytest

from contratcheck.model import Evidence, FigureValue, KeyFigure
from contratcheck.service.cost import Assumptions, assumption_lines, offer_cost

NNBSP = "\u202f"  # French thousands separator
AT_300 = Assumptions(hourly=300)


def value(text, amount, level=None, caveat=None):
    return FigureValue(text, amount, level, Evidence(1, None, None, text, 0, len(text)), caveat)


def figure(figure_id, *values):
    return KeyFigure(figure_id, figure_id, values)


def test_the_article_example_holds():
    """800 € a month without GTR costs more than 1 200 € with a 4-hour guarantee, at 300 €/h."""
    cheap = offer_cost((figure("prix-mensuel", value("800 € HT", 800)),), AT_300)
    guaranteed = offer_cost((figure("prix-mensuel", value("1 200 € HT", 1200)),
                             figure("gtr", value("4 heures", 4, "critique"))), AT_300)
    assert cheap.price.euros == 9600 and cheap.incident.euros == 24 * 300 and cheap.total.euros == 16800
    assert guaranteed.price.euros == 14400 and guaranteed.incident.euros == 1200 and guaranteed.total.euros == 15600
    assert cheap.incident.assumed and not guaranteed.incident.assumed
    assert cheap.incident.how == f"aucune GTR ferme : hypothèse de 24 h d'arrêt × 300 €/h = 7{NNBSP}200 €"
    assert guaranteed.incident.how == f"4 h (GTR critique : 4 heures) × 300 €/h = 1{NNBSP}200 €"
    assert guaranteed.total.how == f"14{NNBSP}400 € + 1 × 1{NNBSP}200 € = 15{NNBSP}600 €"


@pytest.mark.parametrize(("rate", "shown", "downtime", "cost"), [
    (99.9, "99,9", "8,76 h", f"2{NNBSP}628 €"),
    (99.5, "99,5", "43,8 h", f"13{NNBSP}140 €"),
])
def test_downtime_allowed_by_availability(rate, shown, downtime, cost):
    result = offer_cost((figure("disponibilite", value(f"{shown} %", rate)),), AT_300)
    assert result.downtime.euros == pytest.approx(float(cost[:-2].replace(NNBSP, "")))
    assert result.downtime.how == f"(100 − {shown}) % × 8{NNBSP}760 h = {downtime} × 300 €/h = {cost}"


def test_critical_level_first_then_shortest_firm_gtr_and_hedged_counts_as_none():
    levels = figure("gtr", value("8 heures ouvrées", 8, "majeur"), value("quatre (4) heures", 4, "critique"))
    assert offer_cost((levels,), AT_300).incident.euros == 1200
    unlevelled = figure("gtr", value("3 jours ouvrés", 72, "mineur"), value("8 heures", 8, "majeur"))
    assert offer_cost((unlevelled,), AT_300).incident.euros == 2400
    hedged = figure("gtr", value("2 heures", 2, "critique", caveat="indicatif"))
    result = offer_cost((hedged,), Assumptions(hourly=100, hours_without_gtr=48, incidents_per_year=2))
    assert result.incident.assumed and result.incident.euros == 4800 and "hypothèse de 48 h" in result.incident.how


def test_missing_price_and_availability_are_said_not_guessed():
    result = offer_cost((figure("gtr", value("4 heures", 4)), figure("prix-mensuel"), figure("disponibilite")), AT_300)
    assert result.price.euros is None and result.price.how == "prix mensuel non trouvé dans le contrat"
    assert result.total.euros is None and result.total.how.startswith("non chiffrable")
    assert result.downtime.euros is None and result.downtime.how == "non chiffrable : aucun engagement de disponibilité"
    hedged = figure("disponibilite", value("99,9 %", 99.9, caveat="indicatif"))
    assert offer_cost((hedged,), AT_300).downtime.how.endswith("aucun engagement de disponibilité ferme")


def test_incidents_per_year_multiply_the_risk_and_every_assumption_is_printed():
    assumptions = Assumptions(hourly=150, hours_without_gtr=12, incidents_per_year=3)
    result = offer_cost((figure("prix-mensuel", value("500 €", 500)),), assumptions)
    assert result.total.euros == 6000 + 3 * 12 * 150
    lines = " ".join(assumption_lines(assumptions))
    for said in ("150 €", "hypothèse de 12 h", "3 incident(s) critique(s)", "heures ouvrées", "n'est pas ajoutée",
                 "pas des montants certains"):
        assert said in lines
