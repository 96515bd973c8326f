"""Key-figure definitions (the `figures` list of a rule file) to Figure objects, with French errors."""

from __future__ import annotations

from contratcheck.engine.ir import Choice, Figure, FigureExample, Scope
from contratcheck.engine.nodes import RULE_ID, SCOPES, PackContext, clause_filter, compile_node, first, positive_int, value_leaf
from contratcheck.model import Mode, Party
from contratcheck.text.values import to_hours

FIGURE_KEYS = {"id", "label", "scope", "match", "value", "choices", "levels", "caveat", "better", "weight", "note",
               "exclude", "pick", "within", "examples", "clauses", "axis"}
# A figure reads the provider's commitments and the options it offers (shown after, as such).
DEFAULT_FILTER = (frozenset({Party.PRESTATAIRE, Party.INCONNU}), frozenset({Mode.ENGAGEMENT, Mode.OPTION}))
NOTES = ("yearly-downtime",)


def compile_figures(raw: object, ctx: PackContext, line: int | None) -> list[Figure]:
    if not isinstance(raw, list):
        raise ctx.error("« figures » doit être une liste de chiffres clés.", line)
    return [_figure(item, ctx) for item in raw]


def _figure(raw: object, ctx: PackContext) -> Figure:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        raise ctx.error("chaque chiffre clé doit être un dictionnaire.", line)
    ctx.rule = raw.get("id") if isinstance(raw.get("id"), str) else None
    unknown = set(raw) - FIGURE_KEYS
    if unknown:
        raise ctx.error(f"clé inconnue « {first(unknown)} ».", line)
    if not ctx.rule or not RULE_ID.match(ctx.rule):
        raise ctx.error("« id » doit être en minuscules, mots séparés par des tirets (ex. gtr).", line)
    for key in ("label", "match", "examples"):
        if key not in raw:
            raise ctx.error(f"champ obligatoire « {key} » manquant.", line)
    if ("value" in raw) == ("choices" in raw):
        raise ctx.error("un chiffre clé a soit « value » (une quantité), soit « choices » (des réponses).", line)
    scope = raw.get("scope", "sentence")
    if scope not in SCOPES:
        raise ctx.error(f"portée « {scope} » inconnue ({', '.join(SCOPES)}).", line)
    better = raw.get("better")
    if better not in (None, "lower", "higher"):
        raise ctx.error("« better » vaut lower ou higher.", line)
    weight = raw.get("weight", 1)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
        raise ctx.error("« weight » doit être un nombre positif.", line)
    if raw.get("note") not in (None, *NOTES):
        raise ctx.error(f"« note » vaut {', '.join(NOTES)}.", line)
    if raw.get("pick", "all") not in ("all", "best"):
        raise ctx.error("« pick » vaut all ou best.", line)
    exclude = raw.get("exclude")
    if exclude is not None and (not isinstance(exclude, dict) or set(exclude) - {"match", "words"} or "match" not in exclude):
        raise ctx.error("« exclude » s'écrit {match: condition, words: nombre de mots}.", line)
    return Figure(
        id=ctx.rule, label=_label(raw, ctx, line), scope=Scope(scope), match=compile_node(raw["match"], ctx, line),
        value=_value(raw.get("value"), ctx, line), choices=_choices(raw, "choices", ctx, line),
        levels=_choices(raw, "levels", ctx, line), caveat=_caveat(raw.get("caveat"), ctx, line),
        better=better, weight=float(weight), note=raw.get("note"), examples=_examples(raw["examples"], ctx, line),
        file=str(ctx.file), line=line or 0,
        exclude=compile_node(exclude["match"], ctx, line) if exclude else None,
        exclude_words=positive_int(exclude or {}, "words", 4, ctx, line), pick=raw.get("pick", "all"),
        bounds=_bounds(raw.get("within"), raw.get("value"), ctx, line),
        clauses=clause_filter(raw.get("clauses"), DEFAULT_FILTER, ctx, line),
        axis=compile_node(raw["axis"], ctx, line) if "axis" in raw else None, precedence=ctx.precedence,
    )


def _bounds(raw: object, value: object, ctx: PackContext, line: int | None) -> tuple[float | None, float | None]:
    """`within: {min, max, unit}`: the plausible amounts, durations converted to hours."""
    if raw is None:
        return None, None
    if not isinstance(raw, dict) or set(raw) - {"min", "max", "unit"} or not ({"min", "max"} & set(raw)):
        raise ctx.error("« within » s'écrit {min: nombre, max: nombre, unit: heures|jours|mois…}.", line)
    if not all(isinstance(raw.get(k, 0), (int, float)) and not isinstance(raw.get(k), bool) for k in ("min", "max")):
        raise ctx.error("« within » : min et max sont des nombres.", line)
    duration = isinstance(value, dict) and value.get("type") == "duration"
    if not isinstance(raw.get("unit", "heures"), str):
        raise ctx.error("« within » : « unit » est une unité (minutes, heures, jours, semaines, mois, ans).", line)
    try:
        convert = (lambda amount: to_hours(amount, raw.get("unit", "heures"))) if duration else float
        low, high = (None if raw.get(k) is None else convert(raw[k]) for k in ("min", "max"))
        return low, high
    except ValueError:
        raise ctx.error(f"unité inconnue « {raw.get('unit')} » (minutes, heures, jours, semaines, mois, ans).", line) from None


def _label(raw: dict, ctx: PackContext, line: int | None) -> str:
    label = raw["label"]
    if not isinstance(label, str) or not label.strip():
        raise ctx.error("« label » doit être un texte non vide.", line)
    return label.strip()


def _value(raw: object, ctx: PackContext, line: int | None):
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"type", "near", "words", "order", "basis"}:
        raise ctx.error("« value » attend type, et éventuellement near, words, order, basis.", line)
    return value_leaf(raw, raw.get("type"), ctx, getattr(raw, "line", line))


def _choice(raw: object, ctx: PackContext, line: int | None) -> Choice:
    if not isinstance(raw, dict) or set(raw) != {"label", "match"} or not isinstance(raw["label"], str):
        raise ctx.error("une réponse s'écrit {label: texte, match: condition}.", getattr(raw, "line", line))
    return Choice(raw["label"], compile_node(raw["match"], ctx, getattr(raw, "line", line)))


def _choices(raw: dict, key: str, ctx: PackContext, line: int | None) -> tuple[Choice, ...]:
    items = raw.get(key) or []
    if not isinstance(items, list):
        raise ctx.error(f"« {key} » doit être une liste de {{label, match}}.", line)
    return tuple(_choice(item, ctx, line) for item in items)


def _caveat(raw: object, ctx: PackContext, line: int | None) -> Choice | None:
    return None if raw is None else _choice(raw, ctx, line)


def _examples(raw: object, ctx: PackContext, line: int | None) -> tuple[FigureExample, ...]:
    if not isinstance(raw, list) or not raw:
        raise ctx.error("« examples » attend une liste de {text, shows}.", line)
    examples = []
    for item in raw:
        ok = isinstance(item, dict) and set(item) == {"text", "shows"} and isinstance(item["text"], str)
        if not ok or not (item["shows"] is None or isinstance(item["shows"], str)):
            raise ctx.error("exemple invalide : {text: texte, shows: ce que la fiche affiche, ou null}.",
                            getattr(item, "line", line))
        examples.append(FigureExample(item["text"], item["shows"], getattr(item, "line", None)))
    return tuple(examples)
