"""Writing a file so that a reader never sees half of it: the one atomic-write routine."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def atomic_write(path: Path, write: Callable[[IO], None], *, binary: bool = False) -> None:
    """Call write(stream) on a temporary file beside `path`, then rename it over `path`.

    An interrupted run, or two runs writing at once, leave either the old file or the new one.
    OSError goes to the caller, which knows what a failure costs (a report: an error; a cache: nothing).
    """
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
