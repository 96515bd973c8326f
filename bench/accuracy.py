"""Accuracy of the installed contratcheck on the labelled corpus (bench/corpus).

Runs `contratcheck audit bench/corpus/docs --format json` (the installed command, as a user would),
compares every document's findings with bench/corpus/expected.yaml and prints, per rule, true and
false positives, misses, precision and recall, then a line `F1=… P=… R=…` (micro-averaged).
Each document's status is checked against `status` (and `code`) in expected.yaml (default `ok`);
a wrong status is an error, listed and counted on the line `statuts : erreurs=…`.
Last line: the key figures (GTI, GTR, availability, notice, term, price, RPO/RTO, backups) scored
against bench/corpus/expected-figures.json, each labelled slot being right, missed (the tool shows
nothing), invented (the tool shows a value where the contract states none) or wrong (another value):
`figures: acc=… stated-values acc=… (n/m) right=… wrong=… missed=… invented=… of …`.
Then the contracts made of several files (bench/corpus/sets, scored by bench/sets.py, each set audited
with --ensemble): their wrong labels with --details, then `ensembles: F1=… P=… R=…`.
Usage: python bench/accuracy.py [--details]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


def command() -> str:
    found = shutil.which("contratcheck", path=str(Path(sys.executable).parent)) or shutil.which("contratcheck")
    if not found:
        sys.exit("contratcheck n'est pas installé : pip install . (voir README)")
    return found


def run() -> dict[str, dict]:
    """File name (with its extension) -> the document's entry in the JSON report."""
    result = subprocess.run([command(), "audit", str(CORPUS / "docs"), "--format", "json", "--fail-on", "none"],
                            capture_output=True, text=True)
    if result.returncode not in (0, 1) and not result.stdout:
        sys.exit(result.stderr)
    payload = json.loads(result.stdout)
    documents = {}
    for document in payload["documents"]:
        if document["status"] != "ok":
            print(f"non lu : {document['path']} ({error_code(document)})", file=sys.stderr)
        documents[Path(document["path"]).name] = document
    return documents


def error_code(document: dict) -> str | None:
    return (document.get("error") or {}).get("code")


def check_statuses(labels: dict[str, dict], documents: dict[str, dict]) -> list[str]:
    """One line per document whose status (or error code) differs from expected.yaml (default: ok)."""
    wrong = []
    for name, entry in sorted(labels.items()):
        want_status, want_code = entry.get("status", "ok"), entry.get("code")
        document = documents.get(f"{name}.{entry.get('format')}")
        if document is None:
            wrong.append(f"  statut {name} : attendu {want_status}, absent du rapport")
            continue
        got_status, got_code = document["status"], error_code(document)
        if got_status != want_status or (want_code is not None and got_code != want_code):
            want = want_status + (f"/{want_code}" if want_code else "")
            got = got_status + (f"/{got_code}" if got_code else "")
            wrong.append(f"  statut {name} : attendu {want}, obtenu {got}")
    return wrong


# ------------------------------------------------------------------ key figures
# Same counting as the shared scorer of key figures (written again here: this bench runs anywhere).
# The value that applies is the FIRST one the report lists (per level for GTI/GTR); the values after it
# are alternatives (a paid option, another clause) and are not scored.

HOURS_PER_MONTH = 730.5
FIGURE_IDS = {"gti": "gti", "gtr": "gtr", "disponibilite": "disponibilite", "preavis_mois": "preavis",
              "duree_initiale_mois": "duree-initiale", "prix_mensuel_eur": "prix-mensuel", "rpo_h": "rpo",
              "rto_h": "rto", "reconduction_tacite": "reconduction", "sauvegarde_hors_site": "sauvegarde-lieu"}


def figure_values(document: dict, figure_id: str) -> list[dict]:
    for figure in document.get("key_figures") or []:
        if figure.get("id") == figure_id:
            return figure.get("values") or []
    return []


def close(a: float | None, b: float | None, tolerance: float) -> bool:
    return a is not None and b is not None and abs(a - b) <= tolerance


def judge_levels(values: list[dict], want: dict | None) -> str:
    got: dict[str, float] = {}
    for value in values:
        if value.get("amount") is not None:
            got.setdefault(value.get("level") or "*", round(float(value["amount"]), 3))
    if want is None:
        return "invented" if got else "right"
    if not got:
        return "missed"
    if set(want) == {"*"}:
        return "right" if all(close(amount, want["*"], 0.01) for amount in got.values()) else "wrong"
    for level, amount in want.items():
        if not close(got.get(level, got.get("*")), amount, 0.01):
            return "wrong"
    return "wrong" if set(got) - set(want) - {"*"} else "right"


