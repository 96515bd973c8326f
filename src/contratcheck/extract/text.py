"""Plain text and Markdown: UTF-8 (Windows-1252 fallback), paragraphs, headings, pipe tables.

Every block keeps the line and column each of its characters comes from (Block.lines): a reader
finds an excerpt of a text file by its line, whatever markup and blanks extraction dropped.
"""

from __future__ import annotations

import re

from contratcheck.extract.headings import is_dashed_title, is_heading, is_numbered_title, mostly_capitals
from contratcheck.extract.markup import plain, unmarked
from contratcheck.extract.texttables import aligned_rows, bordered_rows, is_border, is_pipe_row, may_align, pipe_cells
from contratcheck.model import Block, Extraction, Format
from contratcheck.text.segment import starts_item
from contratcheck.text.tracked import Tracked, joined

_TABLE_SEPARATOR = re.compile(r"^\|?[\s:|-]+\|[\s:|-]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# A line that only says where a page begins or ends (« ## Page 14 », « Page 26 sur 28 »): a page mark
# left by a conversion from PDF, not a title, so it must not hide the section the page continues.
# A Markdown title (« ## Page 4 ») names the page that begins; a bare « Page 26 sur 28 » is more
# often a footer, ending its page, and numbers nothing.
_PAGE_MARK = re.compile(r"^(?P<titled>#{1,6}\s+)?(?:page|p\.)\s*(?P<number>\d{1,4})(?:\s*(?:/|sur|of)\s*\d{1,4})?\s*$",
                        re.IGNORECASE)
# Only what editors count as a line end: a form feed or a line separator inside a line must not
# shift the line numbers evidence gives.
_LINE_END = re.compile(r"\r\n|\r|\n")


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


def source_lines(data: bytes) -> list[str]:
    """The file's lines as editors number them (from 1 in evidence)."""
    text = decode(data)
    lines = _LINE_END.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


class _Builder:
    """Blocks as the lines are read: the paragraph being gathered, tables numbered in order, and the
    page each line is on when the file marks its pages."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraph: list[tuple[Tracked, int | None]] = []
        self.table = 0
        self.page: int | None = None  # from the file's form feeds or page marks; None without any

    def add(self, line: Tracked) -> None:
        self.paragraph.append((line, self.page))

    def flush(self) -> None:
        if not self.paragraph:
            return
        text = joined(line for line, _ in self.paragraph)
        pages = [page for _, page in self.paragraph]
        breaks, offset = [], 0
        for (previous, _), page, before in zip(self.paragraph, pages[1:], pages):
            offset += len(previous.text) + 1  # joined's separator
            if page != before and page is not None:
                breaks.append((offset, page))
        self.blocks.append(Block("paragraph", text.text, page=self.paragraph[0][1], breaks=tuple(breaks),
                                 lines=text.points))
        self.paragraph.clear()

    def heading(self, line: Tracked) -> None:
        self.flush()
        self.blocks.append(Block("heading", line.text, page=self.page, lines=line.points))

    def turn_page(self, number: int | None) -> None:
        """A page begins: the one a page mark names, else the next one (a form feed)."""
        self.page = number if number is not None else (self.page or 1) + 1

    def add_table(self, lines: list[str], first: int, rows: list[tuple[int, list[str]]]) -> None:
        """`rows`: (index in `lines` of the row's first line, raw cells); `first`: the file line of lines[0]."""
        self.flush()
        self.table += 1
        for index, raw in rows:
            cells = tuple(plain(cell, markdown=True) for cell in raw)
            if any(cells):
                points = _cell_points(lines[index], first + index, cells)
                self.blocks.append(Block("row", "", cells, page=self.page, table=self.table, lines=points))


def extract_text(data: bytes, fmt: Format) -> Extraction:
    lines = source_lines(data)
    read = [unmarked(_without_form_feeds(Tracked.line(raw, number))) for number, raw in enumerate(lines, start=1)]
    capitals = not mostly_capitals(lines)
    built = _Builder()
    if any("\f" in line for line in lines):
        built.page = 1
    index = 0
    while index < len(lines):
        for _ in range(lines[index].count("\f")):  # pdftotext ends each page with a form feed
            built.turn_page(None)
        line = read[index].text
        mark = _PAGE_MARK.match(line)
        if mark:  # left out without ending the paragraph: a page mark may fall inside a sentence
            if mark.group("titled"):
                built.turn_page(int(mark.group("number")))
            index += 1
            continue
        if not line:
            built.flush()
            index += 1
            continue
        end = _table_end(lines, index)
        if end > index:
            run = lines[index:end]
            if any(is_border(text) for text in run):
                built.add_table(run, index + 1, bordered_rows(run))
            else:
                built.add_table(run, index + 1, [(i, pipe_cells(text)) for i, text in enumerate(run)
                                                 if not _TABLE_SEPARATOR.match(text.strip())])
            index = end
            continue
        end = _run(lines, index, may_align)
        rows = aligned_rows([text.expandtabs(8) if "  " in text else text for text in lines[index:end]]) if end - index >= 2 else None
        if rows:
            built.add_table(lines[index:end], index + 1, rows)
            index = end
            continue
        _line(built, lines, read, index, capitals)
        index += 1
    built.flush()
    pages = [page for block in built.blocks for page in (block.page, *(page for _, page in block.breaks)) if page]
    return Extraction(fmt, tuple(built.blocks), max(pages, default=None))


def _without_form_feeds(line: Tracked) -> Tracked:
    """The line without the form feeds that end pages, so that « \f2 - Pièces » reads as a title."""
    if "\f" not in line.text:
        return line
    return line.edit((at, at + 1, "") for at, char in enumerate(line.text) if char == "\f")


def _table_end(lines: list[str], index: int) -> int:
    """The end of the pipe or bordered table starting at `index`, or `index` when none does."""
    end = _run(lines, index, lambda text: is_border(text) or is_pipe_row(text.strip()))
    first = lines[index].strip()
    return end if end > index and (is_border(first) or is_pipe_row(first)) else index


def _line(built: _Builder, lines: list[str], read: list[Tracked], index: int, capitals: bool) -> None:
    """One line of prose: a heading, the start of a list item, or more of the paragraph."""
    line = read[index]
    text = line.text
    alone = not built.paragraph and (index + 1 == len(lines) or not read[index + 1].text)
    marked = _MD_HEADING.match(lines[index].lstrip())
    if marked or is_heading(text, capitals) or alone and is_numbered_title(text) or _opens_section(built, text):
        hashes = _MD_HEADING.match(text) if marked else None
        built.heading(line.edit([(0, hashes.end(), "")]) if hashes else line)
    elif starts_item(built.paragraph[-1][0].text if built.paragraph else "", text):
        built.flush()
        built.add(line)
    else:
        built.add(line)


def _opens_section(built: _Builder, text: str) -> bool:
    """« 2 - Pièces contractuelles » after a blank line or a page break, unless it goes on a list
    (« Les pièces sont : » / « 1 - Le CCAP » / « 2 - Le CCTP »)."""
    if built.paragraph or not is_dashed_title(text):
        return False
    last = built.blocks[-1].text.rstrip() if built.blocks else ""
    return not (last.endswith(":") or is_dashed_title(last))


def _cell_points(line: str, number: int, cells: tuple[str, ...]) -> tuple[tuple[int, int, int], ...]:
    """Where each cell of a row starts in the row's text (" | "-joined) and in its source line: the
    cell's first characters looked for in the line, in order, past markup and padding ("**P1**")."""
    points, offset, cursor = [], 0, 0
    for cell in cells:
        found, size = _find(line, cell, cursor)
        if found >= 0:
            points.append((offset, number, found + 1))
            cursor = found + size
        offset += len(cell) + 3
    if not points or points[0][0]:
        points.insert(0, (0, number, len(line) - len(line.lstrip(" |+\t")) + 1))  # the row's first character
    return tuple(points)


def _find(line: str, cell: str, cursor: int) -> tuple[int, int]:
    """The position in `line` of the cell's first characters, its first word, or its first letter."""
    for key in (cell[:8], cell.split(" ", 1)[0][:8], cell[:1]):
        found = line.find(key, cursor) if key else -1
        if found >= 0:
            return found, len(key)
    return -1, 0


def _run(lines: list[str], start: int, belongs) -> int:
    """The end of the run of non-blank lines from `start` that all belong to a table of one form."""
    end = start
    while end < len(lines) and lines[end].strip() and belongs(lines[end]):
        end += 1
    return end
