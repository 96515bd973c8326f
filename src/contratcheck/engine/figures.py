"""Read a pack's key figures (GTR per level, availability, price…) from a Document, with evidence.

A figure reads the same clauses as the rules (engine.select), so the sheet and the findings never
disagree. For each level, the value that applies comes first: the first firm commitment the
contract states; every other value follows as an alternative, with its caveat (an option, a hedge,
another value stated elsewhere). Values from examples, glossaries, the client's duties or
force-majeure cases are not read at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from contratcheck.engine.context import Context
from contratcheck.engine.ir import Figure
from contratcheck.engine.nearness import close, distance
from contratcheck.engine.precedence import PieceOrder, piece_order
from contratcheck.engine.select import candidates, clause_of, continued, evidence_for, reach
from contratcheck.engine.setvalues import Conflict, arrange
from contratcheck.model import Document, FigureValue, KeyFigure, Mode, Segment, Span, TableCell
from contratcheck.text.fold import fold
from contratcheck.text.values import Value
from contratcheck.text.wording import french_number

HOURS_PER_YEAR = 8760
OTHER_LEVELS = "autres"
UNITS = {"duration": "heures", "percent": "%", "money": "EUR"}
OPTION = "option"
ALTERNATIVE = "autre valeur énoncée"
MAX_PER_LEVEL = 3  # the applying value and two alternatives
# What separates the items of an enumeration: "4 h pour P1, 8 h pour P2 ; 3 jours pour P3".
_ITEM_BREAK = re.compile(r"[,;]\s|\set\s|\s-\s|\|")


def key_figures(document: Document, figures: tuple[Figure, ...], ctx: Context | None = None) -> tuple[KeyFigure, ...]:
    ctx = ctx or Context.of(document)
    return tuple(figure_of(document, ctx, figure) for figure in figures)


def figure_of(document: Document, ctx: Context, figure: Figure) -> KeyFigure:
    """The figure as the sheet shows it, read once per document (threshold rules judge it too)."""
    return _reading(document, ctx, figure)[0]


def conflicts_of(document: Document, ctx: Context, figure: Figure) -> tuple[Conflict, ...]:
    """Where pieces of a contract in several files state different values of the figure."""
    return _reading(document, ctx, figure)[1]


def _reading(document: Document, ctx: Context, figure: Figure) -> tuple[KeyFigure, tuple[Conflict, ...]]:
    return ctx.memo(("figure", figure.id, id(figure)), lambda: _read(document, ctx, figure))


def _order(document: Document, ctx: Context, figure: Figure) -> PieceOrder | None:
    return piece_order(document, ctx, figure.precedence) if figure.precedence else None


def _read(document: Document, ctx: Context, figure: Figure) -> tuple[KeyFigure, tuple[Conflict, ...]]:
    read = []
    for segment in continued(document, ctx, figure.clauses, candidates(document, ctx, figure.scope, figure.match)):
        if segment.kind == "row" and _has_cells(document, ctx, segment):
            continue  # a headed table's row is read cell by cell, each under its column
        span = reach(document, ctx, figure.clauses, segment)
        if span is not None and figure.match.some_hit(ctx, span.start, span.end):
            read.append((segment, span))
    reader = _choices if figure.choices else _quantities
    conflicts: list[Conflict] = []
    values = reader(document, ctx, figure, read, conflicts)
    if all(value.caveat == OPTION for value in values):
        values, conflicts = (), []  # only options not taken: the contract itself states nothing
    unit = UNITS[figure.value.kind] if figure.value else None
    prevailing = next((c.prevalence() for c in conflicts if c.prevailing), None) or (conflicts[0].prevalence() if conflicts else None)
    return KeyFigure(figure.id, figure.label, values, unit, _note(figure, values), prevailing), tuple(conflicts)


def _has_cells(document: Document, ctx: Context, row: Segment) -> bool:
    rows = ctx.memo("cell rows", lambda: {s.origin.start for s in document.segments["sentence"] if s.cell})
    return row.span.start in rows


def _caveat(document: Document, ctx: Context, figure: Figure, segment: Segment, span: Span) -> str | None:
    if figure.clauses and segment.kind == "sentence" and clause_of(document, ctx, figure.clauses, segment).mode is Mode.OPTION:
        return OPTION
    if figure.caveat and figure.caveat.match.some_hit(ctx, span.start, span.end):
        return figure.caveat.label
    return None


def _choices(document: Document, ctx: Context, figure: Figure, read, conflicts: list[Conflict]) -> tuple[FigureValue, ...]:
    """Each answer found, best first; in a contract of several files, each piece's answers are
    kept until the pieces are compared (a piece that prevails puts its answers first)."""
    found: dict[tuple[str | None, int], FigureValue] = {}
    for segment, span in read:
        piece = document.anchor_at(segment.origin.start).piece
        for rank, choice in enumerate(figure.choices):
            if (piece, rank) not in found and choice.match.some_hit(ctx, span.start, span.end):
                found[(piece, rank)] = FigureValue(choice.label, None, None, evidence_for(document, segment, span),
                                                   _caveat(document, ctx, figure, segment, span), rank)
    values, conflict = arrange(sorted(found.values(), key=lambda v: v.rank or 0), _order(document, ctx, figure), None)
    conflicts.extend([conflict] if conflict else [])
    shown: dict[int | None, FigureValue] = {}
    for value in values:
        shown.setdefault(value.rank, value)
    return tuple(shown.values())[:1] if figure.pick == "best" else tuple(shown.values())


def _quantities(document: Document, ctx: Context, figure: Figure, read, conflicts: list[Conflict]) -> tuple[FigureValue, ...]:
    leaf = figure.value
    assert leaf is not None  # a figure without choices reads a quantity
    stated: dict[str | None, list[FigureValue]] = {}
    for segment, span in read:
        caveat = _caveat(document, ctx, figure, segment, span)
        values = _nearest_first(ctx, figure, span, _kept(ctx, figure, span, leaf.values(ctx, span.start, span.end)))
        levels = _levels(ctx, figure, segment, span, values)
        for value, level in zip(values, levels):
            if level is None and any(levels):  # "8 h pour les autres" next to "4 h pour les critiques"
                level = OTHER_LEVELS
            shown = " ".join(document.original(value.start, value.end).split())
            stated.setdefault(level, []).append(FigureValue(shown, value.amount, level, evidence_for(document, segment, span), caveat))
    order = [choice.label for choice in figure.levels] + [OTHER_LEVELS, None]
    pieces = _order(document, ctx, figure)
    result: list[FigureValue] = []
    for level in sorted(stated, key=order.index):
        arranged, conflict = arrange(stated[level], pieces, level)
        conflicts.extend([conflict] if conflict else [])
        result.extend(_ranked(arranged))
    return tuple(result)


def _same_amount(one: FigureValue, other: FigureValue) -> bool:
    return one.amount is not None and other.amount is not None and abs(one.amount - other.amount) < 1e-9


def _nearest_first(ctx: Context, figure: Figure, span: Span, values: list[Value]) -> list[Value]:
    """A clause's values, the one closest to what the figure is about first ("conclue pour douze mois,
    … sauf résiliation moyennant un préavis de trois mois": the notice is three months)."""
    near = figure.value.near if figure.value else None
    if len(values) < 2 or near is None:
        return values
    anchors = near.hits(ctx, span.start, span.end) or []
    if not anchors:
        return values

    def gap(value: Value) -> tuple[int, int]:
        return min((distance(ctx, (value.start, value.end), a), 0 if value.start >= a[1] else 1) for a in anchors)

    return sorted(values, key=gap)


