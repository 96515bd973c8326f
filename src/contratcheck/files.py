"""Writing a file so that a reader never sees half of it: the one atomic-write routine."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload


@overload
def atomic_write(path: Path, write: Callable[[TextIO], object], *, binary: Literal[False] = False) -> None: ...
@overload
def atomic_write(path: Path, write: Callable[[BinaryIO], object], *, binary: Literal[True]) -> None: ...


def atomic_write(path: Path, write: Callable[[Any], object], *, binary: bool = False) -> None:
    """Call write(stream) on a temporary file beside `path`, then rename it over `path`.

    An interrupted run, or two runs writing at once, leave either the old file or the new one.
    A link keeps pointing where it did: its target is replaced. A device or a pipe (/dev/null,
    /dev/stdout) is written into directly, never replaced by a file. The new file gets the mode
    an ordinary file would (the umask's), or the one of the file it replaces.
    OSError goes to the caller, which knows what a failure costs (a report: an error; a cache: nothing).
    """
    target = path.resolve() if path.is_symlink() else path
    stream: IO[Any]
    if target.exists() and not target.is_file():
        with open(target, "wb") if binary else open(target, "w", encoding="utf-8") as stream:
            write(stream)
        return
    directory = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8") as stream:
            write(stream)
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _mode(path: Path) -> int:
    """The permissions of the file being replaced, or those open() would give a new one."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
