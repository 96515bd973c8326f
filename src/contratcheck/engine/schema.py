"""Rule pack files (YAML) to Rule objects, with strict keys and French errors naming file, rule, line."""

from __future__ import annotations

import re
from pathlib import Path

from contratcheck.engine import matchers as m
from contratcheck.engine.regexes import AnalysisMemo, compile_regex, invalid
from contratcheck.engine.yamlload import load_yaml
from contratcheck.errors import RuleFileError
from contratcheck.model import Check, Example, Rule, Severity, ValueSpec
from contratcheck.text.tokens import PrefixScan
from contratcheck.text.values import to_hours

RULE_KEYS = {"id", "severity", "title", "condition", "kind", "scope", "match", "value", "also", "unless",
             "message", "why", "demand", "question", "alert", "references", "examples"}
REQUIRED_KEYS = ("id", "severity", "title", "condition", "kind", "match", "message", "why", "demand", "question",
                 "examples")
CHECK_KEYS = {"kind", "scope", "match", "value"}
VALUE_KEYS = {"type", "near", "words", "order", "basis", "max", "min", "unit", "prefer", "aggregate", "setting"}
KINDS = ("required", "forbidden", "threshold")
SCOPES = ("sentence", "row", "paragraph", "clause", "document")
NODE_KEYS = {"pattern": {"pattern", "negation"}, "any": {"any"}, "all": {"all"}, "not": {"not"},
             "near": {"near", "words", "order"}, "value": {"value", "near", "words", "order", "basis"}}
RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACEHOLDERS = {"value": "", "max": ""}


class PackContext:
    """What compiling one file needs: its path, the current rule, and the visible definitions."""

    def __init__(self, file: Path, definitions: dict[str, tuple[object, Path]], memo: AnalysisMemo | None = None,
                 scan: PrefixScan | None = None) -> None:
        self.file = file
        self.memo = memo or AnalysisMemo(None)
        self.scan = scan or PrefixScan()  # every pattern's prefixes, so one search serves them all
        self.rule: str | None = None
        self.raw_definitions = definitions
        self.compiled: dict[str, m.Node] = {}

    def error(self, message: str, line: int | None = None) -> RuleFileError:
        return RuleFileError(str(self.file), message, line, self.rule)


def compile_node(raw: object, ctx: PackContext, line: int | None) -> object:
    if isinstance(raw, str) and raw.startswith("$"):
        return _reference(raw[1:], ctx, line)
    if isinstance(raw, list):
        return m.Any(tuple(compile_node(item, ctx, line) for item in raw))
    if not isinstance(raw, dict) or not raw:
        raise ctx.error(f"condition invalide : {raw!r} (attendu : pattern, any, all, not, near, value ou $définition).", line)
    line = getattr(raw, "line", line)
    kind = next((k for k in ("pattern", "any", "all", "not", "near", "value") if k in raw), None)
    if kind is None:
        raise ctx.error(f"condition sans type reconnu (clés : {', '.join(sorted(raw))}).", line)
    unknown = set(raw) - NODE_KEYS[kind]
    if unknown:
        raise ctx.error(f"clé inconnue « {sorted(unknown)[0]} » dans une condition « {kind} ».", line)
    if kind == "pattern":
        return _pattern(raw, ctx, line)
    if kind in ("any", "all"):
        items = raw[kind] if isinstance(raw[kind], list) else [raw[kind]]
        children = tuple(compile_node(item, ctx, line) for item in items)
        return m.Any(children) if kind == "any" else m.All(children)
    if kind == "not":
        return m.Not(compile_node(raw["not"], ctx, line))
    if kind == "near":
        if not isinstance(raw["near"], list) or len(raw["near"]) < 2:
            raise ctx.error("« near » attend une liste d'au moins deux conditions.", line)
        children = tuple(compile_node(item, ctx, line) for item in raw["near"])
        return m.Near(children, positive_int(raw, "words", 10, ctx, line), _order(raw, ctx, line))
    return value_leaf(raw, raw["value"], ctx, line)


