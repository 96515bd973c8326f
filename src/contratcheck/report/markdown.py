"""The Markdown report, for a pull-request comment or an e-mail: summary table, then findings per document."""

from __future__ import annotations

from typing import TextIO

from contratcheck.model import DocumentResult, Finding, Report, Severity
from contratcheck.report.common import (
    DISCLAIMER,
    PLAIN,
    View,
    absent,
    extent,
    piece_name,
    piece_problem,
    rules_fired,
    severity_counts,
    where,
    write_lines,
)
from contratcheck.report.escape import markdown_code, markdown_text
from contratcheck.report.fiche import sheet_rows
from contratcheck.service.verdict import verdict

TITLE = "Rapport contratcheck"
COLUMNS = ("Document", "Verdict", *(s.value.capitalize() for s in Severity), "Ignorés")
BY_RULE = "Par règle"


def labelled(finding: Finding) -> list[tuple[str, str]]:
    """What to do about a finding, as the HTML and Markdown reports label it; empty parts left out."""
    parts = (("Enjeu", finding.why), ("À exiger", finding.demand),
             ("Question à poser", finding.question), ("Alerte si", finding.alert))
    return [(label, value) for label, value in parts if value]


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _summary(report: Report) -> list[str]:
    lines = [_row(COLUMNS), _row(["---"] * 2 + ["---:"] * (len(COLUMNS) - 2))]
    for document in report.documents:
        counts = severity_counts([document])
        lines.append(_row([markdown_text(document.path), markdown_text(verdict(document)),
                           *(str(counts[s.value]) for s in Severity), str(len(document.suppressed))]))
    return lines


def sheet(document: DocumentResult) -> list[str]:
    lines = ["### Fiche contrat", "", _row(("Chiffre clé", "Ce que dit le contrat", "Où")), _row(["---"] * 3)]
    for row in sheet_rows(document):
        value = markdown_text(row.value) + (f" ({markdown_text(row.note)})" if row.note else "")
        lines.append(_row((markdown_text(row.label), value if row.stated else f"_{value}_", markdown_text(row.where))))
    return lines + [""]


def _finding(finding: Finding, document: DocumentResult) -> list[str]:
    lines = [f"**{markdown_text(finding.title)}** ({markdown_code(finding.rule)})", "", markdown_text(finding.message), ""]
    quotes = [f"> {markdown_text(where(e, document.path))} : « {markdown_text(e.excerpt)} »"
              for e in finding.evidence] or [f"> {absent(document)}"]
    lines += [line for quote in quotes for line in (">", quote)][1:]  # a bare ">" keeps excerpts apart
    return lines + ["", *(f"- **{label} :** {markdown_text(value)}" for label, value in labelled(finding)), ""]


def _document(document: DocumentResult) -> list[str]:
    lines = [f"## {markdown_text(document.path)}", "",
             f"{extent(document)} — **Verdict :** {markdown_text(verdict(document))}", ""]
    if document.error:
        lines += [f"**Erreur :** {markdown_text(document.error.message)} (code : {markdown_code(document.error.code)})", ""]
    lines += [line for warning in document.warnings for line in (f"**Attention :** {markdown_text(warning)}", "")]
    if document.pieces:
        lines += _pieces(document)
    if document.key_figures:
        lines += sheet(document)
    for severity in Severity:
        findings = [f for f in document.findings if f.severity is severity]
        if findings:
            lines += [f"### {severity.value.capitalize()} ({len(findings)})", ""]
            for finding in findings:
                lines += _finding(finding, document)
    if document.suppressed:
        lines += ["### Points ignorés", ""]
        lines += [f"- {markdown_text(s.title)} ({markdown_code(s.rule)}, {s.severity.value}) : {markdown_text(s.reason)}"
                  for s in document.suppressed]
        lines.append("")
    return lines


def _pieces(document: DocumentResult) -> list[str]:
    """The files of a contract made of several, each with why it was not read, if it was not."""
    lines = ["**Pièces :**", ""]
    for piece in document.pieces:
        problem = piece_problem(piece)
        name = markdown_text(piece_name(piece.path, document.path))
        lines.append(f"- {name} — {markdown_text(problem)}" if problem else f"- {name}")
    return lines + [""]


def _by_rule(report: Report) -> list[str]:
    """Each rule that fired, in the pack's order, with the documents it fired on."""
    lines = [f"## {BY_RULE} : quels contrats sont concernés", ""]
    for rule, documents in rules_fired(report):
        paths = [path for _, path in documents]
        lines.append(f"- **{markdown_text(rule.title)}** ({markdown_code(rule.id)}, {rule.severity.value}) :"
                     f" {len(paths)} document(s)")
        lines += [f"  - {markdown_text(path)}" for path in paths]
    return lines + [""]


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    write_lines(out, [f"# {TITLE}", "", f"contratcheck {markdown_text(report.tool_version)}", "", *_summary(report), ""])
    if view.by_rule:
        write_lines(out, _by_rule(report))
    for document in report.documents:
        write_lines(out, _document(document))
    lines = ["## Remarques", "", *(f"- {markdown_text(n)}" for n in report.notices), ""] if report.notices else []
    write_lines(out, [*lines, f"_{DISCLAIMER}_"])


def sheets(results) -> str:
    """Only the contract sheets (`contratcheck fiche --format markdown`)."""
    lines = []
    for result in results:
        lines += [f"## {markdown_text(result.path)}", ""]
        if result.error:
            lines += [f"**Erreur :** {markdown_text(result.error.message)}", ""]
        lines += sheet(result)[2:] if result.key_figures else []
    return "\n".join(lines)
