"""Where tokens start in a folded text, looked up by their first characters.

Lets a pattern whose matches all begin with known prefixes be tried only where a token begins with
one of them, instead of at every character (see engine/prefixes.py).
"""

from __future__ import annotations

import re
from collections import defaultdict

_TOKEN_START = re.compile(r"(?<![a-z0-9])\S")


class TokenIndex:
    def __init__(self, text: str) -> None:
        self.text = text
        self._by_three: dict[str, list[int]] | None = None
        self._cache: dict[tuple[str, ...], list[int]] = {}
        self._word_starts: list[int] = []

    def _index(self) -> dict[str, list[int]]:
        if self._by_three is None:
            index: dict[str, list[int]] = defaultdict(list)
            text = self.text
            starts = [m.start() for m in _TOKEN_START.finditer(text)]
            for start, key in zip(starts, [text[s:s + 3] for s in starts]):
                index[key].append(start)
            self._by_three = index
            self._word_starts = [s for s in starts if text[s].isalnum()]
        return self._by_three

    @property
    def word_starts(self) -> list[int]:
        """Starts of alphanumeric tokens, found in the same pass as the index."""
        self._index()
        return self._word_starts

    def positions(self, prefixes: tuple[str, ...]) -> list[int]:
        """Sorted token starts whose text begins with one of `prefixes`."""
        if prefixes not in self._cache:
            index, text = self._index(), self.text
            found: set[int] = set()
            for head in {prefix[:3] for prefix in prefixes}:
                if len(head) == 3:
                    found.update(index[head] if head in index else ())
                else:
                    for key, starts in index.items():
                        if key.startswith(head):
                            found.update(starts)
            self._cache[prefixes] = sorted(p for p in found if text.startswith(prefixes, p))
        return self._cache[prefixes]

    def matches(self, regex: re.Pattern[str], where: tuple[str, ...] | list[int] | None) -> list[re.Match[str]]:
        """Non-overlapping matches, like finditer, tried only at the token starts the prefixes in
        `where` allow (or at the positions it lists); None tries everywhere."""
        if where is None:
            return list(regex.finditer(self.text))
        found, reached, match, text = [], -1, regex.match, self.text
        for position in (self.positions(where) if isinstance(where, tuple) else where):
            if position >= reached and (hit := match(text, position)):
                found.append(hit)
                reached = max(hit.end(), position + 1)
        return found
