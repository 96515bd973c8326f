"""Accuracy on contracts read as several files (issue 18: --ensemble, --par-dossier, [[contrats]]).

Two corpora, both scored set by set:

- the project's own sets, bench/corpus/sets/<set>/ (pieces written for the project, labels in
  bench/corpus/sets/expected.yaml), each audited with `contratcheck audit <set> --ensemble`;
  `python bench/sets.py` (also run at the end of bench/accuracy.py) prints, per set, the wrong
  labels, then `ensembles: F1=… P=… R=…` and the prevailing values found;
- the four real sets of ../shared/corpus/real (pairs of pieces of one tender or one provider),
  audited in one run with a [[contrats]] configuration written to a temporary folder and scored by
  the shared scorer against labels derived at run time from the per-file labels
  (expected-rules.json, never copied here): `python bench/real.py --ensembles`.

Derived labels. A rule of kind `required` in the pack (a clause that must be present) fires on a set
only if it fires on every piece, is quiet if one piece holds the clause (quiet), else is left out.
Any other rule (a dangerous clause, a threshold) fires if it fires on a piece and no prevailing
piece says otherwise, is quiet if every piece is quiet, else is left out. Where that needs a reading
(a lower piece fires while a prevailing one does not), the label is decided by hand in HAND, with
the short quote that justifies it.

Two rules of issue 18 may not be in the installed pack yet (PENDING): while absent they are reported
as « pas encore », outside the scores.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from accuracy import command, judge_slot, ratio

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OWN = HERE / "corpus" / "sets"
PACK = REPO / "rules" / "infogerance-fr"
PENDING = ("pieces-contradictoires", "annexe-manquante")
FIGURE_IDS = {"gti": "gti", "gtr": "gtr", "preavis_mois": "preavis", "duree_initiale_mois": "duree-initiale",
              "reconduction_tacite": "reconduction", "disponibilite": "disponibilite"}

# The real sets: pieces in order of precedence, as each set's own clause states it.
REAL_SETS: dict[str, tuple[str, ...]] = {
    # CCAP 2 « les pièces contractuelles du marché sont les suivantes par ordre de priorité » : AE, BPU, CCAP, CCTP…
    "le-bourget": ("fr_le_bourget_infogerance_ccap.txt", "fr_le_bourget_infogerance_cctp.txt"),
    # CCAP 6 « les pièces contractuelles prévalent dans l'ordre ci-après » : AE, CCAP, CCTP…
    "vsgp": ("fr_vsgp_infogerance_2025_ccap.txt", "fr_vsgp_infogerance_2025_cctp.txt"),
    # CCAP 2 « énumérés ci-dessous par ordre de priorité décroissante » : AE, CCAP, CCTP
    "aquareel": ("fr_aquareel_tma_2025_ccap.txt", "fr_aquareel_tma_2025_cctp.txt"),
    # Convention « les documents prévaudront les uns sur les autres dans l'ordre suivant : 1. (CGVU) 2. Convention… »
    "cloud-temple": ("fr_cloudtemple_cgvu_2025-05.txt", "fr_cloudtemple_convention_service_iaas_secnumcloud.txt"),
}

# Labels decided by hand: (set, rule) -> ("fires" | "quiet", why, with the short quote from LABELS.md).
HAND: dict[tuple[str, str], tuple[str, str]] = {
    ("vsgp", "engagement-long"): (
        "fires", "CCTP 4.1.3 « conclu pour une durée initiale de deux ans reconductible 1 fois »; the prevailing CCAP "
                 "states no term (« duree and reconduction null (in the acte d'engagement) »)."),
    ("vsgp", "reversibilite-vague"): (
        "quiet", "CCAP left out (restitution only), but the CCTP 4.1.3.4 requires « La documentation organisationnelle "
                 "et opérationnelle … DAT, DEX … La CMDB »: the set's reversibility names its documentation."),
    ("aquareel", "reversibilite-vague"): (
        "quiet", "CCAP only names « une tranche optionnelle, dédiée à la réversibilité »; the CCTP 8 gives its content "
                 "(« transfert de compétence », « présentation de l'architecture technique, de l'organisation du code "
                 "source »), labelled quiet on the CCTP."),
    ("cloud-temple", "frais-hors-forfait"): (
        "fires", "Convention « facturable sur accord préalable par tranche de 30mn »; the prevailing CGVU does not say "
                 "otherwise (3 « Prestations sur devis », 14.1 « coûts supplémentaires »)."),
    ("cloud-temple", "sauvegarde-externalisee-absente"): (
        "quiet", "Convention « les sauvegardes du COMMANDITAIRE seront situées en dehors de la Zone de disponibilité »; "
                 "the prevailing CGVU 10.5 « il n'assure pas de sauvegarde dédiée des contenus » concerns contents "
                 "without the backup service, not the subscribed one: no contrary statement."),
}


# ------------------------------------------------------------------ running the tool

def audit(arguments: list[str], cwd: Path | None = None) -> dict:
    """The JSON report of `contratcheck audit ARGUMENTS`; exit 1 (findings) and 2 (a piece unread) are normal."""
    result = subprocess.run([command(), "audit", *arguments, "--format", "json", "--fail-on", "none"],
                            capture_output=True, text=True, cwd=cwd)
    if result.returncode not in (0, 1, 2) or not result.stdout.strip():
        sys.exit(f"audit impossible (code {result.returncode}) :\n{result.stderr}")
    return json.loads(result.stdout)


def contract(payload: dict, name: str | None) -> dict | None:
    """A set's entry: in `contracts` when the report has it, else the `documents` entry named after
    the set (or the only entry of a one-set run when `name` is None)."""
    entries = [dict(c, path=c.get("name")) for c in payload.get("contracts") or []] or payload.get("documents", [])
    named = [e for e in entries if name is not None and e.get("path") == name]
    return named[0] if named else (entries[0] if name is None and len(entries) == 1 else None)


def installed_rules() -> set[str]:
    result = subprocess.run([command(), "rules", "list", "--format", "json"], capture_output=True, text=True)
    return {rule["id"] for rule in json.loads(result.stdout)}


def rule_kinds() -> dict[str, str]:
    """Rule id -> its kind in the default pack (required, forbidden, threshold)."""
    kinds = {}
    for path in sorted(PACK.glob("*.yaml")):
        for rule in (yaml.safe_load(path.read_text("utf-8")) or {}).get("rules") or []:
            if isinstance(rule, dict) and "id" in rule:
                kinds[rule["id"]] = rule.get("kind", "")
    return kinds


def fired(entry: dict | None) -> set[str]:
    return {f["rule"] for f in (entry or {}).get("findings") or []}


# ------------------------------------------------------------------ the project's own sets

def own_sets(show_details: bool = True) -> list[str]:
    """Score bench/corpus/sets; the lines to print (details first, the score line last)."""
    labels = yaml.safe_load((OWN / "expected.yaml").read_text("utf-8"))
    pending = tuple(labels.pop("pending", ()))
    installed = installed_rules()
    universe = installed | set(pending)
    tp = fp = fn = 0
    right = total = 0
    lines, not_yet = [], set()
    for name, label in sorted(labels.items()):
        folder = OWN / name
        entry = contract(audit([str(folder), "--ensemble"]), None)
        got = fired(entry)
        want = set(label.get("fires") or [])
        scored = universe - set(label.get("omitted") or {})
        for rule in sorted(scored):
            if rule not in installed:
                not_yet.add(rule)
                continue
            if rule in got and rule in want:
                tp += 1
            elif rule in got:
                fp += 1
                lines.append(f"  FP {rule:32} {name}")
            elif rule in want:
                fn += 1
                lines.append(f"  FN {rule:32} {name}")
        for key, value in (label.get("figures") or {}).items():
            values = _values(entry, FIGURE_IDS[key])
            # The prevailing value is the first one listed: a yes/no figure is judged on it alone.
            verdict = judge_slot(key, values[:1] if key == "reconduction_tacite" else values, value)
            total += 1
            right += verdict == "right"
            if verdict != "right":
                shown = [(v.get("text"), v.get("level")) for v in _values(entry, FIGURE_IDS[key])]
                lines.append(f"  valeur {verdict:8} {key:20} {name} : attendu {value!r}, affiché {shown}")
        lines += _held_elsewhere(name, sorted(folder.iterdir()), got - want)
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = lines if show_details else []
    if not_yet:
        out.append(f"  pas encore dans le pack installé (non comptées) : {', '.join(sorted(not_yet))}")
    out.append(f"ensembles : valeurs prévalentes justes={right}/{total}")
    out.append(f"ensembles: F1={f1:.3f} P={precision:.3f} R={recall:.3f} VP={tp} FP={fp} FN={fn} ({len(labels)} ensembles)")
    return out


def _values(entry: dict | None, figure_id: str) -> list[dict]:
    """A figure's values, those the report marks as prevailing (`prevails`, a contract made of
    several files) first; without that mark, in the report's order."""
    for figure in (entry or {}).get("key_figures") or []:
        if figure.get("id") == figure_id:
            values = figure.get("values") or []
            return sorted(values, key=lambda value: value.get("prevails") is False)
    return []


