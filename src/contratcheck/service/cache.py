"""Extracted text cached by file content hash, so a second run over unchanged files parses nothing.

One JSON file per content hash under the user cache folder; writes go through a temporary file and
an atomic rename, so concurrent runs never read half a file. A damaged entry is simply a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from contratcheck import __version__
from contratcheck.files import atomic_write
from contratcheck.model import Block, Extraction, Format

CACHE_VERSION = 16  # bump whenever extraction output changes for the same input


def cache_dir() -> Path:
    root = os.environ.get("CONTRATCHECK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    if not os.environ.get("CONTRATCHECK_CACHE_DIR"):
        base = base / "contratcheck"
    return base / f"extraction-{CACHE_VERSION}-{__version__}"


def ready_dir() -> Path:
    """The cache folder, made if need be. Making it removes the folders of earlier versions, which
    no run reads any more (each holds a copy of every contract's text)."""
    folder = cache_dir()
    if folder.is_dir():
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return folder  # a cache that cannot be written only costs speed
    for old in folder.parent.glob("extraction-*"):
        if old != folder and old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
    return folder


def memo_path() -> Path:
    """Where the loader keeps what parsing the rule packs' patterns taught (see text.scan)."""
    return ready_dir() / "analyse-motifs.marshal"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(key: str) -> Extraction | None:
    """The extraction kept under `key`, or None (a miss) when it is missing or does not check out:
    a damaged or edited entry only ever costs reading the file again."""
    try:
        payload = json.loads((cache_dir() / f"{key}.json").read_text("utf-8"))
        blocks = tuple(_block(item) for item in payload["blocks"])
        pages = payload["pages"]
        if pages is not None and not _count(pages):
            return None
        return Extraction(Format(payload["format"]), blocks, pages, _numbers(payload["unread_pages"]),
                          _numbers(payload["ocr_pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _numbers(values: object) -> tuple[int, ...]:
    if not isinstance(values, list) or not all(_count(v) for v in values):
        raise TypeError
    return tuple(values)


def _block(item: object) -> Block:
    """One kept block, every field of its own type (TypeError or ValueError otherwise)."""
    if not isinstance(item, list) or len(item) != 7:
        raise TypeError
    kind, text, cells, page, table, breaks, lines = item
    if kind not in ("heading", "paragraph", "row") or not isinstance(text, str):
        raise ValueError
    if not isinstance(cells, list) or not all(isinstance(cell, str) for cell in cells):
        raise TypeError
    if not (page is None or _count(page)) or not (table is None or _count(table)):
        raise TypeError
    if not isinstance(breaks, list) or not all(isinstance(b, list) and len(b) == 2 and all(map(_count, b)) for b in breaks):
        raise TypeError
    if not isinstance(lines, list) or not all(isinstance(p, list) and len(p) == 3 and all(map(_count, p)) for p in lines):
        raise TypeError
    return Block(kind, text, tuple(cells), page, table, tuple((b[0], b[1]) for b in breaks),
                 tuple((p[0], p[1], p[2]) for p in lines))


def store(key: str, extraction: Extraction) -> None:
    payload = {
        "format": extraction.format.value,
        "pages": extraction.pages,
        "unread_pages": list(extraction.unread_pages),
        "ocr_pages": list(extraction.ocr_pages),
        "blocks": [[b.kind, b.text, list(b.cells), b.page, b.table, [list(x) for x in b.breaks], [list(x) for x in b.lines]]
                   for b in extraction.blocks],
    }
    folder = ready_dir()
    try:
        atomic_write(folder / f"{key}.json", lambda stream: json.dump(payload, stream, ensure_ascii=False))
    except OSError:
        pass  # a cache that cannot be written only costs speed
