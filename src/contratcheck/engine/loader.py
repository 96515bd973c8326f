"""Find and load rule packs: the built-in one, and the files or folders the user adds."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from contratcheck.clauses.cues import ClauseCues
from contratcheck.engine.ir import FIGURE_MATCH, Check, Figure, Kind, Precedence, Rule
from contratcheck.engine.nodes import Definitions
from contratcheck.engine.schema import load_definitions, load_rule_file
from contratcheck.errors import RuleFileError
from contratcheck.text.scan import PrefixScan, remembering

Vocabulary = tuple[Definitions, ClauseCues | None, Precedence | None]  # $definitions, clause cues, pieces


def default_pack_dir() -> Path:
    """The shipped pack: inside the wheel as contratcheck/packs, or the repository's rules/ folder
    when running from a source checkout (editable installs do not copy force-included data)."""
    packaged = Path(str(resources.files("contratcheck"))) / "packs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def _rule_files(path: Path) -> list[tuple[Path, Vocabulary]]:
    """Each rule file with its pack's shared definitions and clause cues. Whatever is not a folder
    is read as a file, so that a named pipe or a device is refused (load_yaml), never opened."""
    if not path.exists():
        raise RuleFileError(str(path), "fichier ou dossier de règles introuvable.")
    if not path.is_dir():
        manifest = path.parent / "pack.yaml"
        return [(path, _shared(manifest) if manifest != path else ({}, None, None))]
    found: list[tuple[Path, Vocabulary]] = []
    for pack in sorted({p.parent for p in path.rglob("*.yaml")} | {p.parent for p in path.rglob("*.yml")}):
        shared = _shared(pack / "pack.yaml")
        files = sorted(p for p in pack.iterdir()
                       if p.suffix in (".yaml", ".yml") and p.name != "pack.yaml" and not p.is_dir())
        found.extend((f, shared) for f in files)
    return found


def _shared(manifest: Path) -> Vocabulary:
    """A pack's pack.yaml if it has one (anything by that name but a folder: a pipe is refused)."""
    present = manifest.exists() and not manifest.is_dir()
    return load_definitions(manifest) if present else ({}, None, None)


def load_pack(paths: list[Path], *, default: bool = True,
              memo: Path | None = None) -> tuple[tuple[Rule, ...], tuple[Figure, ...]]:
    """Every rule and key figure of the default pack (unless disabled) and of `paths`; ids must be
    unique. `memo`: the file where what parsing the patterns taught is kept between runs."""
    with remembering(memo):
        return _load(([default_pack_dir()] if default else []) + list(paths))


def _load(sources: list[Path]) -> tuple[tuple[Rule, ...], tuple[Figure, ...]]:
    rules: dict[str, Rule] = {}
    figures: dict[str, Figure] = {}
    scan = PrefixScan()  # shared: one search per document finds where every pattern may begin
    # The default pack's definitions and clause cues are vocabulary any pack may use, even when
    # its rules are not loaded (--no-default-rules, `rules test` of a user's pack).
    inherited, default_cues, default_order = _vocabulary(default_pack_dir())
    for source in sources:
        for file, (shared, cues, order) in _rule_files(source):
            found, defined = load_rule_file(file, {**inherited, **shared}, scan, cues or default_cues, order or default_order)
            _add(file, (*found, *defined), rules, figures)
    scan.prepare()
    resolved = {rule_id: _with_figures(rule, figures) for rule_id, rule in rules.items()}
    for rule in resolved.values():
        for other in rule.unless:
            if other not in rules:
                raise RuleFileError(rule.file, f"« unless » cite une règle inconnue « {other} ».", rule.line, rule.id)
    return tuple(resolved.values()), tuple(figures.values())


def _vocabulary(folder: Path) -> Vocabulary:
    """The definitions, clause cues and precedence of the packs in `folder` (first pack's cues)."""
    definitions: Definitions = {}
    cues: ClauseCues | None = None
    order: Precedence | None = None
    for manifest in sorted(folder.rglob("pack.yaml")):
        shared, found, precedence = load_definitions(manifest)
        definitions.update(shared)
        cues, order = cues or found, order or precedence
    return definitions, cues, order


def _add(file: Path, items: tuple[Rule | Figure, ...], rules: dict[str, Rule], figures: dict[str, Figure]) -> None:
    for item in items:
        known: dict = rules if isinstance(item, Rule) else figures
        if item.id in known:
            first = known[item.id]
            raise RuleFileError(file.as_posix(), f"identifiant déjà défini dans {first.file}, ligne {first.line}.",
                                item.line, item.id)
        known[item.id] = item


def _with_figures(rule: Rule, figures: dict[str, Figure]) -> Rule:
    """A threshold that judges a key figure holds that Figure, not its id; so do the figures a
    contradiction compares."""
    checks = []
    for check in rule.checks:
        if check.kind is Kind.CONTRADICTION:
            checks.append(_compared(rule, check, figures))
            continue
        spec = check.value
        if spec is not None and isinstance(spec.figure, str):
            if spec.figure not in figures:
                raise RuleFileError(rule.file, f"« figure » cite un chiffre clé inconnu « {spec.figure} ».", rule.line, rule.id)
            figure = figures[spec.figure]
            if figure.value is None or figure.value.kind != spec.kind:
                raise RuleFileError(rule.file, f"le chiffre clé « {spec.figure} » n'est pas une valeur en {spec.unit}.",
                                    rule.line, rule.id)
            check = replace(check, value=replace(spec, figure=figure), match=figure.match if check.match is FIGURE_MATCH else check.match,
                            scope=figure.scope, clauses=check.clauses or figure.clauses)
        checks.append(check)
    return replace(rule, checks=tuple(checks))


def _compared(rule: Rule, check: Check, figures: dict[str, Figure]) -> Check:
    unknown = next((f for f in check.figures if isinstance(f, str) and f not in figures), None)
    if unknown is not None:
        raise RuleFileError(rule.file, f"« figures » cite un chiffre clé inconnu « {unknown} ».", rule.line, rule.id)
    return replace(check, figures=tuple(figures[f] if isinstance(f, str) else f for f in check.figures))


def load_rules(paths: list[Path], *, default: bool = True) -> tuple[Rule, ...]:
    return load_pack(paths, default=default)[0]