def _held_elsewhere(name: str, pieces: list[Path], got: set[str]) -> list[str]:
    """« absent » findings of the set for a clause a piece holds: the rule fires on the set (and is
    not labelled to), yet is quiet on that piece read alone (a piece refused alone proves nothing)."""
    kinds = rule_kinds()
    absent = {rule for rule in got if kinds.get(rule) == "required"}
    if not absent:
        return []
    report = audit([str(p) for p in pieces])
    lines = []
    for document in report.get("documents", []):
        if document.get("status") == "ok":
            for rule in sorted(absent - fired(document)):
                lines.append(f"  absente sur l'ensemble, présente dans une pièce : {rule} ({name}, {Path(document['path']).name})")
    return lines


# ------------------------------------------------------------------ the real sets

def derive(per_file: dict[str, dict], kinds: dict[str, str]) -> tuple[dict[str, dict], list[str]]:
    """Set labels from the per-file labels ({"documents": {set: {fires, quiet}}}), and the
    (set, rule) pairs that needed a reading and have none in HAND."""
    derived, undecided = {}, []
    for name, pieces in REAL_SETS.items():
        fires, quiet = [], []
        for rule, kind in kinds.items():
            states = ["fires" if rule in per_file[p]["fires"] else "quiet" if rule in per_file[p].get("quiet", [])
                      else None for p in pieces]
            label = _required(states) if kind == "required" else _value(states)
            if (name, rule) in HAND:
                label = HAND[name, rule][0]
            elif label == "ask":
                undecided.append(f"{name}/{rule}")
                label = None
            (fires if label == "fires" else quiet if label == "quiet" else []).append(rule)
        derived[name] = {"fires": fires, "quiet": quiet, "status": "ok"}
    return derived, undecided


