"""Accuracy of the installed contratcheck on the labelled corpus (bench/corpus).

Runs `contratcheck audit bench/corpus/docs --format json` (the installed command, as a user would),
compares every document's findings with bench/corpus/expected.yaml and prints, per rule, true and
false positives, misses, precision and recall, then a last line `F1=… P=… R=…` (micro-averaged).
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


def run() -> dict[str, set[str]]:
    result = subprocess.run([command(), "audit", str(CORPUS / "docs"), "--format", "json", "--fail-on", "none"],
                            capture_output=True, text=True)
    if result.returncode not in (0, 1) and not result.stdout:
        sys.exit(result.stderr)
    payload = json.loads(result.stdout)
    found = {}
    for document in payload["documents"]:
        if document["status"] != "ok":
            print(f"non lu : {document['path']} ({document['error']['code']})", file=sys.stderr)
        found[Path(document["path"]).stem] = {f["rule"] for f in document["findings"]}
    return found


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> None:
    expected = {name: set(entry.get("fires") or []) for name, entry in yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8")).items()}
    found = run()
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


if __name__ == "__main__":
    main()
