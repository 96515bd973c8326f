"""`contratcheck audit`: options → service → reports → exit code. No analysis here."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from contratcheck.cli.app import app
from contratcheck.cli.common import (
    BY_FOLDER,
    COLOR,
    ENSEMBLE,
    JOBS,
    NO_CACHE,
    NO_DEFAULT_RULES,
    OCR,
    PASSWORD,
    RULES,
    TIMEOUT,
    ColorChoice,
    check_ocr,
    colored,
    fail,
    french_errors,
    interrupted_code,
    reading,
    screen_width,
    sets_mode,
    stdin_read,
    write_output,
)
from contratcheck.model import Report
from contratcheck.report import ReportFormat, View

if TYPE_CHECKING:
    from contratcheck.service import Outcome, Run
    from contratcheck.service.pipeline import Unit

Progress = Callable[[int, int, str], None]


class FailOn(enum.StrEnum):
    critique = "critique"
    majeur = "majeur"
    mineur = "mineur"
    info = "info"
    none = "none"


@app.command(short_help="Auditer des contrats : clauses manquantes ou dangereuses.")
def audit(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Contrats à auditer : fichiers (PDF, DOCX, TXT, MD), dossiers (parcourus récursivement), ou « - » pour lire un contrat sur l'entrée standard.", show_default=False),
    output_format: ReportFormat = typer.Option(None, "--format", "-f", help="Format du rapport : rich (lisible, en couleur sur un terminal ; par défaut), json, markdown, html, junit, sarif ou csv. Sans --format, un --output FICHIER prend le format de son extension (.json, .html, .md, .csv, .xml, .sarif ; rich sinon).", show_default=False),
    outputs: list[str] = typer.Option(None, "--output", "-o", metavar="[FORMAT=]FICHIER", help="Écrire un rapport dans un fichier : FICHIER (au format de --format) ou FORMAT=FICHIER, par exemple html=rapport.html (option répétable)."),
    rules: list[Path] = RULES,
    no_default_rules: bool = NO_DEFAULT_RULES,
    fail_on: FailOn = typer.Option(None, "--fail-on", help="Gravité minimale qui rend le code de sortie 1 (none : jamais). Défaut : majeur, ou la configuration.", show_default=False),
    jobs: int = JOBS,
    no_cache: bool = NO_CACHE,
    include: list[str] = typer.Option(None, "--include", metavar="MOTIF", help="Dans les dossiers, ne retenir que les fichiers dont le chemin correspond à ce motif (ex. 'offres/**/*.pdf'; répétable)."),
    exclude: list[str] = typer.Option(None, "--exclude", metavar="MOTIF", help="Dans les dossiers, écarter les fichiers dont le chemin correspond à ce motif (ex. 'archives/**'; répétable)."),
    baseline: Path = typer.Option(None, "--baseline", metavar="RAPPORT.json", help="Ne signaler que les points absents de ce rapport JSON précédent (adoption sur un portefeuille existant)."),
    by_rule: bool = typer.Option(False, "--par-regle", help="Ajouter un tableau par règle : quels contrats sont concernés (dans tous les formats)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="À l'écran, n'afficher que la synthèse et la raison du code de sortie (les fichiers de --output restent complets)."),
    password: str = PASSWORD,
    ocr: bool = OCR,
    timeout: float = TIMEOUT,
    ensemble: bool = ENSEMBLE,
    by_folder: bool = BY_FOLDER,
    color_choice: ColorChoice = COLOR,
    annotated: Path = typer.Option(None, "--annoter", metavar="FICHIER", help="Écrire une copie annotée du contrat (PDF ou DOCX, un seul document) : clauses en cause surlignées avec leur note, points absents en tête. L'original n'est pas modifié.", show_default=False),
) -> None:
    """Auditer un ou plusieurs contrats et signaler les clauses manquantes ou dangereuses.

    Code de sortie : 0 si aucun point n'atteint --fail-on, 1 sinon, 2 si un document n'a pas pu
    être lu ou en cas d'erreur d'utilisation.
    """
    from contratcheck import service
    from contratcheck.service.pipeline import paths_of

    targets = _targets(outputs or [], output_format)
    check_ocr(ocr)
    choices = reading(rules, no_default_rules, jobs, no_cache, password, ocr, timeout,
                      fail_on=fail_on.value if fail_on else None, include=tuple(include or ()),
                      exclude=tuple(exclude or ()), baseline=baseline, sets=sets_mode(ensemble, by_folder))
    with stdin_read(list(paths)) as (paths, name_stdin):
        run = _prepared(paths, choices, targets, annotated, name_stdin)
        with _progress_bar(len(run.files)) as progress, french_errors():
            outcome = service.execute(run, progress)
        code = _write_reports(outcome, run, targets, View(by_rule=by_rule, quiet=quiet), color_choice)
        if annotated and outcome.report.documents:
            _write_annotated(outcome.report.documents[0], paths_of(run.files)[0], annotated, run.options.password_for)
    raise typer.Exit(code)


def _prepared(paths: list[Path], choices, targets: list[tuple[ReportFormat, Path | None]], annotated: Path | None,
              select) -> Run:
    """The run, once every output path is known not to overwrite a contract."""
    from contratcheck import service
    from contratcheck.service.outputs import check_outputs
    from contratcheck.service.pipeline import paths_of

    with french_errors():
        run = service.prepare(paths, choices, select)
        written = [(f"--output {fmt.value}", target) for fmt, target in targets if target is not None]
        check_outputs(written + ([("--annoter", annotated)] if annotated else []), paths, paths_of(run.files))
    if annotated:
        _check_annotated(run.files, annotated)
    return run


def _write_reports(outcome: Outcome, run: Run, targets: list[tuple[ReportFormat, Path | None]], asked: View,
                   color_choice: ColorChoice) -> int:
    """Write every report asked for; the exit code, which the terminal report explains."""
    from contratcheck.service.discovery import source_root
    from contratcheck.service.verdict import ending

    end = ending(outcome.report.documents, run.settings.fail_on)
    code = interrupted_code() if outcome.interrupted else end.code
    reason = f"Code de sortie {code} : audit interrompu." if outcome.interrupted else end.reason
    shown = replace(asked, fail_on=run.settings.fail_on, root=str(source_root(Path.cwd())), ending=reason)
    # Files first: a terminal that cannot show the report must not cost the files asked for.
    for name, target in sorted(targets, key=lambda pair: pair[1] is None):
        on_screen = target is None and name is ReportFormat.RICH
        color = on_screen and colored(color_choice)
        view = replace(shown, color=color, width=screen_width() if on_screen else 100,
                       quiet=asked.quiet and on_screen)
        write_output(_writer(name, outcome.report, view), target)
    return code


def _check_annotated(files: list[Unit], target: Path) -> None:
    from contratcheck.annotate import refusal

    singles = [(path, display) for path, display in files if isinstance(path, Path)]
    if len(singles) < len(files):
        raise fail("--annoter produit la copie annotée d'un seul fichier, pas d'un contrat en plusieurs pièces : "
                   "annotez chaque pièce à part.")
    if refused := refusal(singles, target):
        raise fail(refused)


def _write_annotated(document, source: Path, target: Path, password_for) -> None:
    from contratcheck.annotate import AnnotationError, annotate

    try:
        typer.echo(annotate(document, source, target, password_for(document.path)), err=True)
    except AnnotationError as exc:
        raise fail(exc.message) from None


def _writer(fmt: ReportFormat, report: Report, view: View):
    from contratcheck.report import write

    return lambda out: write(fmt, report, out, view)


# The formats a file's extension admits: `-o rapport.html` is HTML, and `-o html=rapport.json` is refused.
EXTENSIONS = {".json": (ReportFormat.JSON, ReportFormat.SARIF), ".sarif": (ReportFormat.SARIF,),
              ".html": (ReportFormat.HTML,), ".htm": (ReportFormat.HTML,), ".md": (ReportFormat.MARKDOWN,),
              ".markdown": (ReportFormat.MARKDOWN,), ".csv": (ReportFormat.CSV,), ".xml": (ReportFormat.JUNIT,)}


def _targets(outputs: list[str], chosen: ReportFormat | None) -> list[tuple[ReportFormat, Path | None]]:
    """(format, file) pairs to write; None is standard output, which gets --format unless a
    plain `--output FILE` took it. A plain FILE takes --format, else its extension's format."""
    targets: list[tuple[ReportFormat, Path | None]] = []
    stdout = True
    names = [fmt.value for fmt in ReportFormat]
    for value in outputs:
        name, _, file = value.partition("=")
        if file and name in names:
            targets.append((_checked(ReportFormat(name), Path(file)), Path(file)))
        elif file and "/" not in name and "." not in name:
            raise fail(f"format inconnu « {name} » dans --output (formats : {', '.join(names)}).")
        else:
            admitted = EXTENSIONS.get(Path(value).suffix.lower())
            fmt = chosen or (admitted[0] if admitted else ReportFormat.RICH)
            targets.append((_checked(fmt, Path(value)), Path(value)))
            stdout = False
    return ([(chosen or ReportFormat.RICH, None)] if stdout else []) + targets


def _checked(fmt: ReportFormat, file: Path) -> ReportFormat:
    admitted = EXTENSIONS.get(file.suffix.lower())
    if admitted and fmt not in admitted:
        raise fail(f"{file} : un rapport {fmt.value} dans un fichier {file.suffix} ne s'ouvrirait pas comme tel ; "
                   f"nommez le fichier autrement ou demandez le format {admitted[0].value} ({admitted[0].value}={file}).")
    return fmt


@contextmanager
def _progress_bar(total: int) -> Iterator[Progress | None]:
    """A progress bar on a terminal, for more than one document; None otherwise."""
    if not sys.stderr.isatty() or total < 2:
        yield None
        return
    from rich import progress as bars
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("Audit"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("reste"),
               TimeRemainingColumn(), TextColumn("{task.description}", style="dim", markup=False))
    with bars.Progress(*columns, console=Console(stderr=True, markup=False, emoji=False, highlight=False), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda done, count, path: bar.update(task, completed=done, description=path)