def _required(states: list[str | None]) -> str | None:
    if all(s == "fires" for s in states):
        return "fires"
    return "quiet" if "quiet" in states else None


def _value(states: list[str | None]) -> str | None:
    """States in order of precedence. Fires on the most prevailing piece: fires; a lower piece
    fires while a prevailing one does not: « ask » (does it say otherwise?)."""
    if "fires" in states:
        return "fires" if states[0] == "fires" else "ask"
    return "quiet" if all(s == "quiet" for s in states) else None


def real_sets(corpus: Path, score) -> int:
    """Audit and score the real sets; `score(scorer, report, labels, extra)` is bench/real.py's."""
    scoring = corpus.parent.parent / "scoring"
    per_file = json.loads((corpus / "expected-rules.json").read_text("utf-8"))["documents"]
    derived, undecided = derive(per_file, rule_kinds())
    installed = installed_rules()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pieces = [corpus / p for ps in REAL_SETS.values() for p in ps]
        (folder / "contratcheck.toml").write_text("".join(
            f'[[contrats]]\nnom = "{name}"\npieces = [{", ".join(json.dumps((corpus / p).as_posix()) for p in ps)}]\n\n'
            for name, ps in REAL_SETS.items()), "utf-8")
        payload = audit([str(p) for p in pieces], cwd=folder)
        entries = {name: contract(payload, name) for name in REAL_SETS}
        report = folder / "sets.json"
        report.write_text(json.dumps({"documents": [
            {"path": name, "status": (entry or {}).get("status", "absent"), "findings": (entry or {}).get("findings", [])}
            for name, entry in entries.items() if entry is not None]}), "utf-8")
        labels = folder / "labels.json"
        labels.write_text(json.dumps({"documents": derived}), "utf-8")
        print("Étiquettes des ensembles : dérivées des étiquettes par fichier ; décidées à la main :")
        for (name, rule), (label, why) in sorted(HAND.items()):
            print(f"  {name}/{rule} = {label} : {why}")
        if undecided:
            print(f"  à décider (laissées de côté) : {', '.join(undecided)}")
        print()
        score(scoring / "score_rules.py", report, labels, ["--verbose", "--min-f1", "0"])
        alone = audit([str(p) for p in pieces])
    print()
    print(_absent_held(entries, derived, alone, per_file))
    print(_renewal(entries.get("le-bourget"), corpus, installed))
    print(_pending_elsewhere(entries, installed))
    return 0


