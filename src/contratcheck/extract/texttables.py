"""Tables written in plain text: pipes (Markdown), +---+ borders, columns aligned with spaces or tabs.

Each table becomes rows of cells, so that the assembler can read every cell under its column's
header ("4 heures" under "Délai de rétablissement"), whatever way the text draws the table.
"""

from __future__ import annotations

import re

_BORDER = re.compile(r"^\s*\+[-=:+ ]*\+\s*$")  # +-----+------+ or +=====+=====+
_RULER = re.compile(r"^\s*[-=:|+ ]*[-=]{3}[-=:|+ ]*$")  # ------   --------   (under an aligned header)
_GAP = re.compile(r"\t+| {2,}")  # what separates aligned columns
MIN_ALIGNED_LINES = 2
MAX_CELL_WORDS = 16  # an aligned "cell" longer than this is prose with a double space, not a table


def is_border(line: str) -> bool:
    return bool(_BORDER.match(line))


def is_pipe_row(line: str) -> bool:
    return line.startswith("|") or line.count(" | ") >= 1 and line.count("|") >= 2


def pipe_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def bordered_rows(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The rows of a +---+ table, each with the index of its first line. A line starts a row; a
    line whose first cell is empty goes on the row above (a cell wrapped over several lines), as
    does every line up to the next border when borders separate each row."""
    rows: list[tuple[int, list[list[str]]]] = []
    for index, line in enumerate(lines):
        if is_border(line):
            rows.append((index, []))  # a border closes the row above
            continue
        if not is_pipe_row(line.strip()):
            continue
        cells = pipe_cells(line)
        current = rows[-1][1] if rows else None
        if current and len(cells) == len(current[0]) and not cells[0]:
            current.append(cells)
        else:
            rows.append((index, [cells]))
    return [(first, [" ".join(part for part in column if part) for column in zip(*row)]) for first, row in rows if row]


def _columns(line: str) -> list[tuple[int, int]]:
    """Spans of the line's cells, cut at tabs and runs of two spaces or more."""
    spans, start = [], len(line) - len(line.lstrip())
    for gap in _GAP.finditer(line, start):
        if gap.start() > start:
            spans.append((start, gap.start()))
        start = gap.end()
    if start < len(line.rstrip()):
        spans.append((start, len(line.rstrip())))
    return spans


def aligned_rows(lines: list[str]) -> list[tuple[int, list[str]]] | None:
    """The rows of a block of lines whose cells line up under the first line's (the header), or
    whose cells are separated by tabs, each with the index of its line; None when the lines are no
    such table."""
    numbered = [(index, line) for index, line in enumerate(lines) if not _RULER.match(line)]
    rows = _aligned_cells([line for _, line in numbered])
    return None if rows is None else [(index, row) for (index, _), row in zip(numbered, rows)]


def _aligned_cells(body: list[str]) -> list[list[str]] | None:
    if len(body) < MIN_ALIGNED_LINES:
        return None
    if all("\t" in line for line in body):
        rows = [[cell.strip() for cell in re.split(r"\t+", line.strip())] for line in body]
        return rows if len({len(r) for r in rows}) == 1 and len(rows[0]) >= 2 else None
    header = _columns(body[0])
    if len(header) < 2:
        return None
    starts = [start for start, _ in header]
    rows = []
    for line in body:
        spans = _columns(line)
        if len(spans) < 2 or any(not _aligned(start, starts) for start, _ in spans):
            return None
        cells = [""] * len(starts)
        for start, end in spans:
            column = max(i for i, s in enumerate(starts) if s <= start + 1)
            cells[column] = f"{cells[column]} {line[start:end]}".strip()
        rows.append(cells)
    if any(len(cell.split()) > MAX_CELL_WORDS for row in rows for cell in row):
        return None
    return rows


def _aligned(start: int, starts: list[int]) -> bool:
    """A cell starts at a header column's start, give or take one character."""
    return any(abs(start - s) <= 1 for s in starts)


def may_align(line: str) -> bool:
    """The line could belong to an aligned table: it has a tab or a two-space gap inside."""
    stripped = line.strip()
    return "\t" in stripped or "  " in stripped or bool(_RULER.match(line))
