"""The matcher tree a rule's `match` compiles to, evaluated segment by segment.

Leaves (patterns, typed values) run once over the whole match text of a document and are cached;
a segment then only looks up the leaf hits that fall inside it, so the cost grows with text size
plus the number of hits, not with segments × patterns.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from contratcheck.engine.context import Context, Hits
from contratcheck.engine.nearness import Anchors, Order
from contratcheck.text.scan import PrefixScan
from contratcheck.text.values import Value

ValueKind = Literal["duration", "percent", "money"]
Negation = Literal["skip", "any", "only"]  # negated matches do not count | count too | alone count
Basis = Literal["any", "business", "calendar"]  # "4 heures ouvrées" vs "4 heures"
# Every node tells `leaves()`: positive leaves whose hits over the document locate the segments it
# may match (engine.select.candidates), and `located()`: those leaves, and whether they are complete,
# i.e. the node never matches a segment where none of them hits (false under a `not`).


class Matcher(Protocol):
    """A node of a rule's `match` tree (engine.matchers), evaluated on a span of the match text."""

    def hits(self, ctx: Context, start: int, end: int) -> Hits: ...

    def some_hit(self, ctx: Context, start: int, end: int,
                 keep: Callable[[tuple[int, int]], bool] | None = None) -> bool: ...

    def leaves(self) -> Iterator[Matcher]: ...

    def located(self) -> tuple[tuple[Matcher, ...], bool]: ...


def _one_child(children: tuple) -> tuple[tuple, bool]:
    """Leaves locating a node that needs all its children: one complete child's suffice, since a
    segment matching the node matches that child. Patterns are preferred to typed values, which
    cost a pass over the document; without a complete child, every child's leaves, as before."""
    parts = [child.located() for child in children]
    complete = [leaves for leaves, done in parts if done]
    if not complete:
        return tuple(leaf for leaves, _ in parts for leaf in leaves), False
    return min(complete, key=lambda leaves: any(isinstance(leaf, ValueLeaf) for leaf in leaves)), True


def _some_hit(node, ctx: Context, start: int, end: int, keep=None) -> bool:
    """Whether the node matches in [start, end) (hits not None) or, given `keep`, has a hit for
    which keep(hit) holds. Nodes override it to stop at the first such hit: an existence check
    (a `required` rule) then skips the negation checks of every other match."""
    hits = node.hits(ctx, start, end)
    return hits is not None if keep is None else any(map(keep, hits or ()))


