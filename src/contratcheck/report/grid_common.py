"""What every format of the comparison grid shares: the marker of best values, signed points, the
ranking lines and the notes printed under the grid."""

from __future__ import annotations

from contratcheck.service.compare import Comparison
from contratcheck.service.ranking import Reason, Standing, place_label, points_text, signed
from contratcheck.service.verdict import verdict

TITLE = "Comparaison des offres"
BEST = "★"
LEGEND = f"{BEST} ou en gras : la meilleure valeur de la ligne (valeur ferme ; ex aequo possibles)."


def standing_title(comparison: Comparison, standing: Standing) -> str:
    offer = comparison.offers[standing.offer]
    if standing.points is None or standing.place is None:  # rank() leaves both None for an unread offer
        return f"non classée — {offer.name} ({verdict(offer.result)})"
    return f"{place_label(standing.place)} — {offer.name} : {points_text(standing.points)} points"


def reason_line(reason: Reason) -> str:
    return f"{signed(reason.points)}  {reason.text}"


def notes(comparison: Comparison) -> list[tuple[str, tuple[str, ...]]]:
    """The titled paragraphs under the ranking; empty ones are left out."""
    parts = [("Comment les points sont comptés", comparison.method),
             ("Hypothèses du coût estimé", comparison.assumptions),
             ("Remarques", comparison.notices)]
    return [(title, lines) for title, lines in parts if lines]
