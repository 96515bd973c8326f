"""Every report format over ~660 documents, written to a folder, so that a refactoring can be
checked byte for byte: run it before and after, then `diff -r` the two folders.

The documents: the samples, the accuracy corpus (bench/corpus/docs), the perf corpus
(bench/out/perf, made by bench/perf.py) and ../shared/corpus/real when present.
Usage: python bench/snapshot.py OUT_DIR
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
FORMATS = ("json", "markdown", "sarif", "csv", "junit", "html")
ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}


def groups() -> dict[str, list[str]]:
    found = {
        "samples": [str(ROOT / "samples")],
        "accuracy": [str(HERE / "corpus" / "docs")],
        "perf": [str(path) for path in sorted((HERE / "out" / "perf").glob("*")) if path.is_dir()],
    }
    if REAL.is_dir():
        suffixes = {".pdf", ".docx", ".txt"}
        found["real"] = [str(path) for path in sorted(REAL.iterdir()) if path.suffix in suffixes]
    return found


def run(arguments: list[str], stdout: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contratcheck", *arguments], capture_output=True, env=ENV, cwd=ROOT
    )
    stdout.write_bytes(result.stdout + f"\n[exit {result.returncode}]\n".encode() + result.stderr)


def snapshot(out: Path) -> None:
    for name, paths in groups().items():
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        outputs = [f"--output={fmt}={folder / ('audit.' + fmt)}" for fmt in FORMATS]
        run(["audit", *paths, "--no-cache", "--par-regle", *outputs], folder / "audit.rich")
        for fmt in ("json", "markdown", "rich"):
            run(["fiche", *paths, "--format", fmt], folder / f"fiche.{fmt}")
    compared = [str(ROOT / "samples" / f"contrat-{n}.pdf") for n in ("sain", "risque", "gtr-intervention")]
    for fmt in ("markdown", "rich", "csv", "html"):
        run(["compare", *compared, "--format", fmt, "--cout-horaire", "300"], out / f"compare.{fmt}")
    run(["rules", "list"], out / "rules-list.rich")
    run(["rules", "test"], out / "rules-test.rich")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    snapshot(Path(sys.argv[1]))
