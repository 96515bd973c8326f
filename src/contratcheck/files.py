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
    OSError goes to the caller, which knows what a failure costs (a report: an error; a cache: nothing).
    """
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        stream: IO[Any]
        with os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
