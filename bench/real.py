"""Accuracy of the installed contratcheck on real third-party contracts, against hand labels.

Audits the real corpus (`../shared/corpus/real` next to the project, or the folder given as first
argument or in CONTRATCHECK_REAL_CORPUS) with the installed command, as a user would, then scores
the JSON report with the two scorers kept beside that corpus (`../scoring/score_rules.py` and
`score_figures.py`): per-rule and per-figure errors, then their last lines
  accuracy: F1=… P=… R=… status=…/…
  figures: acc=… stated-values acc=… (n/m) right=… wrong=… missed=… invented=… of …
The texts' licences forbid copying them into the project: they are read where they are, and the
bench says so and stops (exit 0) when the folder is absent.
--ensembles: the four contracts of the corpus made of two pieces (Le Bourget, VSGP, Aquaréel: CCAP and
CCTP; Cloud Temple: CGVU and service agreement) are each audited as one contract, and scored against
labels derived from the per-file ones (see bench/sets.py); the per-file measure is then not run.
Usage: python bench/real.py [CORPUS] [--keep REPORT.json] [--ensembles]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from accuracy import command

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "corpus" / "real"


def corpus_folder(arguments: list[str]) -> Path:
    given = next((a for a in arguments if not a.startswith("--")), None)
    return Path(given or os.environ.get("CONTRATCHECK_REAL_CORPUS") or DEFAULT).resolve()  # the set mode writes it into a config elsewhere


def audit(corpus: Path, report: Path) -> None:
    """Writes the JSON report of the whole folder; exit 1 (findings) is the normal case."""
    result = subprocess.run([command(), "audit", str(corpus), "--format", "json", "--fail-on", "none",
                             "--output", f"json={report}"], capture_output=True, text=True)
    if result.returncode not in (0, 1, 2) or not report.exists():
        sys.exit(f"audit impossible (code {result.returncode}) :\n{result.stderr}")


def score(scorer: Path, report: Path, labels: Path, extra: list[str]) -> int:
    result = subprocess.run([sys.executable, str(scorer), str(report), "--expected", str(labels), *extra],
                            capture_output=True, text=True)
    print(result.stdout.rstrip())
    if result.returncode not in (0, 1):
        print(result.stderr.rstrip(), file=sys.stderr)
    return result.returncode


def main(arguments: list[str]) -> int:
    corpus = corpus_folder(arguments)
    scoring = corpus.parent.parent / "scoring"
    needed = [corpus / "expected-rules.json", corpus / "expected-figures.json",
              scoring / "score_rules.py", scoring / "score_figures.py"]
    missing = [str(path) for path in needed if not path.exists()]
    if missing:
        print(f"corpus réel absent, mesure sautée (introuvable : {', '.join(missing)})")
        return 0
    if "--ensembles" in arguments:
        from sets import real_sets

        return real_sets(corpus, score)
    keep = arguments[arguments.index("--keep") + 1] if "--keep" in arguments else None
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(keep or Path(tmp) / "real.json")
        audit(corpus, report)
        score(scoring / "score_rules.py", report, corpus / "expected-rules.json", ["--verbose", "--min-f1", "0"])
        print()
        score(scoring / "score_figures.py", report, corpus / "expected-figures.json", ["--verbose"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
