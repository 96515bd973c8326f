"""Extracted text cached by file content hash, so a second run over unchanged files parses nothing.

One JSON file per content hash under the user cache folder; writes go through a temporary file and
an atomic rename, so concurrent runs never read half a file. A damaged entry is simply a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from contratcheck import __version__
from contratcheck.files import atomic_write
from contratcheck.model import Block, Extraction, Format

CACHE_VERSION = 10  # bump whenever extraction output changes for the same input


def cache_dir() -> Path:
    root = os.environ.get("CONTRATCHECK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    if not os.environ.get("CONTRATCHECK_CACHE_DIR"):
        base = base / "contratcheck"
    return base / f"extraction-{CACHE_VERSION}-{__version__}"


def memo_path() -> Path:
    """Where the loader keeps what parsing the rule packs' patterns taught (see text.scan)."""
    return cache_dir() / "analyse-motifs.marshal"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(key: str) -> Extraction | None:
    try:
        payload = json.loads((cache_dir() / f"{key}.json").read_text("utf-8"))
        blocks = tuple(Block(kind, text, tuple(cells), page, table, tuple(map(tuple, breaks)))
                       for kind, text, cells, page, table, breaks in payload["blocks"])
        return Extraction(Format(payload["format"]), blocks, payload["pages"],
                          tuple(payload["unread_pages"]), tuple(payload["ocr_pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, extraction: Extraction) -> None:
    payload = {
        "format": extraction.format.value,
        "pages": extraction.pages,
        "unread_pages": list(extraction.unread_pages),
        "ocr_pages": list(extraction.ocr_pages),
        "blocks": [[b.kind, b.text, list(b.cells), b.page, b.table, [list(x) for x in b.breaks]] for b in extraction.blocks],
    }
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{key}.json", lambda stream: json.dump(payload, stream, ensure_ascii=False))
    except OSError:
        pass  # a cache that cannot be written only costs speed
