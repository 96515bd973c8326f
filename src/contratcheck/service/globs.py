"""Shell-style path globs with `**` (any number of folders), matched on POSIX paths."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        index += 1
    return re.compile("".join(out) + r"\Z")


def matches(path: str, pattern: str) -> bool:
    """True when `pattern` matches the whole path or, for a pattern without "/", its file name."""
    if _compile(pattern).match(path):
        return True
    return "/" not in pattern and bool(_compile(pattern).match(path.rsplit("/", 1)[-1]))
