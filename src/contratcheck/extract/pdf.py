"""PDF: text per page with pypdfium2 (C speed), ruled tables as rows, headers/footers dropped,
line-end hyphenation undone, paragraphs rebuilt, page provenance kept for every character."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from contratcheck.errors import ExtractionError, NoTextError, page_limit
from contratcheck.extract.headings import is_heading, mostly_capitals
from contratcheck.extract.pdftables import find_tables
from contratcheck.extract.pdftitles import Font, Fonts, title_length, wrapped_title
from contratcheck.model import Block, Extraction, Format, Limits
from contratcheck.text.normalize import clean, prepare
from contratcheck.text.segment import starts_item

_SOFT_HYPHEN = re.compile(r"[\ufffe\x02]\s*")
# A line: up to a line break, except one right after a soft-hyphen marker (the word goes on).
_LINE = re.compile(r"(?:[^\r\n\ufffe\x02]|[\ufffe\x02]\s*)+")
_BREAK = re.compile(r"[\r\n]")
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 4  # header/footer candidates: this many lines at the top and bottom of each page
_MIN_CHARS_PER_PAGE = 20
# The largest page side the PDF standard allows (200 inches, ISO 32000-1 annex C). PDFium's text
# reader allocates in proportion to the page box (half a gigabyte for a 2e9-point page): beyond this
# side, it reads the text with a box of this size, which changes nothing to the text it finds.
MAX_PAGE_SIDE = 14400.0
_TERMINAL = tuple(".:;!?»)")


@dataclass
class _Line:
    text: str
    page: int
    cells: tuple[str, ...] = ()
    table: int | None = None
    font: Font | None = None  # known when the line was read with the page's whole text


@dataclass
class _Paragraph:
    """A paragraph being rebuilt from lines; it may run on to the next page."""

    page: int
    parts: list[str] = field(default_factory=list)
    breaks: list[tuple[int, int]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str, page: int, glue: str) -> None:
        if page != (self.breaks[-1][1] if self.breaks else self.page):
            self.breaks.append((self.length + len(glue), page))
        self.parts.append(glue + text)
        self.length += len(glue) + len(text)


def _open(data: bytes, password: str | None):
    import pypdfium2 as pdfium  # lazy: keeps `--help` and text-only audits fast

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            message = ("Mot de passe incorrect pour ce PDF." if password else
                       "PDF protégé par un mot de passe : relancez avec --password (ou indiquez-le dans la configuration).")
            raise ExtractionError(message, "encrypted") from None
        raise ExtractionError("PDF illisible ou endommagé (fichier tronqué ou corrompu) : "
                              "téléchargez-le de nouveau ou demandez-en une copie.", "corrupt") from None


def _path_bounds(page) -> list[tuple[float, float, float, float]]:
    """Bounding boxes of the page's drawn paths, through PDFium's C API: the object wrappers of
    pypdfium2 cost more than the table search itself."""
    import ctypes

    import pypdfium2.raw as raw

    bounds: list[tuple[float, float, float, float]] = []
    box = [ctypes.c_float() for _ in range(4)]
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, index)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_PATH and raw.FPDFPageObj_GetBounds(obj, *map(ctypes.byref, box)):
            bounds.append((box[0].value, box[1].value, box[2].value, box[3].value))
    return bounds


def _has_image(page) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _textpage(page):
    """The page's text page, read with its box cut down to MAX_PAGE_SIDE if larger; the page keeps
    its own box (OCR renders it)."""
    if max(page.get_size()) <= MAX_PAGE_SIDE:  # the size PDFium allocates by
        return page.get_textpage()
    left, bottom, right, top = box = page.get_cropbox()
    page.set_cropbox(left, bottom, min(right, left + MAX_PAGE_SIDE), min(top, bottom + MAX_PAGE_SIDE))
    try:
        return page.get_textpage()
    finally:
        page.set_cropbox(*box)


def _page_lines(page, number: int, table_base: int) -> tuple[list[_Line], int]:
    textpage = _textpage(page)
    try:
        tables = find_tables(_path_bounds(page), textpage.get_text_bounded)
        fonts = Fonts(textpage)
        if not tables:
            return _text_lines(fonts.whole or textpage.get_text_range(), number, fonts), 0
        width, height = page.get_size()
        lines, top = [], height
        for index, table in enumerate(tables, start=table_base + 1):
            lines += _text_lines(textpage.get_text_bounded(0, table.top, width, top), number, fonts)
            lines += [_Line(" | ".join(cells), number, cells, index) for cells in (tuple(map(clean, row)) for row in table.rows)]
            top = table.bottom
        lines += _text_lines(textpage.get_text_bounded(0, 0, width, top), number, fonts)
        return lines, len(tables)
    finally:
        textpage.close()


def _text_lines(text: str, page: int, fonts: Fonts | None = None) -> list[_Line]:
    """Clean lines of one page's text: soft-hyphen markers joined, then normalize.clean per line;
    with `fonts`, each line's font (titles stand out by it)."""
    lines = []
    marked = "\ufffe" in text or "\x02" in text  # most pages have no soft-hyphen marker: skip the regex
    for line, prepared in _read_lines(text, marked):
        words = prepared.split()
        if words:  # one line in two is the empty one between "\r" and "\n"
            lines.append(_Line(" ".join(_undoubled(words)), page, font=fonts.of(line, marked) if fonts else None))
    return lines


