"""Compiling a pack's conditions: YAML nodes to matcher trees, with strict keys and French errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from contratcheck.clauses.cues import ClauseCues
from contratcheck.engine import matchers as m
from contratcheck.engine.ir import ClauseFilter, Precedence, Scope
from contratcheck.errors import RuleFileError
from contratcheck.model import Mode, Party
from contratcheck.text.scan import PrefixScan, analyse, compile_pattern, invalid

FILTER_KEYS = {"binds", "modes", "strict"}
SCOPES = tuple(scope.value for scope in Scope)
NODE_KEYS = {"pattern": {"pattern", "negation"}, "any": {"any"}, "all": {"all"}, "not": {"not"},
             "near": {"near", "words", "order"}, "value": {"value", "near", "words", "order", "basis"},
             "section": {"section"}}
RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


Definitions = dict[str, tuple[object, Path]]  # name -> (its YAML, the file that holds it)


class PackContext:
    """What compiling one file needs: its path, the current rule, and the visible definitions."""

    def __init__(self, file: Path, definitions: Definitions, scan: PrefixScan | None = None,
                 cues: ClauseCues | None = None, precedence: Precedence | None = None) -> None:
        self.file = file
        self.cues = cues  # the pack's clause cues; None: segments are read without clauses
        self.precedence = precedence  # the pack's kinds of pieces and how their order is written
        self.scan = scan or PrefixScan()  # every pattern's prefixes, so one search serves them all
        self.rule: str | None = None
        self.raw_definitions = definitions
        self.compiled: dict[str, m.Node] = {}

    def error(self, message: str, line: int | None = None) -> RuleFileError:
        return RuleFileError(str(self.file), message, line, self.rule)


def first(keys: set) -> str:
    """The first of some unknown keys, for an error message (YAML keys may be numbers or texts)."""
    return sorted(map(str, keys))[0]


def compile_node(raw: object, ctx: PackContext, line: int | None) -> m.Matcher:
    if isinstance(raw, str) and raw.startswith("$"):
        return _reference(raw[1:], ctx, line)
    if isinstance(raw, list):
        return m.Any(tuple(compile_node(item, ctx, line) for item in raw))
    if not isinstance(raw, dict) or not raw:
        raise ctx.error(f"condition invalide : {raw!r} (attendu : pattern, any, all, not, near, value, section ou $définition).", line)
    line = getattr(raw, "line", line)
    kind = next((k for k in ("pattern", "any", "all", "not", "near", "value", "section") if k in raw), None)
    if kind is None:
        raise ctx.error(f"condition sans type reconnu (clés : {', '.join(sorted(map(str, raw)))}).", line)
    unknown = set(raw) - NODE_KEYS[kind]
    if unknown:
        raise ctx.error(f"clé inconnue « {first(unknown)} » dans une condition « {kind} ».", line)
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
    analyses = [analyse(s) for s in sources]
    risky = next((s for s, (danger, _, _) in zip(sources, analyses) if danger), None)
    if risky:
        raise ctx.error(f"expression régulière à risque « {risky} » : une répétition dans une répétition "
                        "(comme (\\w+\\s?)+) peut bloquer l'analyse ; réécrivez-la sans imbrication.", line)
    try:
        regex = compile_pattern(source)
        starts = [found for _, found, _ in analyses]
        merged = None if any(p is None for p in starts) else tuple(sorted({p for group in starts if group for p in group}))
        if merged:
            ctx.scan.add(merged)
        return m.Pattern(regex, source, cast(m.Negation, negation), merged, ctx.scan)
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
    return m.ValueLeaf(cast(m.ValueKind, kind), near, positive_int(raw, "words", 12, ctx, line), _order(raw, ctx, line),
                       cast(m.Basis, basis))


def _order(raw: dict, ctx: PackContext, line: int | None) -> m.Order:
    order = raw.get("order", "any")
    if order not in ("any", "after"):
        raise ctx.error(f"« order » vaut any ou after, pas « {order} ».", line)
    return cast(m.Order, order)


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
    node.child = compile_node(raw, ctx, getattr(raw, "line", line))
    ctx.file = here
    if _cyclic(node, set()):
        raise ctx.error(f"définition « ${name} » circulaire.", line)
    return node


def _cyclic(node: object, seen: set[int]) -> bool:
    if id(node) in seen:
        return True
    children = getattr(node, "children", None) or [getattr(node, n) for n in ("child", "near") if getattr(node, n, None)]
    return any(_cyclic(child, seen | {id(node)}) for child in children)


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
