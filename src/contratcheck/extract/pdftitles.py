"""Titles a PDF sets apart by their font: a line or two in a larger or bolder font than the text
that follows, words that are no sentence. Nothing in the words "Réversibilité" or "Durée de
l'engagement" tells a title from the start of a paragraph: the characters' fonts do, and a title
read as text would be glued to the paragraph under it, and quoted with it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from pypdfium2.raw import FPDFText_GetFontSize, FPDFText_GetFontWeight

from contratcheck.extract.headings import is_heading, is_label_only, may_be_title

_SOFT_HYPHEN = re.compile("[\ufffe\x02]")
Font = tuple[float, float]  # size in points, weight (400 regular, 700 bold)
MAX_TITLE_LINES = 3
_LARGER = 0.5  # points
_BOLDER = 150  # weight units: regular 400 against bold 700, never two weights of one font
_SAME_SIZE = 0.25
_SAME_WEIGHT = 100
_LOOK_AHEAD = 40  # lines: a table between a title and its text


class Line(Protocol):
    text: str
    table: int | None
    font: Font | None


class Fonts:
    """The fonts of a page's lines, found by looking each line up, in order, in the page's whole
    text (whose characters are the text page's, one for one); lines read from part of the page
    (around a table) are found there too."""

    def __init__(self, textpage) -> None:
        self.textpage = textpage
        whole = textpage.get_text_range()
        self.whole = whole if len(whole) == textpage.count_chars() else ""
        self.cursor = 0

    def of(self, line: str, marked: bool = True) -> Font | None:
        # Up to a soft-hyphen marker: the page's text and a part of it break such a word differently.
        key = _SOFT_HYPHEN.split(line, 1)[0] if marked else line
        start = self.whole.find(key, self.cursor) if self.whole and key.strip() else -1
        if start < 0:
            return None
        self.cursor = start + len(key)
        return _weakest(self.textpage, self.whole, start, self.cursor)


def _weakest(textpage, text: str, start: int, end: int) -> Font | None:
    """The weakest size and weight of a few letters of text[start:end] (its first, middle and
    last): one bold word does not make a line bold."""
    handle = textpage.raw
    letters = [i for i in {start, (start + end) // 2, end - 1} if text[i].isalnum()]
    if not letters:
        return None
    weight = min(FPDFText_GetFontWeight(handle, i) for i in letters)
    return (min(FPDFText_GetFontSize(handle, i) for i in letters), weight) if weight > 0 else None


def title_length(lines: Sequence[Line], index: int) -> int:
    """How many lines from `index` make a title set apart by its font, 0 when they are no title.
    The caller only asks where a block may start (after a heading, a table or a full stop)."""
    first = lines[index]
    if first.font is None or first.table is not None:
        return 0
    end = index + 1
    while end < len(lines) and end - index < MAX_TITLE_LINES and _same(lines[end], first.font) and (
            lines[end].text[:1].islower() or is_label_only(lines[end - 1].text)):
        end += 1  # "Article 2 – Prestations incluses dans" / "le forfait"; "ARTICLE 5" / "NIVEAUX DE SERVICE"
    if not may_be_title(" ".join(line.text for line in lines[index:end])):
        return 0  # most lines: a sentence, told before the text's font is looked for (up to 40 lines on)
    body = _text_font(lines, index, end)
    if body is None or not (first.font[0] >= body[0] + _LARGER or first.font[1] >= body[1] + _BOLDER):
        return 0
    return end - index


def _text_font(lines: Sequence[Line], index: int, end: int) -> Font | None:
    """The font of the text around a would-be title: the line after it, past a table ("4.
    Engagements" above its table) and other titles of its font, else the line before it."""
    title = lines[index].font
    for line in lines[end:end + _LOOK_AHEAD]:
        if line.table is None and line.font is not None and title is not None and not _same(line, title):
            return line.font
    before = lines[index - 1] if index else None
    return before.font if before is not None and before.table is None else None


def wrapped_title(lines: Sequence[Line], index: int, capitals: bool) -> int:
    """2 when a numbered title runs on to a short next line ("Article 2 – Prestations incluses
    dans" / "le forfait") before a new sentence: for text whose fonts are unknown (OCR, tables)."""
    if index + 1 >= len(lines) or lines[index].font is not None:
        return 0
    first, second = lines[index], lines[index + 1]
    after = lines[index + 2] if index + 2 < len(lines) else None
    if second.table is not None or not second.text[:1].islower() or len(second.text.split()) > 4:
        return 0
    if after is not None and after.table is None and not (after.text[:1].isupper() or after.text[:1].isdigit()):
        return 0
    joined = f"{first.text} {second.text}"
    return 2 if is_heading(first.text, capitals) and is_heading(joined, capitals) else 0


def _same(line: Line, font: Font) -> bool:
    return (line.table is None and line.font is not None and abs(line.font[0] - font[0]) < _SAME_SIZE
            and abs(line.font[1] - font[1]) < _SAME_WEIGHT)