def _pattern(raw: dict, ctx: PackContext, line: int | None) -> m.Pattern:
    sources = raw["pattern"] if isinstance(raw["pattern"], list) else [raw["pattern"]]
    if not sources or not all(isinstance(s, str) and s.strip() for s in sources):
        raise ctx.error("« pattern » attend une expression ou une liste d'expressions non vides.", line)
    negation = raw.get("negation", "skip")
    if negation not in ("skip", "any", "only"):
        raise ctx.error(f"« negation » vaut skip, any ou only, pas « {negation} ».", line)
    source = "|".join(f"(?:{s})" for s in sources)
    analyses = [ctx.memo.analyse(s) for s in sources]
    risky = next((s for s, (danger, _, _) in zip(sources, analyses) if danger), None)
    if risky:
        raise ctx.error(f"expression régulière à risque « {risky} » : une répétition dans une répétition "
                        "(comme (\\w+\\s?)+) peut bloquer l'analyse ; réécrivez-la sans imbrication.", line)
    try:
        regex = compile_regex(source, ctx.memo)
        starts = [found for _, found, _ in analyses]
        merged = None if any(p is None for p in starts) else tuple(sorted({p for group in starts for p in group}))
        if merged:
            ctx.scan.add(merged)
        return m.Pattern(regex, source, negation, merged, ctx.scan)
    except re.error as exc:
        bad = next((s for s in sources if invalid(s)), source)
        raise ctx.error(f"expression régulière invalide « {bad} » ({exc}).", line) from None


def value_leaf(raw: dict, kind: object, ctx: PackContext, line: int | None) -> m.ValueLeaf:
    if kind not in ("duration", "percent", "money"):
        raise ctx.error(f"type de valeur inconnu « {kind} » (duration, percent ou money).", line)
    near = compile_node(raw["near"], ctx, line) if "near" in raw else None
    basis = raw.get("basis", "any")
    if basis not in ("any", "business", "calendar"):
        raise ctx.error(f"« basis » vaut any, business ou calendar, pas « {basis} ».", line)
    return m.ValueLeaf(kind, near, positive_int(raw, "words", 12, ctx, line), _order(raw, ctx, line), basis)


def _order(raw: dict, ctx: PackContext, line: int | None) -> str:
    order = raw.get("order", "any")
    if order not in ("any", "after"):
        raise ctx.error(f"« order » vaut any ou after, pas « {order} ».", line)
    return order


def positive_int(raw: dict, key: str, default: int, ctx: PackContext, line: int | None) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ctx.error(f"« {key} » doit être un entier positif.", line)
    return value


def _reference(name: str, ctx: PackContext, line: int | None) -> m.Node:
    if name in ctx.compiled:
        return ctx.compiled[name]
    if name not in ctx.raw_definitions:
        raise ctx.error(f"définition inconnue « ${name} ».", line)
    node = m.Node(name)
    ctx.compiled[name] = node  # placed before compiling so that a cycle is detected below
    raw, file = ctx.raw_definitions[name]
    here, ctx.file = ctx.file, file  # errors inside a definition name the file that holds it
    object.__setattr__(node, "child", compile_node(raw, ctx, getattr(raw, "line", line)))
    ctx.file = here
    if _cyclic(node, set()):
        raise ctx.error(f"définition « ${name} » circulaire.", line)
    return node


def _cyclic(node: object, seen: set[int]) -> bool:
    if id(node) in seen:
        return True
    children = getattr(node, "children", None) or [getattr(node, n) for n in ("child", "near") if getattr(node, n, None)]
    return any(_cyclic(child, seen | {id(node)}) for child in children)


