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
from contratcheck.extract.headings import is_heading, mostly_capitals
from contratcheck.model import Block, Extraction, Format, Limits
from contratcheck.text.normalize import clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {W + "del", W + "moveFrom", W + "delText", _MC_FALLBACK, W + "instrText"}
_TEXT_BOX = W + "txbxContent"
_HEADING_STYLE = re.compile(r"^(heading|titre|title)\s*\d*$", re.IGNORECASE)


class _Reader:
    def __init__(self, capitals: bool = True) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self.capitals = capitals  # False in documents typed in capitals

    def body(self, element: ET.Element) -> None:
        for child in element:
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.body(content)

    def paragraph(self, element: ET.Element) -> None:
        boxes: list[ET.Element] = []
        text = clean("".join(_texts(element, boxes)))
        style = element.find(f"{W}pPr/{W}pStyle")
        outline = element.find(f"{W}pPr/{W}outlineLvl")
        styled = style is not None and _HEADING_STYLE.match(style.get(W + "val", ""))
        if text.strip():
            heading = styled or outline is not None or is_heading(text.strip(), self.capitals)
            self.blocks.append(Block("heading" if heading else "paragraph", text))
        for box in boxes:
            self.body(box)

    def table(self, element: ET.Element) -> None:
        self.tables += 1
        number = self.tables
        for row in element.iter(W + "tr"):
            cells = tuple(clean(" ".join("".join(_texts(p, [])) for p in cell.iter(W + "p"))) for cell in row.findall(f".//{W}tc"))
            if any(c.strip() for c in cells):
                self.blocks.append(Block("row", "", cells, table=number))


def _texts(element: ET.Element, boxes: list[ET.Element]) -> Iterator[str]:
    """Visible text of a paragraph in order; text boxes are set aside to become their own blocks."""
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag == _TEXT_BOX:
            boxes.append(child)
            continue
        if child.tag == W + "t":
            yield child.text or ""
        elif child.tag == W + "tab":
            yield " "
        elif child.tag in (W + "br", W + "cr"):
            yield " "
        yield from _texts(child, boxes)


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        xml = archive.read(name)
    except KeyError:
        return None
    # Word never writes a DTD; refusing one rules out entity expansion bombs and external entities.
    if re.search(rb"<!(DOCTYPE|ENTITY)", xml[:4096], re.IGNORECASE):
        raise ExtractionError("Document Word suspect : il déclare des entités XML, ce que Word ne fait jamais. "
                              "Il n'a pas été lu.", "unsafe-xml")
    return ET.fromstring(xml)


def _check_bomb(archive: zipfile.ZipFile, limits: Limits) -> None:
    entries = archive.infolist()
    size = sum(e.file_size for e in entries)
    if len(entries) > limits.max_zip_entries or size > limits.max_zip_megabytes * 1_000_000:
        raise ExtractionError(f"Document Word anormal : {len(entries)} éléments pour {size / 1e6:.0f} Mo une fois "
                              "décompressé (bombe de décompression ?). Il n'a pas été lu.", "zip-bomb")


def extract_docx(data: bytes, limits: Limits | None = None) -> Extraction:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_bomb(archive, limits or Limits())
            document = _parse(archive, "word/document.xml")
            names = sorted(archive.namelist())
            headers = [_parse(archive, n) for n in names if re.fullmatch(r"word/header\d*\.xml", n)]
            footers = [_parse(archive, n) for n in names if re.fullmatch(r"word/footer\d*\.xml", n)]
            notes = [_parse(archive, n) for n in ("word/footnotes.xml", "word/endnotes.xml")]
    except (zipfile.BadZipFile, ET.ParseError, OSError, RuntimeError, EOFError, zlib.error) as exc:
        raise ExtractionError(f"Document Word illisible ou endommagé ({exc}) : demandez-en une nouvelle copie.", "corrupt") from None
    body = document.find(W + "body") if document is not None else None
    if body is None:
        raise ExtractionError("Document Word sans corps de texte (word/document.xml manquant).", "corrupt")
    reader = _Reader(capitals=not mostly_capitals(t.text or "" for t in body.iter(W + "t")))
    _parts(reader, headers, "En-tête")
    reader.body(body)
    _notes(reader, notes)
    _parts(reader, footers, "Pied de page")
    return Extraction(Format.DOCX, tuple(reader.blocks))


def _parts(reader: _Reader, roots: list[ET.Element | None], title: str) -> None:
    """Headers or footers, each distinct text once (first/even/default variants often repeat)."""
    part = _Reader()
    for root in roots:
        if root is not None:
            part.body(root)
    seen: set[str] = set()
    fresh = []
    for block in part.blocks:
        key = block.text or " | ".join(block.cells)
        if key not in seen:
            seen.add(key)
            fresh.append(block)
    if fresh:
        reader.blocks.append(Block("heading", title))
        reader.blocks.extend(Block(b.kind if b.kind == "row" else "paragraph", b.text, b.cells, table=b.table) for b in fresh)


def _notes(reader: _Reader, roots: list[ET.Element | None]) -> None:
    entries: list[str] = []
    for root in roots:
        if root is None:
            continue
        for note in root:
            if note.get(W + "type") in (None, "normal") and int(note.get(W + "id", "0")) > 0:
                text = clean(" ".join("".join(_texts(p, [])) for p in note.iter(W + "p")))
                if text:
                    entries.append(f"Note {len(entries) + 1} : {text}")
    if entries:
        reader.blocks.append(Block("heading", "Notes"))
        reader.blocks.extend(Block("paragraph", entry) for entry in entries)
