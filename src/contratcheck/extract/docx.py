"""DOCX: body in document order (tables row by row), headers, footers and footnotes.

Read straight from the OOXML so that tracked changes resolve to the final text (insertions in,
deletions and moved-away text out), and content controls and text boxes are not lost: python-docx's
paragraph API skips all of these.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator

from contratcheck.errors import ExtractionError
from contratcheck.extract.docxzip import check_archive, children, measure
from contratcheck.extract.headings import is_heading, mostly_capitals
from contratcheck.extract.markup import plain
from contratcheck.model import Block, Extraction, Format, Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {W + "del", W + "moveFrom", W + "delText", _MC_FALLBACK, W + "instrText"}
_TEXT_BOX = W + "txbxContent"
_APART = {_TEXT_BOX, W + "tbl", W + "p"}
_DOCUMENT = "word/document.xml"
_NO_BODY = "Document Word sans corps de texte (word/document.xml manquant)."
_SAMPLE = 8_000  # characters: what headings.mostly_capitals reads
_HEADING_STYLE = re.compile(r"^(heading|titre|title)\s*\d*$", re.IGNORECASE)


class _Reader:
    """Blocks of the parts' top-level elements, given one at a time (the parts are streamed)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self.undecided: list[int] = []  # paragraphs whose heading status waits for finish()

    def finish(self, capitals: bool) -> None:
        """Decide the headings left open: short lines in capitals are headings unless `capitals` is
        off (a document typed in capitals), which only the start of the whole body tells."""
        for index in self.undecided:
            text = self.blocks[index].text
            if is_heading(text.strip(), capitals):
                self.blocks[index] = Block("heading", text)
        self.undecided = []

    def body(self, element: ET.Element) -> None:
        for child in element:
            self.block(child)

    def block(self, element: ET.Element) -> None:
        if element.tag == W + "p":
            self.paragraph(element)
        elif element.tag == W + "tbl":
            self.table(element)
        elif element.tag == W + "sdt":
            content = element.find(W + "sdtContent")
            if content is not None:
                self.body(content)

    def paragraph(self, element: ET.Element) -> None:
        apart: list[ET.Element] = []
        raw = "".join(_texts(element, apart))
        text = plain(raw)
        style = element.find(f"{W}pPr/{W}pStyle")
        outline = element.find(f"{W}pPr/{W}outlineLvl")
        styled = style is not None and _HEADING_STYLE.match(style.get(W + "val", ""))
        if text.strip():
            if styled or outline is not None:
                self.blocks.append(Block("heading", text))
            elif (title := _title_line(raw)) is not None:
                self.blocks.append(Block("heading", title[0]))  # "Article 5 – Niveaux de service", a line break, the text
                self.blocks.append(Block("paragraph", title[1]))
            else:
                self.undecided.append(len(self.blocks))  # a heading or not, by its text: see finish()
                self.blocks.append(Block("paragraph", text))
        for part in apart:
            if part.tag == _TEXT_BOX:
                self.body(part)
            else:
                self.block(part)

    def table(self, element: ET.Element) -> None:
        """Rows in document order, a nested table being a table of its own whose rows follow the row
        holding it. One walk, no recursion: each cell's text is read once, never copied into the
        cells around it (400 nested tables once cost gigabytes)."""
        rows: list[tuple[int, list[list[str]]]] = []
        todo: list[tuple[ET.Element, int, list[list[str]] | None, list[str] | None]] = [(element, 0, None, None)]
        while todo:
            node, number, row, cell = todo.pop()
            if node.tag == W + "tbl":
                self.tables += 1
                number, row, cell = self.tables, None, None
            elif node.tag == W + "tr" and number:
                row, cell = [], None
                rows.append((number, row))
            elif node.tag == W + "tc" and row is not None:
                cell = []
                row.append(cell)
            elif node.tag == W + "p" and cell is not None:
                cell.append("".join(_texts(node, [])))
            todo.extend((child, number, row, cell) for child in reversed(node))
        for number, cells in rows:
            texts = tuple(plain(" ".join(paragraphs)) for paragraphs in cells)
            if any(t.strip() for t in texts):
                self.blocks.append(Block("row", "", texts, table=number))