def _value_spec(raw: object, ctx: PackContext, line: int) -> ValueSpec:
    if not isinstance(raw, dict):
        raise ctx.error("« value » doit être un dictionnaire (type, max, unit…).", line)
    line = getattr(raw, "line", line)
    unknown = set(raw) - VALUE_KEYS
    if unknown:
        raise ctx.error(f"clé inconnue « {sorted(unknown)[0]} » dans « value ».", line)
    leaf = value_leaf(raw, raw.get("type"), ctx, line)
    unit = raw.get("unit", "heures" if leaf.kind == "duration" else "%")
    bounds = {}
    for key in ("max", "min"):
        if key in raw:
            if not isinstance(raw[key], (int, float)) or isinstance(raw[key], bool):
                raise ctx.error(f"« {key} » doit être un nombre.", line)
            try:
                bounds[key] = to_hours(raw[key], unit) if leaf.kind == "duration" else float(raw[key])
            except ValueError:
                raise ctx.error(f"unité inconnue « {unit} » (minutes, heures, jours, semaines, mois, ans).", line) from None
    if not bounds:
        raise ctx.error("un seuil « max » ou « min » est requis.", line)
    aggregate = raw.get("aggregate", "each")
    if aggregate not in ("each", "min", "max"):
        raise ctx.error("« aggregate » vaut each, min ou max.", line)
    label = f"{raw.get('max', raw.get('min')):g} {unit}"
    prefer = compile_node(raw["prefer"], ctx, line) if "prefer" in raw else None
    setting = raw.get("setting")
    if setting is not None and not (isinstance(setting, str) and re.fullmatch(r"[a-z][a-z0-9_]*", setting)):
        raise ctx.error("« setting » est un nom de seuil en minuscules (ex. gtr_max_heures).", line)
    return ValueSpec(leaf, bounds.get("max"), bounds.get("min"), label, prefer, aggregate, unit, setting)


def _check(raw: dict, ctx: PackContext, line: int) -> Check:
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ctx.error(f"type de règle « {kind} » inconnu (required, forbidden ou threshold).", line)
    scope = raw.get("scope", "sentence")
    if scope not in SCOPES:
        raise ctx.error(f"portée « {scope} » inconnue ({', '.join(SCOPES)}).", line)
    if "match" not in raw:
        raise ctx.error("champ obligatoire « match » manquant.", line)
    match = compile_node(raw["match"], ctx, line)
    if not any(True for _ in match.leaves()):
        raise ctx.error("« match » ne contient aucune condition positive (un « not » seul ne trouve rien).", line)
    value = _value_spec(raw["value"], ctx, line) if "value" in raw else None
    if (kind == "threshold") != (value is not None):
        raise ctx.error("« value » s'emploie avec, et seulement avec, le type threshold.", line)
    return Check(kind, scope, match, value)


def _text(raw: dict, key: str, ctx: PackContext, line: int, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"le champ « {key} » doit être un texte non vide.", line)
    return " ".join(value.split())


def _examples(raw: object, ctx: PackContext, line: int) -> tuple[Example, ...]:
    if not isinstance(raw, dict) or set(raw) - {"fires", "passes"}:
        raise ctx.error("« examples » attend les listes « fires » et « passes ».", line)
    examples = []
    for key in ("fires", "passes"):
        items = raw.get(key) or []
        if not isinstance(items, list) or not items:
            raise ctx.error(f"au moins un exemple « {key} » est requis.", getattr(raw, "line", line))
        for item in items:
            if isinstance(item, str):
                examples.append(Example(item, key == "fires"))
            elif isinstance(item, dict) and isinstance(item.get("text"), str) and set(item) <= {"text", "excerpt"}:
                examples.append(Example(item["text"], key == "fires", item.get("excerpt"), getattr(item, "line", None)))
            else:
                raise ctx.error(f"exemple « {key} » invalide : un texte ou {{text, excerpt}}.", getattr(item, "line", line))
    return tuple(examples)


