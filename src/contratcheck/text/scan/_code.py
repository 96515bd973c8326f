"""The regex engine's code for an expression, kept so that a later run skips Python's regex
compiler (pure Python, and slow on the long alternations rule packs are made of).

This hands `_sre.compile` what `re.compile` would, which relies on CPython internals that change
between releases. So the code is kept under the interpreter's exact version and the engine's
MAGIC number, and the shortcut is taken only after a probe, run once per process, shows it gives
the same matches as `re.compile`; anything else falls back to `re.compile`.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from typing import Any

try:
    import _sre as _engine
    import re._compiler as _compiler
    import re._parser as _parser
except ImportError:  # pragma: no cover - another interpreter: no shortcut
    _engine = _compiler = _parser = None

_PROBE = r"(?<![a-z0-9])(?:(?P<n>\d+)\s+h(?:eures?)?|d[ée]lai\s(?:de\s)?(?:prise|r[ée]tablissement))(?![a-z0-9])"
_PROBE_TEXTS = ("un délai de rétablissement de 4 heures", "sous 12 h, 3 heures et 45h", "aucun")


def interpreter() -> str:
    """What the code depends on: the exact interpreter and regex engine."""
    return f"{sys.implementation.cache_tag} {sys.version} {getattr(_engine, 'MAGIC', '')}"


def generate(expression: str) -> list[Any]:
    """What re.compile hands the regex engine for `expression` (see re._compiler.compile)."""
    tree = _parser.parse(expression)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, index in tree.state.groupdict.items():
        indexgroup[index] = name
    code = [int(op) for op in _compiler._code(tree, 0)]  # opcodes are int subclasses marshal refuses
    return [int(tree.state.flags), code, tree.state.groups - 1, dict(tree.state.groupdict), indexgroup]


def _assemble(expression: str, code: list[Any]) -> re.Pattern[str]:
    flags, opcodes, groups, groupindex, indexgroup = code
    return _engine.compile(expression, flags, opcodes, groups, groupindex, tuple(indexgroup))


def rebuild(expression: str, code: list[Any]) -> re.Pattern[str]:
    try:
        return _assemble(expression, code)
    except Exception:  # noqa: BLE001 - damaged or foreign code only costs the usual compilation
        return re.compile(expression)


@cache
def usable() -> bool:
    """Whether rebuilt code behaves as re.compile's on this interpreter (checked once)."""
    if sys.implementation.name != "cpython" or _engine is None or not hasattr(_compiler, "_code"):
        return False
    try:
        rebuilt, reference = _assemble(_PROBE, generate(_PROBE)), re.compile(_PROBE)
    except Exception:  # noqa: BLE001 - internals moved: no shortcut
        return False
    return rebuilt.groupindex == reference.groupindex and all(
        [m.span("n") for m in rebuilt.finditer(text)] == [m.span("n") for m in reference.finditer(text)]
        and [m.span() for m in rebuilt.finditer(text)] == [m.span() for m in reference.finditer(text)]
        for text in _PROBE_TEXTS)
