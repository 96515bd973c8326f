"""`contratcheck compare`: options → settings → files → audits → comparison → grid. No analysis here."""

from __future__ import annotations

import datetime as dt
import enum
import sys
from pathlib import Path

import typer

from contratcheck.cli import app
from contratcheck.cli.common import ExitCode, fail, load_all, write_output


class GridFormat(enum.StrEnum):
    rich = "rich"
    markdown = "markdown"
    html = "html"
    csv = "csv"


@app.command()
def compare(
    paths: list[Path] = typer.Argument(..., metavar="CHEMIN", help="Les offres à comparer : au moins deux fichiers (PDF, DOCX, TXT, MD), ou des dossiers qui les contiennent.", show_default=False),
    output_format: GridFormat = typer.Option(GridFormat.rich, "--format", "-f", help="Format de la grille : rich (lisible, en couleur sur un terminal), markdown, html (page autonome à ouvrir dans un navigateur) ou csv (pour un tableur : séparateur « ; » et UTF-8 avec BOM, qu'Excel en français ouvre directement)."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FICHIER", help="Écrire la grille dans ce fichier au lieu de l'afficher.", show_default=False),
    hourly: float = typer.Option(None, "--cout-horaire", metavar="EUROS", min=0, help="Ce que vous coûte une heure d'informatique arrêtée (ordre de grandeur pour une PME : 300) ; ajoute le coût estimé des pannes et le total annuel prix + risque. Défaut : aucun, ou la configuration.", show_default=False),
    hours_without_gtr: float = typer.Option(None, "--gtr-sans-engagement", metavar="HEURES", min=0, help="Durée supposée d'un arrêt critique quand le contrat n'a pas de GTR ferme (défaut : 24).", show_default=False),
    incidents: float = typer.Option(None, "--incidents-par-an", metavar="NOMBRE", min=0, help="Nombre d'incidents critiques par an comptés dans le total annuel (défaut : 1).", show_default=False),
    rules: list[Path] = typer.Option(None, "--rules", "-r", metavar="CHEMIN", help="Fichier ou dossier de règles YAML à ajouter au pack par défaut (option répétable)."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="Ne pas charger le pack de règles par défaut."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Nombre de documents lus en parallèle (défaut : un par processeur).", show_default=False),
    no_cache: bool = typer.Option(False, "--no-cache", help="Relire chaque fichier au lieu d'utiliser le texte déjà extrait (cache)."),
) -> None:
    """Comparer plusieurs offres côte à côte : chiffres clés, coût estimé des pannes, points relevés et classement expliqué.

    Une colonne par offre (un même contrat fourni en plusieurs formats, aux résultats identiques,
    n'a qu'une colonne) ; la meilleure valeur de chaque ligne est mise en évidence. Poids, pénalités
    et hypothèses de coût se règlent dans la section [compare] de la configuration.

    Code de sortie : 0 si la grille est produite, 2 si un document n'a pas pu être lu (il a quand
    même sa colonne) ou en cas d'erreur d'utilisation.
    """
    from contratcheck.service import batch
    from contratcheck.service import offers
    from contratcheck.service import suppress
    from contratcheck.service.compare import compare as build
    from contratcheck.service.config import ConfigError, load_settings
    from contratcheck.engine.loader import configure
    from contratcheck.model import AuditOptions, Status
    from contratcheck.service.ranking import scoring

    try:
        settings = load_settings().override("jobs", jobs, "--jobs").override("cache", False if no_cache else None, "--no-cache")
        files, skipped = offers.contract_files(batch.discover(paths, settings.include, settings.exclude))
        aside = f"Écarté(s), ce ne sont pas des contrats d'après l'extension : {', '.join(skipped)}." if skipped else None
        if len(files) < 2:
            raise fail(f"il faut au moins deux offres à comparer (fichiers PDF, DOCX, TXT ou MD) ; {len(files)}"
                       f" trouvée(s) dans {', '.join(map(str, paths))}.{' ' + aside if aside else ''}")
        pack, figures = load_all([*settings.rules, *(rules or [])], default=not no_default_rules)
        loaded = configure(pack, settings.disable, settings.severity, settings.thresholds)
        points = scoring(figures, settings.compare)
        ignore_file = suppress.find_ignore_file(Path.cwd())
        entries = suppress.load_ignore(ignore_file) if ignore_file else ()
    except ConfigError as exc:
        raise fail(exc.message) from None
    options = AuditOptions(settings.thresholds, settings.cache, None, settings.passwords, False, settings.limits, figures)
    outcome = batch.run(files, loaded, options, jobs=settings.jobs)
    if outcome.interrupted:
        raise typer.Exit(130)
    results = [suppress.apply(r, entries, set(), dt.date.today()) for r in outcome.results]
    grouped, merged = offers.group(results)
    notices = (aside, *merged) if aside else merged
    assumptions = _assumptions(settings.compare, hourly, hours_without_gtr, incidents)
    comparison = build(grouped, figures, points, assumptions, notices)
    write_output(_render(output_format.value, comparison, color=output is None and sys.stdout.isatty()), output)
    raise typer.Exit(ExitCode.ERROR if any(r.status is not Status.OK for r in results) else ExitCode.OK)


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


def _render(name: str, comparison, *, color: bool) -> str:
    from importlib import import_module

    module = import_module(f"contratcheck.report.grid_{name}")
    return module.render(comparison, color=color) if name == "rich" else module.render(comparison)
