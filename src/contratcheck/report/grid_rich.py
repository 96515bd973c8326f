"""The comparison grid for the terminal: best values bold green and starred, red flags in red,
then the ranking with its reasons and the notes."""

from __future__ import annotations

import io
import textwrap

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from contratcheck.report.common import DISCLAIMER, neutralized, unpadded
from contratcheck.report.grid_common import BEST, LEGEND, TITLE, notes, reason_line, standing_title
from contratcheck.service.compare import Comparison
from contratcheck.service.ranking import Cell, Reason


def _wrap(lines: tuple[str, ...], width: int) -> str:
    """Wrapped here, not by rich, which would break "7 200 €" at its thin space: textwrap breaks
    at ASCII spaces only."""
    return "\n".join(textwrap.fill(line, width, break_on_hyphens=False) for line in lines)


def _cell(cell: Cell, width: int) -> Text:
    if cell.best:
        return Text(_wrap((f"{BEST} {cell.lines[0]}", *cell.lines[1:]), width), style="bold green")
    return Text(_wrap(cell.lines, width), style="red" if cell.alert else "")


def _grid(comparison: Comparison, width: int) -> Table:
    count = len(comparison.offers)
    label = max(14, width // 5)
    column = max(10, (width - label - 3 * (count + 1) - 1) // count)  # borders and one space each side
    table = Table(title=TITLE, box=box.SQUARE, show_lines=True, title_style="bold")
    table.add_column("", style="bold", width=label)
    for offer in comparison.offers:
        table.add_column(_wrap((offer.name,), column), width=column)
    for section in comparison.sections:
        table.add_row(Text(section.title.upper(), style="bold cyan"), *[""] * count)
        for row in section.rows:
            table.add_row(_wrap((row.label,), label), *(_cell(cell, column) for cell in row.cells))
    return table


def _items(items: list[tuple[str, str, str]]) -> Table:
    """Lines with a short head (points, bullet) and text wrapped beside it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", min_width=5)
    grid.add_column(ratio=1)
    for head, text, style in items:
        grid.add_row(Text(head, style=style), Text(text, style=style))
    return grid


def _reason_item(reason: Reason) -> tuple[str, str, str]:
    """The signed points as the head, the reason beside them, in red when points are taken."""
    head, text = reason_line(reason).split("  ", 1)
    return head, text, "red" if reason.points < 0 else ""


def render(comparison: Comparison, *, color: bool = False, width: int | None = 100) -> str:
    comparison = neutralized(comparison)
    buffer = io.StringIO()
    console = Console(file=buffer, width=None if color else width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False, markup=False)
    console.print(_grid(comparison, console.width))
    console.print(Text(LEGEND, style="dim"))
    console.print(Text("\nClassement", style="bold"))
    for standing in comparison.ranking:
        console.print(Text(standing_title(comparison, standing), style="bold green" if standing.place == 1 else "bold"))
        console.print(_items([_reason_item(reason) for reason in standing.reasons]))
    for title, lines in notes(comparison):
        console.print(Text(f"\n{title}", style="bold"))
        console.print(_items([("•", line, "") for line in lines]))
    console.print(Text(f"\n{DISCLAIMER}", style="italic dim"))
    return unpadded(buffer.getvalue())
