"""Read a pack's key figures (GTR per level, availability, price…) from a Document, with evidence."""

from __future__ import annotations

import re
from bisect import bisect_right

from contratcheck.engine.matchers import Context, close
from contratcheck.engine.run import candidates, evidence_for
from contratcheck.model import Document, Figure, FigureValue, KeyFigure, Segment
from contratcheck.text.values import Value

HOURS_PER_YEAR = 8760
OTHER_LEVELS = "autres"
UNITS = {"duration": "heures", "percent": "%", "money": "EUR"}
# What separates the items of an enumeration: "4 h pour P1, 8 h pour P2 ; 3 jours pour P3".
_ITEM_BREAK = re.compile(r"[,;]\s|\set\s|\s-\s|\|")


def key_figures(document: Document, figures: tuple[Figure, ...], ctx: Context | None = None) -> tuple[KeyFigure, ...]:
    ctx = ctx or Context(document.match_text)
    return tuple(read_figure(document, ctx, figure) for figure in figures)


def read_figure(document: Document, ctx: Context, figure: Figure) -> KeyFigure:
    segments = [s for s in candidates(document, ctx, figure.scope, figure.match)
                if figure.match.some_hit(ctx, s.span.start, s.span.end)]
    reader = _choices if figure.choices else _quantities
    values = reader(document, ctx, figure, segments)
    unit = UNITS[figure.value.kind] if figure.value else None
    return KeyFigure(figure.id, figure.label, values, unit, _note(figure, values))


def _caveat(ctx: Context, figure: Figure, segment: Segment) -> str | None:
    if figure.caveat and figure.caveat.match.some_hit(ctx, segment.span.start, segment.span.end):
        return figure.caveat.label
    return None


def _choices(document: Document, ctx: Context, figure: Figure, segments: list[Segment]) -> tuple[FigureValue, ...]:
    found: dict[int, FigureValue] = {}
    for segment in segments:
        for rank, choice in enumerate(figure.choices):
            if rank not in found and choice.match.some_hit(ctx, segment.span.start, segment.span.end):
                found[rank] = FigureValue(choice.label, None, None, evidence_for(document, segment),
                                          _caveat(ctx, figure, segment), rank)
    ranks = sorted(found)[:1] if figure.pick == "best" else sorted(found)
    return tuple(found[rank] for rank in ranks)


def _quantities(document: Document, ctx: Context, figure: Figure, segments: list[Segment]) -> tuple[FigureValue, ...]:
    best: dict[str | None, FigureValue] = {}
    for segment in segments:
        caveat = _caveat(ctx, figure, segment)
        values = _kept(ctx, figure, segment, figure.value.values(ctx, segment.span.start, segment.span.end))
        levels = _levels(ctx, figure, segment, values)
        for value, level in zip(values, levels):
            if level is None and any(levels):  # "8 h pour les autres" next to "4 h pour les critiques"
                level = OTHER_LEVELS
            shown = " ".join(document.original(value.start, value.end).split())
            item = FigureValue(shown, value.amount, level, evidence_for(document, segment), caveat)
            if _preferred(item, best.get(level), figure.better):
                best[level] = item
    order = [choice.label for choice in figure.levels] + [OTHER_LEVELS, None]
    return tuple(best[level] for level in sorted(best, key=order.index))


def _kept(ctx: Context, figure: Figure, segment: Segment, values: list[Value]) -> list[Value]:
    """Plausible values not announced by an `exclude` hit a few words before ("plafonnées à 30 %")."""
    low, high = figure.bounds
    values = [v for v in values if (low is None or v.amount >= low) and (high is None or v.amount <= high)]
    if figure.exclude is None:
        return values
    hits = figure.exclude.hits(ctx, segment.span.start, segment.span.end) or []
    return [v for v in values if not any(close(ctx, (v.start, v.end), h, figure.exclude_words, "after") for h in hits)]


def _preferred(new: FigureValue, old: FigureValue | None, better: str | None) -> bool:
    """Firm commitments beat hedged ones; then the better value, as the threshold rules judge
    ("aggregate: min"), so the sheet and the findings never disagree; else the first stated."""
    if old is None:
        return True
    if (new.caveat is None) != (old.caveat is None):
        return new.caveat is None
    if better == "lower":
        return new.amount < old.amount
    if better == "higher":
        return new.amount > old.amount
    return False


def _levels(ctx: Context, figure: Figure, segment: Segment, values: list[Value]) -> list[str | None]:
    """The priority level each value applies to: the level named in the same enumeration item, or
    the segment's only level when no item names one ("Pour un incident P1, … sous 4 heures")."""
    if not figure.levels or not values:
        return [None] * len(values)
    start, end = segment.span.start, segment.span.end
    anchors = sorted((hit[0], choice.label) for choice in figure.levels
                     for hit in choice.match.hits(ctx, start, end) or [])
    breaks = [m.start() for m in _ITEM_BREAK.finditer(ctx.text, start, end)]
    items = {}
    for position, label in anchors:
        items.setdefault(bisect_right(breaks, position), label)
    levels = [items.get(bisect_right(breaks, value.start)) for value in values]
    distinct = {label for _, label in anchors}
    if len(distinct) == 1 and not any(levels):
        return [distinct.pop()] * len(values)
    return levels


def _note(figure: Figure, values: tuple[FigureValue, ...]) -> str | None:
    firm = next((v.amount for v in values if v.amount is not None and v.caveat is None), None)
    if figure.note == "yearly-downtime" and firm is not None and 0 < firm <= 100:
        hours = (100 - firm) / 100 * HOURS_PER_YEAR
        return f"soit {french_number(hours)} h d'arrêt admis par an"
    return None


def french_number(amount: float, decimals: int = 2) -> str:
    """1234.5 -> "1 234,5": a narrow no-break space groups thousands, a comma marks decimals."""
    text = f"{amount:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def describe(figure: KeyFigure) -> str | None:
    """One line for the figure: "critique : 4 heures ; majeur : 8 heures ouvrées", None when unstated."""
    if not figure.values:
        return None
    parts, levelled = [], any(v.level for v in figure.values)
    for value in figure.values:
        level = value.level or ("sans niveau précisé" if levelled else None)
        text = f"{level} : {value.text}" if level else value.text
        parts.append(f"{text} ({value.caveat})" if value.caveat else text)
    return " ; ".join(parts)
