"""Rule kinds: each module says which keys its checks take, how they compile and how they evaluate.

A kind module defines `DEFAULT_CLAUSES` (the parties and modes its checks read unless a rule says
otherwise), `KEYS` (keys it takes besides kind, scope, match and clauses), `compile(raw, ctx, line)`
(those keys, checked, as Check fields) and `evaluate(document, ctx, check)` (an Outcome, or None
when the check does not fire).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contratcheck.model import Evidence, Segment
from contratcheck.text.values import Value


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one check found: matching segments with the position of their first hit, the value
    judged (threshold) and evidence already quoted (a key figure's excerpt)."""

    segments: tuple[tuple[Segment, int | None], ...] = ()
    value: Value | None = None
    shown: str | None = None  # the value as the contract writes it, when no Value locates it
    evidence: tuple[Evidence, ...] = field(default=())


def kind(name: str):
    """The module of a kind; KeyError for an unknown one."""
    from contratcheck.engine.kinds import forbidden, required, threshold

    return {"required": required, "forbidden": forbidden, "threshold": threshold}[name]


NAMES = ("required", "forbidden", "threshold")
