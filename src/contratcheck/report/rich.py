"""The terminal report: one section per document, findings by severity, then a summary."""

from __future__ import annotations

import io
import posixpath
from dataclasses import replace
from typing import TextIO, cast

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from contratcheck.model import DocumentResult, Finding, Report, Severity, Status
from contratcheck.report.common import (
    ABSENT_FROM_SET,
    DISCLAIMER,
    PLAIN,
    View,
    extent,
    neutralized,
    piece_name,
    piece_problem,
    rules_fired,
    severity_counts,
    unpadded,
    unread_pieces,
    where,
)
from contratcheck.report.escape import clean_text
from contratcheck.report.fiche import sheet_rows
from contratcheck.service.checklist import Checklist, load_checklist
from contratcheck.service.results import Mapped
from contratcheck.service.verdict import verdict

STYLES = {Severity.CRITIQUE: "bold red", Severity.MAJEUR: "bold yellow", Severity.MINEUR: "cyan", Severity.INFO: "blue"}
LABELS = {Severity.CRITIQUE: "CRITIQUE", Severity.MAJEUR: "MAJEUR", Severity.MINEUR: "MINEUR", Severity.INFO: "INFO"}
def _finding(finding: Finding, document: DocumentResult) -> Group:
    style = STYLES[finding.severity]
    title = Text.assemble((f"[{LABELS[finding.severity]}] ", style), (finding.title, "bold"), (f"  ({finding.rule})", "dim"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2)
    grid.add_column(style="bold", width=13)
    grid.add_column(ratio=1)
    grid.add_row("", "Constat", finding.message)
    if finding.evidence:
        for item in finding.evidence:
            grid.add_row(Text("»", style=style), "Extrait",
                         Text.assemble((f"{where(item, document.path)} : ", "dim"), f"« {item.excerpt} »"))
    else:
        grid.add_row(Text("»", style=style), "Extrait", Text(_absent(document), style="dim"))
    for label, value in (("Enjeu", finding.why), ("À exiger", finding.demand),
                         ("À demander", finding.question), ("Alerte si", finding.alert)):
        if value:
            grid.add_row("", label, value)
    return Group(title, grid, Text(""))


def _absent(document: DocumentResult) -> str:
    if document.pieces:
        return f"{ABSENT_FROM_SET}."
    scope = f"les {document.pages} pages" if document.pages else "tout le texte"
    return f"absent : rien de tel dans {scope} du document."


def _pieces(document: DocumentResult) -> list:
    """The files of a contract made of several, each with why it was not read, if it was not."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2)
    grid.add_column(ratio=1)
    for piece in document.pieces:
        problem = piece_problem(piece)
        name = piece_name(piece.path, document.path)
        grid.add_row("•", Text.assemble(name, (f" — {problem}", "magenta")) if problem else Text(name))
    return [Text("Pièces du contrat", style="bold"), grid, Text("")]


def _document(document: DocumentResult) -> list:
    worst = document.worst
    style = (STYLES[worst] if worst is not None else "green") if document.status is Status.OK else "bold magenta"
    header = Text.assemble((document.path, "bold"), f"  —  {extent(document)}  —  ", (verdict(document), style))
    items: list = [Panel(header, expand=True)]
    if document.warnings:  # first: what was not read weighs on everything below
        items += [Text(f"Attention : {warning}", style="magenta") for warning in document.warnings] + [Text("")]
    if document.pieces:
        items += _pieces(document)
    if document.key_figures:
        items += [sheet_table(document), Text("")]
    if document.error:
        items.append(Text(f"{document.error.message} (code : {document.error.code})", style="magenta"))
        items.append(Text(""))
    for severity in Severity:
        for finding in (f for f in document.findings if f.severity is severity):
            items.append(_finding(finding, document))
    for item in document.suppressed:
        items.append(Text(f"[ignoré] {item.title} ({item.rule}) : {item.reason}", style="dim"))
    if document.suppressed:
        items.append(Text(""))
    return items


def sheet_table(document: DocumentResult) -> Table:
    """The key figures in a compact table, read before the findings."""
    table = Table(title="Fiche contrat : chiffres clés", title_justify="left", expand=True, show_edge=False,
                  box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("Chiffre clé", style="bold", no_wrap=True)
    table.add_column("Ce que dit le contrat", ratio=1)
    # A contract's pieces make places long: they wrap rather than squeeze what the contract says.
    wide = {"ratio": 1, "overflow": "fold"} if document.pieces else {"no_wrap": True}
    table.add_column("Où", style="dim", **wide)
    for row in sheet_rows(document):
        value = Text(row.value, style="" if row.stated else "dim")
        if row.note:
            value.append(f" ({row.note})", style="dim")
        table.add_row(row.label, value, row.where)
    return table


def _summary(report: Report, width: int) -> Table:
    folder = _common_folder([d.path for d in report.documents])
    title = f"Synthèse (chemins dans {folder}/)" if folder else "Synthèse"
    table = Table(title=title, show_footer=len(report.documents) > 1)
    totals = severity_counts(report.documents)
    names = [document.path[len(folder) + 1:] if folder else document.path for document in report.documents]
    # A name keeps one line while the counts and a 16-column verdict still fit (they take 53
    # columns with the borders); a longer one wraps, never cut to « … ».
    room = max(12, min(max(map(len, names), default=8), width - 53 - 16))
    table.add_column("Document", footer="Total", overflow="fold", width=room)
    table.add_column("Verdict", footer=f"{sum(d.status is Status.OK for d in report.documents)} audité(s)")
    for severity in Severity:
        table.add_column(LABELS[severity].capitalize(), justify="right", footer=str(totals[severity.value]))
    table.add_column("Ignorés", justify="right", footer=str(sum(len(d.suppressed) for d in report.documents)))
    for document, name in zip(report.documents, names):
        counts = severity_counts([document])
        table.add_row(name, verdict(document), *(str(counts[s.value]) for s in Severity), str(len(document.suppressed)))
    return table


def _common_folder(paths: list[str]) -> str:
    """The folder all the paths share ("" if none): said once in the title, so the column shows
    what tells the files apart, and a file's name keeps one line."""
    if not paths:
        return ""
    folders = [posixpath.dirname(path) for path in paths]
    try:
        common = posixpath.commonpath(folders)
    except ValueError:  # absolute and relative paths mixed
        return ""
    return common if common not in ("", "/", ".") else ""


def _by_rule(report: Report) -> Table:
    """Which contracts lack what: one row per rule that fired, with the documents it fired on."""
    table = Table(title="Par règle : quels contrats sont concernés")
    table.add_column("Règle")
    table.add_column("Gravité")
    table.add_column("Documents")
    for rule, documents in rules_fired(report):
        table.add_row(rule.id, rule.severity.value, "\n".join(path for _, path in documents))
    return table


def _questions(report: Report, checklist: Checklist) -> list:
    fired = {f.rule for d in report.documents for f in d.findings}
    questions = [q for q in checklist.questions if fired & set(q.rules)]
    if not questions:
        return []
    items: list = [Text("Questions à poser au prestataire avant de signer", style="bold"),
                   _bullets(q.text for q in questions)]
    alerts = [a for a in checklist.alerts if fired & set(a.rules)]
    if alerts:
        items += [Text("Réponses qui doivent vous alerter", style="bold"),
                  _bullets(f"{a.text} — {a.reveals}" for a in alerts)]
    return items + [Text("")]


def _bullets(texts) -> Table:
    """A list whose wrapped lines stay aligned under their text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    for text in texts:
        grid.add_row("•", text)
    return grid


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    color = view.color
    console = Console(file=cast(TextIO, _Trimmed(out)), width=view.width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False, markup=False)
    report = replace(report, documents=Mapped(report.documents, neutralized), rules=neutralized(report.rules),
                     notices=neutralized(report.notices))
    if not view.quiet:
        for document in report.documents:
            for item in _document(document):
                console.print(item)
    console.print(_summary(report, console.width))
    console.print()
    if view.by_rule:
        console.print(_by_rule(report))
        console.print()
    for notice in report.notices:
        console.print(Text(f"Attention : {notice}", style="yellow"))
    if not view.quiet:
        for item in _questions(report, load_checklist()):
            console.print(item)
        console.print(Text(DISCLAIMER, style="italic dim"))
    if view.quiet:  # what could not be audited is part of the exit reason
        for document in report.documents:
            for unread in [document, *unread_pieces(document)]:
                if unread.status is not Status.OK and unread.error:
                    console.print(Text(f"{unread.path} : {unread.error.message} (code : {unread.error.code})",
                                       style="magenta"))
    if view.ending:
        console.print(Text(clean_text(view.ending), style="bold"))
    console.file.flush()


class _Trimmed(io.TextIOBase):
    """Passes text on a line at a time, unpadded."""

    def __init__(self, out: TextIO) -> None:
        self._out, self._pending = out, ""

    def write(self, text: str) -> int:
        lines, _, self._pending = (self._pending + text).rpartition("\n")
        if lines or _:
            self._out.write(unpadded(lines) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._out.write(unpadded(self._pending))
            self._pending = ""
        self._out.flush()


def sheets(results, width: int | None = 100) -> str:
    """Only the contract sheets (`contratcheck fiche`)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False, markup=False)
    for result in map(neutralized, results):
        console.print(Text(result.path, style="bold"))
        if result.error:
            console.print(Text(f"{result.error.message} (code : {result.error.code})"))
        elif result.key_figures:
            console.print(sheet_table(result))
        console.print()
    return unpadded(buffer.getvalue())
