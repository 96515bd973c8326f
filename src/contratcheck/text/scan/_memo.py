"""What the loader learns about a pack's patterns, kept on disk between runs.

Parsing an author's pattern (is it dangerous? which prefixes?), rewriting it for folded text and
compiling it run in pure Python and dominate a short audit's start-up; so does building the YAML
of the pack. Their results depend only on the pattern or file text, so they are kept by that text.
The loader opens a memo for the time it loads a pack (`remembering`); the functions of this
package use it when one is open, and compute afresh otherwise (tests, --no-cache).
"""

from __future__ import annotations

import hashlib
import marshal
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from contratcheck.files import atomic_write
from contratcheck.text.scan import _code

_active: PatternMemo | None = None
_FORMAT = "contratcheck-memo/2"


def _read(path: Path) -> dict[str, Any]:
    """The entries kept at `path`; none when the file is missing, damaged or edited by hand (its
    digest no longer matches): a memo only ever costs a recomputation, never a wrong answer."""
    try:
        kept = marshal.loads(path.read_bytes())
        form, digest, entries = kept
        if form != _FORMAT or hashlib.sha256(entries).hexdigest() != digest:
            return {}
        found = marshal.loads(entries)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return found if isinstance(found, dict) and all(isinstance(key, str) for key in found) else {}


def _any(value: Any) -> bool:
    return True


def _analysis(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], bool) and isinstance(value[2], bool)
            and (value[1] is None or isinstance(value[1], list) and all(isinstance(p, str) and p for p in value[1])))


def _code_shape(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 5 and isinstance(value[0], int) and isinstance(value[2], int)
            and isinstance(value[1], list) and all(isinstance(op, int) for op in value[1])
            and isinstance(value[3], dict) and isinstance(value[4], list))


_SHAPES: dict[str, Callable[[Any], bool]] = {"expression": lambda value: isinstance(value, str), "code": _code_shape,
                                             "analysis": _analysis}


class PatternMemo:
    """Values made of lists, strings and numbers, stored with marshal by kind and text.

    A run that adds entries keeps only those it used, so the entries of patterns changed since do
    not pile up.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None:
            self.entries = _read(path)

    def remember(self, kind: str, text: str, compute: Callable[[], Any]) -> Any:
        """compute(), kept under `kind` and `text`; it must depend on nothing else. A kept value
        of the wrong shape is computed again."""
        key = f"{kind}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        if key not in self.entries or not _SHAPES.get(kind.partition("-")[0], _any)(self.entries[key]):
            self.entries[key] = compute()
            self.changed = True
        return self.entries[key]

    def compiled(self, expression: str) -> re.Pattern[str]:
        """re.compile(expression), from the regex engine's code this interpreter made for it
        before, when that shortcut is safe here (see _code)."""
        if not _code.usable():
            return re.compile(expression)
        key = f"{_code.interpreter()} {expression}"
        return _code.rebuild(expression, self.remember("code", key, lambda: _code.generate(expression)))

    def save(self) -> None:
        if not (self.changed and self.path):
            return
        kept = {key: value for key, value in self.entries.items() if key in self.used}
        try:
            entries = marshal.dumps(kept)
            data = marshal.dumps((_FORMAT, hashlib.sha256(entries).hexdigest(), entries))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, lambda stream: stream.write(data), binary=True)
        except (OSError, ValueError):
            pass  # only speed is lost


@contextmanager
def remembering(path: Path | None) -> Iterator[None]:
    """Use (and then save) the memo at `path` while the block runs; None: no memo at all."""
    global _active
    previous, _active = _active, PatternMemo(path) if path is not None else None
    try:
        yield
        if _active is not None:
            _active.save()
    finally:
        _active = previous


def remembered(kind: str, text: str, compute: Callable[[], Any]) -> Any:
    """compute(), from the open memo when there is one."""
    return _active.remember(kind, text, compute) if _active is not None else compute()


def compiled(expression: str) -> re.Pattern[str]:
    return _active.compiled(expression) if _active is not None else re.compile(expression)