@dataclass(frozen=True, eq=False)
class Pattern:
    regex: re.Pattern[str]
    source: str
    negation: Negation = "skip"
    prefixes: tuple[str, ...] | None = None  # what every match begins with, when known
    scan: PrefixScan | None = None  # shared with the other patterns of its pack: one search for all

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        return ctx.counted(self._within(ctx, start, end), self.negation) or None

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        # `keep` (nearness) first: unlike negation, it reads nothing but the hit's surroundings
        return any(self.counts(ctx, span) for span in self._within(ctx, start, end) if keep is None or keep(span))

    def _within(self, ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
        """The matches lying in [start, end), negated ones included."""
        starts, ends, spans = ctx.leaf_hits(self)
        return spans[bisect_left(starts, start):min(bisect_right(ends, end), bisect_left(starts, end))]

    def spans(self, ctx: Context) -> list[tuple[int, int]]:
        """Every match over the document: its hits, and the negated matches `counts` rules out."""
        return ctx.leaf_hits(self)[2]

    def counts(self, ctx: Context, span: tuple[int, int]) -> bool:
        return bool(ctx.counted([span], self.negation))

    def leaves(self):
        yield self

    def located(self) -> tuple[tuple, bool]:
        return (self,), True


@dataclass(frozen=True, eq=False)
class ValueLeaf:
    kind: ValueKind
    near: Matcher | None = None
    words: int = 12
    order: Order = "any"
    basis: Basis = "any"

    def values(self, ctx: Context, start: int, end: int) -> list[Value]:
        found = [v for v in ctx.values(self.kind, start, end)
                 if self.basis == "any" or v.business == (self.basis == "business")]
        if self.near is None or not found:
            return found
        anchors = Anchors(self.near.hits(ctx, start, end) or [])
        return [v for v in found if anchors.reach(ctx, (v.start, v.end), self.words, self.order)]

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        return [(v.start, v.end) for v in self.values(ctx, start, end)] or None

    some_hit = _some_hit

    def spans(self, ctx: Context) -> list[tuple[int, int]]:
        return self.hits(ctx, 0, len(ctx.text)) or []

    def counts(self, ctx: Context, span: tuple[int, int]) -> bool:
        return True

    def leaves(self):
        yield self

    def located(self) -> tuple[tuple, bool]:
        return (self,), True


@dataclass(frozen=True, eq=False)
class All:
    children: tuple[Matcher, ...] = ()

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        found: list[tuple[int, int]] = []
        for child in self.children:
            hits = child.hits(ctx, start, end)
            if hits is None:
                return None
            found.extend(hits)
        return found

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        if keep is not None:
            return _some_hit(self, ctx, start, end, keep)
        return all(child.some_hit(ctx, start, end) for child in self.children)

    def leaves(self):
        return iter(self.located()[0])

    def located(self) -> tuple[tuple, bool]:
        return _one_child(self.children)


@dataclass(frozen=True, eq=False)
class Any:
    children: tuple[Matcher, ...] = ()

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        found, matched = [], False
        for child in self.children:
            hits = child.hits(ctx, start, end)
            if hits is not None:
                matched = True
                found.extend(hits)
        return found if matched else None

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        return any(child.some_hit(ctx, start, end, keep) for child in self.children)

    def leaves(self):
        return iter(self.located()[0])

    def located(self) -> tuple[tuple, bool]:
        parts = [child.located() for child in self.children]
        return tuple(leaf for leaves, _ in parts for leaf in leaves), bool(parts) and all(done for _, done in parts)


@dataclass(frozen=True, eq=False)
class Not:
    child: Matcher = None  # type: ignore[assignment]

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        return None if self.child.some_hit(ctx, start, end) else []

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        return not self.child.some_hit(ctx, start, end) if keep is None else False  # a `not` has no hit

    def leaves(self):
        return iter(())  # a negative condition never makes a segment a candidate

    def located(self) -> tuple[tuple, bool]:
        return (), False


@dataclass(frozen=True, eq=False)
class Near:
    """Every child matches, and each child's hit lies within `words` words of the first child's."""

    children: tuple[Matcher, ...] = ()
    words: int = 10
    order: Order = "any"

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        anchors = self.children[0].hits(ctx, start, end)
        if not anchors:
            return None
        found, nearest = list(anchors), Anchors(anchors)
        for child in self.children[1:]:
            nearby = [h for h in child.hits(ctx, start, end) or [] if nearest.reach(ctx, h, self.words, self.order)]
            if not nearby:
                return None
            found.extend(nearby)
        return found

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        if keep is not None:
            return _some_hit(self, ctx, start, end, keep)
        anchors = self.children[0].hits(ctx, start, end)
        if not anchors:
            return False
        nearest = Anchors(anchors)
        return all(child.some_hit(ctx, start, end, lambda h: nearest.reach(ctx, h, self.words, self.order))
                   for child in self.children[1:])

    def leaves(self):
        return iter(self.located()[0])

    def located(self) -> tuple[tuple, bool]:
        return _one_child(self.children)


@dataclass(eq=False)
class Node:
    """A named definition from pack.yaml, kept as its own node so errors and docs can name it.

    Not frozen: the loader places the node before compiling its definition, so that a definition
    that refers to itself is found, then binds `child` once.
    """

    name: str
    child: Matcher = field(default=None)  # type: ignore[assignment]

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        return self.child.hits(ctx, start, end)

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        return self.child.some_hit(ctx, start, end, keep)

    def leaves(self):
        return self.child.leaves()

    def located(self) -> tuple[tuple, bool]:
        return self.child.located()


@dataclass(frozen=True, eq=False)
class Section:
    """True where the heading of the segment's section matches the child ("16.1 Résiliation")."""

    child: Matcher = None  # type: ignore[assignment]

    def hits(self, ctx: Context, start: int, end: int) -> Hits:
        heading = ctx.heading(start)
        return [] if heading is not None and self.child.some_hit(heading, 0, len(heading.text)) else None

    def some_hit(self, ctx: Context, start: int, end: int, keep=None) -> bool:
        return self.hits(ctx, start, end) is not None if keep is None else False  # no located hit

    def leaves(self):
        return iter(())  # a heading never makes a segment a candidate

    def located(self) -> tuple[tuple, bool]:
        return (), False
