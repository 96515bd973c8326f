"""The comparison grid as one self-contained HTML page (inline style, no script): best values in
bold green, red flags in red, then the ranking with its reasons and the notes."""

from __future__ import annotations

from contratcheck.report.common import DISCLAIMER
from contratcheck.report.escape import xml_text
from contratcheck.report.grid_common import BEST, LEGEND, TITLE, notes, reason_line, standing_title
from contratcheck.report.html import POLICY
from contratcheck.service.compare import Comparison
from contratcheck.service.ranking import Cell

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 80rem; color: #222; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eee; position: sticky; top: 0; }
tr.section th { background: #dde6f0; text-transform: uppercase; font-size: .85em; letter-spacing: .03em; }
td.best { font-weight: bold; color: #1b5e20; background: #e8f5e9; }
td.alert { color: #b71c1c; }
li.negative { color: #b71c1c; }
.legend, footer { color: #555; font-style: italic; }
"""


def _cell(cell: Cell) -> str:
    classes = " ".join(name for name, on in (("best", cell.best), ("alert", cell.alert)) if on)
    attribute = f' class="{classes}"' if classes else ""
    star = f"{BEST} " if cell.best else ""
    return f"<td{attribute}>{star}{'<br>'.join(xml_text(line) for line in cell.lines)}</td>"


def _grid(comparison: Comparison) -> list[str]:
    count = len(comparison.offers)
    html = ["<table>", "<thead><tr><th></th>" + "".join(f"<th>{xml_text(o.name)}</th>" for o in comparison.offers)
            + "</tr></thead>", "<tbody>"]
    for section in comparison.sections:
        html.append(f'<tr class="section"><th colspan="{count + 1}">{xml_text(section.title)}</th></tr>')
        html += [f"<tr><th>{xml_text(row.label)}</th>{''.join(map(_cell, row.cells))}</tr>" for row in section.rows]
    return html + ["</tbody>", "</table>", f'<p class="legend">{xml_text(LEGEND)}</p>']


def _ranking(comparison: Comparison) -> list[str]:
    html = ["<h2>Classement</h2>", "<ol>"]
    for standing in comparison.ranking:
        reasons = "".join(f'<li class="{"negative" if r.points < 0 else ""}">{xml_text(reason_line(r))}</li>'
                          for r in standing.reasons)
        html.append(f"<li><strong>{xml_text(standing_title(comparison, standing))}</strong><ul>{reasons}</ul></li>")
    return html + ["</ol>"]


def render(comparison: Comparison) -> str:
    html = ["<!DOCTYPE html>", '<html lang="fr">', "<head>", '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
            f"<title>{TITLE}</title>", f"<style>{STYLE}</style>", "</head>", "<body>", f"<h1>{TITLE}</h1>"]
    html += _grid(comparison) + _ranking(comparison)
    for title, lines in notes(comparison):
        html += [f"<h2>{xml_text(title)}</h2>", "<ul>", *(f"<li>{xml_text(line)}</li>" for line in lines), "</ul>"]
    html += [f"<footer>{xml_text(DISCLAIMER)}</footer>", "</body>", "</html>", ""]
    return "\n".join(html)
