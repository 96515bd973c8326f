"""Ruled tables on a PDF page, found from the page's drawn lines and rectangles with pypdfium2.

pdfplumber reconstructs such tables perfectly but parses the whole page in Python, which is slow;
the ruling lines are path objects that PDFium lists at C speed, and the text of each cell comes from
`get_text_bounded`, so a page with a table costs little more than one without.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

THIN = 3.0  # a path thinner than this (in points) is a rule line, not a box
SNAP = 2.5  # coordinates closer than this are the same rule
MIN_ROW = 6.0


@dataclass(frozen=True, slots=True)
class Edge:
    position: float  # y of a horizontal edge, x of a vertical one
    low: float  # extent along the other axis
    high: float


@dataclass(frozen=True, slots=True)
class Table:
    left: float
    bottom: float
    right: float
    top: float
    rows: tuple[tuple[str, ...], ...]


def edges(bounds: list[tuple[float, float, float, float]]) -> tuple[list[Edge], list[Edge]]:
    """Horizontal and vertical edges from path bounding boxes (lines, or the sides of boxes)."""
    horizontal, vertical = [], []
    for left, bottom, right, top in bounds:
        width, height = right - left, top - bottom
        if height <= THIN and width > THIN:
            horizontal.append(Edge((bottom + top) / 2, left, right))
        elif width <= THIN and height > THIN:
            vertical.append(Edge((left + right) / 2, bottom, top))
        elif width > THIN and height > THIN:
            horizontal += [Edge(bottom, left, right), Edge(top, left, right)]
            vertical += [Edge(left, bottom, top), Edge(right, bottom, top)]
    return horizontal, vertical


def _snap(values: list[float]) -> list[float]:
    snapped: list[float] = []
    for value in sorted(values):
        if not snapped or value - snapped[-1] > SNAP:
            snapped.append(value)
    return snapped


def _merged(horizontal: list[Edge]) -> list[Edge]:
    """Join collinear edges that touch: the top sides of adjacent cells make one rule."""
    merged: list[Edge] = []
    for edge in sorted(horizontal, key=lambda e: (round(e.position / SNAP), e.low)):
        last = merged[-1] if merged else None
        if last and abs(last.position - edge.position) <= SNAP and edge.low <= last.high + SNAP:
            merged[-1] = Edge(last.position, last.low, max(last.high, edge.high))
        else:
            merged.append(edge)
    return merged


class _Verticals:
    """Vertical rules sorted by x, so the ones within an x-range are found by bisection."""

    def __init__(self, vertical: list[Edge]) -> None:
        self.edges = sorted(vertical, key=lambda e: e.position)
        self.positions = [e.position for e in self.edges]

    def join(self, upper: Edge, lower: Edge) -> bool:
        """Two stacked rules belong to one table when a vertical rule runs between them."""
        low, high = max(upper.low, lower.low) - SNAP, min(upper.high, lower.high) + SNAP
        first, last = bisect_left(self.positions, low), bisect_right(self.positions, high)
        bottom, top = lower.position + SNAP, upper.position - SNAP
        for vertical in self.edges[first:last]:  # a plain loop: any() over a generator took 40 % longer here
            if vertical.low <= bottom and vertical.high >= top:
                return True
        return False


def _groups(horizontal: list[Edge], vertical: list[Edge]) -> list[list[Edge]]:
    """Horizontal rules that overlap along x and are joined by vertical rules form one table
    (a boxed page header above a table is a separate box, not the table's first row)."""
    verticals = _Verticals(vertical)
    groups: list[list[Edge]] = []
    for edge in sorted(_merged(horizontal), key=lambda e: -e.position):
        for group in reversed(groups):  # the group just above is the likely one
            last = group[-1]
            overlap = edge.low < last.high - SNAP and edge.high > last.low + SNAP
            if overlap and (abs(last.position - edge.position) <= SNAP or verticals.join(last, edge)):
                group.append(edge)
                break
        else:
            groups.append([edge])
    return [g for g in groups if len(_snap([e.position for e in g])) >= 2]


def find_tables(bounds: list[tuple[float, float, float, float]], cell_text) -> list[Table]:
    """Tables on a page, top to bottom; `cell_text(left, bottom, right, top)` reads a rectangle."""
    horizontal, vertical = edges(bounds)
    tables = []
    for group in _groups(horizontal, vertical):
        ys = _snap([e.position for e in group])[::-1]
        left, right = min(e.low for e in group), max(e.high for e in group)
        rows = []
        for top, bottom in zip(ys, ys[1:]):
            if top - bottom < MIN_ROW:
                continue
            middle = (top + bottom) / 2
            xs = _snap([e.position for e in vertical
                        if e.low - SNAP <= middle <= e.high + SNAP and left - SNAP <= e.position <= right + SNAP])
            if len(xs) < 2:
                xs = [left, right]
            cells = tuple(" ".join(cell_text(x0, bottom, x1, top).split()) for x0, x1 in zip(xs, xs[1:]) if x1 - x0 > SNAP)
            if any(cells):
                rows.append(cells)
        if rows and max(len(r) for r in rows) >= 2:
            tables.append(Table(left, ys[-1], right, ys[0], tuple(rows)))
    return tables
