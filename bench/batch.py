"""Batch benchmark: a folder of generated contracts audited as a CI job would.

Generates (or reuses) 200 contracts in bench/out/batch, then with the installed command:
checks that every document gets its expected findings and that output order is sorted,
times --jobs 1 against --jobs 2 (cache off), times a cold and a warm cache run, and checks that
every report format parses. Prints the figures.   Usage: python bench/batch.py [--count 200]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from accuracy import command  # noqa: E402
from generate import generate  # noqa: E402


def audit(folder: Path, *options: str, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run([command(), "audit", str(folder), "--fail-on", "none", *options],
                            capture_output=True, text=True, env=env)
    return time.perf_counter() - start, result


def check_findings(payload: dict, expected: dict[str, list[str]]) -> int:
    wrong = 0
    for document in payload["documents"]:
        got = sorted(f["rule"] for f in document["findings"])
        if got != expected[Path(document["path"]).name]:
            wrong += 1
            print(f"  différent : {document['path']} manque {sorted(set(expected[Path(document['path']).name]) - set(got))} "
                  f"en trop {sorted(set(got) - set(expected[Path(document['path']).name]))}")
    return wrong


def check_formats(folder: Path, out: Path) -> list[str]:
    names = ("json", "markdown", "html", "junit", "sarif", "csv")
    options = [f"--output={name}={out / ('rapport.' + name)}" for name in names]
    audit(folder, "--format", "json", *options)
    problems = []
    json.loads((out / "rapport.json").read_text("utf-8"))
    json.loads((out / "rapport.sarif").read_text("utf-8"))
    ET.fromstring((out / "rapport.junit").read_bytes())
    HTMLParser().feed((out / "rapport.html").read_text("utf-8"))
    rows = list(csv.reader(io.StringIO((out / "rapport.csv").read_text("utf-8-sig")), delimiter=";"))
    if len(rows) < 2:
        problems.append("csv vide")
    if not (out / "rapport.markdown").read_text("utf-8").strip():
        problems.append("markdown vide")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    folder = HERE / "out" / f"batch{args.count}"
    started = time.perf_counter()
    expected = generate(folder, args.count, (2, 6), 0, 7)
    print(f"corpus : {len(expected)} contrats dans {folder} ({time.perf_counter() - started:.1f} s pour les produire ou les retrouver)")

    one, result = audit(folder, "--format", "json", "--no-cache", "--jobs", "1")
    two, result2 = audit(folder, "--format", "json", "--no-cache", "--jobs", "2")
    payload = json.loads(result2.stdout)
    paths = [d["path"] for d in payload["documents"]]
    print(f"ordre trié et stable : {paths == sorted(paths) and result.stdout == result2.stdout}")
    print(f"documents conformes aux étiquettes : {len(paths) - check_findings(payload, expected)}/{len(paths)}")
    print(f"--jobs 1 : {one:.2f} s   --jobs 2 : {two:.2f} s   accélération : x{one / two:.2f} (cœurs : {os.cpu_count()})")

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CONTRATCHECK_CACHE_DIR": cache}
        cold, _ = audit(folder, "--format", "json", "--jobs", "2", env=env)
        warm, result3 = audit(folder, "--format", "json", "--jobs", "2", env=env)
        print(f"cache : 1er passage {cold:.2f} s, 2e passage {warm:.2f} s, {sum(len(f) for _, _, f in os.walk(cache))} entrée(s)")
        print(f"résultat identique avec le cache : {result3.stdout == result2.stdout}")

    out = Path(tempfile.mkdtemp())
    problems = check_formats(folder, out)
    print("formats json, markdown, html, junit, sarif, csv : " + ("tous lisibles" if not problems else ", ".join(problems)))
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
