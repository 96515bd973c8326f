"""Cut a block's text into sentences, and table rows into header-labelled cell sentences."""

from __future__ import annotations

import re

# A sentence ends at a stop and a space, or at a full stop glued to the next sentence's first word
# ("…son expiration.Sauf dénonciation"), never inside "S.A." or "M.Dupont".
_SENTENCE_END = re.compile(r"(?:[.!?…]+|;)\s+(?=\S)|(?<=[a-zà-ÿ0-9])\.(?=[A-ZÀ-Ý][a-zà-ÿ])")
_ABBREVIATIONS = {"art", "arts", "cf", "n", "no", "p", "pp", "al", "ex", "env", "min", "max", "m",
                  "mme", "mm", "st", "ste", "sas", "sarl", "sa", "etc", "vol", "chap", "ann", "s"}
_DIGIT = re.compile(r"\d")
_LIST_ITEM = re.compile(r"^(?:[-•–—*▪◦➢►✓■□o\uf0a7\uf0b7]|\(?[a-z0-9]{1,2}[).])\s")


_BULLET = re.compile(r"^[-•–—*▪◦➢►✓■□o\uf0a7\uf0b7]\s")
_DASH_NUMBER = re.compile(r"^-\s+\d")


def is_list_item(line: str) -> bool:
    """"- item", "• item", "a) item", "1. item"."""
    return bool(_LIST_ITEM.match(line))


def starts_item(previous: str, line: str) -> bool:
    """A list item begins on `line`: a bullet always does; "(4)" or "b)" only after a sentence or a
    colon ended the previous line ("… dans un délai de quatre / (4) heures" goes on)."""
    ended = not previous or previous.rstrip()[-1:] in ".:;!?"
    if _BULLET.match(line):
        # "- 15 mn" right after an unfinished line is a table cell a PDF-to-text tool flattened
        return ended or not _DASH_NUMBER.match(line) or is_list_item(previous)
    return is_list_item(line) and ended


_LAST_WORD = re.compile(r"([A-Za-zÀ-ÿ]+)\W*$")
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
_WINDOW = 24  # characters before a sentence end: longer than any abbreviation and its dots


def _last_word(text: str, start: int, end: int) -> str | None:
    """The last word of text[start:end], looked for in its tail: searching the whole sentence from
    its start would try the pattern at every word of it."""
    window = max(start, end - _WINDOW)
    word = _LAST_WORD.search(text, window, end)
    if word is None and window > start:
        word = _LAST_WORD.search(text, start, end)  # only punctuation in the tail: look further back
    elif word and word.start() == window > start and _LETTER.match(text, window - 1):
        word = _LAST_WORD.search(text, text.rfind(" ", start, window) + 1 or start, end)  # cut by the window
    return word.group(1) if word else None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries inside one single-line block."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        punctuation = text[match.start()]
        following = text[match.end()]
        if punctuation != ";":
            word = _last_word(text, start, match.start())
            if word and (word.lower() in _ABBREVIATIONS or word.isupper() and len(word) == 1):
                continue
            if not (following.isupper() or following.isdigit() or following in "«\"(–-•"):
                continue
        spans.append((start, match.start() + 1))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def is_header_row(cells: tuple[str, ...]) -> bool:
    """A first row is read as column headers when it holds labels, not figures."""
    return len(cells) >= 2 and not any(_DIGIT.search(cell) for cell in cells)


def cell_sentences(header: tuple[str, ...], row: tuple[str, ...]) -> list[tuple[int, str]]:
    """(column, "P1 ; Délai de rétablissement : 4 h") for each cell, so a value meets its column's meaning."""
    label = f"{header[0]} {row[0]}".strip()
    return [(column, f"{label} ; {title} : {cell}")
            for column, (title, cell) in enumerate(zip(header[1:], row[1:]), start=1) if cell.strip()]
