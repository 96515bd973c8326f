"""Audit many documents in worker processes, each bounded in time and memory, results in input order."""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.connection import wait
from pathlib import Path

from contratcheck.engine.ir import Rule
from contratcheck.errors import ResourceError
from contratcheck.model import DocumentResult, ErrorInfo, Status
from contratcheck.service.confine import confine, memory_exceeded
from contratcheck.service.options import AuditOptions
from contratcheck.service.pipeline import Unit, audit_unit
from contratcheck.service.results import Results

Progress = Callable[[int, int, str], None]  # done, total, path of the document just finished


@dataclass
class BatchResults:
    """Results in input order; after Ctrl-C, only those of the documents finished by then."""

    results: Results
    interrupted: bool = False


class _Worker:
    """A child process auditing one document at a time, killed and replaced if it overruns."""

    def __init__(self, context, rules: tuple[Rule, ...], options: AuditOptions) -> None:
        self.connection, child = context.Pipe()
        self.stage = context.Array("c", 64)  # the stage it is in, readable even while it hangs
        self.process = context.Process(target=_serve, args=(child, rules, options, self.stage, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, float] | None = None  # (index, start time)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


def _start(context, rules: tuple[Rule, ...], options: AuditOptions) -> _Worker:
    try:
        return _Worker(context, rules, options)
    except OSError as exc:  # fork refused: process limit (ulimit -u), memory
        raise ResourceError("Le système refuse de créer le processus qui lit les documents "
                            f"({exc.strerror or exc}) : limite de processus ou de mémoire atteinte. "
                            "Relancez avec --jobs 1, ou quand la machine est moins chargée.") from None


def _serve(connection, rules: tuple[Rule, ...], options: AuditOptions, stage, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    confine(options.limits.memory_megabytes, parent)

    def tell(name: str) -> None:
        stage.value = name.encode("ascii", "replace")[:63]

    while (job := connection.recv()) is not None:
        index, path, display = job
        try:
            result = audit_unit(path if isinstance(path, tuple) else Path(path), display, rules, options, tell)
        except MemoryError:
            result = _too_big(display, options.limits.memory_megabytes)
        connection.send_bytes(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))  # the parent stores it as is


def _too_big(display: str, megabytes: float) -> DocumentResult:
    message = memory_exceeded(megabytes)
    return DocumentResult(display, None, Status.ERROR, ErrorInfo("memory", message), None)


def _overrun(display: str, stage: str, limit: float) -> DocumentResult:
    where = "pendant la lecture du fichier" if stage in ("", "lecture") else f"pendant la règle « {stage} »"
    message = (f"Audit arrêté au bout de {limit:g} s {where} : document anormalement long ou piégé "
               "(limite réglable : timeout dans la configuration, ou --timeout).")
    return DocumentResult(display, None, Status.ERROR, ErrorInfo("timeout", message), None)


def _crashed(display: str) -> DocumentResult:
    message = "La lecture de ce fichier a fait échouer le lecteur (fichier piégé ou très endommagé) : il n'a pas été audité."
    return DocumentResult(display, None, Status.ERROR, ErrorInfo("crash", message), None)


def run(files: list[Unit], rules: tuple[Rule, ...], options: AuditOptions | None = None, *,
        jobs: int | None = None, progress: Progress | None = None) -> BatchResults:
    """Audit every file in worker processes; results come back in input order.

    Workers return only small results, which wait pickled on disk (see results.py): memory does
    not grow with the number of documents.
    A document that overruns the time limit has its worker killed (a hung PDF parser or a
    catastrophic regular expression cannot be interrupted otherwise) and is reported `timeout`.
    Threads would not help: PDFium is not thread-safe and the rules are pure Python.
    """
    options = options or AuditOptions()
    count = min(jobs or os.cpu_count() or 1, len(files))
    if "fork" not in get_all_start_methods() and count <= 1:
        return _run_here(files, rules, options, progress)  # spawning costs more than it protects
    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    results = Results()
    pending = list(range(len(files)))[::-1]
    workers = [_start(context, rules, options) for _ in range(count)]
    limit = options.limits.timeout
    done = 0
    try:
        while pending or any(w.job for w in workers):
            _dispatch(workers, pending, files)
            ready = _ready(workers, limit)
            for position, worker in enumerate(workers):
                if worker.job is None:
                    continue
                index, started = worker.job
                failed = None
                if worker.connection in ready:
                    try:
                        results.add_pickled(index, worker.connection.recv_bytes())
                    except (EOFError, OSError):
                        failed = _crashed(files[index][1])
                elif limit and time.monotonic() - started > limit:
                    failed = _overrun(files[index][1], worker.stage.value.decode("ascii", "replace"), limit)
                else:
                    continue
                if failed:
                    results.add(index, failed)
                    worker.stop()
                    workers[position] = _start(context, rules, options)
                else:
                    worker.job = None
                done += 1
                if progress:
                    progress(done, len(files), files[index][1])
    except KeyboardInterrupt:
        return BatchResults(results, interrupted=True)
    finally:
        for worker in workers:
            if worker.job is None:
                try:
                    worker.connection.send(None)  # finish cleanly
                except OSError:
                    pass
                worker.process.join(2)
            worker.stop()
    return BatchResults(results)


def _dispatch(workers: list[_Worker], pending: list[int], files: list[Unit]) -> None:
    """Give the next pending documents (popped from the end) to the idle workers."""
    for worker in workers:
        if worker.job is None and pending:
            index = pending.pop()
            worker.job = (index, time.monotonic())
            target = files[index][0]
            worker.connection.send((index, target if isinstance(target, tuple) else str(target), files[index][1]))


def _ready(workers: list[_Worker], limit: float) -> Collection[object]:
    """The connections of busy workers that have a result, waiting no later than the moment the
    oldest job overruns `limit` (without a limit, until a result comes)."""
    starts = [w.job[1] for w in workers if w.job]
    deadline = min(starts) + limit if limit else None
    return wait([w.connection for w in workers if w.job],
                timeout=max(0.0, deadline - time.monotonic()) if deadline else None)


def _run_here(files, rules, options, progress) -> BatchResults:
    results = Results()
    try:
        for index, (path, display) in enumerate(files):
            results.add(index, audit_unit(path, display, rules, options))
            if progress:
                progress(index + 1, len(files), display)
    except KeyboardInterrupt:
        return BatchResults(results, interrupted=True)
    return BatchResults(results)
