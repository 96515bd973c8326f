"""`forbidden`: fires on each clause that counts and holds the wording (a hedged delay, extra fees)."""

from __future__ import annotations

from contratcheck.engine.ir import Check
from contratcheck.engine.kinds import CheckOutcome
from contratcheck.engine.select import candidates, reach
from contratcheck.model import NOT_TERMS, Mode, Party

# A wording counts wherever it binds, except where the text states no term (model.NOT_TERMS).
DEFAULT_CLAUSES = (frozenset(Party), frozenset(Mode) - NOT_TERMS)
KEYS: frozenset[str] = frozenset()


def compile(raw: dict, ctx, line: int | None) -> dict:
    return {}


def evaluate(document, ctx, check: Check) -> CheckOutcome | None:
    found = []
    for segment, _, hits in matching(document, ctx, check):
        found.append((segment, min((h[0] for h in hits), default=None)))
    return CheckOutcome(tuple(found)) if found else None


def matching(document, ctx, check: Check):
    """(segment, what is read of it, hits) for each segment whose readable part matches."""
    for segment in candidates(document, ctx, check.scope, check.match):
        span = reach(document, ctx, check.clauses, segment)
        if span is not None and (hits := check.match.hits(ctx, span.start, span.end)) is not None:
            yield segment, span, hits
