"""`contratcheck audit`: options → files → results → report → exit code. No analysis here."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import typer

from contratcheck import __version__
from contratcheck.cli import app
from contratcheck.cli.common import ExitCode, fail, load, write_output
from contratcheck.model import Report, Severity, Status


class OutputFormat(str, enum.Enum):
    rich = "rich"
    json = "json"


class FailOn(str, enum.Enum):
    critique = "critique"
    majeur = "majeur"
    mineur = "mineur"
    info = "info"
    none = "none"


@app.command()
def audit(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Contrats à auditer : fichiers (PDF, DOCX, TXT, MD) ou dossiers (parcourus récursivement).", show_default=False),
    output_format: OutputFormat = typer.Option(OutputFormat.rich, "--format", "-f", help="Format du rapport : rich (lisible, en couleur sur un terminal) ou json (pour les outils)."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FICHIER", help="Écrire le rapport dans ce fichier au lieu de l'afficher.", dir_okay=False),
    rules: list[Path] = typer.Option(None, "--rules", "-r", metavar="CHEMIN", help="Fichier ou dossier de règles YAML à ajouter au pack par défaut (option répétable)."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="Ne pas charger le pack de règles par défaut."),
    fail_on: FailOn = typer.Option(FailOn.majeur, "--fail-on", help="Gravité minimale qui rend le code de sortie 1 (none : jamais)."),
) -> None:
    """Auditer un ou plusieurs contrats et signaler les clauses manquantes ou dangereuses.

    Code de sortie : 0 si aucun point n'atteint --fail-on, 1 sinon, 2 si un document n'a pas pu
    être lu ou en cas d'erreur d'utilisation.
    """
    from contratcheck.batch import discover
    from contratcheck.pipeline import audit_file

    loaded = load(rules, default=not no_default_rules)
    files = discover(paths)
    if not files:
        raise fail("aucun fichier pris en charge (.pdf, .docx, .txt, .md) dans " + ", ".join(map(str, paths)) + ".")
    report = Report(__version__, tuple(audit_file(path, display, loaded) for path, display in files))
    write_output(_render(report, output_format, color=output is None and sys.stdout.isatty()), output)
    raise typer.Exit(_exit_code(report, fail_on))


def _render(report: Report, output_format: OutputFormat, color: bool) -> str:
    if output_format is OutputFormat.json:
        from contratcheck.report import json as json_report

        return json_report.render(report)
    from contratcheck.checklist import load_checklist
    from contratcheck.report import rich as rich_report

    width = None if color else 100  # a terminal knows its width; files and pipes get a fixed one
    return rich_report.render(report, load_checklist(), color=color, width=width)


def _exit_code(report: Report, fail_on: FailOn) -> ExitCode:
    if any(d.status is not Status.OK for d in report.documents):
        return ExitCode.ERROR
    if fail_on is FailOn.none:
        return ExitCode.OK
    threshold = Severity(fail_on.value).rank
    hit = any(f.severity.rank >= threshold for d in report.documents for f in d.findings)
    return ExitCode.FINDINGS if hit else ExitCode.OK
