"""Reporters: pure functions from a Report to text, written to a stream; the CLI opens it."""

from __future__ import annotations

import io
from typing import TextIO

from contratcheck.model import DocumentResult, Report, Severity, Status

VERDICTS = {
    Severity.CRITIQUE: "risques critiques : ne pas signer en l'état",
    Severity.MAJEUR: "points majeurs à négocier avant de signer",
    Severity.MINEUR: "correct, quelques points mineurs",
    Severity.INFO: "correct, points d'information",
    None: "aucun point relevé",
}


def not_french(document: DocumentResult) -> bool:
    """The document was not audited because it is not written in French."""
    return document.error is not None and document.error.code == "foreign-language"


def verdict(document: DocumentResult) -> str:
    if not_french(document):
        return "non audité : contrat non rédigé en français"
    if document.status is Status.ERROR:
        return "non audité : fichier illisible"
    if document.status is Status.NO_TEXT:
        return "non audité : pas de texte exploitable"
    return VERDICTS[document.worst]


def severity_counts(documents) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for document in documents:
        for finding in document.findings:
            counts[finding.severity.value] += 1
    return counts


def summary(report: Report) -> dict[str, object]:
    statuses = [d.status for d in report.documents]
    return {
        "documents": len(report.documents),
        "ok": statuses.count(Status.OK),
        "no_text": statuses.count(Status.NO_TEXT),
        "errors": statuses.count(Status.ERROR),
        "findings": severity_counts(report.documents),
        "suppressed": sum(len(d.suppressed) for d in report.documents),
    }


def write_lines(out: TextIO, lines: list[str]) -> None:
    """Lines written a group at a time add up to the same text as all of them joined at once."""
    out.write("\n".join(lines) + "\n")


FORMATS = ("rich", "json", "markdown", "html", "junit", "sarif", "csv")


def write(name: str, report: Report, out: TextIO, **options) -> None:
    """Write `report` in the format `name` to `out`, a document at a time; renderers are imported
    only when used."""
    from importlib import import_module

    if name not in FORMATS:
        raise ValueError(name)
    module = import_module(f"contratcheck.report.{name}")
    module.write(report, out, **options)


def render(name: str, report: Report, **options) -> str:
    buffer = io.StringIO()
    write(name, report, buffer, **options)
    return buffer.getvalue()
