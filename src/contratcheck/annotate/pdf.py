"""The annotated PDF: pypdf copies the original, highlights each finding's evidence with its note,
and puts the summary in front. PDFium (as in the audit) reads where the characters stand."""

from __future__ import annotations

import codecs
import io
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from contratcheck.annotate.locate import Box, PageText, line_rects, locate, read_page
from contratcheck.annotate.notes import AUTHOR, Annotated, AnnotationError, distinct, note
from contratcheck.annotate.summary import COLORS, PAGE, Placed, content, paginate, summary_lines
from contratcheck.model import DocumentResult, Evidence, Finding

NOTE_SIZE = 20  # side of a margin note's icon, in points


def write_pdf(result: DocumentResult, source: Path, stream: BinaryIO, password: str | None) -> Annotated:
    """Write the annotated copy of the PDF `source` to `stream`; the copy is never encrypted."""
    try:
        return _write(result, source.read_bytes(), source.name, stream, password)
    except AnnotationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf and PDFium raise many kinds of errors on damaged files
        raise AnnotationError(f"pas de copie annotée : ce PDF n'a pas pu être recopié ({type(exc).__name__}) ; "
                              "le rapport, lui, est complet.") from None


def _write(result: DocumentResult, data: bytes, name: str, stream: BinaryIO, password: str | None) -> Annotated:
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise AnnotationError("pas de copie annotée : mot de passe du PDF refusé.")
    # An incremental update keeps the original bytes and appends the notes, sparing the rewrite of a
    # large file. An encrypted original is rewritten whole instead, so the copy is not encrypted.
    writer = PdfWriter(clone_from=reader) if reader.is_encrypted else PdfWriter(reader, incremental=True)
    pdf = pdfium.PdfDocument(data, password=password)
    try:
        _check_sizes(pdf)
        placed, located, unplaced = _annotate(writer, _Pages(pdf), result)
    finally:
        pdf.close()
    summary = _insert_summary(writer, result, name, placed)
    writer.write(stream)
    return Annotated(located, unplaced, summary, unprotected=reader.is_encrypted and bool(password))


def _check_sizes(pdf) -> None:
    """Refuse a page larger than the PDF standard allows: PDFium's text reader would take memory in
    proportion to it (half a gigabyte for a 2e9-point page), and no PDF reader would show the copy."""
    from contratcheck.extract.pdf import MAX_PAGE_SIDE

    for index in range(len(pdf)):
        width, height = pdf.get_page_size(index)
        if max(width, height) > MAX_PAGE_SIDE:
            raise AnnotationError(f"pas de copie annotée : la page {index + 1} mesure {_length(width)} sur {_length(height)}, "
                                  f"au-delà de la plus grande page qu'admet la norme PDF ({_length(MAX_PAGE_SIDE)} de côté) ; "
                                  "aucun lecteur PDF n'afficherait la copie. Le rapport, lui, est complet.")


def _length(points: float) -> str:
    """A page side in French units: '21 cm', '5,08 m', '706 km', '1 411 km'."""
    metres = points / 72 * 0.0254
    if metres >= 1000:
        return f"{metres / 1000:,.0f} km".replace(",", "\u202f")
    if metres >= 1:
        return f"{metres:.2f} m".replace(".", ",")
    return f"{metres * 100:.0f} cm"


class _Pages:
    """Page texts read on demand, once each; None past the last page."""

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.read: dict[int, PageText] = {}

    def __len__(self) -> int:
        return len(self.pdf)

    def get(self, number: int) -> PageText | None:
        if not 1 <= number <= len(self.pdf):
            return None
        if number not in self.read:
            self.read[number] = read_page(self.pdf, number)
        return self.read[number]


def _annotate(writer, pages: _Pages, result: DocumentResult) -> tuple[list[Placed], int, int]:
    """Highlight every evidence; a passage not found gets a note in its page's margin instead."""
    placed: list[Placed] = []
    margin: Counter[int] = Counter()
    located = 0
    for finding in result.findings:
        numbers: set[int] = set()
        aside = False
        for item in distinct(finding.evidence):
            page = min(max(item.page or 1, 1), len(pages))
            text = pages.get(page)
            assert text is not None  # `page` is one of the document's pages
            found = locate(item.verbatim or item.excerpt, text, pages.get(page + 1))
            for number, boxes in found.items():
                writer.add_annotation(number - 1, _highlight(finding, boxes))
            if not found:
                writer.add_annotation(page - 1, _margin_note(finding, item, writer.pages[page - 1], margin[page]))
                margin[page] += 1
            numbers.update(found or (page,))
            located += bool(found)
            aside = aside or not found
        if finding.evidence:
            placed.append(Placed(finding, tuple(sorted(numbers)), aside))
    return placed, located, sum(margin.values())


def _color(finding: Finding) -> str:
    return "".join(f"{round(c * 255):02x}" for c in COLORS[finding.severity])


def _highlight(finding: Finding, boxes: list[Box]):
    from pypdf.annotations import Highlight
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    rects = line_rects(boxes)
    quads = ArrayObject(FloatObject(round(v, 2)) for l, b, r, t in rects for v in (l, t, r, t, l, b, r, b))
    bounds = (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
    annotation = Highlight(rect=bounds, quad_points=quads, highlight_color=_color(finding), printing=True, title_bar=AUTHOR)
    annotation[NameObject("/Contents")] = _text(note(finding))
    return annotation


def _margin_note(finding: Finding, item: Evidence, page, rank: int):
    """A sticky note in the top right corner, below the page's earlier ones."""
    from pypdf.annotations import Text
    from pypdf.constants import AnnotationFlag
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    box = page.cropbox
    right, top = float(box.right) - 8, float(box.top) - 8 - rank * (NOTE_SIZE + 4)
    text = f"{note(finding)}\n\nPassage cité, non retrouvé à l'identique sur cette page : « {item.excerpt} »"
    annotation = Text(rect=(right - NOTE_SIZE, top - NOTE_SIZE, right, top), text=text, flags=AnnotationFlag.PRINT,
                      title_bar=AUTHOR)
    annotation[NameObject("/Contents")] = _text(text)
    annotation[NameObject("/C")] = ArrayObject(FloatObject(c) for c in COLORS[finding.severity])
    annotation[NameObject("/Name")] = NameObject("/Comment")
    return annotation


def _text(value: str):
    """A PDF text string in UTF-16 with its byte-order mark, which every reader decodes (some misread
    the PDFDocEncoding that pypdf would otherwise choose for accented text)."""
    from pypdf.generic import create_string_object

    return create_string_object(codecs.BOM_UTF16_BE + value.encode("utf-16-be"))


def _insert_summary(writer, result: DocumentResult, name: str, placed: list[Placed]) -> int:
    """Insert the summary pages first; page references in it count those pages."""
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    offset, layout = 1, []
    for _ in range(4):  # page numbers in the text may change its length: settle on a page count
        layout = paginate(summary_lines(result, name, placed, offset))
        if len(layout) == offset:
            break
        offset = len(layout)
    fonts = DictionaryObject({NameObject("/F1"): _font("Helvetica"), NameObject("/F2"): _font("Helvetica-Bold")})
    for index, lines in enumerate(layout):
        page = writer.insert_page(PageObject.create_blank_page(None, *PAGE), index)  # the writer's own copy
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(content(lines))
        page.replace_contents(stream)
    return len(layout)


def _font(name: str):
    from pypdf.generic import DictionaryObject, NameObject

    return DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject(f"/{name}"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
