"""Turn the paths a user gives into the sorted list of files to audit, with their display paths."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path, PurePath

from contratcheck.extract import SUPPORTED_SUFFIXES
from contratcheck.globs import matches
from contratcheck.model import DocumentResult, Rule
from contratcheck.pipeline import audit_file

Progress = Callable[[int, int, str], None]  # done, total, path of the document just finished


def discover(arguments: list[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    """Files named directly, plus every supported file inside named folders (recursive, sorted).

    The display path is the argument as typed, or joined to the file's path inside the folder, so
    reports never show an absolute path the user did not give. A file named twice is kept once.
    """
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for argument in arguments:
        if argument.is_dir():
            inside = sorted(p for p in argument.rglob("*")
                            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(p, argument))
            items = [(p, (PurePath(argument) / p.relative_to(argument)).as_posix()) for p in inside
                     if _selected(p.relative_to(argument).as_posix(), include, exclude)]
        else:
            items = [(argument, argument.as_posix())]
        for path, display in items:
            key = path.resolve() if path.exists() else path
            if key not in seen:
                seen.add(key)
                found.append((path, display))
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)


def _selected(relative: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Folder contents are filtered by globs on their path inside the folder; named files never are."""
    if include and not any(matches(relative, g) for g in include):
        return False
    return not any(matches(relative, g) for g in exclude)


_WORKER: dict[str, object] = {}


def _init_worker(rules: tuple[Rule, ...], thresholds: Mapping[str, float], use_cache: bool) -> None:
    _WORKER.update(rules=rules, thresholds=thresholds, use_cache=use_cache)


def _audit(job: tuple[Path, str]) -> DocumentResult:
    return audit_file(job[0], job[1], _WORKER["rules"], thresholds=_WORKER["thresholds"], use_cache=_WORKER["use_cache"])


def run(files: list[tuple[Path, str]], rules: tuple[Rule, ...], *, jobs: int | None = None,
        thresholds: Mapping[str, float] | None = None, use_cache: bool = True,
        progress: Progress | None = None) -> list[DocumentResult]:
    """Audit every file, in parallel processes when worth it; results come back in input order.

    Workers return only small results, so memory does not grow with the number of documents.
    Threads would not help: PDFium is not thread-safe and the rules are pure Python.
    """
    thresholds = dict(thresholds or {})
    workers = min(jobs or os.cpu_count() or 1, len(files))
    if workers <= 1:
        _init_worker(rules, thresholds, use_cache)
        results = []
        for index, job in enumerate(files, start=1):
            results.append(_audit(job))
            if progress:
                progress(index, len(files), job[1])
        return results
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    ordered: list[DocumentResult | None] = [None] * len(files)
    with ProcessPoolExecutor(workers, mp_context=get_context(method), initializer=_init_worker,
                             initargs=(rules, thresholds, use_cache)) as pool:
        futures = {pool.submit(_audit, job): index for index, job in enumerate(files)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            ordered[index] = future.result()
            if progress:
                progress(done, len(files), files[index][1])
    return ordered  # type: ignore[return-value]
