"""Speed and memory of contratcheck against pdftotext, measured in one run (ratios hold anywhere).

Generates (or reuses, in bench/out/perf) 200 PDFs of 10 to 40 pages — tables, two-column pages —
and 50 DOCX, then times the installed command (--format json; every file read for the first time,
the rule pack's pattern memo warm): the batch at --jobs 1 and 2 against pdftotext (poppler) on the
same PDFs, one 30-page contract end to end, `contratcheck --help`, peak memory on a 400-page PDF
and over 1,000 files, and how rule time grows with text size and pack size. Also the real PDFs of
../shared/corpus/real when present.
Usage: python bench/perf.py [--quick]   (needs pdftotext: apt-get install poppler-utils)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from accuracy import command  # noqa: E402
from generate import generate  # noqa: E402

REAL = HERE.parent.parent / "shared" / "corpus" / "real"


# Commands run as on a user's machine, where Python keeps the bytecode it compiles (pip writes that
# of the dependencies at install time): some sandboxes set PYTHONDONTWRITEBYTECODE, and an editable
# install then compiles contratcheck's own modules at every start (0.03 to 0.05 s of processor here).
USER_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


# Every timed command reads its files for the first time, as a user auditing a new contract does:
# an empty extracted-text cache, but the pattern memo of an earlier run (see warm_memo). --no-cache
# would also drop that memo, which no user pays twice.
WARM = Path(tempfile.mkdtemp(prefix="contratcheck-memo-"))


def warm_memo(cli: str) -> None:
    """Load the pack once, so that WARM holds the pattern memo and no extracted text."""
    subprocess.run([cli, "rules", "list"], capture_output=True, env={**USER_ENV, "CONTRATCHECK_CACHE_DIR": str(WARM)},
                   check=True)


@contextmanager
def first_reading() -> Iterator[dict[str, str]]:
    """The environment of a command that finds the pattern memo and no extracted text."""
    with tempfile.TemporaryDirectory(prefix="contratcheck-cache-") as folder:
        shutil.copytree(WARM, folder, dirs_exist_ok=True)
        yield {**USER_ENV, "CONTRATCHECK_CACHE_DIR": folder}


def timed(arguments: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    seconds, _, result = timed_cpu(arguments, **kwargs)
    return seconds, result


def timed_cpu(arguments: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, and processor seconds of the command and the workers it waited for."""
    with first_reading() as environment:
        start, used = time.perf_counter(), children_cpu()
        result = subprocess.run(arguments, capture_output=True, text=True, env=environment, **kwargs)
        return time.perf_counter() - start, children_cpu() - used, result