def _absent_held(entries: dict[str, dict | None], derived: dict[str, dict], alone: dict, per_file: dict) -> str:
    """Findings « absent » on a set for a clause another piece holds: labelled quiet on a piece,
    or quiet on a piece read alone by the tool itself."""
    kinds = rule_kinds()
    by_piece = {Path(d["path"]).name: fired(d) for d in alone.get("documents", []) if d.get("status") == "ok"}
    lines = []
    for name, entry in entries.items():
        for rule in sorted(r for r in fired(entry) if kinds.get(r) == "required"):
            labelled = [p for p in REAL_SETS[name] if rule in per_file[p].get("quiet", [])]
            tool = [p for p in REAL_SETS[name] if p in by_piece and rule not in by_piece[p]]
            if labelled or tool:
                lines.append(f"  {name} : {rule} — tenue par {', '.join(labelled) or '—'} (étiquettes), "
                             f"{', '.join(tool) or '—'} (outil, pièce seule)")
    head = f"absentes sur un ensemble alors qu'une pièce tient la clause : {len(lines)} (cible : 0)"
    return "\n".join([head, *lines])


def _renewal(entry: dict | None, corpus: Path, installed: set[str]) -> str:
    """Le Bourget: CCAP 3.1 renews tacitly, CCTP 8.5 « pas de tacite reconduction »: is the
    contradiction reported with a quote of each piece?"""
    head = "contradiction Le Bourget (reconduction, CCAP 3.1 / CCTP 8.5) : "
    if "pieces-contradictoires" not in installed:
        return head + "pas encore (règle pieces-contradictoires absente du pack installé)"
    findings = [f for f in (entry or {}).get("findings") or [] if f["rule"] == "pieces-contradictoires"]
    quotes = [e for f in findings for e in f.get("evidence") or [] if re.search(r"recondu", e.get("excerpt", ""), re.I)]
    texts = {p: _flat((corpus / p).read_text("utf-8")) for p in REAL_SETS["le-bourget"]}
    pieces = {_piece_of(e, texts) for e in quotes}
    if not findings:
        return head + "non (aucun constat pieces-contradictoires)"
    if set(REAL_SETS["le-bourget"]) <= pieces:
        return head + "oui, une citation de chaque pièce"
    return head + f"non (citations sur la reconduction : {sorted(p or '?' for p in pieces) or 'aucune'})"


def _flat(text: str) -> str:
    return re.sub(r"\W+", " ", text).lower()


def _piece_of(evidence: dict, texts: dict[str, str]) -> str | None:
    """The piece an excerpt comes from: its `path` when the report gives it, else the piece whose text holds it."""
    if evidence.get("path"):
        return Path(evidence["path"]).name
    words = _flat(evidence.get("excerpt", "")).split()
    probe = " ".join(words[:8])
    return next((name for name, text in texts.items() if probe and probe in text), None)


def _pending_elsewhere(entries: dict[str, dict | None], installed: set[str]) -> str:
    """The issue-18 rules on the real sets (not labelled beyond Le Bourget's renewal: shown, not scored)."""
    parts = []
    for rule in PENDING:
        if rule not in installed:
            parts.append(f"{rule} : pas encore")
            continue
        where = [name for name, entry in entries.items() if rule in fired(entry)]
        parts.append(f"{rule} : {', '.join(where) or 'aucun ensemble'}")
    return "règles d'ensemble (non notées) — " + " ; ".join(parts)


def main() -> int:
    print("\n".join(own_sets()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
