"""`contratcheck audit`: options → settings → files → results → reports → exit code. No analysis here."""

from __future__ import annotations

import datetime as dt
import enum
import sys
from dataclasses import replace
from pathlib import Path

import typer

from contratcheck import __version__
from contratcheck.cli import app
from contratcheck.cli.common import ExitCode, fail, load_all, write_output
from contratcheck.model import AuditOptions, Report, RuleInfo, Severity, Status
from contratcheck.report import FORMATS
from contratcheck.service.results import Mapped


class OutputFormat(enum.StrEnum):
    rich = "rich"
    json = "json"
    markdown = "markdown"
    html = "html"
    junit = "junit"
    sarif = "sarif"
    csv = "csv"


class FailOn(enum.StrEnum):
    critique = "critique"
    majeur = "majeur"
    mineur = "mineur"
    info = "info"
    none = "none"


@app.command()
def audit(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Contrats à auditer : fichiers (PDF, DOCX, TXT, MD) ou dossiers (parcourus récursivement).", show_default=False),
    output_format: OutputFormat = typer.Option(OutputFormat.rich, "--format", "-f", help="Format du rapport affiché : rich (lisible, en couleur sur un terminal), json, markdown, html, junit, sarif ou csv."),
    outputs: list[str] = typer.Option(None, "--output", "-o", metavar="[FORMAT=]FICHIER", help="Écrire un rapport dans un fichier : FICHIER (au format de --format) ou FORMAT=FICHIER, par exemple html=rapport.html (option répétable)."),
    rules: list[Path] = typer.Option(None, "--rules", "-r", metavar="CHEMIN", help="Fichier ou dossier de règles YAML à ajouter au pack par défaut (option répétable)."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="Ne pas charger le pack de règles par défaut."),
    fail_on: FailOn = typer.Option(None, "--fail-on", help="Gravité minimale qui rend le code de sortie 1 (none : jamais). Défaut : majeur, ou la configuration.", show_default=False),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Nombre de documents traités en parallèle (défaut : un par processeur ; 1 : l'un après l'autre).", show_default=False),
    no_cache: bool = typer.Option(False, "--no-cache", help="Relire chaque fichier au lieu d'utiliser le texte déjà extrait (cache)."),
    include: list[str] = typer.Option(None, "--include", metavar="MOTIF", help="Dans les dossiers, ne retenir que les fichiers dont le chemin correspond à ce motif (ex. 'offres/**/*.pdf'; répétable)."),
    exclude: list[str] = typer.Option(None, "--exclude", metavar="MOTIF", help="Dans les dossiers, écarter les fichiers dont le chemin correspond à ce motif (ex. 'archives/**'; répétable)."),
    baseline: Path = typer.Option(None, "--baseline", metavar="RAPPORT.json", help="Ne signaler que les points absents de ce rapport JSON précédent (adoption sur un portefeuille existant)."),
    by_rule: bool = typer.Option(False, "--par-regle", help="Ajouter un tableau par règle : quels contrats sont concernés."),
    password: str = typer.Option(None, "--password", metavar="MOT_DE_PASSE", help="Mot de passe des PDF protégés (ou [passwords] dans la configuration, par motif de chemin).", show_default=False),
    ocr: bool = typer.Option(False, "--ocr", help="Lire les pages numérisées (images) par reconnaissance de caractères (Tesseract, français)."),
    timeout: float = typer.Option(None, "--timeout", metavar="SECONDES", min=1, help="Temps maximal par document (défaut : 120 s) ; au-delà, le document est signalé et l'audit continue.", show_default=False),
    annotated: Path = typer.Option(None, "--annoter", metavar="FICHIER", help="Écrire une copie annotée du contrat (PDF ou DOCX, un seul document) : clauses en cause surlignées avec leur note, points absents en tête. L'original n'est pas modifié.", show_default=False),
) -> None:
    """Auditer un ou plusieurs contrats et signaler les clauses manquantes ou dangereuses.

    Code de sortie : 0 si aucun point n'atteint --fail-on, 1 sinon, 2 si un document n'a pas pu
    être lu ou en cas d'erreur d'utilisation.
    """
    from contratcheck.service import batch
    from contratcheck.service import suppress
    from contratcheck.service.config import ConfigError, load_settings
    from contratcheck.engine.loader import configure
    from contratcheck.annotate import refusal

    targets = _targets(outputs or [], output_format)
    if ocr:
        _check_ocr()
    try:
        settings = load_settings()
        settings = (settings.override("fail_on", fail_on.value if fail_on else None, "--fail-on")
                    .override("jobs", jobs, "--jobs").override("cache", False if no_cache else None, "--no-cache")
                    .override("include", include, "--include").override("exclude", exclude, "--exclude"))
        pack, figures = load_all([*settings.rules, *(rules or [])], default=not no_default_rules)
        loaded = configure(pack, settings.disable, settings.severity, settings.thresholds)
        ignore_file = suppress.find_ignore_file(Path.cwd())
        entries = suppress.load_ignore(ignore_file) if ignore_file else ()
        known = {r.id for r in loaded}
        previous = suppress.load_baseline(baseline) if baseline else set()
    except ConfigError as exc:
        raise fail(exc.message) from None
    files = batch.discover(paths, settings.include, settings.exclude)
    if not files:
        raise fail("aucun fichier pris en charge (.pdf, .docx, .txt, .md) dans " + ", ".join(map(str, paths)) + ".")
    if annotated and (refused := refusal(files, annotated)):
        raise fail(refused)
    limits = replace(settings.limits, timeout=timeout) if timeout else settings.limits
    options = AuditOptions(settings.thresholds, settings.cache, password, settings.passwords, ocr, limits, figures)
    outcome = _run(files, loaded, settings.jobs, options)
    today = dt.date.today()
    notices = suppress.expired(entries, today) + [
        f"L'exception pour « {e.document} » cite une règle inconnue « {e.rule} »." for e in entries if e.rule not in known]
    if _repeated(paths):
        notices.append("Un même fichier a été donné plusieurs fois : il n'a été audité qu'une fois.")
    if outcome.interrupted:
        notices.append(f"Audit interrompu (Ctrl-C) : {len(outcome.results)} document(s) sur {len(files)} audité(s).")
    documents = Mapped(outcome.results, lambda r: suppress.apply(r, entries, previous, today))
    report = Report(__version__, documents,
                    tuple(RuleInfo(r.id, r.severity, r.title, r.condition, r.why, r.demand) for r in loaded), tuple(notices))
    for name, target in targets:
        color = target is None and name == "rich" and sys.stdout.isatty()
        write_output(_writer(name, report, color=color, by_rule=by_rule), target)
    if annotated and report.documents:
        _write_annotated(report.documents[0], files[0][0], annotated, options)
    raise typer.Exit(130 if outcome.interrupted else _exit_code(report, settings.fail_on))


