"""Assemble extracted blocks into a Document: normalized text, provenance anchors, segments."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from contratcheck.model import Anchor, Block, Document, Extraction, PieceReading, Segment, SegmentKind, Span, TableCell
from contratcheck.text.fold import fold
from contratcheck.text.segment import cell_sentences, is_header_row, is_list_item, sentence_spans

# A title's number, then its title or a stop: "Article 5 du CCAG" or "1.5 heures" open a sentence, not a title.
_NUMBERED = re.compile(r"(?:((?:Article|ARTICLE|Art\.|Chapitre|CHAPITRE|Titre|TITRE|Section|SECTION|Annexe|ANNEXE"
                       r"|Partie|PARTIE|Clause|CLAUSE)\s+(?:\d+(?:\.\d+)*|[IVXLC]+))|(\d+(?:\.\d+)+))"
                       r"(?=\.?\s*$|\.?\s*[–—:-]|\.?\s+[A-ZÀ-Ý])")


def _non_empty(blocks: tuple[Block, ...]) -> list[Block]:
    """Blocks with text, rows given their " | " text; extractors hand over clean text (normalize.clean)."""
    kept = []
    for block in blocks:
        text = " | ".join(block.cells) if block.kind == "row" else block.text
        if text.strip(" |"):
            kept.append(block if text == block.text else replace(block, text=text))
    return kept


def build_document(path: str, extraction: Extraction) -> Document:
    blocks = _non_empty(extraction.blocks)
    text_parts, anchors, spans = [], [], []
    offset, section, label, piece = 0, None, None, None
    for number, block in enumerate(blocks, start=1):
        if block.piece != piece:  # a new file of the contract: nothing of the last one's titles holds
            section, label, piece = None, None, block.piece
        if block.kind == "heading":
            section, label = block.text, None
        elif section is None and block.kind == "paragraph":
            label = numbered_label(block.text) or label
        anchors.extend(_anchors(block, offset, section, number, label))
        spans.append(Span(offset, offset + len(block.text)))
        text_parts.append(block.text)
        offset += len(block.text) + 1
    text = "\n".join(text_parts)
    segments, synthetic = _segments(blocks, spans, len(text))
    tail = "".join("\n" + sentence for sentence, _, _ in synthetic)
    match_text = fold(text + tail)
    position = len(text)
    for sentence, origin, cell in synthetic:
        position += 1
        segments["sentence"].append(Segment("sentence", Span(position, position + len(sentence)), origin, cell))
        position += len(sentence)
    return Document(
        path=path,
        format=extraction.format,
        text=text,
        pages=extraction.pages,
        anchors=tuple(anchors) or (Anchor(0, None, None, 0),),
        tail=tail,
        match_text=match_text,
        segments={kind: tuple(items) for kind, items in segments.items()},
        unread_pages=extraction.unread_pages,
        ocr_pages=extraction.ocr_pages,
        readings=extraction.readings,
    )


def numbered_label(text: str) -> str | None:
    """"Article 5" or "article 4.2" when a paragraph opens with an article or clause number: where a
    reader finds text that no heading introduces (a bare "3." may be a list item, not an article)."""
    found = _NUMBERED.match(text)
    if found is None:
        return None
    return found.group(1) or f"article {found.group(2)}"


def _anchors(block: Block, offset: int, section: str | None, number: int, label: str | None) -> list[Anchor]:
    """The block's anchors: at its start, where a later page begins, and wherever its text stops
    following its source line character by character (text files)."""
    starts = sorted({0, *(at for at, _ in block.breaks), *(at for at, _, _ in block.lines if at < len(block.text))})
    anchors = []
    for at in starts:
        page = next((page for start, page in reversed(block.breaks) if start <= at), block.page)
        line, column = _source(block, at)
        anchors.append(Anchor(offset + at, page, section, number, line, column, label, block.piece))
    return anchors


def _source(block: Block, at: int) -> tuple[int | None, int | None]:
    """The source line and column of the block's character `at`, when the extractor told them."""
    index = bisect_right(block.lines, at, key=lambda point: point[0]) - 1
    if index < 0:
        return None, None
    start, line, column = block.lines[index]
    return line, column + at - start


def _segments(blocks: list[Block], spans: list[Span], length: int
              ) -> tuple[dict[str, list[Segment]], list[tuple[str, Span, TableCell | None]]]:
    segments: dict[str, list[Segment]] = {k: [] for k in ("sentence", "row", "paragraph", "clause", "document")}
    synthetic: list[tuple[str, Span, TableCell | None]] = []
    headers: dict[int | None, tuple[str, ...] | None] = {}
    intro: str | None = None  # "… un délai maximum de :" announcing the list items that follow
    clause_start, source = 0, blocks[0].piece if blocks else None
    for block, span in zip(blocks, spans):
        segments["paragraph"].append(Segment("paragraph", span, span))
        opens = block.kind == "heading" or block.piece != source  # a title, or the next file of a contract
        source = block.piece
        if opens and span.start > clause_start:
            segments["clause"].append(Segment("clause", Span(clause_start, span.start - 1), Span(clause_start, span.start - 1)))
            clause_start = span.start
        if block.kind == "row":
            first = block.table not in headers
            if first:
                headers[block.table] = block.cells if is_header_row(block.cells) else None
            header = headers[block.table]
            kind: SegmentKind = "header" if first and header else "row"  # a header row labels cells, it states nothing
            segments["row"].append(Segment(kind, span, span))
            segments["sentence"].append(Segment(kind if kind == "header" else "sentence", span, span))
            if header and not first:
                synthetic.extend((text, span, TableCell(header, block.cells, column))
                                 for column, text in cell_sentences(header, block.cells))
            continue
        if block.kind == "heading":
            intro = None
            continue  # a title announces a clause, it commits to nothing: rules read the clause itself
        spans_in_block = sentence_spans(block.text)
        for start, end in spans_in_block:
            piece = Span(span.start + start, span.start + end)
            segments["sentence"].append(Segment("sentence", piece, piece))
        if intro and is_list_item(block.text):
            # Each item's first sentence is also read with its lead-in, so "délai maximum de :" meets
            # "- 2 heures" (and not what the item's later sentences say about something else).
            opening = block.text[:spans_in_block[0][1]] if spans_in_block else block.text
            synthetic.append((f"{intro} {opening}", Span(span.start, span.start + len(opening)), None))
            continue
        last = block.text[spans_in_block[-1][0]:] if spans_in_block else block.text
        intro = last if last.rstrip().endswith(":") else None
    if length > clause_start or not segments["clause"]:
        segments["clause"].append(Segment("clause", Span(clause_start, length), Span(clause_start, length)))
    segments["document"].append(Segment("document", Span(0, length), Span(0, length)))
    return segments, synthetic


def combine(pieces: list[tuple[str, Extraction]]) -> Extraction:
    """The extractions of a contract's files read as one: each block keeps the file it comes from
    (displayed path), and tables are numbered anew so that two files' tables never merge."""
    blocks: list[Block] = []
    tables = 0
    for path, extraction in pieces:
        numbers: dict[int, int] = {}
        for block in extraction.blocks:
            table = block.table
            if table is not None:
                table = numbers.setdefault(table, tables + len(numbers))
            blocks.append(replace(block, piece=path, table=table))
        tables += len(numbers)
    first = pieces[0][1]
    readings = tuple(PieceReading(path, e.unread_pages, e.ocr_pages) for path, e in pieces if e.unread_pages or e.ocr_pages)
    return Extraction(first.format, tuple(blocks), sum(e.pages or 0 for _, e in pieces) or None, readings=readings)
