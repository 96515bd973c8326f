"""The HTML report: one self-contained page (inline style, no script, no external resource) for a manager."""

from __future__ import annotations

from typing import TextIO

from contratcheck.model import DocumentResult, Finding, Report, Severity, Status
from contratcheck.report.common import DISCLAIMER, PLAIN, View, severity_counts, where, write_lines
from contratcheck.report.escape import xml_text
from contratcheck.report.fiche import sheet_rows
from contratcheck.report.markdown import ABSENT, COLUMNS, TITLE, pages
from contratcheck.service.verdict import verdict

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; }
section.document { border-top: 2px solid #888; margin-top: 2rem; }
.finding { border-left: .4rem solid; padding: .2rem 1rem; margin: 1rem 0; background: #fafafa; }
.badge { color: #fff; padding: 0 .4rem; border-radius: .2rem; font-size: .8em; text-transform: uppercase; }
blockquote { margin: .5rem 0; padding: .3rem .8rem; border-left: 3px solid #bbb; background: #fff; white-space: pre-line; }
.where { color: #666; font-size: .9em; }
dt { font-weight: bold; }
.critique { border-color: #c62828; } .badge.critique, .verdict.critique { background: #c62828; color: #fff; }
.majeur { border-color: #ef6c00; } .badge.majeur, .verdict.majeur { background: #ef6c00; color: #fff; }
.mineur { border-color: #1565c0; } .badge.mineur, .verdict.mineur { background: #1565c0; color: #fff; }
.info { border-color: #757575; } .badge.info, .verdict.info { background: #757575; color: #fff; }
.verdict { display: inline-block; padding: .1rem .5rem; border-radius: .2rem; background: #2e7d32; color: #fff; }
.verdict.non-audite, .erreur { background: #6a1b9a; color: #fff; padding: .1rem .5rem; }
footer { margin-top: 2rem; color: #555; font-style: italic; }
"""
# No script may run even if some text escaped the escaping: the page needs its inline style only.
POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _verdict_class(document: DocumentResult) -> str:
    if document.status is not Status.OK:
        return "verdict non-audite"
    return f"verdict {document.worst.value}" if document.worst else "verdict"


def _summary(report: Report) -> list[str]:
    lines = ["<table>", "<thead><tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr></thead>", "<tbody>"]
    for document in report.documents:
        counts = severity_counts([document])
        numbers = [*(counts[s.value] for s in Severity), len(document.suppressed)]
        lines.append(f"<tr><td>{xml_text(document.path)}</td><td>{xml_text(verdict(document))}</td>"
                     + "".join(f'<td class="n">{n}</td>' for n in numbers) + "</tr>")
    return lines + ["</tbody>", "</table>"]


def _sheet(document: DocumentResult) -> list[str]:
    lines = ['<h3>Fiche contrat</h3>', '<table class="fiche">',
             "<thead><tr><th>Chiffre clé</th><th>Ce que dit le contrat</th><th>Où</th></tr></thead>", "<tbody>"]
    for row in sheet_rows(document):
        note = f' <span class="where">({xml_text(row.note)})</span>' if row.note else ""
        value = xml_text(row.value) if row.stated else f'<span class="where">{xml_text(row.value)}</span>'
        lines.append(f"<tr><th>{xml_text(row.label)}</th><td>{value}{note}</td><td>{xml_text(row.where)}</td></tr>")
    return lines + ["</tbody>", "</table>"]


def _finding(finding: Finding) -> list[str]:
    severity = finding.severity.value
    lines = [f'<article class="finding {severity}">',
             f'<h3><span class="badge {severity}">{severity}</span> {xml_text(finding.title)} <code>{xml_text(finding.rule)}</code></h3>',
             f"<p>{xml_text(finding.message)}</p>"]
    for item in finding.evidence:
        lines.append(f'<blockquote><span class="where">{xml_text(where(item))}</span>\n« {xml_text(item.excerpt)} »</blockquote>')
    if not finding.evidence:
        lines.append(f'<blockquote class="where">{ABSENT}</blockquote>')
    lines.append("<dl>")
    for label, value in (("Enjeu", finding.why), ("À exiger", finding.demand),
                         ("Question à poser", finding.question), ("Alerte si", finding.alert)):
        if value:
            lines.append(f"<dt>{label}</dt><dd>{xml_text(value)}</dd>")
    return lines + ["</dl>", "</article>"]


def _document(document: DocumentResult) -> list[str]:
    lines = ['<section class="document">', f"<h2>{xml_text(document.path)}</h2>",
             f'<p>{pages(document)} — <span class="{_verdict_class(document)}">{xml_text(verdict(document))}</span></p>']
    if document.error:
        lines.append(f'<p class="erreur">{xml_text(document.error.message)} (code : <code>{xml_text(document.error.code)}</code>)</p>')
    if document.key_figures:
        lines += _sheet(document)
    for severity in Severity:
        for finding in (f for f in document.findings if f.severity is severity):
            lines += _finding(finding)
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
             f"<h1>{TITLE}</h1>", f"<p>contratcheck {xml_text(report.tool_version)}</p>", *_summary(report)])
    for document in report.documents:
        write_lines(out, _document(document))
    lines = ["<h2>Remarques</h2>", "<ul>", *(f"<li>{xml_text(n)}</li>" for n in report.notices), "</ul>"] if report.notices else []
    write_lines(out, [*lines, f"<footer><p>{xml_text(DISCLAIMER)}</p></footer>", "</body>", "</html>"])
