"""The HTML report: one self-contained page (inline style, no script, no external resource) for a manager.

Every document and finding has a stable id (its position in the report, then the rule), so a link
to one finding can be copied and shared; the summary table is the table of contents.
"""

from __future__ import annotations

import itertools
import re
from typing import TextIO

from contratcheck.model import DocumentResult, Finding, Report, Severity, Status
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
from contratcheck.report.escape import xml_text
from contratcheck.report.fiche import sheet_rows
from contratcheck.report.markdown import BY_RULE, COLUMNS, TITLE, labelled
from contratcheck.service.verdict import verdict

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222;
       line-height: 1.45; overflow-wrap: break-word; }
.summary td:first-child { overflow-wrap: anywhere; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; }
section.document { border-top: 2px solid #888; margin-top: 2rem; }
.finding { border-left: .4rem solid var(--c); padding: .2rem 1rem; margin: 1rem 0; background: #fafafa; }
.badge { padding: 0 .4rem; border-radius: .2rem; font-size: .8em; text-transform: uppercase; }
.badge, .verdict, .erreur { background: var(--c, #2e7d32); color: #fff; }
blockquote { margin: .5rem 0; padding: .3rem .8rem; border-left: 3px solid #bbb; background: #fff; white-space: pre-line; }
.where, .lien { color: #666; font-size: .9em; }
.lien { font-weight: normal; margin-left: .3rem; }
dt { font-weight: bold; }
dd { margin: 0 0 .3rem 1rem; }
.critique { --c: #c62828; }
.majeur { --c: #ef6c00; }
.mineur { --c: #1565c0; }
.info { --c: #757575; }
.verdict { display: inline-block; padding: .1rem .5rem; border-radius: .2rem; }
.verdict.non-audite, .erreur { --c: #6a1b9a; padding: .1rem .5rem; }
footer { margin-top: 2rem; color: #555; font-style: italic; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; }
  th, td { padding: .2rem .35rem; }
  .fiche td:last-child { white-space: nowrap; }
  .summary, .summary tbody, .summary td { display: block; border: 0; }
  .summary thead { display: none; }
  .summary tr { display: grid; grid-template-columns: repeat(5, 1fr); border: 1px solid #ccc; margin-bottom: .5rem; }
  .summary td { padding: .2rem .5rem; }
  .summary td.n { text-align: left; }
  .summary td:nth-child(-n+2) { grid-column: 1 / -1; }
  .summary td.n::before { content: attr(data-label); display: block; font-size: .75em; color: #666; }
}
@page { margin: 15mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; color: #000; font-size: 10.5pt; }
  .finding, tr, li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .finding, blockquote { background: none; }
  .badge, .verdict, .erreur { background: none; color: var(--c, #2e7d32); border: 1px solid; }
  a { color: inherit; text-decoration: none; }
  .lien { display: none; }
  .table { overflow: visible; }
}
"""
# No script may run even if some text escaped the escaping: the page needs its inline style only.
POLICY = "default-src 'none'; style-src 'unsafe-inline'"
_NOT_ID = re.compile("[^A-Za-z0-9-]")


def finding_id(position: int, rule: str) -> str:
    """The anchor of a finding: its document's position in the report (from 1), then its rule."""
    return f"d{position}-{_NOT_ID.sub('_', rule)}"


def _link(anchor: str, text: str) -> str:
    return f'<a href="#{anchor}">{text}</a>'


def _verdict_class(document: DocumentResult) -> str:
    if document.status is not Status.OK:
        return "verdict non-audite"
    return f"verdict {document.worst.value}" if document.worst else "verdict"


def _summary_row(position: int, document: DocumentResult) -> str:
    counts = severity_counts([document])
    numbers = zip(COLUMNS[2:], [*(counts[s.value] for s in Severity), len(document.suppressed)])
    return (f"<tr><td>{_link(f'd{position}', xml_text(document.path))}</td><td>{xml_text(verdict(document))}</td>"
            + "".join(f'<td class="n" data-label="{label}">{n}</td>' for label, n in numbers) + "</tr>")


def _summary(report: Report, view: View) -> list[str]:
    """The summary table, whose document names link to their section: the table of contents."""
    also = [_link("par-regle", BY_RULE)] if view.by_rule else []
    also += [_link("remarques", "Remarques")] if report.notices else []
    lines = ['<nav aria-labelledby="synthese">', '<h2 id="synthese">Synthèse</h2>',
             '<div class="table"><table class="summary">',
             "<thead><tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr></thead>", "<tbody>"]
    lines += [_summary_row(position, document) for position, document in enumerate(report.documents, 1)]
    lines += ["</tbody>", "</table></div>"]
    return lines + ([f"<p>Voir aussi : {' · '.join(also)}</p>"] if also else []) + ["</nav>"]


def _by_rule(report: Report) -> list[str]:
    """Each rule that fired, in the pack's order, with links to its finding in every document concerned."""
    lines = ['<section id="par-regle">', f"<h2>{BY_RULE} : quels contrats sont concernés</h2>", "<ul>"]
    for rule, documents in rules_fired(report):
        severity = rule.severity.value
        lines.append(f'<li><span class="badge {severity}">{severity}</span> <strong>{xml_text(rule.title)}</strong> '
                     f"<code>{xml_text(rule.id)}</code> : {len(documents)} document(s)<ul>")
        lines += [f"<li>{_link(finding_id(position, rule.id), xml_text(path))}</li>" for position, path in documents]
        lines.append("</ul></li>")
    return lines + ["</ul>", "</section>"]


def _sheet(document: DocumentResult) -> list[str]:
    lines = ['<h3>Fiche contrat</h3>', '<div class="table"><table class="fiche">',
             "<thead><tr><th>Chiffre clé</th><th>Ce que dit le contrat</th><th>Où</th></tr></thead>", "<tbody>"]
    for row in sheet_rows(document):
        note = f' <span class="where">({xml_text(row.note)})</span>' if row.note else ""
        value = xml_text(row.value) if row.stated else f'<span class="where">{xml_text(row.value)}</span>'
        lines.append(f"<tr><th>{xml_text(row.label)}</th><td>{value}{note}</td><td>{xml_text(row.where)}</td></tr>")
    return lines + ["</tbody>", "</table></div>"]


def _finding(finding: Finding, anchor: str, document: DocumentResult) -> list[str]:
    severity = finding.severity.value
    lines = [f'<article class="finding {severity}" id="{anchor}">',
             f'<h3><span class="badge {severity}">{severity}</span> {xml_text(finding.title)} <code>{xml_text(finding.rule)}</code>'
             f'<a class="lien" href="#{anchor}" title="Lien vers ce point">lien</a></h3>',
             f"<p>{xml_text(finding.message)}</p>"]
    for item in finding.evidence:
        lines.append(f'<blockquote><span class="where">{xml_text(where(item, document.path))}</span>\n'
                     f'« {xml_text(item.excerpt)} »</blockquote>')
    if not finding.evidence:
        lines.append(f'<blockquote class="where">{absent(document)}</blockquote>')
    lines += ["<dl>", *(f"<dt>{label}</dt><dd>{xml_text(value)}</dd>" for label, value in labelled(finding)), "</dl>"]
    return lines + ["</article>"]


def _findings(document: DocumentResult, position: int) -> list[str]:
    """The findings by severity, each with its own anchor (a rule firing twice gets « -2 »)."""
    lines: list[str] = []
    used: set[str] = set()
    for severity in Severity:
        for finding in (f for f in document.findings if f.severity is severity):
            anchor = base = finding_id(position, finding.rule)
            suffixes = itertools.count(2)
            while anchor in used:
                anchor = f"{base}-{next(suffixes)}"
            used.add(anchor)
            lines += _finding(finding, anchor, document)
    return lines


def _pieces(document: DocumentResult) -> list[str]:
    """The files of a contract made of several, each with why it was not read, if it was not."""
    lines = ['<h3>Pièces</h3>', '<ul class="pieces">']
    for piece in document.pieces:
        problem = piece_problem(piece)
        name = xml_text(piece_name(piece.path, document.path))
        lines.append(f'<li>{name} <span class="erreur">{xml_text(problem)}</span></li>' if problem else f"<li>{name}</li>")
    return lines + ["</ul>"]


def _document(document: DocumentResult, position: int) -> list[str]:
    lines = [f'<section class="document" id="d{position}">', f"<h2>{xml_text(document.path)}</h2>",
             f'<p>{extent(document)} — <span class="{_verdict_class(document)}">{xml_text(verdict(document))}</span></p>']
    if document.error:
        lines.append(f'<p class="erreur">{xml_text(document.error.message)} (code : <code>{xml_text(document.error.code)}</code>)</p>')
    lines += [f'<p class="erreur">Attention : {xml_text(warning)}</p>' for warning in document.warnings]
    if document.pieces:
        lines += _pieces(document)
    if document.key_figures:
        lines += _sheet(document)
    lines += _findings(document, position)
    if document.suppressed:
        lines += ["<h3>Points ignorés</h3>", "<ul>"]
        lines += [f"<li>{xml_text(s.title)} (<code>{xml_text(s.rule)}</code>, {s.severity.value}) : {xml_text(s.reason)}</li>"
                  for s in document.suppressed]
        lines.append("</ul>")
    return lines + ["</section>"]


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    write_lines(out, ["<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">',
             f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{TITLE}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             f"<h1>{TITLE}</h1>", f"<p>contratcheck {xml_text(report.tool_version)}</p>", *_summary(report, view)])
    if view.by_rule:
        write_lines(out, _by_rule(report))
    for position, document in enumerate(report.documents, 1):
        write_lines(out, _document(document, position))
    notices = ['<h2 id="remarques">Remarques</h2>', "<ul>", *(f"<li>{xml_text(n)}</li>" for n in report.notices), "</ul>"]
    write_lines(out, [*(notices if report.notices else []), f"<footer><p>{xml_text(DISCLAIMER)}</p></footer>", "</body>", "</html>"])
