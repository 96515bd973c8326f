"""Peak memory of auditing the hostile folder (tests/hostile/corpus.py) in one run, beside good contracts.

Samples, every 20 ms, the resident memory of contratcheck and all its worker processes together,
and prints the peak of that sum, the time, and each document's code.
Usage: python bench/hostile.py [--jobs N]   (default 2, with memory-mb = 1024, the default)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "hostile"))
from accuracy import command  # noqa: E402
from corpus import build  # noqa: E402


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and its descendants."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    jobs = parser.parse_args().jobs
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        expected = build(work / "lot")
        (work / "contratcheck.toml").write_text("[limits]\nmax-zip-mb = 50\n", encoding="utf-8")
        environment = {**os.environ, "CONTRATCHECK_CACHE_DIR": str(work / "cache")}
        started = time.perf_counter()
        report = work / "rapport.json"  # a file, not a pipe: a pipe left unread would block the run
        process = subprocess.Popen([command(), "audit", "lot", "--jobs", str(jobs), "-o", f"json={report}", "--fail-on", "none"],
                                   cwd=work, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        stdout = report.read_bytes()
    documents = json.loads(stdout)["documents"]
    print(f"{len(documents)} documents ({len(expected)} écrits), --jobs {jobs} : {seconds:.1f} s, "
          f"mémoire maximale de l'ensemble des processus : {peak / 2**20:.0f} Mio")
    for document in documents:
        print(f"  {os.path.basename(document['path'])!r:45} {(document['error'] or {}).get('code') or document['status']}")


if __name__ == "__main__":
    main()