def children_cpu() -> float:
    """Processor seconds (user + system) of the finished child processes so far. Unlike wall time,
    it does not grow when other machines take this shared one's processors for a while."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_time(arguments: list[str], runs: int = 5) -> float:
    return statistics.median(timed(arguments)[0] for _ in range(runs))


def pages_of(folder: Path) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(p))) for p in folder.glob("*.pdf"))


def pdftotext_seconds(pdfs: list[Path]) -> tuple[float, float]:
    """Wall and processor seconds of pdftotext over the PDFs."""
    start, used = time.perf_counter(), children_cpu()
    for pdf in pdfs:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    return time.perf_counter() - start, children_cpu() - used


ROUNDS = 3  # this machine's speed drifts by up to 1.5x within minutes: each round times all three in a row


def batch_round(cli: str, pdfs: list[Path], pdf_dir: Path) -> tuple[tuple[float, float, float], float, float]:
    """Wall seconds for pdftotext, then contratcheck --jobs 1 and --jobs 2, on the same PDFs; and the
    processor seconds of pdftotext and of contratcheck --jobs 1."""
    poppler, poppler_cpu = pdftotext_seconds(pdfs)
    (one, cpu), (two, _) = (_audit_batch(cli, pdf_dir, jobs) for jobs in (1, 2))
    return (poppler, one, two), poppler_cpu, cpu


def _audit_batch(cli: str, pdf_dir: Path, jobs: int) -> tuple[float, float]:
    seconds, used, result = timed_cpu([cli, "audit", str(pdf_dir), "--format", "json", "--fail-on", "none",
                                       "--jobs", str(jobs)])
    assert result.returncode == 0, result.stderr
    return seconds, used


def peak_mb(arguments: list[str]) -> float:
    """Peak resident memory of a command and its worker processes, in MiB (Linux ru_maxrss: KiB)."""
    code = ("import resource,subprocess,sys; subprocess.run(sys.argv[1:], capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    with first_reading() as environment:
        out = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, env=environment)
    return int(out.stdout.strip()) / 1024


def build(folder: Path, count: int, pages: tuple[int, int], docx: int, seed: int) -> Path:
    """Generate in two processes (rendering 5,000 pages with fpdf2 takes a while, once); returns the
    folder holding pdf/ and docx/ for this size, so runs of other sizes never mix in."""
    # generate() makes every fifth document a text file: ask for a quarter more to get `count` PDFs.
    parts = [(folder / f"part{i}-{count}-{docx}", count * 5 // 8, pages, docx // 2, seed + i) for i in range(2)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_generate, parts))
    for part, *_ in parts:
        for file in part.iterdir():
            if file.suffix in (".pdf", ".docx"):
                target = folder / f"{count}-{docx}" / ("docx" if file.suffix == ".docx" else "pdf") / f"{part.name}-{file.name}"
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    shutil.copy(file, target)
    return folder / f"{count}-{docx}"


def _generate(arguments) -> None:
    folder, count, pages, docx, seed = arguments
    generate(folder, count, pages, docx, seed)


def _distinct(node, copy: int):
    """A rule tree whose patterns are new regexes matching the same text (a never-matching branch
    named after the copy): ten such copies cost what ten times more rules would, not one shared run."""
    import dataclasses
    import re

    from contratcheck.engine import matchers as m
    from contratcheck.engine.ir import Check, ValueSpec

    if isinstance(node, m.Pattern):
        return dataclasses.replace(node, regex=re.compile(f"{node.regex.pattern}|(?!)copie{copy}"))
    if isinstance(node, (Check, ValueSpec, m.Node, m.Not, m.ValueLeaf, m.All, m.Any, m.Near)):
        fields = {f.name: getattr(node, f.name) for f in dataclasses.fields(node)}
        changed = {name: (tuple(_distinct(c, copy) for c in value) if name == "children" else _distinct(value, copy))
                   for name, value in fields.items() if name in ("children", "child", "near", "match", "value", "leaf", "prefer")}
        return dataclasses.replace(node, **changed)
    return node


def fastest(actions, rounds: int = 9) -> list[float]:
    """Each action's least processor time (seconds) over `rounds` rounds, the actions taking turns
    in every round. This host's speed drifts by up to 1.5 × within minutes and other guests steal
    time: both sides of a ratio are timed side by side, each at its least disturbed run."""
    best = [float("inf")] * len(actions)
    for _ in range(rounds):
        for index, action in enumerate(actions):
            start = time.process_time()
            action()
            best[index] = min(best[index], time.process_time() - start)
    return best


def rule_share(pdfs: list[Path]) -> tuple[float, float]:
    """Seconds of rule evaluation and of warm extraction (see fastest()) summed over `pdfs`."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from contratcheck.engine.loader import load_rules
    from contratcheck.engine.run import audit_document
    from contratcheck.extract import read_extraction
    from contratcheck.text.assemble import build_document

    rules, total_rules, total_extraction = load_rules([]), 0.0, 0.0
    for pdf in pdfs:
        document = build_document("x", read_extraction(pdf))
        extraction, evaluation = fastest([lambda pdf=pdf: read_extraction(pdf), lambda document=document: audit_document(document, rules)])
        total_extraction, total_rules = total_extraction + extraction, total_rules + evaluation
    return total_rules, total_extraction


