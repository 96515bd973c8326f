"""The comparison grid for a spreadsheet (French Excel: ";" and a UTF-8 BOM): one line per row of
the grid, one column per offer, several values of a cell on lines inside it; best values starred."""

from __future__ import annotations

import csv
import io

from contratcheck.report.escape import csv_cell
from contratcheck.report.grid_common import BEST, notes, reason_line
from contratcheck.service.compare import Comparison
from contratcheck.service.ranking import Cell


def _cell(cell: Cell) -> str:
    text = "\n".join(cell.lines)
    return f"{BEST} {text}" if cell.best else text


def render(comparison: Comparison) -> str:
    rows = [["rubrique", "ligne", *(offer.name for offer in comparison.offers)]]
    for section in comparison.sections:
        rows += [[section.title, row.label, *map(_cell, row.cells)] for row in section.rows]
    reasons = [""] * len(comparison.offers)
    for standing in comparison.ranking:
        reasons[standing.offer] = "\n".join(map(reason_line, standing.reasons))
    rows.append(["Classement", "Détail des points", *reasons])
    rows += [[title, line] + [""] * len(comparison.offers) for title, lines in notes(comparison) for line in lines]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()
