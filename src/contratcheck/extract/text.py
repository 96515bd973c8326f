"""Plain text and Markdown: UTF-8 (Windows-1252 fallback), paragraphs, headings, pipe tables."""

from __future__ import annotations

import re

from contratcheck.extract.headings import is_heading, mostly_capitals
from contratcheck.text.normalize import clean
from contratcheck.text.segment import starts_item
from contratcheck.model import Block, Extraction, Format

_TABLE_SEPARATOR = re.compile(r"^\|?[\s:|-]+\|[\s:|-]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Latin-1 reads them rather than failing.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _is_row(line: str) -> bool:
    return line.startswith("|") or line.count(" | ") >= 1 and line.count("|") >= 2


def extract_text(data: bytes, fmt: Format) -> Extraction:
    blocks: list[Block] = []
    paragraph: list[str] = []
    table = 0

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", clean(" ".join(paragraph))))
            paragraph.clear()

    previous_row = False
    lines = decode(data).splitlines()
    capitals = not mostly_capitals(lines)
    for raw in lines:
        line = _MD_EMPHASIS.sub(r"\2", raw.strip())
        if not line:
            flush()
            previous_row = False
            continue
        if _is_row(line):
            flush()
            if not _TABLE_SEPARATOR.match(line):
                table += 0 if previous_row else 1
                cells = tuple(clean(c) for c in line.strip().strip("|").split("|"))
                blocks.append(Block("row", "", cells, table=table))
            previous_row = True
            continue
        previous_row = False
        if _MD_HEADING.match(line) or is_heading(line, capitals):
            flush()
            blocks.append(Block("heading", clean(_MD_HEADING.sub("", line))))
        elif starts_item(paragraph[-1] if paragraph else "", line):
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
    flush()
    return Extraction(fmt, tuple(blocks))
