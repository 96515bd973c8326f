"""Shell-style path globs with `**` (any number of folders), matched on POSIX paths.

`*` is any text within one path component, `?` one character other than "/", `**/` any number of
whole folders (none included), `**` elsewhere any text; every other character stands for itself.

A glob is not translated into a regular expression: the `re` module backtracks, and a pattern of a
dozen stars (*a*a*a…b) would take hours on a path that almost matches. It is run as a
non-deterministic automaton whose set of live states is one integer (a bit per position in the
glob), one step per character of the path: time is linear in the path, whatever the pattern. The
steps already taken are kept, so a glob applied to many paths soon costs one dict look-up per
character.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

_STEPS_KEPT = 4096  # per glob; beyond, the table starts again (bounded memory for any pattern)


@dataclass(slots=True)
class _Glob:
    """The automaton of one glob. State i (bit i): the glob's first i items are matched."""

    literals: dict[str, tuple[int, int]] = field(default_factory=dict)  # char -> (advance, loop) masks
    other: tuple[int, int] = (0, 0)  # the masks of any character not written in the glob, nor "/"
    skip_one: int = 0  # states that may move on by one item without reading (a star matching nothing)
    skip_two: int = 0  # … by two items (an absent `**/` group)
    accept: int = 1
    start: int = 1
    steps: dict[tuple[int, str], int] = field(default_factory=dict)

    def close(self, states: int) -> int:
        """`states` with every state reachable from them without reading a character."""
        while True:
            wider = states | (states & self.skip_one) << 1 | (states & self.skip_two) << 2
            if wider == states:
                return states
            states = wider

    def step(self, states: int, char: str) -> int:
        advance, loop = self.literals.get(char, self.other)
        return self.close((states & advance) << 1 | (states & loop))

    def match(self, text: str) -> bool:
        states, steps = self.start, self.steps
        for char in text:
            after = steps.get((states, char))
            if after is None:
                if len(steps) >= _STEPS_KEPT:
                    steps.clear()
                after = steps[states, char] = self.step(states, char)
            if not after:
                return False
            states = after
        return bool(states & self.accept)


# Items of a glob: (kind, character). Their masks: what reading a character does from their state.
_LITERAL, _ONE, _STAR, _ANY, _GROUP_START, _GROUP_LOOP = range(6)


def _items(pattern: str) -> list[tuple[int, str]]:
    items, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):  # (any text ending in "/")? : a start, then a loop
            items += [(_GROUP_START, ""), (_GROUP_LOOP, "")]
            index += 3
        elif pattern.startswith("**", index):
            items.append((_ANY, ""))
            index += 2
        else:
            char = pattern[index]
            items.append((_STAR, "") if char == "*" else (_ONE, "") if char == "?" else (_LITERAL, char))
            index += 1
    return items


def _masks(items: list[tuple[int, str]], char: str | None) -> tuple[int, int]:
    """(advance, loop) for `char` (None: a character the glob does not write, other than "/")."""
    advance = loop = 0
    for position, (kind, literal) in enumerate(items):
        bit = 1 << position
        slash = char == "/"
        if (kind == _LITERAL and literal == char) or (kind == _ONE and not slash) or (kind == _GROUP_LOOP and slash):
            advance |= bit
        if (kind == _STAR and not slash) or kind in (_ANY, _GROUP_LOOP):
            loop |= bit
    return advance, loop


@lru_cache(maxsize=256)
def _compile(pattern: str) -> _Glob:
    items = _items(pattern)
    glob = _Glob(accept=1 << len(items))
    for position, (kind, _) in enumerate(items):
        if kind in (_STAR, _ANY, _GROUP_START):  # a group start also moves to its loop (".*" then "/")
            glob.skip_one |= 1 << position
        if kind == _GROUP_START:
            glob.skip_two |= 1 << position
    glob.literals = {char: _masks(items, char) for char in {literal for kind, literal in items if kind == _LITERAL} | {"/"}}
    glob.other = _masks(items, None)
    glob.start = glob.close(1)
    return glob


def matches(path: str, pattern: str) -> bool:
    """True when `pattern` matches the whole path or, for a pattern without "/", its file name."""
    glob = _compile(pattern)
    if glob.match(path):
        return True
    return "/" not in pattern and glob.match(path.rsplit("/", 1)[-1])


def places(path: Path | str) -> tuple[str, ...]:
    """The absolute POSIX forms of a path: `..` folded as written, and with links resolved."""
    return tuple(dict.fromkeys(Path(p).as_posix() for p in (os.path.abspath(path), os.path.realpath(path))))


def names_from(base: str | None, display: str, forms: tuple[str, ...]) -> list[str]:
    """The paths a configuration glob is matched on: the document's path relative to `base`, the
    folder of the file that declares the glob (as written, and with links resolved), so that the
    glob means the same files from any working folder; the path as reported when the document lies
    outside that folder, or when no file declared the glob. `forms` are the document's places()."""
    if base is None:
        return [display]
    bases = places(base)
    inside = [PurePath(p).relative_to(b).as_posix() for p in forms for b in bases if PurePath(p).is_relative_to(b)]
    return inside or [display]
