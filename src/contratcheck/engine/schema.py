"""Rule pack files (YAML) to Rule objects, with strict keys and French errors naming file, rule, line."""

from __future__ import annotations

from pathlib import Path

from contratcheck.clauses.cues import ClauseCues, CueError, compile_cues
from contratcheck.engine.ir import FIGURE_MATCH, Check, Example, Figure, Kind, Precedence, Rule, Scope
from contratcheck.engine.kinds import kind
from contratcheck.engine.nodes import RULE_ID, SCOPES, Definitions, PackContext, clause_filter, compile_node, first
from contratcheck.engine.yamlload import load_yaml
from contratcheck.errors import RuleFileError
from contratcheck.model import Severity
from contratcheck.text.scan import PrefixScan

KIND_KEYS = {"value", "figures", "refers"}  # keys some kinds take (engine.kinds)
RULE_KEYS = {"id", "severity", "title", "condition", "kind", "scope", "match", "clauses", "also", "unless",
             "message", "why", "demand", "question", "alert", "references", "tags", "examples"} | KIND_KEYS
REQUIRED_KEYS = ("id", "severity", "title", "condition", "kind", "message", "why", "demand", "question",
                 "examples")
CHECK_KEYS = {"kind", "scope", "match", "clauses"}  # and each kind's own keys (engine.kinds)
_PLACEHOLDERS = {"value": "", "max": ""}


def _check(raw: dict, ctx: PackContext, line: int | None) -> Check:
    """A check: the keys every kind shares, then its kind's own (engine.kinds)."""
    name = raw.get("kind")
    if not isinstance(name, str) or name not in {k.value for k in Kind}:  # a list would not even hash
        raise ctx.error(f"type de règle « {name} » inconnu ({', '.join(k.value for k in Kind)}).", line)
    rule_kind = kind(Kind(name))
    unknown = set(raw) - CHECK_KEYS - rule_kind.KEYS
    if unknown:
        raise ctx.error(f"clé « {first(unknown)} » inconnue pour le type {name}.", line)
    scope = raw.get("scope", "sentence")
    if scope not in SCOPES:
        raise ctx.error(f"portée « {scope} » inconnue ({', '.join(SCOPES)}).", line)
    try:
        extra = rule_kind.compile(raw, ctx, line)
    except TypeError:  # a list or a mapping where the kind reads a text (a unit, a key): not its own error
        raise ctx.error(f"« value » mal formée pour le type {name} : clés et unités sont des textes.", line) from None
    if "match" not in raw:
        if getattr(extra.get("value"), "figure", None):
            if "clauses" in raw or "scope" in raw:
                raise ctx.error("un seuil qui juge un chiffre clé lit les clauses de ce chiffre : ni « clauses » ni « scope ».", line)
            return Check(Kind(name), Scope(scope), FIGURE_MATCH, clauses=None, **extra)  # the figure's (loader)
        if not getattr(rule_kind, "MATCH", True):  # it reads the key figures, not segments
            if "clauses" in raw or "scope" in raw:
                raise ctx.error(f"une règle {name} lit les chiffres clés : ni « clauses » ni « scope ».", line)
            return Check(Kind(name), Scope(scope), FIGURE_MATCH, clauses=None, **extra)
        raise ctx.error("champ obligatoire « match » manquant.", line)
    if not getattr(rule_kind, "MATCH", True):
        raise ctx.error(f"une règle {name} n'a pas de « match » : elle compare les chiffres clés.", line)
    match = compile_node(raw["match"], ctx, line)
    if not any(True for _ in match.leaves()):
        raise ctx.error("« match » ne contient aucune condition positive (un « not » seul ne trouve rien).", line)
    clauses = clause_filter(raw.get("clauses"), rule_kind.DEFAULT_CLAUSES, ctx, line)
    return Check(Kind(name), Scope(scope), match, clauses=clauses, **extra)


def _text(raw: dict, key: str, ctx: PackContext, line: int | None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"le champ « {key} » doit être un texte non vide.", line)
    return " ".join(value.split())


def _examples(raw: object, ctx: PackContext, line: int | None) -> tuple[Example, ...]:
    if not isinstance(raw, dict) or set(raw) - {"fires", "passes"}:
        raise ctx.error("« examples » attend les listes « fires » et « passes ».", line)
    examples = []
    for key in ("fires", "passes"):
        items = raw.get(key) or []
        if not isinstance(items, list) or not items:
            raise ctx.error(f"au moins un exemple « {key} » est requis.", getattr(raw, "line", line))
        for item in items:
            if isinstance(item, str):  # a plain text carries no line of its own: the examples' is given
                examples.append(Example(item, key == "fires", line=getattr(raw, "line", line)))
            elif isinstance(item, dict) and isinstance(item.get("text"), str) and set(item) <= {"text", "excerpt"}:
                examples.append(Example(item["text"], key == "fires", item.get("excerpt"), getattr(item, "line", None)))
            elif isinstance(item, dict) and "pieces" in item and set(item) <= {"pieces", "excerpt"}:
                pieces = _pieces(item["pieces"], ctx, getattr(item, "line", line))
                shown = " ".join(f"[{name}] {text}" for name, text in pieces)
                examples.append(Example(shown, key == "fires", item.get("excerpt"), getattr(item, "line", None), pieces))
            else:
                raise ctx.error(f"exemple « {key} » invalide : un texte, {{text, excerpt}} ou {{pieces, excerpt}}.",
                                getattr(item, "line", line))
    return tuple(examples)


