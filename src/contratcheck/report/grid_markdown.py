"""The comparison grid in Markdown (review comment, e-mail): best values in bold."""

from __future__ import annotations

from contratcheck.report.common import DISCLAIMER
from contratcheck.report.escape import markdown_text
from contratcheck.report.grid_common import LEGEND, TITLE, notes, reason_line, standing_title
from contratcheck.service.compare import Comparison
from contratcheck.service.ranking import Cell


def _cell(cell: Cell) -> str:
    text = "<br>".join(markdown_text(line) for line in cell.lines)
    return f"**{text}**" if cell.best else text


def render(comparison: Comparison) -> str:
    width = len(comparison.offers)
    lines = [f"# {TITLE}", "", "| | " + " | ".join(markdown_text(o.name) for o in comparison.offers) + " |",
             "|---" * (width + 1) + "|"]
    for section in comparison.sections:
        lines.append(f"| **{markdown_text(section.title)}** |" + " |" * width)
        lines += [f"| {markdown_text(row.label)} | " + " | ".join(map(_cell, row.cells)) + " |" for row in section.rows]
    lines += ["", f"_{markdown_text(LEGEND)}_", "", "## Classement", ""]
    for standing in comparison.ranking:
        lines.append(f"- **{markdown_text(standing_title(comparison, standing))}**")
        lines += [f"  - {markdown_text(reason_line(reason))}" for reason in standing.reasons]
    for title, paragraph in notes(comparison):
        lines += ["", f"## {title}", ""] + [f"- {markdown_text(line)}" for line in paragraph]
    lines += ["", f"_{markdown_text(DISCLAIMER)}_", ""]
    return "\n".join(lines)
