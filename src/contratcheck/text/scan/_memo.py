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
            try:
                entries = marshal.loads(path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                entries = None
            self.entries = entries if isinstance(entries, dict) else {}

    def remember(self, kind: str, text: str, compute: Callable[[], Any]) -> Any:
        """compute(), kept under `kind` and `text`; it must depend on nothing else."""
        key = f"{kind}:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        if key not in self.entries:
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
            data = marshal.dumps(kept)
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
