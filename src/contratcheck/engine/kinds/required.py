"""`required`: fires when no clause that counts states the topic (a missing GTR, no reversibility)."""

from __future__ import annotations

from contratcheck.engine.ir import Check
from contratcheck.engine.kinds import CheckOutcome
from contratcheck.engine.select import clause_of, continued, excluded, reach, tried
from contratcheck.model import Mode, Party

# A requirement is met only by a commitment in force binding the provider, or naming no party.
DEFAULT_CLAUSES = (frozenset({Party.PRESTATAIRE, Party.INCONNU}), frozenset({Mode.ENGAGEMENT}))
KEYS: frozenset[str] = frozenset()


def compile(raw: dict, ctx, line: int | None) -> dict:
    return {}


def evaluate(document, ctx, check: Check) -> CheckOutcome | None:
    return None if found(document, ctx, check) else CheckOutcome()


def found(document, ctx, check: Check) -> bool:
    """Whether a segment of the check's scope matches, in a clause that counts for it.

    Under a strict filter, a match in a clause that names no party is not enough once the topic is
    excluded somewhere ("pare-feu … exclus du présent marché"): only the provider's own words count.
    """
    clauses = check.clauses
    unnamed = False
    for segment in continued(document, ctx, clauses, tried(document, ctx, check.scope, check.match)):
        span = reach(document, ctx, clauses, segment)
        if span is None or not check.match.some_hit(ctx, span.start, span.end):
            continue
        if clauses is None or not clauses.strict:
            return True
        if clause_of(document, ctx, clauses, segment).binds is Party.PRESTATAIRE:
            return True
        unnamed = True
    return unnamed and clauses is not None and not excluded(document, ctx, clauses, check.scope, check.match)
