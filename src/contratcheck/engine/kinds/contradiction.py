"""`contradiction`: fires when two pieces of a contract in several files state different values of
the same key figure (renewal, notice, GTR…), and says which piece prevails, if the contract does.

`figures: [reconduction, preavis, gtr]` names the figures compared; the values compared are the
ones the sheet reads (engine.figures), piece by piece (engine.setvalues). A single document never
fires it.
"""

from __future__ import annotations

from contratcheck.engine.figures import conflicts_of
from contratcheck.engine.ir import Check, Figure
from contratcheck.engine.kinds import CheckOutcome
from contratcheck.engine.setvalues import UNSAID, Conflict
from contratcheck.model import Evidence, Mode, Party

DEFAULT_CLAUSES = (frozenset(Party), frozenset(Mode))  # unused: the figures read their own clauses
KEYS = frozenset({"figures"})
MATCH = False  # it reads key figures, not segments


def compile(raw: dict, ctx, line: int | None) -> dict:
    figures = raw.get("figures")
    if not isinstance(figures, list) or not figures or not all(isinstance(f, str) for f in figures):
        raise ctx.error("une règle contradiction a besoin de « figures » : une liste d'identifiants de chiffres clés.", line)
    return {"figures": tuple(dict.fromkeys(figures)), "precedence": ctx.precedence}


def evaluate(document, ctx, check: Check) -> CheckOutcome | None:
    found: list[tuple[Figure, Conflict]] = []
    for figure in check.figures:
        assert isinstance(figure, Figure)  # the loader resolved the ids
        found.extend((figure, conflict) for conflict in conflicts_of(document, ctx, figure))
    if not found:
        return None
    evidence: list[Evidence] = [value.evidence for _, conflict in found for value in conflict.values]
    clauses = [c.order.clause for _, c in found if c.prevailing and c.order.clause]
    evidence += clauses[:1]  # the clause that orders the pieces, quoted with its piece
    return CheckOutcome(shown=" ; ".join(_said(figure, conflict) for figure, conflict in found), evidence=tuple(evidence))


def _said(figure: Figure, conflict: Conflict) -> str:
    """"Reconduction tacite : « oui » (CCAP, ccap.pdf) contre « non » (CCTP, cctp.pdf) ; le CCAP … prévaut …"."""
    level = f" ({conflict.level})" if conflict.level else ""
    stated = " contre ".join(f"« {v.text} » ({conflict.order.name(v.evidence.path or '')})" for v in conflict.values)
    prevails = conflict.prevalence().reason if conflict.prevailing else UNSAID
    return f"{figure.label}{level} : {stated}, et {prevails}"