def _ranked(values: list[FigureValue]) -> list[FigureValue]:
    """The applying value first (the first firm one stated), then the other amounts as alternatives,
    each with its caveat; the same amount stated twice is shown once."""
    firm = [v for v in values if v.caveat is None]
    ordered = firm[:1] + [v for v in values if v is not (firm[0] if firm else None)]
    shown: list[FigureValue] = []
    for value in ordered:
        if any(_same_amount(value, other) for other in shown):
            continue
        if shown and value.caveat is None:
            value = replace(value, caveat=ALTERNATIVE)
        shown.append(value)
    return shown[:MAX_PER_LEVEL]


def _kept(ctx: Context, figure: Figure, span: Span, values: list[Value]) -> list[Value]:
    """Plausible values not announced by an `exclude` hit a few words before ("plafonnées à 30 %")."""
    low, high = figure.bounds
    values = [v for v in values if (low is None or v.amount >= low) and (high is None or v.amount <= high)]
    if figure.exclude is None:
        return values
    hits = figure.exclude.hits(ctx, span.start, span.end) or []
    return [v for v in values if not any(close(ctx, (v.start, v.end), h, figure.exclude_words, "after") for h in hits)]


def _levels(ctx: Context, figure: Figure, segment: Segment, span: Span, values: list[Value]) -> list[str | None]:
    """The priority level each value applies to. In a table cell: the level its row names in the
    column of priorities (or in its first column), never in a penalty or price column. Elsewhere:
    the level named in the same enumeration item, or the segment's only level ("Pour un incident
    P1, … sous 4 heures")."""
    if not figure.levels or not values:
        return [None] * len(values)
    if segment.cell is not None:
        return [_cell_level(ctx, figure, segment.cell)] * len(values)
    anchors = sorted((hit[0], choice.label) for choice in figure.levels
                     for hit in choice.match.hits(ctx, span.start, span.end) or [])
    found = list(_ITEM_BREAK.finditer(ctx.text, span.start, span.end))
    breaks = [m.start() for m in found]
    items: dict[int, str] = {}
    for position, label in anchors:
        items.setdefault(bisect_right(breaks, position), label)
    # "2 heures (ouvrées) et 4 heures (non ouvrées) pour une panne bloquante": values joined by "et"
    # share the level named after the last of them.
    for index in sorted(range(len(found)), reverse=True):
        if found[index].group().strip() == "et" and index not in items and index + 1 in items:
            items[index] = items[index + 1]
    levels = [items.get(bisect_right(breaks, value.start)) for value in values]
    distinct = {label for _, label in anchors}
    if len(distinct) == 1 and not any(levels):
        return [distinct.pop()] * len(values)
    return levels


def _cell_level(ctx: Context, figure: Figure, cell: TableCell) -> str | None:
    columns = [0] + [i for i, title in enumerate(cell.header) if i and figure.axis is not None
                     and _says(ctx, figure.axis, title)]
    for column in columns:
        if column < len(cell.row) and column != cell.column:
            level = next((c.label for c in figure.levels if _says(ctx, c.match, cell.row[column])), None)
            if level:
                return level
    return None


def _says(ctx: Context, node, text: str) -> bool:
    """Whether a short text of its own (a cell, a column header) matches `node`."""
    local = ctx.memo(("text", text), lambda: Context(fold(text)))
    return node.some_hit(local, 0, len(local.text))


def _note(figure: Figure, values: tuple[FigureValue, ...]) -> str | None:
    firm = next((v.amount for v in values if v.amount is not None and v.caveat is None), None)
    if figure.note == "yearly-downtime" and firm is not None and 0 < firm <= 100:
        hours = (100 - firm) / 100 * HOURS_PER_YEAR
        return f"soit {french_number(hours)} h d'arrêt admis par an"
    return None
