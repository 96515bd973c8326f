"""The one way to run contratcheck: settings and command-line choices in, a prepared run, a Report out.

`audit`, `compare`, `fiche` and `extract` all go through `prepare` and `execute`, so that every
command honours the same configuration (rules turned off, severities, passwords, limits…) and
nothing drifts between them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from contratcheck import __version__
from contratcheck.engine.ir import Figure, Rule
from contratcheck.engine.loader import load_pack
from contratcheck.errors import RuleFileError, UsageError
from contratcheck.model import Document, DocumentResult, Report, RuleInfo
from contratcheck.service import batch, suppress
from contratcheck.service.batch import Progress
from contratcheck.service.cache import memo_path
from contratcheck.service.config import Settings, check_timeout, load_settings
from contratcheck.service.discovery import discover
from contratcheck.service.isolated import isolated
from contratcheck.service.options import AuditOptions
from contratcheck.service.pipeline import Unit, read_document
from contratcheck.service.results import Mapped
from contratcheck.service.rules import configure
from contratcheck.service.sets import group
from contratcheck.service.verdict import unread_files


@dataclass(frozen=True, slots=True)
class Choices:
    """What the command line says; None or empty: not given, the configuration decides."""

    rules: tuple[Path, ...] = ()
    default_rules: bool = True
    fail_on: str | None = None
    jobs: int | None = None
    cache: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    password: str | None = None
    ocr: bool = False
    timeout: float | None = None
    baseline: Path | None = None
    sets: str = ""  # "ensemble": all the files are one contract; "par-dossier": each sub-folder is one


@dataclass(frozen=True, slots=True)
class Run:
    """Everything decided before the first document is read."""

    settings: Settings
    rules: tuple[Rule, ...]
    figures: tuple[Figure, ...]
    files: list[Unit]  # files, or a contract's files read as one
    options: AuditOptions
    ignore: tuple[suppress.IgnoreEntry, ...] = ()
    baseline: frozenset[tuple[str, str]] = frozenset()
    notices: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Outcome:
    """A run's report, and whether Ctrl-C cut it short."""

    report: Report
    interrupted: bool = False


def settings_for(choices: Choices) -> Settings:
    """The configuration file's settings, overridden by the command line."""
    settings = load_settings()
    if choices.fail_on is not None:
        settings = settings.override("--fail-on", fail_on=choices.fail_on)
    if choices.jobs is not None:
        settings = settings.override("--jobs", jobs=choices.jobs)
    if not choices.cache:
        settings = settings.override("--no-cache", cache=False)
    if choices.include:
        settings = settings.override("--include", include=tuple(choices.include))
    if choices.exclude:
        settings = settings.override("--exclude", exclude=tuple(choices.exclude))
    return settings


def rule_pack(paths: Sequence[Path], *, default: bool = True,
              cache: bool = True) -> tuple[tuple[Rule, ...], tuple[Figure, ...]]:
    """The rules and key figures of the default pack (unless `default` is false) and of `paths`."""
    try:
        pack, figures = load_pack(list(paths), default=default, memo=memo_path() if cache else None)
    except RuleFileError as exc:
        raise UsageError(f"fichier de règles invalide — {exc.message}") from None
    if not pack:
        raise UsageError("aucune règle à appliquer (--no-default-rules sans --rules).")
    return pack, figures


def load_rules(settings: Settings, choices: Choices) -> tuple[tuple[Rule, ...], tuple[Figure, ...]]:
    """The pack's rules with the project's choices applied, and its key figures."""
    pack, figures = rule_pack([*settings.rules, *choices.rules], default=choices.default_rules, cache=settings.cache)
    return configure(pack, settings.disable, settings.severity, settings.thresholds), figures


Selection = Callable[[list[tuple[Path, str]]], list[tuple[Path, str]]]


def prepare(paths: Sequence[Path], choices: Choices, select: Selection | None = None) -> Run:
    """Settings, rules, files and options of a run; a UsageError or ConfigError says what is wrong.
    `select` narrows the files found (and may refuse them with its own UsageError)."""
    settings = settings_for(choices)
    rules, figures = load_rules(settings, choices)
    ignore_file = suppress.find_ignore_file(Path.cwd())
    ignore = suppress.load_ignore(ignore_file) if ignore_file else ()
    baseline = frozenset(suppress.load_baseline(choices.baseline)) if choices.baseline else frozenset()
    skipped: list[str] = []
    files = discover(list(paths), settings.include, settings.exclude, skipped)
    files = select(files) if select else files
    if not files:
        raise UsageError("aucun fichier pris en charge (.pdf, .docx, .txt, .md) dans " + ", ".join(map(str, paths)) + ".")
    units = group(files, list(paths), choices.sets, settings.contracts, settings.folder)
    timeout = check_timeout(choices.timeout)
    limits = replace(settings.limits, timeout=timeout) if timeout else settings.limits
    options = AuditOptions(thresholds=settings.thresholds, use_cache=settings.cache, password=choices.password,
                           passwords=settings.passwords, passwords_base=settings.folder, ocr=choices.ocr, limits=limits,
                           figures=figures)
    known = {rule.id for rule in rules}
    notices = [f"L'exception pour « {e.document} » cite une règle inconnue « {e.rule} »." for e in ignore if e.rule not in known]
    if skipped:
        notices.append(f"{len(skipped)} fichier(s) de projet non audité(s), ce ne sont pas des contrats "
                       f"({', '.join(skipped[:3])}{', …' if len(skipped) > 3 else ''}) : nommez-les ou "
                       "utilisez --include pour les auditer.")
    if _repeated(paths):
        notices.append("Un même fichier a été donné plusieurs fois : il n'a été audité qu'une fois.")
    return Run(settings, rules, figures, units, options, ignore, baseline, tuple(notices))


def document(path: Path, choices: Choices) -> Document:
    """One file's normalized text, read as an audit's worker reads it: limits of time and memory,
    passwords, cache."""
    settings = settings_for(choices)
    options = AuditOptions(use_cache=settings.cache, password=choices.password, passwords=settings.passwords,
                           passwords_base=settings.folder,
                           ocr=choices.ocr, limits=settings.limits)
    timeout = check_timeout(choices.timeout)
    if timeout:
        options = replace(options, limits=replace(options.limits, timeout=timeout))
    return isolated(read_document, (path, path.as_posix(), options), options.limits)


def execute(run: Run, progress: Progress | None = None) -> Outcome:
    """Audit every file of the run; suppressions are applied as the report is read."""
    done = batch.run(run.files, run.rules, run.options, jobs=run.settings.jobs, progress=progress)
    today = dt.date.today()
    notices = suppress.expired(run.ignore, today) + list(run.notices)
    if done.interrupted:
        notices.append(f"Audit interrompu (Ctrl-C) : {len(done.results)} document(s) sur {len(run.files)} audité(s).")
    baseline = set(run.baseline)
    documents = Mapped(done.results, lambda r: suppress.apply(r, run.ignore, baseline, today))
    infos = tuple(RuleInfo(r.id, r.severity, r.title, r.condition, r.why, r.demand, r.question, r.alert, r.tags)
                  for r in run.rules)
    return Outcome(Report(__version__, documents, infos, tuple(notices)), done.interrupted)


def unread(documents: Sequence[DocumentResult]) -> bool:
    """Some document, or some piece of a contract, could not be audited (exit code 2)."""
    return any(unread_files(d) for d in documents)


def _repeated(paths: Sequence[Path]) -> bool:
    resolved = [p.resolve() for p in paths if p.exists() and not p.is_symlink() or p.is_dir()]
    return len(resolved) != len(set(resolved))
