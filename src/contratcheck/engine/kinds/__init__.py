"""Rule kinds: each module says which keys its checks take, how they compile and how they evaluate.

A kind module defines `DEFAULT_CLAUSES` (the parties and modes its checks read unless a rule says
otherwise), `KEYS` (keys it takes besides kind, scope, match and clauses), `compile(raw, ctx, line)`
(those keys, checked, as Check fields) and `evaluate(document, ctx, check)` (a CheckOutcome, or None
when the check does not fire). A kind that reads key figures rather than segments (contradiction)
sets `MATCH = False`: its checks take no `match`, `scope` or `clauses`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from contratcheck.engine.ir import Kind
from contratcheck.model import Evidence, Segment
from contratcheck.text.values import Value


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What one check found: matching segments with the position of their first hit, the value
    judged (threshold) and evidence already quoted (a key figure's excerpt)."""

    segments: tuple[tuple[Segment, int | None], ...] = ()
    value: Value | None = None
    shown: str | None = None  # the value as the contract writes it, when no Value locates it
    evidence: tuple[Evidence, ...] = field(default=())


def kind(name: Kind) -> ModuleType:
    """The module that compiles and evaluates checks of kind `name`."""
    return import_module(f"contratcheck.engine.kinds.{Kind(name).value}")
