"""Where an excerpt stands on a PDF page: the boxes of its characters, one rectangle per line.

The excerpt is compared with the page's own characters (read by PDFium, as the audit read them) on
their folded letters and digits only, so line breaks, hyphenation, ligatures and spacing do not get
in the way. An excerpt the page does not hold verbatim (a sentence running on to the next page past
a footer, a table row whose cells are laid out in another order) is matched piece by piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from contratcheck.annotate.notes import folded_key

Box = tuple[float, float, float, float]  # left, bottom, right, top, in PDF user space
MIN_PIECE = 6  # shorter common pieces are chance, not the excerpt
MIN_COVERAGE = 0.5  # below this share of the excerpt found, nothing is highlighted
SLACK = 300  # characters a piecewise match may spread beyond the excerpt's length (footers, cells)


@dataclass(frozen=True, slots=True)
class PageText:
    """The folded letters and digits of a page, each with its character's box."""

    number: int
    key: str
    boxes: tuple[Box, ...]


def read_page(pdf, number: int) -> PageText:
    """The PageText of page `number` (1-based) of an open pypdfium2 document."""
    import pypdfium2.raw as raw

    page = pdf[number - 1]
    textpage = page.get_textpage()
    try:
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(textpage.count_chars()))
        key, origin = folded_key(text)
        return PageText(number, key, tuple(textpage.get_charbox(i, loose=True) for i in origin))
    finally:
        textpage.close()
        page.close()


def locate(excerpt: str, page: PageText, following: PageText | None) -> dict[int, list[Box]]:
    """Character boxes of `excerpt` by page number: on `page`, or running on to `following`;
    empty when too little of it is found to point at the right words."""
    key = folded_key(excerpt.removesuffix("…"))[0]
    if not key:
        return {}
    at = page.key.find(key)
    if at >= 0:
        return {page.number: list(page.boxes[at:at + len(key)])}
    pages = [page] + ([following] if following else [])
    text = "".join(p.key for p in pages)
    owners = [(p.number, box) for p in pages for box in p.boxes]
    found = _pieces(text, key)
    if sum(size for _, size in found) < MIN_COVERAGE * len(key):
        return {}
    boxes: dict[int, list[Box]] = {}
    for start, size in found:
        for number, box in owners[start:start + size]:
            boxes.setdefault(number, []).append(box)
    return boxes


def _pieces(text: str, key: str) -> list[tuple[int, int]]:
    """(start in text, length) of the pieces of `key` found in order around its longest piece."""
    matcher = SequenceMatcher(None, text, key, autojunk=False)
    a, b, size = matcher.find_longest_match(0, len(text), 0, len(key))
    if size < MIN_PIECE:
        return []
    low, high = max(0, a - b - SLACK), min(len(text), a + len(key) - b + SLACK)
    window = SequenceMatcher(None, text[low:high], key, autojunk=False)
    return [(low + block.a, block.size) for block in window.get_matching_blocks() if block.size >= MIN_PIECE]


def line_rects(boxes: list[Box]) -> list[Box]:
    """One rectangle per line: consecutive characters whose middle lies within the line's height."""
    lines: list[Box] = []
    for box in boxes:
        middle = (box[1] + box[3]) / 2
        if lines and lines[-1][1] <= middle <= lines[-1][3]:
            left, bottom, right, top = lines[-1]
            lines[-1] = (min(left, box[0]), min(bottom, box[1]), max(right, box[2]), max(top, box[3]))
        else:
            lines.append(box)
    return lines
