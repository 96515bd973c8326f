"""The contract sheet as rows every format shares: figure, what the contract states, where."""

from __future__ import annotations

from dataclasses import dataclass

from contratcheck.model import DocumentResult, Evidence
from contratcheck.text.wording import describe

UNSTATED = "non trouvé"


@dataclass(frozen=True, slots=True)
class SheetRow:
    label: str
    value: str  # UNSTATED when the contract says nothing
    note: str | None  # e.g. "soit 8,76 h d'arrêt admis par an"
    where: str  # "p. 2", "p. 2, 3", "§ 14", or "" when unstated
    stated: bool


def locate(evidence: list[Evidence]) -> str:
    """Short provenance of several values: their pages, else their paragraphs."""
    pages = sorted({e.page for e in evidence if e.page is not None})
    if pages:
        return "p. " + ", ".join(map(str, pages))
    paragraphs = sorted({e.paragraph for e in evidence if e.paragraph})
    return ", ".join(f"§ {p}" for p in paragraphs)


def sheet_rows(document: DocumentResult) -> list[SheetRow]:
    rows = []
    for figure in document.key_figures:
        shown = describe(figure)
        rows.append(SheetRow(figure.label, shown or UNSTATED, figure.note,
                             locate([v.evidence for v in figure.values]), shown is not None))
    return rows