def _title_line(raw: str) -> tuple[str, str] | None:
    """A numbered title on the paragraph's first line, its text after a line break: the title and
    the text, so that the text is read (and quoted) under its title, not glued to it."""
    head, _, rest = raw.partition("\n")
    title, text = plain(head), plain(rest)
    return (title, text) if text and is_heading(title, capitals=False) else None


def _texts(element: ET.Element, apart: list[ET.Element]) -> Iterator[str]:
    """Visible text of a paragraph in order; text boxes (and tables or paragraphs wrongly nested in
    it) are set aside to become their own blocks, so that no text is read twice."""
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag in _APART:
            apart.append(child)
            continue
        if child.tag == W + "t":
            yield child.text or ""
        elif child.tag == W + "tab":
            yield " "
        elif child.tag in (W + "br", W + "cr"):
            yield "\n"  # a space once cleaned; _title_line looks for it
        yield from _texts(child, apart)


class _Sample:
    """The start of the body's text, which tells a document typed in capitals (headings.mostly_capitals)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.size = -1  # of the lines joined by newlines

    def add(self, element: ET.Element) -> None:
        if self.size >= _SAMPLE:
            return
        for node in element.iter(W + "t"):
            if self.size >= _SAMPLE:
                return
            self.lines.append(node.text or "")
            self.size += len(self.lines[-1]) + 1


def extract_docx(data: bytes, limits: Limits | None = None) -> Extraction:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _extract(archive, limits or Limits())
    except RecursionError:
        raise ExtractionError("Document Word anormal : éléments imbriqués trop profondément pour être lus. "
                              "Il n'a pas été lu.", "corrupt") from None
    except (zipfile.BadZipFile, ET.ParseError, OSError, RuntimeError, EOFError, zlib.error) as exc:
        raise ExtractionError(f"Document Word illisible ou endommagé ({exc}) : demandez-en une nouvelle copie.", "corrupt") from None


def _extract(archive: zipfile.ZipFile, limits: Limits) -> Extraction:
    check_archive(archive, limits)
    names = sorted(archive.namelist())
    headers = [n for n in names if re.fullmatch(r"word/header\d*\.xml", n)]
    footers = [n for n in names if re.fullmatch(r"word/footer\d*\.xml", n)]
    notes = [n for n in ("word/footnotes.xml", "word/endnotes.xml") if n in names]
    measure(archive, [*([_DOCUMENT] if _DOCUMENT in names else []), *headers, *footers, *notes], limits)
    reader = _Reader()
    _parts(reader, (child for name in headers for child in children(archive, name)), "En-tête")
    sample = _Sample()
    for child in children(archive, _DOCUMENT, W + "body", _NO_BODY):
        sample.add(child)
        reader.block(child)
    reader.finish(capitals=not mostly_capitals(sample.lines))
    _notes(reader, (note for name in notes for note in children(archive, name)))
    _parts(reader, (child for name in footers for child in children(archive, name)), "Pied de page")
    return Extraction(Format.DOCX, tuple(reader.blocks))


def _parts(reader: _Reader, elements: Iterator[ET.Element], title: str) -> None:
    """Headers or footers, each distinct text once (first/even/default variants often repeat)."""
    part = _Reader()
    for element in elements:
        part.block(element)
    seen: set[str] = set()
    fresh = []
    for block in part.blocks:  # headings are read as paragraphs here: no need to decide them
        key = block.text or " | ".join(block.cells)
        if key not in seen:
            seen.add(key)
            fresh.append(block)
    if fresh:
        reader.blocks.append(Block("heading", title))
        reader.blocks.extend(Block(b.kind if b.kind == "row" else "paragraph", b.text, b.cells, table=b.table) for b in fresh)


def _notes(reader: _Reader, notes: Iterator[ET.Element]) -> None:
    entries: list[str] = []
    for note in notes:
        if note.get(W + "type") in (None, "normal") and int(note.get(W + "id", "0")) > 0:
            text = plain(" ".join("".join(_texts(p, [])) for p in note.iter(W + "p")))
            if text:
                entries.append(f"Note {len(entries) + 1} : {text}")
    if entries:
        reader.blocks.append(Block("heading", "Notes"))
        reader.blocks.extend(Block("paragraph", entry) for entry in entries)
