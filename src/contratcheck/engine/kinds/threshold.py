"""`threshold`: fires when a stated value passes a limit (a GTR over 4 hours, a notice over 3 months).

The value is either a key figure's (`value: {figure: gtr, max: 4}`): the one that applies to the
most severe level, exactly as the contract sheet shows it; or, for packs without figures, the typed
value nearest the topic in each matching segment (`value: {type: duration, near: …, max: …}`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from contratcheck.engine.context import Context
from contratcheck.engine.figures import figure_of
from contratcheck.engine.ir import Check, Figure, ValueSpec
from contratcheck.engine.kinds import CheckOutcome
from contratcheck.engine.kinds.forbidden import matching
from contratcheck.engine.nearness import distance
from contratcheck.engine.nodes import compile_node, value_leaf
from contratcheck.model import Document, FigureValue, Mode, Party
from contratcheck.text.values import Value, to_hours
from contratcheck.text.wording import threshold_label

# A threshold judges commitments in force, whoever they bind (a notice binds both parties).
DEFAULT_CLAUSES = (frozenset(Party), frozenset({Mode.ENGAGEMENT}))
KEYS = frozenset({"value"})
VALUE_KEYS = {"type", "near", "words", "order", "basis", "max", "min", "unit", "prefer", "aggregate", "setting", "figure"}
DEFAULT_UNITS = {"duration": "heures", "percent": "%", "money": "€"}
MONEY_UNITS = ("€", "EUR", "euros")
FIGURE_VALUE_KEYS = {"figure", "max", "min", "unit", "aggregate", "setting"}


def compile(raw: dict, ctx, line: int | None) -> dict:
    if "value" not in raw:
        raise ctx.error("une règle threshold a besoin de « value » (figure ou type, et max ou min).", line)
    return {"value": value_spec(raw["value"], ctx, line)}


def value_spec(raw: object, ctx, line: int | None) -> ValueSpec:
    if not isinstance(raw, dict):
        raise ctx.error("« value » doit être un dictionnaire (figure ou type, max, unit…).", line)
    line = getattr(raw, "line", line)
    allowed = FIGURE_VALUE_KEYS if "figure" in raw else VALUE_KEYS - {"figure"}
    unknown = set(raw) - allowed
    if unknown:
        raise ctx.error(f"clé inconnue « {sorted(unknown)[0]} » dans « value ».", line)
    figure = raw.get("figure")
    if figure is not None and not isinstance(figure, str):
        raise ctx.error("« figure » est l'identifiant d'un chiffre clé (ex. gtr).", line)
    leaf = None if figure else value_leaf(raw, raw.get("type"), ctx, line)
    unit = raw.get("unit", DEFAULT_UNITS[leaf.kind] if leaf else "heures")
    kind = leaf.kind if leaf else "percent" if unit == "%" else "money" if unit in MONEY_UNITS else "duration"
    bounds = {}
    for key in ("max", "min"):
        if key in raw:
            if not isinstance(raw[key], (int, float)) or isinstance(raw[key], bool):
                raise ctx.error(f"« {key} » doit être un nombre.", line)
            try:
                bounds[key] = to_hours(raw[key], unit) if kind == "duration" else float(raw[key])
            except ValueError:
                raise ctx.error(f"unité inconnue « {unit} » (minutes, heures, jours, semaines, mois, ans).", line) from None
    if not bounds:
        raise ctx.error("un seuil « max » ou « min » est requis.", line)
    aggregate = raw.get("aggregate", "each")
    if aggregate not in ("each", "min", "max"):
        raise ctx.error("« aggregate » vaut each, min ou max.", line)
    label = threshold_label(raw["max"] if "max" in raw else raw["min"], unit, kind)
    prefer = compile_node(raw["prefer"], ctx, line) if "prefer" in raw else None
    setting = raw.get("setting")
    if setting is not None and not (isinstance(setting, str) and re.fullmatch(r"[a-z][a-z0-9_]*", setting)):
        raise ctx.error("« setting » est un nom de seuil en minuscules (ex. gtr_max_heures).", line)
    return ValueSpec(leaf, bounds.get("max"), bounds.get("min"), label, prefer, aggregate, unit, setting, figure, kind)


def evaluate(document: Document, ctx: Context, check: Check) -> CheckOutcome | None:
    spec = check.value
    assert spec is not None  # a threshold check always has one (compile)
    if spec.figure is not None:
        return _from_figure(document, ctx, spec)
    return _from_segments(ctx, spec, list(matching(document, ctx, check)))


def _breaks(spec: ValueSpec, amount: float) -> bool:
    return ((spec.maximum is not None and amount > spec.maximum + 1e-9)
            or (spec.minimum is not None and amount < spec.minimum - 1e-9))


def _from_figure(document: Document, ctx: Context, spec: ValueSpec) -> CheckOutcome | None:
    """The value the sheet shows as applying to the most severe level stated; without levels, the
    applying value, or the shortest (aggregate: min) or longest (max) of the firm ones. A hedged
    value is judged when none is firm (« une journée, à titre indicatif » is still too long); an
    option never is."""
    figure = spec.figure
    assert isinstance(figure, Figure)  # the loader resolved the id
    stated = [v for v in figure_of(document, ctx, figure).values if v.amount is not None]
    hedge = figure.caveat.label if figure.caveat else None
    firm = [v for v in stated if v.caveat is None] or [v for v in stated if v.caveat == hedge]
    levels = [choice.label for choice in figure.levels]
    levelled = [v for v in firm if v.level is not None]
    chosen: FigureValue | None
    if levelled:
        chosen = min(levelled, key=lambda v: levels.index(v.level) if v.level in levels else len(levels))
    elif firm and spec.aggregate in ("min", "max"):
        chosen = (min if spec.aggregate == "min" else max)(firm, key=_amount)
    else:
        chosen = firm[0] if firm else None
    if chosen is None or not _breaks(spec, _amount(chosen)):
        return None
    return CheckOutcome(shown=chosen.text, evidence=(chosen.evidence,))


def _amount(value: FigureValue) -> float:
    assert value.amount is not None  # only values with an amount are judged
    return value.amount


def _from_segments(ctx: Context, spec: ValueSpec, matched) -> CheckOutcome | None:
    leaf = spec.leaf
    assert leaf is not None  # a threshold that reads segments has a value type (compile)
    judged: list[tuple[tuple, Value, bool]] = []
    for segment, span, hits in matched:
        preferred = spec.prefer.hits(ctx, span.start, span.end) if spec.prefer else None
        topic = leaf.near.hits(ctx, span.start, span.end) if leaf.near else None
        values = leaf.values(ctx, span.start, span.end)
        if preferred:
            values = _same_chunk(ctx.text, span.start, span.end, values, preferred) or values
        value = _pick(ctx, values, preferred or topic or hits)
        if value is not None:
            judged.append(((segment, value.start), value, preferred is not None))
    if spec.prefer is not None and any(p for _, _, p in judged):
        judged = [j for j in judged if j[2]]
    if spec.aggregate != "each" and judged:
        pick = min if spec.aggregate == "min" else max
        judged = [pick(judged, key=lambda j: j[1].amount)]
    breaking = [(seg, v) for seg, v, _ in judged if _breaks(spec, v.amount)]
    if not breaking:
        return None
    return CheckOutcome(tuple(seg for seg, _ in breaking), breaking[0][1])


_CHUNK_BREAK = re.compile(r",\s|;|\set\s|\(|\)|\|")


def _same_chunk(text: str, start: int, end: int, values: list[Value], anchors) -> list[Value]:
    """Values in the same enumeration item as an anchor: "4 h pour les critiques, 8 h pour les autres"."""
    breaks = [m.start() for m in _CHUNK_BREAK.finditer(text, start, end)]
    wanted = {bisect_right(breaks, a[0]) for a in anchors}
    return [v for v in values if bisect_right(breaks, v.start) in wanted]


def _pick(ctx: Context, values: list[Value], anchors) -> Value | None:
    """The value closest to the anchors (what the segment talks about), preferring one after them."""
    if not values:
        return None
    if not anchors:
        return values[0]

    def cost(value: Value) -> tuple[int, int]:
        return min((distance(ctx, (value.start, value.end), a), 0 if value.start >= a[1] else 1) for a in anchors)

    return min(values, key=cost)
