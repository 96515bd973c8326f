"""Where tokens start in a folded text, found for many prefix sets in one pass.

Lets a pattern whose matches all begin with known prefixes be tried only where a token begins with
one of them, instead of at every character (see engine/prefixes.py). A token starts at a
non-space character that does not follow a letter or digit.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain

import ahocorasick

# A token that is a letter or a digit starts after a character outside [a-z0-9]: matching that
# character, a class the regex engine skips to in C, is faster than a look-behind tried at every
# position; a token at the text's very start is counted apart (_head).
_BEFORE_WORD = re.compile(r"[^a-z0-9](?=[^\W_])")
_WORD_CHARACTER = re.compile(r"[^\W_]")
# Up to and including the character before the next token start, alphanumeric runs skipped in C.
_TO_NEXT_WORD = r"[a-z0-9]*+(?:[^a-z0-9](?![^\W_])[a-z0-9]*+)*+[^a-z0-9](?=[^\W_])"
_LOCAL_COUNT = 400  # below this many characters, counting word starts beats building their list
# Translation tables for spaced(): which characters stay, every other one becoming a space.
LETTERS = bytes(code if ord("a") <= code <= ord("z") else ord(" ") for code in range(256))
ALPHANUMERIC = bytes(code if chr(code) in "abcdefghijklmnopqrstuvwxyz0123456789" else ord(" ") for code in range(256))


@cache
def _more_than(count: int) -> re.Pattern[str]:
    """Matches where at least `count` token starts follow (one pass in C, no match objects)."""
    return re.compile(f"(?:{_TO_NEXT_WORD}){{{count}}}")


class PrefixScan:
    """The prefix sets of several patterns, merged into one Aho-Corasick automaton.

    One pass over a document then finds, for every set, the token starts it allows. The automaton
    (pyahocorasick, in C) reads each character once, where a merged regular expression would be
    tried afresh at every space of the contract.
    Sets may be added until the first search (a pack adds its patterns while it loads); adding one
    later rebuilds it.
    """

    def __init__(self, groups: Iterable[tuple[str, ...]] = (), table: bytes | None = None) -> None:
        self._groups: set[tuple[str, ...]] = set()
        self._table = table or ALPHANUMERIC  # what counts as part of a token (see spaced())
        self._automaton: ahocorasick.Automaton | None = None
        self._reach = 0  # length of the longest known prefix
        self._keys: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in groups:
            self.add(group)

    def add(self, prefixes: tuple[str, ...]) -> None:
        if prefixes not in self._groups:
            self._groups.add(prefixes)
            self._automaton = None

    def __contains__(self, prefixes: tuple[str, ...]) -> bool:
        return prefixes in self._groups

    def prepare(self) -> None:
        """Build the automaton now (as a pack loads) rather than in the middle of the first search."""
        if self._automaton is not None:
            return
        # A token starts with a non-space character: prefixes beginning with a space never apply.
        wanted = {group: tuple({spaced(p, self._table) for p in group if not p[0].isspace()})
                  for group in self._groups}
        known = sorted(set().union(*wanted.values()))
        self._keys = {group: _extensions(prefixes, known) for group, prefixes in wanted.items()}
        self._reach = max(map(len, known), default=0)
        automaton = ahocorasick.Automaton()
        for key in known or ["\0"]:  # (an automaton needs a key; no spaced text holds this one)
            automaton.add_word(" " + key, key)  # led by the space before the token
        automaton.make_automaton()
        self._automaton = automaton

    def search(self, text: str, start: int = 0, end: int | None = None) -> dict[str, list[int]]:
        """Token starts of `text` in [start, end) by the longest known prefix they begin with.

        The search runs on a copy where every character outside the table is a space, so that
        a token start is a space followed by a key; keys are compared in that form, which can only
        add token starts (a pattern tried there then fails), never lose one. The text's start and
        end count as spaces.
        """
        self.prepare()
        assert self._automaton is not None  # prepare() built it
        end = len(text) if end is None else end
        first = max(start - 1, 0)
        window = spaced(text[first:end + self._reach], self._table)  # a key is read whole past `end`
        if start == 0:
            window, first = " " + window, -1  # the text's first character is a token start too
        if end + self._reach >= len(text):
            window += " "
        # Keys are found by where they end, so those starting at one place come shortest first:
        # the last one kept for a start is its longest. `last` is a key's last index in `window`.
        longest = {first + last - len(key) + 1: key for last, key in self._automaton.iter(window)}
        found: dict[str, list[int]] = defaultdict(list)
        # Starts come in with their shortest key, so two with the same longest key come in order:
        # the later one's shortest key, a prefix of that longest key, is found at the earlier one too.
        for position, key in longest.items():
            if position < end:
                found[key].append(position)
        return found

    def keys(self, prefixes: tuple[str, ...]) -> tuple[str, ...]:
        """The found keys that mean a token start suits `prefixes` (their extensions included)."""
        self.prepare()
        return self._keys[prefixes]


def spaced(text: str, table: bytes = ALPHANUMERIC) -> str:
    """`text` with every character that `table` does not keep turned into a space, offsets kept
    (translated as latin-1 bytes, so that C does the whole text in one pass)."""
    return text.encode("latin-1", "replace").translate(table).decode("ascii")


def _extensions(prefixes: tuple[str, ...], known: list[str]) -> tuple[str, ...]:
    """The words of sorted `known` that begin with one of `prefixes`."""
    found = []
    for prefix in prefixes:
        index = bisect_left(known, prefix)
        while index < len(known) and known[index].startswith(prefix):
            found.append(known[index])
            index += 1
    return tuple(sorted(set(found)))


def matches_from(regex: re.Pattern[str], text: str, start: int, end: int | None = None,
                 reach: int | None = None) -> Iterator[re.Match[str]]:
    """finditer's matches that begin in [start, end), the same as in a scan of the whole text.

    Unlike finditer's `endpos`, the text after `end` stays visible: `reach` characters of it, as
    far as the pattern's longest match or look-ahead may read (all of it if None). Without that
    bound, a window with no match after it would be read to the end of the text.
    """
    stop = len(text) if end is None or reach is None else min(len(text), end + reach)
    for match in regex.finditer(text, start, stop):
        if end is not None and match.start() >= end:
            return
        yield match


class TokenIndex:
    """Token starts of a text, or of the window [start, end) of it (a match may run past `end`)."""

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.text, self.start, self.end = text, start, end
        self._scans: dict[PrefixScan, dict[str, list[int]]] = {}
        self._cache: dict[tuple[str, ...], list[int]] = {}
        self._word_starts: list[int] | None = None
        self._limits: dict[tuple[int, int], float] = {}

    @property
    def word_starts(self) -> list[int]:
        """Starts of alphanumeric tokens, found once on first use."""
        if self._word_starts is None:
            head = [0] if self._head(0, len(self.text)) else []
            self._word_starts = head + [m.end() for m in _BEFORE_WORD.finditer(self.text)]
        return self._word_starts

    def words_between(self, start: int, end: int) -> int:
        """Number of word starts in [start, end): counted in place for a short range."""
        if end - start < _LOCAL_COUNT and self._word_starts is None:
            return self._head(start, end) + len(_BEFORE_WORD.findall(self.text, max(start - 1, 0), end))
        starts = self.word_starts
        return bisect_left(starts, end) - bisect_left(starts, start)

    def at_most(self, start: int, end: int, words: int) -> bool:
        """words_between(start, end) <= words, reading no further than the word after the limit."""
        if self._word_starts is not None:
            return self.words_between(start, end) <= words
        return end <= self._limit(start, words)

    def _limit(self, start: int, words: int) -> float:
        """Where the (words + 1)-th token start from `start` lies (infinity if there are fewer), so
        that at most `words` token starts lie in [start, end) whenever end <= it. Kept: rules
        measure from the same few places again and again."""
        key = (start, words)
        if key not in self._limits:
            wanted = words + 1 - self._head(start, len(self.text))  # a token at the text's start counts too
            found = _more_than(wanted).match(self.text, max(start - 1, 0)) if wanted > 0 else None
            self._limits[key] = 0 if wanted <= 0 else found.end() if found else float("inf")
        return self._limits[key]

    def _head(self, start: int, end: int) -> int:
        """1 if [start, end) holds the text's first character and a token starts there."""
        return int(start == 0 < end and _WORD_CHARACTER.match(self.text) is not None)

    def positions(self, prefixes: tuple[str, ...], scan: PrefixScan | None = None) -> list[int]:
        """Sorted token starts whose text begins with one of `prefixes`; give the `scan` that holds
        them to share its single search with the other patterns it serves (any scan of this text
        already searched that holds them is used first)."""
        if prefixes not in self._cache:
            searched = next((done for done in self._scans if prefixes in done), None)
            scan = searched or (scan if scan is not None and prefixes in scan else PrefixScan([prefixes]))
            if scan not in self._scans:
                self._scans[scan] = scan.search(self.text, self.start, self.end)
            found = self._scans[scan]
            lists = [found[key] for key in scan.keys(prefixes) if key in found]
            self._cache[prefixes] = lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))
        return self._cache[prefixes]

    def find(self, regex: re.Pattern[str], starts: tuple[str, ...] | None,
             scan: PrefixScan | None = None) -> list[tuple[int, int]]:
        """Spans of the matches `matches` finds: what a rule's pattern leaf needs."""
        return [match.span() for match in self.matches(regex, starts, scan)]

    def matches(self, regex: re.Pattern[str], where: tuple[str, ...] | list[int] | None,
                scan: PrefixScan | None = None) -> list[re.Match[str]]:
        """Non-overlapping matches, like finditer, tried only at the token starts the prefixes in
        `where` allow (or at the positions it lists); None tries everywhere."""
        if where is None:
            return list(matches_from(regex, self.text, self.start, self.end))
        found, reached, match, text = [], -1, regex.match, self.text
        for position in (self.positions(where, scan) if isinstance(where, tuple) else where):
            if position >= reached and (hit := match(text, position)):
                found.append(hit)
                reached = max(hit.end(), position + 1)
        return found
