"""The first characters any match of a pattern must begin with, read from the regex's structure.

Scanning a contract with dozens of alternations is slow in Python's regex engine, because it
tries every alternative at every position. A pattern whose matches all begin with known
prefixes ("pen", "gtr", "del"…) only needs trying where a word begins with one of them; the
document's word index gives those positions at once.
"""

from __future__ import annotations

try:
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _p

# Prefix length kept. Longer prefixes single out fewer tokens to try, so the default pack's rules
# try their patterns at far fewer places with 12 characters than with 6.
DEPTH = 12
MAX_PREFIXES = 300
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


class _Unknown(Exception):
    """The pattern can start with a character we cannot enumerate: no prefilter."""


def _chars(op, av) -> set[str]:
    """The characters one element can be; unknown (any, category, large class) disables the prefilter."""
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        out: set[str] = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                out.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < 12:
                out.update(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is _c.CATEGORY and value is _c.CATEGORY_DIGIT:
                out.update("0123456789")
            else:
                raise _Unknown
        return out
    raise _Unknown


def _concat(heads: set[str], tails: set[str], partial: set[str], depth: int) -> set[str]:
    """Join every head to every tail; strings that reach DEPTH stop growing (moved to `partial`)."""
    complete: set[str] = set()
    for head in heads:
        for tail in tails:
            joined = head + tail
            if len(joined) >= depth:
                partial.add(joined[:depth])
            else:
                complete.add(joined)
    return complete


def _starts(items, depth: int) -> tuple[set[str], set[str]]:
    """(complete, partial): strings that are a whole match of `items`, and prefixes after which
    the match goes on unpredictably. Every match begins with one of them."""
    complete: set[str] = {""}
    partial: set[str] = set()
    for op, av in items:
        if not complete:
            break
        if op in _ZERO_WIDTH:
            continue
        if op is _c.SUBPATTERN:
            whole, begun = _starts(av[-1], depth)
        elif op is _c.BRANCH:
            whole, begun = set(), set()
            for branch in av[1]:
                more_whole, more_begun = _starts(branch, depth)
                whole |= more_whole
                begun |= more_begun
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = av
            once_whole, once_begun = _starts(body, depth)
            if high == 1:
                whole, begun = once_whole | ({""} if low == 0 else set()), once_begun
            else:  # any number of passes: known up to the end of the first one only
                whole, begun = ({""} if low == 0 else set()), once_whole | once_begun
        else:
            try:
                whole, begun = _chars(op, av), set()
            except _Unknown:  # the prefix stops here; only an unknown first character defeats it
                whole, begun = set(), {""}
        partial |= {p[:depth] for p in _concat(complete, begun, partial, depth)}
        complete = _concat(complete, whole, partial, depth)
        if len(complete) + len(partial) > MAX_PREFIXES:
            raise _Unknown
    return complete, partial


def prefixes(pattern) -> tuple[str, ...] | None:
    """Sorted prefixes (1 to DEPTH characters) every match begins with, or None if unknown;
    `pattern` is a regex string or an already parsed one."""
    tree = _p.parse(pattern) if isinstance(pattern, str) else pattern
    for depth in (DEPTH, 6, 3):  # long prefixes filter best; fall back to short ones if they multiply
        try:
            complete, partial = _starts(tree, depth)
            break
        except _Unknown:
            continue
        except Exception:  # noqa: BLE001 - any surprise just disables the prefilter
            return None
    else:
        return None
    found = complete | partial
    if not found or "" in found:
        return None
    return tuple(sorted(found))
