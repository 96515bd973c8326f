"""`contratcheck compare`: options → service → comparison → grid. No analysis here."""

from __future__ import annotations

from pathlib import Path

import typer

from contratcheck.cli.app import app
from contratcheck.cli.common import (
    COLOR,
    JOBS,
    NO_CACHE,
    NO_DEFAULT_RULES,
    OCR,
    PASSWORD,
    RULES,
    TIMEOUT,
    ColorChoice,
    ExitCode,
    check_ocr,
    colored,
    french_errors,
    interrupted_code,
    reading,
    sets_mode,
    write_output,
)
from contratcheck.report import GridFormat


@app.command(short_help="Comparer des offres : chiffres clés, coût, classement.")
def compare(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Les offres à comparer : au moins deux fichiers (PDF, DOCX, TXT, MD), ou des dossiers qui les contiennent.", show_default=False),
    output_format: GridFormat = typer.Option(GridFormat.RICH, "--format", "-f", help="Format de la grille : rich (lisible, en couleur sur un terminal), markdown, html (page autonome à ouvrir dans un navigateur) ou csv (pour un tableur : séparateur « ; » et UTF-8 avec BOM, qu'Excel en français ouvre directement)."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FICHIER", help="Écrire la grille dans ce fichier au lieu de l'afficher.", show_default=False),
    hourly: float = typer.Option(None, "--cout-horaire", metavar="EUROS", min=0, help="Ce que vous coûte une heure d'informatique arrêtée (ordre de grandeur pour une PME : 300) ; ajoute le coût estimé des pannes et le total annuel prix + risque. Défaut : aucun, ou la configuration.", show_default=False),
    hours_without_gtr: float = typer.Option(None, "--gtr-sans-engagement", metavar="HEURES", min=0, help="Durée supposée d'un arrêt critique quand le contrat n'a pas de GTR ferme (défaut : 24).", show_default=False),
    incidents: float = typer.Option(None, "--incidents-par-an", metavar="NOMBRE", min=0, help="Nombre d'incidents critiques par an comptés dans le total annuel (défaut : 1).", show_default=False),
    rules: list[Path] = RULES,
    no_default_rules: bool = NO_DEFAULT_RULES,
    jobs: int = JOBS,
    no_cache: bool = NO_CACHE,
    password: str = PASSWORD,
    ocr: bool = OCR,
    timeout: float = TIMEOUT,
    by_folder: bool = typer.Option(False, "--par-dossier", help="Une offre par sous-dossier de chaque dossier donné, lue comme un seul contrat en plusieurs pièces (CG, CP, annexes…)."),
    color_choice: ColorChoice = COLOR,
) -> None:
    """Comparer plusieurs offres côte à côte : chiffres clés, coût estimé des pannes, points relevés et classement expliqué.

    Une colonne par offre (un même contrat fourni en plusieurs formats, aux résultats identiques,
    n'a qu'une colonne) ; la meilleure valeur de chaque ligne est mise en évidence. Poids, pénalités
    et hypothèses de coût se règlent dans la section [compare] de la configuration.

    Code de sortie : 0 si la grille est produite, 2 si un document n'a pas pu être lu (il a quand
    même sa colonne) ou en cas d'erreur d'utilisation.
    """
    from contratcheck import service
    from contratcheck.errors import UsageError
    from contratcheck.report import grid
    from contratcheck.service import offers
    from contratcheck.service.compare import compare as build
    from contratcheck.service.outputs import check_outputs
    from contratcheck.service.pipeline import paths_of
    from contratcheck.service.ranking import scoring

    skipped: list[str] = []

    def offers_only(files: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
        kept, aside = offers.contract_files(files)
        skipped.extend(aside)
        if len(kept) < 2:
            raise UsageError(f"il faut au moins deux offres à comparer (fichiers PDF, DOCX, TXT ou MD) ; {len(kept)}"
                             f" trouvée(s) dans {', '.join(map(str, paths))}.{' ' + _aside(skipped) if skipped else ''}")
        return kept

    check_ocr(ocr)
    choices = reading(rules, no_default_rules, jobs, no_cache, password, ocr, timeout, sets=sets_mode(False, by_folder))
    with french_errors():
        run = service.prepare(paths, choices, offers_only)
        if len(run.files) < 2:
            raise UsageError(f"il faut au moins deux offres à comparer ; toutes les pièces trouvées dans "
                             f"{', '.join(map(str, paths))} forment un seul contrat.")
        check_outputs([("--output", output)] if output else [], paths, paths_of(run.files))
        points = scoring(run.figures, run.settings.compare)
    with french_errors():
        outcome = service.execute(run)
    if outcome.interrupted:
        raise typer.Exit(interrupted_code())
    results = list(outcome.report.documents)
    grouped, merged = offers.group(results)
    notices = (_aside(skipped), *merged) if skipped else merged
    assumptions = _assumptions(run.settings.compare, hourly, hours_without_gtr, incidents)
    comparison = build(grouped, run.figures, points, assumptions, notices)
    write_output(grid(output_format, comparison, color=output is None and colored(color_choice)), output)
    raise typer.Exit(ExitCode.ERROR if service.unread(results) else ExitCode.OK)


def _aside(skipped: list[str]) -> str:
    return f"Écarté(s), ce ne sont pas des contrats d'après l'extension : {', '.join(skipped)}."


def _assumptions(configured, hourly: float | None, hours: float | None, incidents: float | None):
    """The cost assumptions: command line, else the project's [compare], else the defaults; None
    when no hourly cost is known (no cost rows)."""
    from contratcheck.service.cost import Assumptions

    hourly = configured.hourly_cost if hourly is None else hourly
    if hourly is None:
        return None
    chosen = {"hours_without_gtr": configured.hours_without_gtr if hours is None else hours,
              "incidents_per_year": configured.incidents_per_year if incidents is None else incidents}
    return Assumptions(hourly, **{name: value for name, value in chosen.items() if value is not None})
