"""What several renderers share: the disclaimer, where an excerpt stands, counts and the summary."""

from __future__ import annotations

from typing import TextIO

from contratcheck.model import Evidence, Report, Severity, Status

DISCLAIMER = ("contratcheck signale des clauses à vérifier ; ce n'est pas un avis juridique. "
              "Faites relire le contrat par un professionnel du droit avant de signer.")


def where(item: Evidence) -> str:
    parts = []
    if item.page is not None:
        parts.append(f"page {item.page}")
    if item.section:
        parts.append(item.section)
    if item.page is None and item.paragraph:
        parts.append(f"§ {item.paragraph}")
    return ", ".join(parts) or "début du document"


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
