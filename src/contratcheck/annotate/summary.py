"""The summary put in front of an annotated PDF: counts, what the contract lacks, where the
highlighted clauses are. Drawn with the standard Helvetica (WinAnsi covers French accents and €),
so no font is embedded and no layout library is needed."""

from __future__ import annotations

from dataclasses import dataclass

from contratcheck.annotate.notes import counts
from contratcheck.model import DocumentResult, Finding, Severity
from contratcheck.report.common import DISCLAIMER

PAGE = (595.28, 841.89)  # A4, in points
MARGIN = 56.0
LEADING = 1.35
COLORS = {Severity.CRITIQUE: (1.0, 0.55, 0.55), Severity.MAJEUR: (1.0, 0.74, 0.35),
          Severity.MINEUR: (1.0, 0.93, 0.3), Severity.INFO: (0.6, 0.8, 1.0)}


@dataclass(frozen=True, slots=True)
class Line:
    """A paragraph of the summary: wrapped to the page width when drawn."""

    text: str
    size: float = 10.0
    bold: bool = False
    indent: float = 0.0
    mark: Severity | None = None  # a square of the severity's highlight colour before the text
    before: float = 0.0  # extra space above, in points


@dataclass(frozen=True, slots=True)
class Placed:
    """Where the notes of a finding with evidence went: pages of the original document."""

    finding: Finding
    pages: tuple[int, ...]
    aside: bool  # at least one passage was not found on its page: its note is in the margin


def summary_lines(result: DocumentResult, name: str, placed: list[Placed], offset: int) -> list[Line]:
    """The summary's paragraphs when it takes `offset` pages (page numbers shift by as much)."""
    first = "la première page" if offset == 1 else f"les {offset} premières pages"
    assert result.pages is not None  # the summary heads an annotated PDF, whose page count is known
    lines = [
        Line("Contrat annoté par contratcheck", 16, bold=True),
        Line(f"Document : {name}, {result.pages} page{'s' if result.pages > 1 else ''}. Points relevés : {counts(result)}.",
             before=4),
        Line(f"Cette copie annotée laisse le contrat original intact. Cette synthèse occupe {first} ; la page 1 du "
             f"contrat est la page {offset + 1} de ce fichier. Chaque clause en cause est surlignée dans la couleur "
             "de sa gravité : cliquez sur le surlignage (ou survolez-le) pour lire la note, avec le constat, l'enjeu, "
             "ce qu'il faut exiger et la question à poser au prestataire.", before=6),
    ]
    lines += [Line(f"Surlignage {s.value}", mark=s, indent=12, before=4 if s is Severity.CRITIQUE else 0) for s in Severity]
    absent = sorted((f for f in result.findings if not f.evidence), key=lambda f: -f.severity.rank)
    if absent:
        lines.append(Line(f"Ce qui manque au contrat ({len(absent)})", 12, bold=True, before=12))
        lines.append(Line("Aucune clause ne traite de ces points : demandez au prestataire de les ajouter.", before=2))
        for finding in absent:
            lines.append(Line(f"[{finding.severity.value.upper()}] {finding.title}", bold=True, mark=finding.severity,
                              indent=12, before=5))
            lines.append(Line(f"À exiger : {finding.demand}", indent=12))
    if placed:
        lines.append(Line(f"Clauses surlignées dans le contrat ({len(placed)})", 12, bold=True, before=12))
        for item in sorted(placed, key=lambda p: -p.finding.severity.rank):
            lines.append(Line(f"[{item.finding.severity.value.upper()}] {item.finding.title}", bold=True,
                              mark=item.finding.severity, indent=12, before=5))
            lines.append(Line(_where(item, offset), indent=12))
    if result.warnings:
        lines.append(Line("À savoir", 12, bold=True, before=12))
        lines.extend(Line(warning, before=2) for warning in result.warnings)
    lines.append(Line(DISCLAIMER, 9, before=14))
    return lines


def _where(item: Placed, offset: int) -> str:
    here = _numbers([p + offset for p in item.pages])
    original = _numbers(list(item.pages))
    text = f"{here} de ce fichier ({original} du contrat original)"
    if item.aside:
        text += " ; un passage cité n'a pas été retrouvé à l'identique : sa note est en haut à droite de la page"
    return text[0].upper() + text[1:] + "."


def _numbers(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"page {pages[0]}"
    return "pages " + ", ".join(map(str, pages[:-1])) + f" et {pages[-1]}"


def paginate(lines: list[Line]) -> list[list[tuple[Line, list[str], float]]]:
    """Lines wrapped and laid out top-down: per page, (line, its rows, baseline of the first row)."""
    pages: list[list[tuple[Line, list[str], float]]] = [[]]
    y = PAGE[1] - MARGIN
    for line in lines:
        rows = _wrap(line)
        height = line.before + line.size * LEADING * len(rows)
        if y - height < MARGIN and pages[-1]:
            pages.append([])
            y = PAGE[1] - MARGIN
        y -= line.before if pages[-1] else 0
        pages[-1].append((line, rows, y - line.size))
        y -= line.size * LEADING * len(rows)
    return pages


def content(page: list[tuple[Line, list[str], float]]) -> bytes:
    """The PDF content stream drawing one summary page (fonts /F1 regular, /F2 bold)."""
    ops = []
    for line, rows, baseline in page:
        x = MARGIN + line.indent
        if line.mark:
            red, green, blue = COLORS[line.mark]
            ops.append(f"{red} {green} {blue} rg {x - 12:.2f} {baseline - 1:.2f} 8 8 re f 0 g")
        for number, row in enumerate(rows):
            y = baseline - number * line.size * LEADING
            font = "/F2" if line.bold else "/F1"
            ops.append(f"BT {font} {line.size} Tf {x:.2f} {y:.2f} Td ({_escape(row)}) Tj ET")
    return "\n".join(ops).encode("cp1252", "replace")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(line: Line) -> list[str]:
    from pdfminer.fontmetrics import FONT_METRICS  # Adobe's Helvetica widths, shipped with pdfplumber's pdfminer

    widths = FONT_METRICS["Helvetica-Bold" if line.bold else "Helvetica"][1]
    room = (PAGE[0] - 2 * MARGIN - line.indent) * 1000 / line.size
    rows, current, used = [], "", 0.0
    for word in line.text.split():
        width = sum(widths.get(c, 556) for c in word)
        space = widths[" "] if current else 0
        if current and used + space + width > room:
            rows.append(current)
            current, used = word, width
        else:
            current, used = f"{current} {word}" if current else word, used + space + width
    return rows + [current]