def _pieces(raw: object, ctx: PackContext, line: int | None) -> tuple[tuple[str, str], ...]:
    """A contract in several files: texts (named "pièce 1", "pièce 2"…) or {name, text}."""
    if not isinstance(raw, list) or len(raw) < 2:
        raise ctx.error("« pieces » attend au moins deux pièces : des textes ou {name, text}.", line)
    pieces = []
    for number, item in enumerate(raw, start=1):
        if isinstance(item, str):
            pieces.append((f"pièce {number}", item))
        elif isinstance(item, dict) and set(item) == {"name", "text"} and all(isinstance(v, str) for v in item.values()):
            pieces.append((item["name"], item["text"]))
        else:
            raise ctx.error("une pièce d'exemple est un texte ou {name, text}.", getattr(item, "line", line))
    if len({name for name, _ in pieces}) < len(pieces):
        raise ctx.error("deux pièces d'un exemple portent le même nom.", line)
    return tuple(pieces)


def _message(raw: dict, ctx: PackContext, line: int | None) -> str:
    message = _text(raw, "message", ctx, line)
    try:
        message.format(**_PLACEHOLDERS)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise ctx.error(f"« message » : variable inconnue ou mal écrite {exc} (disponibles : {{value}}, {{max}}).", line) from None
    return message


def _tags(raw: dict, ctx: PackContext, line: int | None) -> tuple[str, ...]:
    """Labels a report may show or act on (SARIF: `security`); one word each, so that a sentence
    written there by mistake is refused rather than shown as a label."""
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t and not any(c.isspace() for c in t) for t in tags):
        raise ctx.error("« tags » attend une liste de mots sans espace (ex. [security, sauvegarde]).", line)
    return tuple(dict.fromkeys(str(t) for t in tags))


def compile_rule(raw: object, ctx: PackContext) -> Rule:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        raise ctx.error("chaque règle doit être un dictionnaire.", line)
    ctx.rule = raw.get("id") if isinstance(raw.get("id"), str) else None
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise ctx.error(f"clé inconnue « {first(unknown)} ».", line)
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise ctx.error(f"champ obligatoire « {missing[0]} » manquant.", line)
    if not ctx.rule or not RULE_ID.match(ctx.rule):
        raise ctx.error("« id » doit être en minuscules, mots séparés par des tirets (ex. gtr-absente).", line)
    try:
        severity = Severity(raw["severity"])
    except ValueError:
        raise ctx.error(f"gravité « {raw['severity']} » inconnue (critique, majeur, mineur, info).", line) from None
    checks = [_check({k: v for k, v in raw.items() if k in CHECK_KEYS or k in KIND_KEYS}, ctx, line)]
    also = raw.get("also") or []
    if not isinstance(also, list) or not all(isinstance(extra, dict) for extra in also):
        raise ctx.error("« also » attend une liste de vérifications {kind, scope, match, clauses, value}.", line)
    checks += [_check(extra, ctx, getattr(extra, "line", line)) for extra in also]
    message = _message(raw, ctx, line)
    unless = raw.get("unless") or []
    if not isinstance(unless, list) or not all(isinstance(u, str) for u in unless):
        raise ctx.error("« unless » attend une liste d'identifiants de règles.", line)
    references = raw.get("references") or []
    if isinstance(references, str):  # one reference written alone
        references = [references]
    if not isinstance(references, list) or not all(isinstance(r, (str, int, float)) for r in references):
        raise ctx.error("« references » attend une liste de textes (articles, normes, guides).", line)
    return Rule(
        id=ctx.rule, severity=severity, title=_text(raw, "title", ctx, line),
        condition=_text(raw, "condition", ctx, line), message=message,
        why=_text(raw, "why", ctx, line), demand=_text(raw, "demand", ctx, line),
        question=_text(raw, "question", ctx, line), alert=_text(raw, "alert", ctx, line) if raw.get("alert") is not None else None,
        references=tuple(str(r) for r in references), checks=tuple(checks), unless=tuple(unless),
        examples=_examples(raw["examples"], ctx, line), file=str(ctx.file), line=line or 0,
        tags=_tags(raw, ctx, line),
    )


def load_rule_file(path: Path, shared: Definitions, scan: PrefixScan | None = None,
                   cues: ClauseCues | None = None, precedence: Precedence | None = None) -> tuple[list[Rule], list[Figure]]:
    """The rules and the key figures (engine.figschema) a rule file defines."""
    from contratcheck.engine.figschema import compile_figures

    data = load_yaml(path)
    if data is None:
        return [], []
    ctx = PackContext(path, dict(shared), scan, cues, precedence)
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


def load_definitions(path: Path) -> tuple[Definitions, ClauseCues | None, Precedence | None]:
    """The shared definitions of a pack folder (its pack.yaml), its clause cues and its pieces'
    precedence (engine.pieces) if it has some."""
    from contratcheck.engine.pieces import compile_precedence

    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) - {"pack", "version", "title", "language", "definitions", "clauses",
                                                   "precedence"}:
        raise RuleFileError(str(path), "pack.yaml contient pack, version, title, language, definitions, clauses et "
                                       "precedence.")
    definitions = data.get("definitions") or {}
    if not isinstance(definitions, dict):
        raise RuleFileError(str(path), "« definitions » doit être un dictionnaire nom → condition.")
    try:
        cues = compile_cues(data["clauses"]) if "clauses" in data else None
    except CueError as exc:
        raise RuleFileError(str(path), f"clauses : {exc}", getattr(data.get("clauses"), "line", None)) from None
    precedence = compile_precedence(data["precedence"], str(path)) if "precedence" in data else None
    return {name: (raw, path) for name, raw in definitions.items()}, cues, precedence