def _repeated(paths: list[Path]) -> bool:
    resolved = [p.resolve() for p in paths if p.exists()]
    return len(resolved) != len(set(resolved))


def _write_annotated(document, source: Path, target: Path, options: AuditOptions) -> None:
    from contratcheck.annotate import AnnotationError, annotate

    try:
        typer.echo(annotate(document, source, target, options), err=True)
    except AnnotationError as exc:
        raise fail(exc.message) from None


def _check_ocr() -> None:
    from contratcheck.errors import ExtractionError
    from contratcheck.extract.ocr import check_available

    try:
        check_available()
    except ExtractionError as exc:
        raise fail(exc.message) from None


def _writer(name: str, report: Report, *, color: bool, by_rule: bool):
    from contratcheck.report import write

    if name == "rich":
        return lambda out: write(name, report, out, color=color, width=None if color else 100, by_rule=by_rule)
    return lambda out: write(name, report, out)


def _targets(outputs: list[str], output_format: OutputFormat) -> list[tuple[str, Path | None]]:
    """(format, file) pairs to write; None is standard output, which gets --format unless a
    plain `--output FILE` took it."""
    targets, stdout = [], True
    for value in outputs:
        name, _, file = value.partition("=")
        if file and name in FORMATS:
            targets.append((name, Path(file)))
        elif file and "/" not in name and "." not in name:
            raise fail(f"format inconnu « {name} » dans --output (formats : {', '.join(FORMATS)}).")
        else:
            targets.append((output_format.value, Path(value)))
            stdout = False
    return ([(output_format.value, None)] if stdout else []) + targets


def _run(files, rules, jobs, options):
    from contratcheck.service import batch

    if not sys.stderr.isatty() or len(files) < 2:
        return batch.run(files, rules, options, jobs=jobs)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("Audit"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("reste"),
               TimeRemainingColumn(), TextColumn("{task.description}", style="dim"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=len(files))
        return batch.run(files, rules, options, jobs=jobs,
                         progress=lambda done, total, path: bar.update(task, completed=done, description=path))


def _exit_code(report: Report, fail_on: str) -> ExitCode:
    if any(d.status is not Status.OK for d in report.documents):
        return ExitCode.ERROR
    if fail_on == "none":
        return ExitCode.OK
    threshold = Severity(fail_on).rank
    hit = any(f.severity.rank >= threshold for d in report.documents for f in d.findings)
    return ExitCode.FINDINGS if hit else ExitCode.OK