def rule_scaling(pdf_dir: Path) -> list[str]:
    """Rule time against extraction time, text size (×10) and pack size (×10), all timed in this
    process by fastest(): extraction is timed warm, as in a batch (the first reading, which also
    imports the PDF library, is shown apart, in wall-clock time)."""
    sys.path.insert(0, str(HERE.parent / "src"))
    import dataclasses

    from contratcheck.engine.context import Context
    from contratcheck.engine.figures import key_figures
    from contratcheck.engine.loader import load_pack
    from contratcheck.engine.run import audit_document
    from contratcheck.extract import read_extraction
    from contratcheck.model import Extraction
    from contratcheck.text.assemble import build_document

    sample = max(sorted(pdf_dir.glob("*.pdf"))[:10], key=lambda p: p.stat().st_size)
    started = time.perf_counter()
    extraction = read_extraction(sample)
    first = time.perf_counter() - started
    rules, figures = load_pack([])
    many = tuple(dataclasses.replace(r, id=f"{r.id}-{i}", unless=tuple(f"{u}-{i}" for u in r.unless),
                                     checks=tuple(_distinct(c, i) for c in r.checks))
                 for i in range(10) for r in rules)
    big = Extraction(extraction.format, extraction.blocks * 10, (extraction.pages or 0) * 10)
    small_doc, big_doc = build_document("x", extraction), build_document("x", big)

    def with_sheet() -> None:  # the key figures reuse what the rules found, as in an audit
        ctx = Context(small_doc.match_text)
        audit_document(small_doc, rules, ctx=ctx)
        key_figures(small_doc, figures, ctx)

    # 15 rounds: over 7, a slow spell once spanned every run of one action (the key figures then
    # seemed to cost -0.7 ms)
    extract_time, base, bigger, wider, both = fastest([
        lambda: read_extraction(sample), lambda: audit_document(small_doc, rules), lambda: audit_document(big_doc, rules),
        lambda: audit_document(small_doc, many), with_sheet], 15)
    sheet = both - base
    return [f"règles : {base * 1000:.1f} ms pour {extraction.pages} pages, soit {base / extract_time:.1%} du temps "
            f"d'extraction ({extract_time * 1000:.0f} ms ; première lecture, imports compris : {first * 1000:.0f} ms)",
            f"chiffres clés de la fiche, en plus : {sheet * 1000:.1f} ms",
            f"texte ×10 : règles ×{bigger / base:.1f} ; pack ×10 ({len(many)} règles) : règles ×{wider / base:.1f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 PDFs and 5 DOCX instead of 200 and 50")
    args = parser.parse_args()
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext manque : sudo apt-get install poppler-utils")
    cli = command()
    warm_memo(cli)
    folder = HERE / "out" / ("perf-quick" if args.quick else "perf")
    started = time.perf_counter()
    count, docx = (20, 5) if args.quick else (200, 50)
    run = build(folder, count, (10, 40), docx, 11)
    pdf_dir, docx_dir = run / "pdf", run / "docx"
    pdfs = sorted(pdf_dir.glob("*.pdf"))
    pages = pages_of(pdf_dir)
    print(f"corpus : {len(pdfs)} PDF ({pages} pages), {len(list(docx_dir.glob('*.docx')))} DOCX "
          f"({time.perf_counter() - started:.0f} s pour les produire ou les retrouver)")

    measured = [batch_round(cli, pdfs, pdf_dir) for _ in range(ROUNDS)]
    rounds = [walls for walls, _, _ in measured]
    poppler = statistics.median(r[0] for r in rounds)
    print(f"pdftotext : {poppler:.2f} s, {pages / poppler:.0f} pages/s (médiane de {ROUNDS} tours)")
    for jobs in (1, 2):
        seconds = statistics.median(r[jobs] for r in rounds)
        ratios = sorted(r[0] / r[jobs] for r in rounds)
        print(f"contratcheck --jobs {jobs} : {seconds:.2f} s, {pages / seconds:.0f} pages/s, "
              f"{statistics.median(ratios):.2f} × pdftotext (tours : {', '.join(f'{x:.2f}' for x in ratios)})")
    ratios = sorted(poppler_cpu / cpu for _, poppler_cpu, cpu in measured)
    print(f"temps processeur, --jobs 1 : {statistics.median(ratios):.2f} × pdftotext "
          f"(tours : {', '.join(f'{x:.2f}' for x in ratios)})")
    seconds, _ = timed([cli, "audit", str(docx_dir), "--format", "json", "--fail-on", "none"])
    print(f"DOCX : {len(list(docx_dir.glob('*.docx')))} documents en {seconds:.2f} s")

    work = Path(tempfile.mkdtemp())
    thirty = work / "trente-pages"
    generate(thirty, 2, (30, 30), 0, 5)  # the first of five is text: take the PDF
    one = next(thirty.glob("*.pdf"))
    single = median_time([cli, "audit", str(one), "--format", "json", "--fail-on", "none"])
    print(f"un contrat de 30 pages, de bout en bout : {single:.2f} s (médiane de 5) ; "
          f"pdftotext : {median_time(['pdftotext', str(one), '-']):.2f} s")
    print(f"contratcheck --help : {median_time([cli, '--help']):.2f} s (médiane de 5)")

    big = work / "gros"
    generate(big, 2, (560, 560), 0, 6)  # docgen's pages hold more than the 420 words generate() assumes
    big_pdf = next(big.glob("*.pdf"))
    print(f"mémoire maximale, PDF de {pages_of_file(big_pdf)} pages : {peak_mb([cli, 'audit', str(big_pdf), '--format', 'json']):.0f} Mio")
    many = work / "mille"
    many.mkdir()
    sources = sorted((HERE / "corpus" / "docs").glob("*.txt"))
    for index in range(1000):
        shutil.copy(sources[index % len(sources)], many / f"{index:04d}.txt")
    hundred = work / "cent"
    hundred.mkdir()
    for file in sorted(many.iterdir())[:100]:
        shutil.copy(file, hundred / file.name)
    m100 = peak_mb([cli, "audit", str(hundred), "--format", "json", "--fail-on", "none"])
    m1000 = peak_mb([cli, "audit", str(many), "--format", "json", "--fail-on", "none"])
    print(f"mémoire maximale : 100 fichiers {m100:.0f} Mio, 1 000 fichiers {m1000:.0f} Mio")
    for line in rule_scaling(pdf_dir):
        print(line)
    if REAL.is_dir():
        real = sorted(REAL.glob("*.pdf"))
        real_pages = sum(pages_of_file(p) for p in real)
        poppler_real, _ = pdftotext_seconds(real)
        seconds, _ = timed([cli, "audit", *map(str, real), "--format", "json", "--fail-on", "none", "--jobs", "1"])
        print(f"PDF réels ({len(real)}, {real_pages} pages) : pdftotext {real_pages / poppler_real:.0f} pages/s, "
              f"contratcheck --jobs 1 {real_pages / seconds:.0f} pages/s ({poppler_real / seconds:.2f} ×)")
        rules, extraction = rule_share(real)
        print(f"règles sur ces PDF réels : {rules * 1000:.0f} ms, soit {rules / extraction:.1%} du temps d'extraction "
              f"({extraction * 1000:.0f} ms)")
    shutil.rmtree(work)


def pages_of_file(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


if __name__ == "__main__":
    main()
