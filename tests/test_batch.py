"""Folders of contracts: parallel and ordered, cached, filtered by globs."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLES
from contratcheck.engine.loader import load_rules
from contratcheck.service import batch, cache
from contratcheck.service.discovery import discover
from contratcheck.service.options import AuditOptions

RULES = load_rules([], default=True)


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "offres"
    for index in range(6):
        sub = root / ("archives" if index == 5 else f"lot{index % 2}")
        sub.mkdir(parents=True, exist_ok=True)
        source = ["contrat-sain.pdf", "contrat-risque.docx", "contrat-gtr-intervention.txt"][index % 3]
        shutil.copy(SAMPLES / source, sub / f"{index}-{source}")
    return root


def test_parallel_results_equal_sequential_and_keep_order(folder):
    files = discover([folder])
    sequential = batch.run(files, RULES, AuditOptions(use_cache=False), jobs=1).results
    parallel = batch.run(files, RULES, AuditOptions(use_cache=False), jobs=2).results
    assert [r.path for r in parallel] == [display for _, display in files] == sorted(display for _, display in files)
    assert list(parallel) == list(sequential)


def test_progress_is_reported_for_every_document(folder):
    seen = []
    files = discover([folder])
    batch.run(files, RULES, AuditOptions(use_cache=False), jobs=2, progress=lambda done, total, path: seen.append((done, total)))
    assert [done for done, _ in seen] == list(range(1, len(files) + 1)) and {t for _, t in seen} == {len(files)}


def test_exclude_and_include_globs(folder):
    paths = [d for _, d in discover([folder], exclude=("archives/**",))]
    assert len(paths) == 5 and not any("archives" in p for p in paths)
    assert [d for _, d in discover([folder], include=("*.pdf",))] == [p for p in paths if p.endswith(".pdf")]


def test_second_run_reads_the_cache_not_the_pdf(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRATCHECK_CACHE_DIR", str(tmp_path / "cache"))
    files = discover([folder], include=("*.pdf",))
    first = list(batch.run(files, RULES, AuditOptions(), jobs=1).results)
    assert len(list(cache.cache_dir().glob("*.json"))) == 1  # identical PDFs share one entry

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the PDF was parsed again")

    monkeypatch.setattr("contratcheck.extract.pdf.extract_pdf", no_parsing)
    assert list(batch.run(files, RULES, AuditOptions(), jobs=1).results) == first


def test_a_damaged_cache_entry_is_a_miss(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRATCHECK_CACHE_DIR", str(tmp_path / "cache"))
    files = discover([folder], include=("*.pdf",))
    first = list(batch.run(files, RULES, AuditOptions(), jobs=1).results)
    for entry in cache.cache_dir().glob("*.json"):
        entry.write_text("{tronqué", encoding="utf-8")
    assert list(batch.run(files, RULES, AuditOptions(), jobs=1).results) == first


def test_a_new_version_removes_the_cache_folders_of_earlier_ones(folder, tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("CONTRATCHECK_CACHE_DIR", str(root))
    for old in ("extraction-3-1.0.0", "extraction-12-1.2.0"):
        (root / old).mkdir(parents=True)
        (root / old / "abc.json").write_text("{}", encoding="utf-8")
    (root / "notes").mkdir()  # not the cache's: kept
    batch.run(discover([folder], include=("*.pdf",)), RULES, AuditOptions(), jobs=1)
    assert sorted(p.name for p in root.iterdir()) == sorted([cache.cache_dir().name, "notes"])


def test_cli_batch_json_is_ordered_and_counts(cli, folder, tmp_path):
    result = cli("audit", folder, "--format", "json", "--jobs", "2", "--exclude", "archives/**", "--no-cache")
    payload = json.loads(result.stdout)
    paths = [d["path"] for d in payload["documents"]]
    assert paths == sorted(paths) and len(paths) == 5
    assert result.returncode == 1


def test_results_read_back_in_input_order_from_disk():
    """Workers finish in any order; after Ctrl-C some never do. Nothing stays in memory but offsets."""
    from contratcheck.model import DocumentResult, ErrorInfo, Status
    from contratcheck.service.results import Mapped, Results

    made = {i: DocumentResult(f"doc{i}.pdf", None, Status.ERROR, ErrorInfo("corrupt", f"cassé {i}"), None) for i in (3, 0, 2)}
    results = Results()
    for index, result in made.items():
        results.add(index, result)
    assert [r.path for r in results] == ["doc0.pdf", "doc2.pdf", "doc3.pdf"]  # index 1 never finished
    assert len(results) == 3 and results[-1] == made[3] and results[0:2] == [made[0], made[2]]
    assert results[0] is not results[0]  # read back from the file at each access, not kept
    renamed = Mapped(results, lambda r: DocumentResult(r.path.upper(), None, r.status, r.error, None))
    assert [r.path for r in renamed] == ["DOC0.PDF", "DOC2.PDF", "DOC3.PDF"] and renamed[1].path == "DOC2.PDF"
