"""Plain text and Markdown: UTF-8 (Windows-1252 fallback), paragraphs, headings, pipe tables."""

from __future__ import annotations

import re

from contratcheck.extract.headings import is_heading, is_numbered_title, mostly_capitals
from contratcheck.extract.texttables import aligned_rows, bordered_rows, is_border, is_pipe_row, may_align, pipe_cells
from contratcheck.model import Block, Extraction, Format
from contratcheck.text.normalize import clean
from contratcheck.text.segment import starts_item

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


def extract_text(data: bytes, fmt: Format) -> Extraction:
    blocks: list[Block] = []
    paragraph: list[str] = []
    table = 0

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", clean(" ".join(paragraph))))
            paragraph.clear()

    def add_table(rows: list[list[str]]) -> None:
        nonlocal table
        table += 1
        blocks.extend(Block("row", "", tuple(clean(c) for c in row), table=table) for row in rows if any(row))

    lines = decode(data).splitlines()
    capitals = not mostly_capitals(lines)
    index = 0
    while index < len(lines):
        raw = lines[index]
        line = _MD_EMPHASIS.sub(r"\2", raw.strip())
        if not line:
            flush()
            index += 1
            continue
        end = _run(lines, index, lambda text: is_border(text) or is_pipe_row(text.strip()))
        if end > index and (is_border(line) or is_pipe_row(line)):
            flush()
            run = lines[index:end]
            if any(is_border(text) for text in run):
                add_table(bordered_rows(run))
            else:
                add_table([pipe_cells(text) for text in run if not _TABLE_SEPARATOR.match(text.strip())])
            index = end
            continue
        end = _run(lines, index, may_align)
        rows = aligned_rows([text.expandtabs(8) if "  " in text else text for text in lines[index:end]]) if end - index >= 2 else None
        if rows:
            flush()
            add_table(rows)
            index = end
            continue
        alone = not paragraph and (index + 1 == len(lines) or not lines[index + 1].strip())
        if _MD_HEADING.match(line) or is_heading(line, capitals) or alone and is_numbered_title(line):
            flush()
            blocks.append(Block("heading", clean(_MD_HEADING.sub("", line))))
        elif starts_item(paragraph[-1] if paragraph else "", line):
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
        index += 1
    flush()
    return Extraction(fmt, tuple(blocks))


def _run(lines: list[str], start: int, belongs) -> int:
    """The end of the run of non-blank lines from `start` that all belong to a table of one form."""
    end = start
    while end < len(lines) and lines[end].strip() and belongs(lines[end]):
        end += 1
    return end