def _read_lines(text: str, marked: bool) -> Iterator[tuple[str, str]]:
    """Each line of a page's text, as read and as prepared. The page is prepared in one call rather
    than line by line (a third faster): `prepare` keeps every line break where it is."""
    if not marked:  # splitting at line breaks is three times faster than the regex of marked lines
        return zip(_BREAK.split(text), _BREAK.split(prepare(text)))  # empty lines included in both
    found = _LINE.findall(text)  # a marker and the line break after it are dropped, the word goes on
    return zip(found, prepare("\n".join(_SOFT_HYPHEN.sub("", line) for line in found)).split("\n"))


def _undoubled(words: list[str]) -> list[str]:
    """A line drawn twice for a bold effect reads "55..MMiissee eenn œœuuvvrree": each word's
    letters twice. Only a whole line of such words is read once: no French line is made of them."""
    first = words[0]  # never empty: a line of invisible characters only is skipped before
    if len(first) % 2 or first[0] != first[1] or sum(len(word) for word in words) < 6 \
            or any(len(word) % 2 or word[::2] != word[1::2] for word in words):
        return words
    return [word[::2] for word in words]


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Remove header/footer lines that repeat (page numbers aside) at the edge of most pages."""
    if len(pages) < 2:
        return pages
    edges = [_edge_keys(lines) for lines in pages]
    counts = Counter(key for keys in edges for key in set(keys.values()))
    running = {k for k, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}
    return [[l for l in lines if keys.get(id(l)) not in running] for lines, keys in zip(pages, edges)]


def _edge_keys(lines: list[_Line]) -> dict[int, str]:
    """A page's header/footer candidates (its first and last lines outside tables), by id, with the
    text compared across pages: lower case, numbers aside. Computed once, for counting and dropping."""
    edge = [l for l in lines if l.table is None]
    return {id(l): _DIGITS.sub("#", " ".join(l.text.split()).lower()) for l in edge[:_EDGE_LINES] + edge[-_EDGE_LINES:]}


def _lexicon(lines: list[_Line]) -> set[str]:
    return {w.lower() for line in lines for w in re.findall(r"\w+(?:-\w+)*", line.text)}


def _join(previous: str, line: str, words: set[str]) -> tuple[str, str]:
    """The glue between two lines of one paragraph, and the previous line possibly trimmed."""
    if previous.endswith("-") and line[:1].islower():
        head = re.search(r"(\w+)-$", previous)
        tail = re.match(r"\w+", line)
        if head and tail:
            joined, hyphenated = head.group(1) + tail.group(0), f"{head.group(1)}-{tail.group(0)}"
            if joined.lower() in words and hyphenated.lower() not in words:
                return "", previous[:-1]
        return "", previous
    return " ", previous


def _paragraphs(lines: list[_Line]) -> list[Block]:
    # The lexicon only serves lines ending with a real hyphen; most documents have none.
    words = _lexicon(lines) if any(line.text.endswith("-") for line in lines) else set()
    capitals = not mostly_capitals(line.text for line in lines)
    blocks: list[Block] = []
    current: _Paragraph | None = None

    def flush() -> None:
        nonlocal current
        if current and current.parts:
            blocks.append(Block("paragraph", "".join(current.parts), page=current.page, breaks=tuple(current.breaks)))
        current = None

    index = 0
    while index < len(lines):
        line, text = lines[index], lines[index].text
        if line.table is not None:
            flush()
            blocks.append(Block("row", "", line.cells, page=line.page, table=line.table))
            index += 1
            continue
        fresh = current is None or current.parts[-1].rstrip().endswith(_TERMINAL)
        title = (title_length(lines, index) or wrapped_title(lines, index, capitals)) if fresh else 0
        if title:  # a title set apart by its font, or wrapped: never glued to the text under it
            flush()
            blocks.append(Block("heading", " ".join(l.text for l in lines[index:index + title]), page=line.page))
            index += title
            continue
        index += 1
        following = lines[index].text.lstrip() if index < len(lines) else ""
        # A wrapped "4.2 Le Prestataire…" goes on. Tested first: is_heading on every line took half of this loop's time.
        if not following[:1].islower() and is_heading(text, capitals):
            flush()
            blocks.append(Block("heading", text, page=line.page))
            continue
        if current is None or starts_item(current.parts[-1], text) or (
                current.parts[-1].rstrip().endswith(_TERMINAL) and (text[:1].isupper() or text[:1].isdigit())):
            flush()
            current = _Paragraph(line.page)
            current.add(text, line.page, "")
            continue
        glue, trimmed = _join(current.parts[-1], text, words)
        if trimmed != current.parts[-1]:
            current.length -= 1
            current.parts[-1] = trimmed
        current.add(text, line.page, glue)
    flush()
    return blocks


def extract_pdf(data: bytes, password: str | None = None, ocr: bool = False, max_pages: int = 2000, *,
                limits: Limits | None = None) -> Extraction:
    """`limits`, when given, supersede `max_pages` (and bound the pages rendered for OCR)."""
    limits = limits or Limits(max_pages=max_pages)
    pdf = _open(data, password)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise page_limit(count, limits.max_pages)
        pages, tables, unread, read_by_ocr, chars = [], 0, [], [], 0
        for number in range(1, count + 1):
            page = pdf[number - 1]
            try:
                lines, found = _page_lines(page, number, tables)
                page_chars = sum(len(l.text) for l in lines)
                if page_chars < _MIN_CHARS_PER_PAGE and _has_image(page):
                    if ocr:
                        from contratcheck.extract.ocr import read_page

                        lines, found = _text_lines(read_page(page, limits), number), 0
                        page_chars = sum(len(l.text) for l in lines)
                        read_by_ocr.append(number)
                    else:
                        unread.append(number)
            finally:
                page.close()
            tables += found
            chars += page_chars
            pages.append(lines)
    finally:
        pdf.close()
    if chars < _MIN_CHARS_PER_PAGE:
        raise NoTextError(_no_text(bool(unread), bool(read_by_ocr)))
    lines = [line for page_lines in _drop_running_lines(pages) for line in page_lines]
    return Extraction(Format.PDF, tuple(_paragraphs(lines)), count, tuple(unread), tuple(read_by_ocr))


def _no_text(scanned: bool, read_by_ocr: bool) -> str:
    """Why a PDF gave no text: pages in images left unread, pages OCR could not read, or nothing at all."""
    if scanned:
        return ("Aucun texte exploitable : ce PDF semble numérisé (pages en images). Relancez avec --ocr "
                "pour le lire par reconnaissance de caractères, ou demandez le document d'origine.")
    if read_by_ocr:
        return ("Aucun texte exploitable : la reconnaissance de caractères (OCR) n'a rien lu sur les pages en images "
                "de ce PDF (image trop pâle, floue ou de trop faible résolution). Demandez le document d'origine.")
    return ("Aucun texte exploitable : ce PDF ne contient ni texte ni image à lire (pages blanches, ou texte converti "
            "en tracés). Vérifiez qu'il s'agit du bon fichier, ou demandez le document d'origine.")
