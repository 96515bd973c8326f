"""Rule pack files (YAML) to Rule objects, with strict keys and French errors naming file, rule, line."""

from __future__ import annotations

import re
from pathlib import Path

from contratcheck.clauses.cues import ClauseCues, CueError, compile_cues
from contratcheck.engine import matchers as m
from contratcheck.engine.kinds import NAMES as KINDS
from contratcheck.engine.kinds import kind
from contratcheck.text.scan._patterns import AnalysisMemo, compile_regex, invalid
from contratcheck.engine.yamlload import load_yaml
from contratcheck.errors import RuleFileError
from contratcheck.model import Check, ClauseFilter, Example, Mode, Party, Rule, Severity
from contratcheck.text.scan._index import PrefixScan

RULE_KEYS = {"id", "severity", "title", "condition", "kind", "scope", "match", "value", "clauses", "also", "unless",
             "message", "why", "demand", "question", "alert", "references", "examples"}
REQUIRED_KEYS = ("id", "severity", "title", "condition", "kind", "message", "why", "demand", "question",
                 "examples")
CHECK_KEYS = {"kind", "scope", "match", "clauses"}  # and each kind's own keys (engine.kinds)
FILTER_KEYS = {"binds", "modes", "strict"}
SCOPES = ("sentence", "row", "paragraph", "clause", "document")
NODE_KEYS = {"pattern": {"pattern", "negation"}, "any": {"any"}, "all": {"all"}, "not": {"not"},
             "near": {"near", "words", "order"}, "value": {"value", "near", "words", "order", "basis"},
             "section": {"section"}}
RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACEHOLDERS = {"value": "", "max": ""}


class PackContext:
    """What compiling one file needs: its path, the current rule, and the visible definitions."""

    def __init__(self, file: Path, definitions: dict[str, tuple[object, Path]], memo: AnalysisMemo | None = None,
                 scan: PrefixScan | None = None, cues: ClauseCues | None = None) -> None:
        self.file = file
        self.cues = cues  # the pack's clause cues; None: segments are read without clauses
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
        raise ctx.error(f"condition invalide : {raw!r} (attendu : pattern, any, all, not, near, value, section ou $définition).", line)
    line = getattr(raw, "line", line)
    kind = next((k for k in ("pattern", "any", "all", "not", "near", "value", "section") if k in raw), None)
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
    if kind == "section":
        return m.Section(compile_node(raw["section"], ctx, line))
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


def _check(raw: dict, ctx: PackContext, line: int) -> Check:
    """A check: the keys every kind shares, then its kind's own (engine.kinds)."""
    name = raw.get("kind")
    if name not in KINDS:
        raise ctx.error(f"type de règle « {name} » inconnu (required, forbidden ou threshold).", line)
    rule_kind = kind(name)
    unknown = set(raw) - CHECK_KEYS - rule_kind.KEYS
    if unknown:
        raise ctx.error(f"clé « {sorted(unknown)[0]} » inconnue pour le type {name}.", line)
    scope = raw.get("scope", "sentence")
    if scope not in SCOPES:
        raise ctx.error(f"portée « {scope} » inconnue ({', '.join(SCOPES)}).", line)
    extra = rule_kind.compile(raw, ctx, line)
    if "match" not in raw:
        if getattr(extra.get("value"), "figure", None):
            if "clauses" in raw or "scope" in raw:
                raise ctx.error("un seuil qui juge un chiffre clé lit les clauses de ce chiffre : ni « clauses » ni « scope ».", line)
            return Check(name, scope, None, clauses=None, **extra)  # the figure's match and clauses (loader)
        raise ctx.error("champ obligatoire « match » manquant.", line)
    match = compile_node(raw["match"], ctx, line)
    if not any(True for _ in match.leaves()):
        raise ctx.error("« match » ne contient aucune condition positive (un « not » seul ne trouve rien).", line)
    clauses = clause_filter(raw.get("clauses"), rule_kind.DEFAULT_CLAUSES, ctx, line)
    return Check(name, scope, match, clauses=clauses, **extra)


def clause_filter(raw: object, default: tuple[frozenset, frozenset], ctx: PackContext, line: int | None) -> ClauseFilter | None:
    """`clauses: {binds: [...], modes: [...], strict: true}` over the kind's default."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or set(raw) - FILTER_KEYS:
        raise ctx.error("« clauses » s'écrit {binds: [parties], modes: [modes], strict: true|false}.", line)
    if ctx.cues is None:
        if raw:
            raise ctx.error("« clauses » demande une section « clauses » dans le pack.yaml du pack.", line)
        return None
    binds = _members(raw.get("binds"), Party, default[0], "binds", ctx, line)
    modes = _members(raw.get("modes"), Mode, default[1], "modes", ctx, line)
    strict = raw.get("strict", False)
    if not isinstance(strict, bool):
        raise ctx.error("« strict » vaut true ou false.", line)
    return ClauseFilter(binds, modes, ctx.cues, strict)


def _members(raw: object, kind, default: frozenset, key: str, ctx: PackContext, line: int | None) -> frozenset:
    if raw is None:
        return default
    if raw == "all":
        return frozenset(kind)
    names = ", ".join(member.value for member in kind)
    try:
        if not isinstance(raw, list) or not raw:
            raise ValueError
        return frozenset(kind(item) for item in raw)
    except ValueError:
        raise ctx.error(f"« {key} » attend « all » ou une liste parmi : {names}.", line) from None


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
    checks = [_check({k: v for k, v in raw.items() if k in CHECK_KEYS or k == "value"}, ctx, line)]
    for extra in raw.get("also") or []:
        if not isinstance(extra, dict):
            raise ctx.error("« also » attend une liste de vérifications {kind, scope, match, clauses, value}.", line)
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
                   scan: PrefixScan | None = None, cues: ClauseCues | None = None) -> tuple[list[Rule], list]:
    """The rules and the key figures (engine.figschema) a rule file defines."""
    from contratcheck.engine.figschema import compile_figures

    data = load_yaml(path, memo)
    if data is None:
        return [], []
    ctx = PackContext(path, dict(shared), memo, scan, cues)
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


def load_definitions(path: Path, memo: AnalysisMemo | None = None) -> tuple[dict[str, tuple[object, Path]], ClauseCues | None]:
    """The shared definitions of a pack folder (its pack.yaml), and its clause cues if it has some."""
    data = load_yaml(path, memo)
    if not isinstance(data, dict) or set(data) - {"pack", "version", "title", "language", "definitions", "clauses"}:
        raise RuleFileError(str(path), "pack.yaml contient pack, version, title, language, definitions et clauses.")
    definitions = data.get("definitions") or {}
    if not isinstance(definitions, dict):
        raise RuleFileError(str(path), "« definitions » doit être un dictionnaire nom → condition.")
    try:
        cues = compile_cues(data["clauses"]) if "clauses" in data else None
    except CueError as exc:
        raise RuleFileError(str(path), f"clauses : {exc}", getattr(data.get("clauses"), "line", None)) from None
    return {name: (raw, path) for name, raw in definitions.items()}, cues
