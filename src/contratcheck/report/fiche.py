"""The contract sheet as rows every format shares: figure, what the contract states, where."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contratcheck.model import DocumentResult, Evidence
from contratcheck.report.common import piece_name
from contratcheck.text.wording import describe

UNSTATED = "non trouvé"


@dataclass(frozen=True, slots=True)
class SheetRow:
    label: str
    value: str  # UNSTATED when the contract says nothing
    note: str | None  # e.g. "soit 8,76 h d'arrêt admis par an"
    where: str  # "p. 2", "p. 2, 3", "l. 14", "Article 5", or "" when unstated
    stated: bool


def locate(evidence: list[Evidence]) -> str:
    """Short provenance of several values: their pages (PDF), lines (text) or articles (DOCX)."""
    pages = sorted({e.page for e in evidence if e.page is not None})
    if pages:
        return "p. " + ", ".join(map(str, pages))
    lines = sorted({e.line for e in evidence if e.line is not None})
    if lines:
        return "l. " + ", ".join(map(str, lines))
    return ", ".join(dict.fromkeys(_article(e.section) for e in evidence if e.section))


def locate_in(evidence: list[Evidence], contract: str) -> str:
    """locate() piece by piece, each named (« ccap.pdf p. 3 ; cctp.pdf p. 12 »), for a contract
    made of several files."""
    pieces: dict[str | None, list[Evidence]] = {}
    for item in evidence:
        pieces.setdefault(item.path, []).append(item)
    return " ; ".join(" ".join(filter(None, (piece_name(path, contract) if path else "", locate(items))))
                      for path, items in pieces.items())


def _article(section: str) -> str:
    """"Article 5" of "Article 5 – Niveaux de service": a column of places stays narrow."""
    number = _NUMBERED.match(section)
    return number.group(0) if number else section


_NUMBERED = re.compile(r"(?i)((article|art\.|chapitre|section|annexe)\s+)?\d+(\.\d+)*")


def sheet_rows(document: DocumentResult) -> list[SheetRow]:
    rows = []
    for figure in document.key_figures:
        shown = describe(figure)
        evidence = [v.evidence for v in figure.values]
        where = locate_in(evidence, document.path) if document.pieces else locate(evidence)
        note = " ; ".join(filter(None, (figure.note, figure.prevailing.reason if figure.prevailing else None)))
        rows.append(SheetRow(figure.label, shown or UNSTATED, note or None, where, shown is not None))
    return rows
