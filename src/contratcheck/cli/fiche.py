"""`contratcheck fiche`: only the key figures of one or more contracts, with where they are stated."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from contratcheck.cli import app
from contratcheck.cli.common import ExitCode, fail, load_all, write_output
from contratcheck.model import AuditOptions, DocumentResult, Status


class SheetFormat(enum.StrEnum):
    rich = "rich"
    markdown = "markdown"
    json = "json"


@app.command()
def fiche(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Contrats (fichiers ou dossiers) dont afficher la fiche.", show_default=False),
    output_format: SheetFormat = typer.Option(SheetFormat.rich, "--format", "-f", help="Format : rich (tableau lisible), markdown ou json."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FICHIER", help="Écrire la fiche dans ce fichier plutôt qu'à l'écran."),
    rules: list[Path] = typer.Option(None, "--rules", "-r", metavar="CHEMIN", help="Fichier ou dossier de règles YAML à ajouter (ses chiffres clés s'ajoutent à la fiche)."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="Ne pas charger le pack par défaut."),
    password: str = typer.Option(None, "--password", metavar="MOT_DE_PASSE", help="Mot de passe des PDF protégés.", show_default=False),
    ocr: bool = typer.Option(False, "--ocr", help="Lire les pages numérisées par reconnaissance de caractères."),
) -> None:
    """Afficher la fiche d'un contrat : GTI et GTR par niveau, plages de service, disponibilité,
    pénalités, durée, préavis, reconduction, prix, RPO/RTO et sauvegardes, avec la page de chaque
    valeur. « non trouvé » : l'outil n'a rien lu de tel dans le contrat — à vérifier ou à demander.

    Code de sortie : 0, ou 2 si un document n'a pas pu être lu.
    """
    from contratcheck.service import batch
    from contratcheck.service.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise fail(exc.message) from None
    loaded, figures = load_all([*settings.rules, *(rules or [])], default=not no_default_rules)
    if not figures:
        raise fail("aucun chiffre clé défini dans les règles chargées.")
    files = batch.discover(paths, settings.include, settings.exclude)
    if not files:
        raise fail("aucun fichier pris en charge (.pdf, .docx, .txt, .md) dans " + ", ".join(map(str, paths)) + ".")
    options = AuditOptions(settings.thresholds, settings.cache, password, settings.passwords, ocr, settings.limits, figures)
    results = batch.run(files, loaded, options, jobs=settings.jobs).results
    write_output(_render(results, output_format), output)
    raise typer.Exit(ExitCode.ERROR if any(r.status is not Status.OK for r in results) else ExitCode.OK)


def _render(results: list[DocumentResult], output_format: SheetFormat) -> str:
    if output_format is SheetFormat.json:
        from contratcheck.report.json import sheets

        return sheets(results)
    if output_format is SheetFormat.markdown:
        from contratcheck.report.markdown import sheets

        return sheets(results)
    from contratcheck.report.rich import sheets

    return sheets(results)
