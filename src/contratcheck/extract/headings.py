"""Recognise headings in plain text lines (contracts number their articles in a few fixed ways)."""

from __future__ import annotations

import re

from contratcheck.text.segment import is_list_item

_NUMBERED = re.compile(
    r"^(?:(?:[Aa]rticle|ARTICLE|[Aa]rt\.|[Cc]hapitre|CHAPITRE|[Tt]itre|TITRE|[Ss]ection|SECTION|[Aa]nnexe|ANNEXE"
    r"|[Pp]artie|PARTIE|[Cc]lause|CLAUSE)\s+[\dIVXLC]+[\w.]*"
    r"|\d+(?:\.\d+)+\.?\s+\S|\d+\.?\s+[^\W\d_a-zà-ÿ])"  # "4.2 les délais", "4 Pénalités", not "1 j ouvré"
)
_FIGURES = re.compile(r"[%€$]")  # a value left alone on its line ("99 % 99 % OUI P3") is no title
_SENTENCE_INSIDE = re.compile(r"[a-zà-ÿ)»]\.\s+[A-ZÀ-Ý]")


_LOWER = re.compile(r"[a-zà-ÿ]")
_UPPER = re.compile(r"[A-ZÀ-Ý]")


def mostly_capitals(lines) -> bool:
    """A document typed in capitals: there, a line in capitals says nothing about being a title."""
    sample = "\n".join(lines)[:8_000]
    upper, lower = len(_UPPER.findall(sample)), len(_LOWER.findall(sample))
    return upper + lower > 200 and upper > 0.6 * (upper + lower)


_NUMBERED_TITLE = re.compile(r"^\d+(?:\.\d+)*\.?\s+[A-ZÀ-Ý][^.;:!?]*$")


def is_numbered_title(line: str) -> bool:
    """"1. Glossaire", "4.2 Pénalités": a short numbered line that also reads as a list item, a
    title only when it stands alone between blank lines (the caller knows)."""
    return bool(_NUMBERED_TITLE.match(line)) and len(line.split()) <= 8


def is_heading(line: str, capitals: bool = True) -> bool:
    """Short numbered titles ("Article 5 – Niveaux de service", "3.2 Pénalités") or, unless
    `capitals` is off, short lines in capitals."""
    if not line or len(line) > 160 or line[-1] in ".;,":
        return False
    words = line.split()
    if not words or len(words) > 14 or line.rstrip()[-1] in ".;," or _SENTENCE_INSIDE.search(line) or _FIGURES.search(line):
        return False
    if _NUMBERED.match(line) and not is_list_item(line):
        return True
    if not capitals or line[-1] == ":" or not _in_capitals(line):
        return False
    return len(_UPPER.findall(line)) >= 4


def _in_capitals(line: str) -> bool:
    """In capitals, but for a short aside ("ANNEXE – ÉCHANGE DE COURRIELS (pour mémoire)")."""
    if line.isupper():
        return len(line.split()) <= 10
    upper, lower = len(_UPPER.findall(line)), len(_LOWER.findall(line))
    return _UPPER.match(line.lstrip()) is not None and upper >= 3 * lower and line.split()[0].isupper()


_LABEL_ONLY = re.compile(r"^(?:(?:article|chapitre|titre|section|annexe|partie|clause|art\.)\s*)?[\dIVXLC.]+\s*[–—:-]?$",
                         re.IGNORECASE)


def may_be_title(line: str) -> bool:
    """Words that can stand as a title once the layout sets them apart ("Réversibilité", "Durée de
    l'engagement"): short, opening with a capital or a number, no sentence, no figure."""
    if not line or len(line) > 120 or line[-1] in ".;,:" or len(line.split()) > 12:
        return False
    if _SENTENCE_INSIDE.search(line) or _FIGURES.search(line):
        return False
    return line[0].isupper() or line[0].isdigit()  # a bullet is no title; "1. Objet" set apart is one


def is_label_only(line: str) -> bool:
    """"ARTICLE 5", "5.", "Article 5 –": a title's number, its words on the next line."""
    return bool(_LABEL_ONLY.match(line))


# "2 - Pièces contractuelles": short, since "1 - Le titulaire intervient sur site dans un" is the
# first line of a numbered item.
_DASHED = re.compile(r"^\d+\.?\s+[-–—]\s*[^\W\d_a-zà-ÿ][^.;:!?]*$")
DASHED_WORDS = 7


def is_dashed_title(line: str) -> bool:
    """"2 - Pièces contractuelles": a title, or an item of a list numbered the same way ("1 - Le
    CCAP"); only the caller, who sees the lines around it, can tell."""
    return bool(_DASHED.match(line)) and len(line.split()) <= DASHED_WORDS
