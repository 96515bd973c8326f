"""Per-document caches shared by every rule and key figure: leaf hits, negation, values, words."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar

from contratcheck.model import Document
from contratcheck.text.fold import fold
from contratcheck.text.money import amounts
from contratcheck.text.negation import Boundaries
from contratcheck.text.scan import PrefixScan, TokenIndex
from contratcheck.text.values import Value, durations, percentages


class ScannedLeaf(Protocol):
    """What the context needs of a pattern leaf to find its matches (engine.matchers.Pattern)."""

    @property
    def regex(self) -> re.Pattern[str]: ...

    @property
    def prefixes(self) -> tuple[str, ...] | None: ...

    @property
    def scan(self) -> PrefixScan | None: ...


T = TypeVar("T")
_VALUE_READERS = {"duration": durations, "money": amounts, "percent": percentages}
LeafHits = tuple[list[int], list[int], list[tuple[int, int]]]
Hits = list[tuple[int, int]] | None  # None: no match; []: true without a located hit (e.g. `not`)



class Context:
    """Per-document caches shared by every rule: leaf hits, values, word positions."""

    def __init__(self, match_text: str, document: Document | None = None) -> None:
        self.text = match_text
        self.document = document  # for what lies outside a segment (its section heading)
        self._leaf_hits: dict[str, LeafHits] = {}
        self._by_leaf: dict[ScannedLeaf, LeafHits] = {}
        self._negated: dict[tuple[int, int], bool] = {}
        self._values: dict[tuple[str, int, int], list[Value]] = {}
        self.tokens = TokenIndex(match_text)
        self._boundaries: Boundaries | None = None
        self._memo: dict[Hashable, Any] = {}

    @classmethod
    def of(cls, document: Document) -> Context:
        return cls(document.match_text, document)

    def heading(self, offset: int) -> Context | None:
        """The folded heading of the section holding `offset`, as a context of its own."""
        if self.document is None:
            return None
        title = self.document.heading_at(offset)
        if not title:
            return None
        return self.memo(("heading", title), lambda: Context(fold(title)))

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A per-document value computed once (e.g. segment starts shared by every check)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def boundaries(self) -> Boundaries:
        if self._boundaries is None:
            self._boundaries = Boundaries(self.text)
        return self._boundaries

    def leaf_hits(self, leaf: ScannedLeaf) -> LeafHits:
        """The leaf's matches over the whole document, negated ones included: their starts, their
        ends (both ascending, as matches of one pattern never overlap) and their spans."""
        found = self._by_leaf.get(leaf)
        if found is None:
            key = leaf.regex.pattern  # a shared definition compiles once per rule file
            if key not in self._leaf_hits:
                spans = self.tokens.find(leaf.regex, leaf.prefixes, leaf.scan)
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