def compile_rule(raw: object, ctx: PackContext) -> Rule:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        raise ctx.error("chaque règle doit être un dictionnaire.", line)
    ctx.rule = raw.get("id") if isinstance(raw.get("id"), str) else None
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise ctx.error(f"clé inconnue « {sorted(unknown)[0]} ».", line)
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise ctx.error(f"champ obligatoire « {missing[0]} » manquant.", line)
    if not ctx.rule or not RULE_ID.match(ctx.rule):
        raise ctx.error("« id » doit être en minuscules, mots séparés par des tirets (ex. gtr-absente).", line)
    try:
        severity = Severity(raw["severity"])
    except ValueError:
        raise ctx.error(f"gravité « {raw['severity']} » inconnue (critique, majeur, mineur, info).", line) from None
    checks = [_check({k: raw[k] for k in CHECK_KEYS if k in raw}, ctx, line)]
    for extra in raw.get("also") or []:
        if not isinstance(extra, dict) or set(extra) - CHECK_KEYS:
            raise ctx.error("« also » attend une liste de vérifications {kind, scope, match, value}.", line)
        checks.append(_check(extra, ctx, getattr(extra, "line", line)))
    message = _text(raw, "message", ctx, line)
    try:
        message.format(**_PLACEHOLDERS)
    except (KeyError, IndexError, ValueError) as exc:
        raise ctx.error(f"« message » : variable inconnue {exc} (disponibles : {{value}}, {{max}}).", line) from None
    unless = raw.get("unless") or []
    if not isinstance(unless, list) or not all(isinstance(u, str) for u in unless):
        raise ctx.error("« unless » attend une liste d'identifiants de règles.", line)
    references = raw.get("references") or []
    return Rule(
        id=ctx.rule, severity=severity, title=_text(raw, "title", ctx, line),
        condition=_text(raw, "condition", ctx, line), message=message,
        why=_text(raw, "why", ctx, line), demand=_text(raw, "demand", ctx, line),
        question=_text(raw, "question", ctx, line), alert=_text(raw, "alert", ctx, line, required=False),
        references=tuple(str(r) for r in references), checks=tuple(checks), unless=tuple(unless),
        examples=_examples(raw["examples"], ctx, line), file=str(ctx.file), line=line or 0,
    )


def load_rule_file(path: Path, shared: dict[str, object], memo: AnalysisMemo | None = None,
                   scan: PrefixScan | None = None) -> tuple[list[Rule], list]:
    """The rules and the key figures (engine.figschema) a rule file defines."""
    from contratcheck.engine.figschema import compile_figures

    data = load_yaml(path, memo)
    if data is None:
        return [], []
    ctx = PackContext(path, dict(shared), memo, scan)
    if not isinstance(data, dict) or set(data) - {"pack", "rules", "definitions", "figures"}:
        raise ctx.error("un fichier de règles contient « rules » ou « figures » (et éventuellement « pack », "
                        "« definitions »).")
    local = data.get("definitions") or {}
    if not isinstance(local, dict):
        raise ctx.error("« definitions » doit être un dictionnaire nom → condition.", getattr(data, "line", None))
    ctx.raw_definitions.update({name: (raw, path) for name, raw in local.items()})
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise ctx.error("« rules » doit être une liste de règles.", getattr(data, "line", None))
    compiled = [compile_rule(raw, ctx) for raw in rules]
    return compiled, compile_figures(data.get("figures") or [], ctx, getattr(data, "line", None))


def load_definitions(path: Path, memo: AnalysisMemo | None = None) -> dict[str, tuple[object, Path]]:
    """The shared definitions of a pack folder (its pack.yaml)."""
    data = load_yaml(path, memo)
    if not isinstance(data, dict) or set(data) - {"pack", "version", "title", "language", "definitions"}:
        raise RuleFileError(str(path), "pack.yaml contient pack, version, title, language et definitions.")
    definitions = data.get("definitions") or {}
    if not isinstance(definitions, dict):
        raise RuleFileError(str(path), "« definitions » doit être un dictionnaire nom → condition.")
    return {name: (raw, path) for name, raw in definitions.items()}
