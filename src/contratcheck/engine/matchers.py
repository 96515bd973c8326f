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

from contratcheck.text.fold import fold
from contratcheck.text.money import amounts
from contratcheck.text.negation import Boundaries
from contratcheck.text.scan import PrefixScan, TokenIndex
from contratcheck.text.values import Value, durations, percentages

ValueKind = Literal["duration", "percent", "money"]
Negation = Literal["skip", "any", "only"]  # negated matches do not count | count too | alone count
Order = Literal["any", "after"]  # the value or later children must follow the anchor
Basis = Literal["any", "business", "calendar"]  # "4 heures ouvrées" vs "4 heures"
_VALUE_READERS = {"duration": durations, "money": amounts, "percent": percentages}
LeafHits = tuple[list[int], list[int], list[tuple[int, int]]]
Hits = list[tuple[int, int]] | None  # None: no match; []: true without a located hit (e.g. `not`)

# Every node tells `leaves()`: positive leaves whose hits over the document locate the segments it
# may match (engine.select.candidates), and `located()`: those leaves, and whether they are complete,
# i.e. the node never matches a segment where none of them hits (false under a `not`).


class Context:
    """Per-document caches shared by every rule: leaf hits, values, word positions."""

    def __init__(self, match_text: str, document=None) -> None:
        self.text = match_text
        self.document = document  # model.Document, for what lies outside a segment (its section heading)
        self._leaf_hits: dict[str, LeafHits] = {}
        self._by_leaf: dict[Pattern, LeafHits] = {}
        self._negated: dict[tuple[int, int], bool] = {}
        self._values: dict[tuple[str, int, int], list[Value]] = {}
        self.tokens = TokenIndex(match_text)
        self._boundaries: Boundaries | None = None
        self._memo: dict[object, object] = {}

    @classmethod
    def of(cls, document) -> Context:
        return cls(document.match_text, document)

    def heading(self, offset: int) -> Context | None:
        """The folded heading of the section holding `offset`, as a context of its own."""
        if self.document is None:
            return None
        title = self.document.heading_at(offset)
        if not title:
            return None
        return self.memo(("heading", title), lambda: Context(fold(title)))

    def memo(self, key: object, compute):
        """A per-document value computed once (e.g. segment starts shared by every check)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def boundaries(self) -> Boundaries:
        if self._boundaries is None:
            self._boundaries = Boundaries(self.text)
        return self._boundaries

    def leaf_hits(self, leaf: Pattern) -> LeafHits:
        """The leaf's matches over the whole document, negated ones included: their starts, their
        ends (both ascending, as matches of one pattern never overlap) and their spans."""
        found = self._by_leaf.get(leaf)
        if found is None:
            key = leaf.regex.pattern  # a shared definition compiles once per rule file
            if key not in self._leaf_hits:
                spans = [m.span() for m in self.tokens.matches(leaf.regex, leaf.prefixes, leaf.scan)]
                self._leaf_hits[key] = ([s for s, _ in spans], [e for _, e in spans], spans)
            found = self._by_leaf[leaf] = self._leaf_hits[key]
        return found

    def counted(self, spans: list[tuple[int, int]], negation: str) -> list[tuple[int, int]]:
        """The spans a leaf counts: all of them (negation "any"), those not negated ("skip") or
        those negated ("only"). Negation is checked only for the matches rules reach (109 of 968
        on a 38-page CCAP), and kept: patterns sharing words check the same spans."""
        if negation == "any":
            return spans
        unknown = [span for span in spans if span not in self._negated]
        if unknown:
            self._negated.update(zip(unknown, self.boundaries.negated(unknown)))
        want = negation == "only"
        return [span for span in spans if self._negated[span] == want]

    def values(self, kind: str, start: int, end: int) -> list[Value]:
        """Values of `kind` lying in [start, end), read there only: rules ask for the values of a
        few candidate segments, a small part of the document."""
        key = (kind, start, end)
        if key not in self._values:
            found = _VALUE_READERS[kind](self.text, start, end)
            self._values[key] = [v for v in found if v.start >= start and v.end <= end]
        return self._values[key]

    def words_between(self, left_end: int, right_start: int) -> int:
        return self.tokens.words_between(left_end, right_start) if right_start > left_end else 0

    def within_words(self, left_end: int, right_start: int, words: int) -> bool:
        """At most `words` words lie between the two positions."""
        return right_start <= left_end or self.tokens.at_most(left_end, right_start, words)


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


def distance(ctx: Context, a: tuple[int, int], b: tuple[int, int]) -> int:
    """Number of words strictly between two spans (0 when they touch or overlap)."""
    first, second = (a, b) if a[0] <= b[0] else (b, a)
    return ctx.words_between(first[1], second[0])


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


def close(ctx: Context, hit: tuple[int, int], anchor: tuple[int, int], words: int, order: str) -> bool:
    """`hit` lies within `words` words of `anchor` (and after it when order is "after")."""
    if order == "after" and hit[0] < anchor[0]:
        return False
    first, second = (hit, anchor) if hit[0] <= anchor[0] else (anchor, hit)
    return ctx.within_words(first[1], second[0], words)


class _Anchors:
    """Spans a hit must come close to, sorted so that each hit is compared with two of them only.

    Words between spans grow with the distance, so the nearest anchor starting at or after the hit,
    and among those starting before it the one ending last, are the only ones worth measuring:
    if neither is within reach, none is (in a long clause, a hit used to be measured against
    every anchor of it).
    """

    def __init__(self, spans) -> None:
        self.spans = sorted(spans)
        self.starts = [a[0] for a in self.spans]
        self.latest: list[tuple[int, int]] = []  # latest[i]: the span ending last among spans[:i + 1]
        for span in self.spans:
            self.latest.append(span if not self.latest or span[1] > self.latest[-1][1] else self.latest[-1])

    def reach(self, ctx: Context, hit: tuple[int, int], words: int, order: str) -> bool:
        """Same as any(close(ctx, hit, a, words, order) for a in spans)."""
        index = bisect_left(self.starts, hit[0])
        if index < len(self.spans) and close(ctx, hit, self.spans[index], words, order):
            return True
        return index > 0 and close(ctx, hit, self.latest[index - 1], words, order)


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
        anchors = _Anchors(self.near.hits(ctx, start, end) or [])
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
        found, nearest = list(anchors), _Anchors(anchors)
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
        nearest = _Anchors(anchors)
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
