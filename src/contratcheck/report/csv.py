"""The CSV report for spreadsheets (French Excel: ";" and a UTF-8 BOM): one line per finding."""

from __future__ import annotations

import csv
from typing import TextIO

from contratcheck.model import DocumentResult, Report, Status
from contratcheck.report.common import PLAIN, View
from contratcheck.report.escape import csv_cell
from contratcheck.service.verdict import not_french, verdict

HEADER = ("document", "statut", "règle", "gravité", "titre", "page", "section", "extrait", "message", "ignoré")
STATUS_LABELS = {Status.OK: "audité", Status.NO_TEXT: "sans texte", Status.ERROR: "illisible"}


def _rows(document: DocumentResult) -> list[list[str]]:
    """Lines for one document; several excerpts of a finding share its cells, one per line inside the cell."""
    head = [document.path, "non français" if not_french(document) else STATUS_LABELS[document.status]]
    if document.status is not Status.OK:
        message = document.error.message if document.error else verdict(document)
        return [head + [""] * 6 + [message, ""]]
    rows = []
    for f in document.findings:
        evidence = [("" if e.page is None else str(e.page), e.section or "", e.excerpt) for e in f.evidence]
        pages, sections, excerpts = ("\n".join(column) for column in zip(*evidence)) if evidence else ("", "", "")
        rows.append(head + [f.rule, f.severity.value, f.title, pages, sections, excerpts, f.message, ""])
    rows += [head + [s.rule, s.severity.value, s.title, "", "", "", "", s.reason] for s in document.suppressed]
    return rows or [head + [""] * 6 + [verdict(document), ""]]


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for document in report.documents:
        writer.writerows([csv_cell(cell) for cell in row] for row in _rows(document))
