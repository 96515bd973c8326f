"""`contratcheck fiche`: only the key figures of one or more contracts, with where they are stated."""

from __future__ import annotations

from pathlib import Path

import typer

from contratcheck.cli.app import app
from contratcheck.cli.common import (
    BY_FOLDER,
    ENSEMBLE,
    JOBS,
    NO_CACHE,
    NO_DEFAULT_RULES,
    OCR,
    PASSWORD,
    RULES,
    TIMEOUT,
    ExitCode,
    check_ocr,
    fail,
    french_errors,
    interrupted_code,
    reading,
    sets_mode,
    write_output,
)
from contratcheck.report import SheetFormat


@app.command(short_help="Afficher la fiche : chiffres clés et leur page.")
def fiche(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Contrats (fichiers ou dossiers) dont afficher la fiche.", show_default=False),
    output_format: SheetFormat = typer.Option(SheetFormat.RICH, "--format", "-f", help="Format : rich (tableau lisible), markdown ou json."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FICHIER", help="Écrire la fiche dans ce fichier plutôt qu'à l'écran."),
    rules: list[Path] = RULES,
    no_default_rules: bool = NO_DEFAULT_RULES,
    jobs: int = JOBS,
    no_cache: bool = NO_CACHE,
    password: str = PASSWORD,
    ocr: bool = OCR,
    timeout: float = TIMEOUT,
    ensemble: bool = ENSEMBLE,
    by_folder: bool = BY_FOLDER,
) -> None:
    """Afficher la fiche d'un contrat : GTI et GTR par niveau, plages de service, disponibilité,
    pénalités, durée, préavis, reconduction, prix, RPO/RTO et sauvegardes, avec la page de chaque
    valeur. « non trouvé » : l'outil n'a rien lu de tel dans le contrat — à vérifier ou à demander.

    Code de sortie : 0, ou 2 si un document n'a pas pu être lu.
    """
    from contratcheck import service
    from contratcheck.report import sheets
    from contratcheck.service.outputs import check_outputs
    from contratcheck.service.pipeline import paths_of

    check_ocr(ocr)
    choices = reading(rules, no_default_rules, jobs, no_cache, password, ocr, timeout, sets=sets_mode(ensemble, by_folder))
    with french_errors():
        run = service.prepare(paths, choices)
        check_outputs([("--output", output)] if output else [], paths, paths_of(run.files))
    if not run.figures:
        raise fail("aucun chiffre clé défini dans les règles chargées.")
    with french_errors():
        outcome = service.execute(run)
    results = list(outcome.report.documents)
    write_output(sheets(output_format, results), output)
    for notice in outcome.report.notices:
        typer.echo(f"Attention : {notice}", err=True)
    if outcome.interrupted:
        raise typer.Exit(interrupted_code())
    raise typer.Exit(ExitCode.ERROR if service.unread(results) else ExitCode.OK)
