"""Authors' regular expressions made ready for folded text: compiled, inspected, checked for danger."""

from __future__ import annotations

import _sre as _regex_engine  # the C engine behind re, to hand it remembered code
import hashlib
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path

from contratcheck.text.scan._prefixes import DEPTH, prefixes
from contratcheck.text.fold import strip_accents

try:  # the regular-expression parser, to inspect a pattern's structure before trusting it
    import re._compiler as _sre_compiler
    import re._constants as _sre
    import re._parser as _sre_parser
except ImportError:  # pragma: no cover - Python < 3.11 is not supported anyway
    import sre_compile as _sre_compiler
    import sre_constants as _sre
    import sre_parse as _sre_parser


def compile_regex(source: str, memo: AnalysisMemo | None = None) -> re.Pattern[str]:
    """Author's regex → pattern on folded text: accents ignored, whole words, flexible spaces.

    The text is already lower case, so the pattern is lowered instead of compiled with IGNORECASE,
    which costs about 40 % of the matching time; escapes (\\D, \\W…) keep their case.
    """
    expression = memo.expression(source) if memo else folded_expression(source)
    return memo.compiled(expression) if memo else re.compile(expression)


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


def _code(expression: str) -> list:
    """What re.compile hands the regex engine for `expression` (see re._compiler.compile)."""
    tree = _sre_parser.parse(expression)
    indexgroup = [None] * tree.state.groups
    for name, index in tree.state.groupdict.items():
        indexgroup[index] = name
    code = [int(op) for op in _sre_compiler._code(tree, 0)]  # opcodes are int subclasses marshal refuses
    return [int(tree.state.flags), code, tree.state.groups - 1, dict(tree.state.groupdict), indexgroup]


def invalid(source: str) -> bool:
    try:
        re.compile(source)
    except re.error:
        return True
    return False


class AnalysisMemo:
    """What parsing a pattern tells (dangerous? which prefixes?) is kept on disk by pattern text:
    parsing costs about 40 ms for the default pack, a quarter of a one-contract audit's fixed cost.
    So are the pattern rewritten for folded text (`expression`, 30 ms) and the code Python's regex
    compiler makes of it (`compiled`, 45 ms).

    Stored with marshal, which reads the 600 kB of the default pack's entries five times faster than
    json (1.6 against 7.9 ms at every start). A run that adds entries keeps only those it used, so
    the entries of patterns changed since do not pile up.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, object] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None:
            try:
                entries = marshal.loads(path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                entries = None
            self.entries = entries if isinstance(entries, dict) else {}

    def analyse(self, source: str) -> tuple[bool, tuple[str, ...] | None, bool]:
        """(risky, prefixes, valid) for one author's pattern."""
        def analysis() -> list:
            tree = parsed(source)
            starts = start_prefixes(tree) if tree is not None else None
            return [catastrophic(tree), list(starts) if starts else None, tree is not None]

        risky, starts, valid = self.remember(f"analysis-{DEPTH}", source, analysis)  # prefixes depend on DEPTH
        return risky, tuple(starts) if starts else None, valid

    def expression(self, source: str) -> str:
        """folded_expression(source), which reads the pattern character by character in Python
        (~30 ms for the default pack), remembered by pattern text."""
        return self.remember("expression", source, lambda: folded_expression(source))

    def remember(self, kind: str, text: str, compute):
        """compute(), a value made of lists, strings and numbers that depends only on `text`, kept
        under `kind` and that text."""
        key = f"{kind}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        if key not in self.entries:
            self.entries[key] = compute()
            self.changed = True
        return self.entries[key]

    def compiled(self, expression: str) -> re.Pattern[str]:
        """re.compile(expression), without running Python's regex parser and code generator (pure
        Python, and slow on long alternations) when this interpreter already did: the code they make
        is kept, under the regex engine's version, and handed to the engine as re.compile would."""
        version = f"{_regex_engine.MAGIC} {sys.version} {expression}"
        flags, code, groups, groupindex, indexgroup = self.remember("code", version, lambda: _code(expression))
        try:
            return _regex_engine.compile(expression, flags, code, groups, groupindex, tuple(indexgroup))
        except Exception:  # noqa: BLE001 - a damaged memo only costs the usual compilation
            return re.compile(expression)

    def save(self) -> None:
        if not (self.changed and self.path):
            return
        try:
            data = marshal.dumps({key: value for key, value in self.entries.items() if key in self.used})
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            pass  # only speed is lost
