"""Authors' regular expressions made ready for folded text: compiled, inspected, checked for danger."""

from __future__ import annotations

import re
from typing import NamedTuple

from contratcheck.text.fold import strip_accents
from contratcheck.text.scan._prefixes import prefixes

try:  # the regular-expression parser, to inspect a pattern's structure before trusting it
    import re._constants as _sre
    import re._parser as _sre_parser
except ImportError:  # pragma: no cover - Python < 3.11 is not supported anyway
    import sre_constants as _sre
    import sre_parse as _sre_parser


class Analysis(NamedTuple):
    """What an author's pattern is, before it is trusted: dangerous? which prefixes? valid?"""

    risky: bool
    prefixes: tuple[str, ...] | None
    valid: bool


def analysis(source: str) -> Analysis:
    tree = parsed(source)
    starts = start_prefixes(tree) if tree is not None else None
    return Analysis(catastrophic(tree), starts, tree is not None)


def folded_expression(source: str) -> str:
    return rf"(?<![a-z0-9])(?:{_flexible_spaces(_lower(strip_accents(source)))})(?![a-z0-9])"


def start_prefixes(tree) -> tuple[str, ...] | None:
    """What every match of the author's parsed regex begins with (spaces are single in the folded text)."""
    found = prefixes(tree)
    return None if found is None or any(p[0].isspace() for p in found) else found


def parsed(source: str):
    try:
        return _sre_parser.parse(_lower(strip_accents(source)))
    except re.error:
        return None


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


def _lower(pattern: str) -> str:
    """Lower case, except the letter of an escape (\\D, \\W… keep their meaning)."""
    def lowered(match: re.Match[str]) -> str:
        text = match.group()  # character by character: str.lower on a run treats a final sigma apart
        return text if text[0] == "\\" else "".join(map(str.lower, text))

    return _ESCAPE_OR_TEXT.sub(lowered, pattern)


def _flexible_spaces(pattern: str) -> str:
    """A literal space in a rule matches any run of whitespace (line breaks in PDFs included),
    except inside character classes and look-behinds, which must keep a fixed width."""
    out, in_class, escaped, groups = [], False, False, []
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            groups.append(pattern.startswith(("(?<=", "(?<!"), index))
        elif char == ")" and groups:
            groups.pop()
        elif char == " " and not any(groups):
            quantified = pattern[index + 1:index + 2] in ("?", "*", "+", "{")
            out.append(r"\s" if quantified else r"\s+")
            continue
        out.append(char)
    return "".join(out)


def catastrophic(tree) -> bool:
    """Nested unbounded repetition such as (\\w+\\s?)+ or (a*)*: with Python's backtracking engine such a
    pattern can take exponential time on text that almost matches, and hang a CI job."""
    return tree is not None and _nested(tree, inside=False)


def _nested(items, inside: bool) -> bool:
    for op, av in items:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, body = av
            unbounded = high == _sre.MAXREPEAT
            elements = list(body)
            edges = [elements[0], elements[-1]] if elements else []
            if inside and unbounded:
                return True
            if unbounded and any(e[0] in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and e[1][1] == _sre.MAXREPEAT
                                 or e[0] == _sre.SUBPATTERN and _nested(e[1][-1], inside=True) for e in edges):
                return True
            if _nested(body, inside=False):
                return True
        elif op == _sre.SUBPATTERN and _nested(av[-1], inside):
            return True
        elif op == _sre.BRANCH and any(_nested(branch, inside) for branch in av[1]):
            return True
    return False




def invalid(source: str) -> bool:
    try:
        re.compile(source)
    except re.error:
        return True
    return False
