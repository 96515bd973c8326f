"""The CSV report for spreadsheets (French Excel: ";" and a UTF-8 BOM): one line per finding.

Columns are only ever added at the end, so that a consumer reading them by position keeps working.
"""

from __future__ import annotations

import csv
from typing import TextIO

from contratcheck.model import DocumentResult, Evidence, Finding, Report, Status
from contratcheck.report.common import PLAIN, View, unread_pieces
from contratcheck.report.escape import csv_cell
from contratcheck.service.verdict import not_french, verdict

# `document` names a contract made of several files; `pièce` the file that holds each excerpt.
HEADER = ("document", "statut", "règle", "gravité", "titre", "page", "section", "extrait", "message", "ignoré",
          "paragraphe", "ligne", "colonne", "pièce")
STATUS_LABELS = {Status.OK: "audité", Status.NO_TEXT: "sans texte", Status.ERROR: "illisible"}
_EMPTY_PLACE = [""] * 4  # paragraphe, ligne, colonne, pièce
_RULE = HEADER.index("règle")


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _places(evidence: Evidence) -> tuple[str, ...]:
    """page, section, excerpt, then paragraph (only without pages: DOCX, text; a PDF page says where), line,
    column, piece."""
    paragraph = evidence.paragraph if evidence.page is None else None
    return (_number(evidence.page), evidence.section or "", evidence.excerpt,
            _number(paragraph), _number(evidence.line), _number(evidence.column), evidence.path or "")


def _finding(head: list[str], f: Finding) -> list[str]:
    """Several excerpts of a finding share its cells, one per line inside each cell."""
    columns = ["\n".join(column) for column in zip(*map(_places, f.evidence))] if f.evidence else [""] * 7
    pages, sections, excerpts, *place = columns
    return head + [f.rule, f.severity.value, f.title, pages, sections, excerpts, f.message, ""] + place


def _status(document: DocumentResult) -> str:
    return "non français" if not_french(document) else STATUS_LABELS[document.status]


def _ruleless(head: list[str], message: str, piece: str = "") -> list[str]:
    """A line that tells no finding: an unread document or piece, or a document with nothing found."""
    return head + [""] * 6 + [message, ""] + _EMPTY_PLACE[:-1] + [piece]


def _rows(document: DocumentResult) -> list[list[str]]:
    """Lines for one document: its findings, then what was ignored (a single line when it has
    neither), then the pieces of a contract made of several files that could not be read."""
    head = [document.path, _status(document)]
    unread = [_ruleless([document.path, _status(piece)], piece.error.message if piece.error else verdict(piece), piece.path)
              for piece in unread_pieces(document)]
    if document.status is not Status.OK:
        return [_ruleless(head, document.error.message if document.error else verdict(document))] + unread
    rows = [_finding(head, f) for f in document.findings]
    rows += [head + [s.rule, s.severity.value, s.title, "", "", "", "", s.reason] + _EMPTY_PLACE for s in document.suppressed]
    return (rows or [_ruleless(head, verdict(document))]) + unread


def _by_rule(report: Report) -> list[list[str]]:
    """The rows ordered by rule (the pack's order, then rules it does not list), then by document;
    the lines of a document without a rule (unread, or nothing found) come last. Held until the
    last document is read: the rows, not the documents."""
    rules: dict[str, list[list[str]]] = {rule.id: [] for rule in report.rules}
    ruleless: list[list[str]] = []
    for document in report.documents:
        for row in _rows(document):
            (rules.setdefault(row[_RULE], []) if row[_RULE] else ruleless).append(row)
    return [row for rows in rules.values() for row in rows] + ruleless


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    if view.by_rule:
        writer.writerows([csv_cell(cell) for cell in row] for row in _by_rule(report))
        return
    for document in report.documents:
        writer.writerows([csv_cell(cell) for cell in row] for row in _rows(document))