def judge_number(values: list[dict], want: float | None, scale: float, tolerance: float) -> str:
    amounts = [float(v["amount"]) / scale for v in values if v.get("amount") is not None]
    if want is None:
        return "invented" if amounts else "right"
    if not amounts:
        return "missed"
    return "right" if close(amounts[0], want, tolerance) else "wrong"


def judge_bool(values: list[dict], want: bool | None, yes: str) -> str:
    texts = [str(v.get("text", "")).lower() for v in values]
    if not texts:
        return "right" if want is None else "missed"
    if want is None:
        return "invented"
    return "right" if any(yes in text for text in texts) == want else "wrong"


def judge_slot(key: str, values: list[dict], want) -> str:
    if key in ("gti", "gtr"):
        return judge_levels(values, want)
    if key in ("reconduction_tacite", "sauvegarde_hors_site"):
        return judge_bool(values, want, "oui" if key == "reconduction_tacite" else "hors site")
    scale, tolerance = {"disponibilite": (1, 0.001), "preavis_mois": (HOURS_PER_MONTH, 0.1),
                        "duree_initiale_mois": (HOURS_PER_MONTH, 0.1), "prix_mensuel_eur": (1, 0.5),
                        "rpo_h": (1, 0.01), "rto_h": (1, 0.01)}[key]
    return judge_number(values, want, scale, tolerance)


def score_figures(labels: dict[str, dict], documents: dict[str, dict], details: list[str]) -> str:
    tally = Counter({"right": 0, "wrong": 0, "missed": 0, "invented": 0})
    stated_right = stated_all = 0
    for name, slots in sorted(labels.items()):
        document = documents.get(name)
        for key, want in slots.items():
            if key not in FIGURE_IDS:  # penalite_plafond, sauvegarde_frequence: labelled, not scored
                continue
            values = [] if document is None else figure_values(document, FIGURE_IDS[key])
            verdict = "missed" if document is None else judge_slot(key, values, want)
            tally[verdict] += 1
            if want is not None:
                stated_all += 1
                stated_right += verdict == "right"
            if verdict != "right":
                shown = [(v.get("text"), v.get("level")) for v in values]
                details.append(f"  {verdict:8} {key:20} {name} : attendu {want!r}, affiché {shown}")
    total = sum(tally.values())
    return (f"figures: acc={ratio(tally['right'], total):.3f} stated-values acc={ratio(stated_right, stated_all):.3f} "
            f"({stated_right}/{stated_all}) right={tally['right']} wrong={tally['wrong']} missed={tally['missed']} "
            f"invented={tally['invented']} of {total}")


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> None:
    labels = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))
    expected = {name: set(entry.get("fires") or []) for name, entry in labels.items()}
    documents = run()
    found = {Path(name).stem: {f["rule"] for f in document["findings"]} for name, document in documents.items()}
    rules = sorted({r for s in expected.values() for r in s} | {r for s in found.values() for r in s})
    tp, fp, fn = Counter(), Counter(), Counter()
    details = []
    for name, want in sorted(expected.items()):
        got = found.get(name, set())
        for rule in got & want:
            tp[rule] += 1
        for rule in got - want:
            fp[rule] += 1
            details.append(f"  FP {rule:32} {name}")
        for rule in want - got:
            fn[rule] += 1
            details.append(f"  FN {rule:32} {name}")
    print(f"{'règle':32} {'VP':>4} {'FP':>4} {'FN':>4} {'précision':>10} {'rappel':>7}")
    for rule in rules:
        print(f"{rule:32} {tp[rule]:4} {fp[rule]:4} {fn[rule]:4} {ratio(tp[rule], tp[rule] + fp[rule]):10.3f} {ratio(tp[rule], tp[rule] + fn[rule]):7.3f}")
    if "--details" in sys.argv:
        print("\n".join(details))
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = ratio(total_tp, total_tp + total_fp), ratio(total_tp, total_tp + total_fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"documents={len(expected)} VP={total_tp} FP={total_fp} FN={total_fn}")
    print(f"F1={f1:.3f} P={precision:.3f} R={recall:.3f}")
    wrong_status = check_statuses(labels, documents)
    if wrong_status:
        print("\n".join(wrong_status))
    print(f"statuts : erreurs={len(wrong_status)} sur {len(labels)} documents")
    figures_path = CORPUS / "expected-figures.json"
    if figures_path.exists():
        figure_details: list[str] = []
        line = score_figures(json.loads(figures_path.read_text("utf-8"))["documents"], documents, figure_details)
        if "--details" in sys.argv and figure_details:
            print("\n".join(figure_details))
        print(line)
    from sets import own_sets  # imports this module: loaded once main() runs

    print("\n".join(own_sets(show_details="--details" in sys.argv)))


if __name__ == "__main__":
    main()
