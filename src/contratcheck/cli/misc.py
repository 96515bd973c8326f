"""`contratcheck checklist` (questions to ask a provider), `contratcheck config` (effective settings) and
`contratcheck schema` (the JSON Schema of the machine report)."""

from __future__ import annotations

from pathlib import Path

import typer

from contratcheck.cli.app import app


@app.command(short_help="Les questions à poser au prestataire avant de signer.")
def checklist() -> None:
    """Afficher les cinq questions à poser au prestataire et les quatre réponses qui doivent alerter."""
    from contratcheck.service.checklist import load_checklist

    data = load_checklist()
    typer.echo("Cinq questions à poser au prestataire avant de signer\n")
    for number, item in enumerate(data.questions, start=1):
        typer.echo(f"{number}. {item.text}\n   Ce que la réponse révèle : {item.reveals}\n   Règles liées : {', '.join(item.rules)}\n")
    typer.echo("Quatre réponses qui doivent vous alerter\n")
    for item in data.alerts:
        typer.echo(f"- {item.text}\n   Ce qu'elle révèle : {item.reveals}\n   Règles liées : {', '.join(item.rules)}\n")


@app.command(short_help="La configuration effective et l'origine de chaque valeur.")
def config() -> None:
    """Afficher la configuration effective et d'où vient chaque valeur (défaut, fichier de configuration)."""
    from contratcheck.cli.common import fail
    from contratcheck.errors import ConfigError
    from contratcheck.service.config import find_config, load_settings
    from contratcheck.service.suppress import find_ignore_file

    try:
        settings = load_settings()
        found = find_config(Path.cwd().resolve())
        rules, warning = _rules_of(settings)
    except ConfigError as exc:
        raise fail(exc.message) from None
    typer.echo(f"Fichier de configuration : {found[0] if found else 'aucun (valeurs par défaut)'}")
    if warning:
        typer.echo(f"Attention : {warning}", err=True)
    ignore = find_ignore_file(Path.cwd().resolve())
    typer.echo(f"Fichier d'exceptions : {ignore or 'aucun'}\n")
    values = {
        "fail-on": settings.fail_on,
        "rules": ", ".join(map(str, settings.rules)) or "(pack par défaut seulement)",
        "disable": ", ".join(settings.disable) or "(aucune)",
        "severity": ", ".join(f"{k}={v}" for k, v in settings.severity.items()) or "(aucun changement)",
        "thresholds": _thresholds(rules, settings.thresholds),
        "jobs": settings.jobs or "un par processeur",
        "exclude": ", ".join(settings.exclude) or "(aucun)",
        "include": ", ".join(settings.include) or "(tous les fichiers pris en charge)",
        "cache": "oui" if settings.cache else "non",
        "compare": _compare_settings(settings.compare),
        "contrats": "; ".join(f"{c.name} = {', '.join(c.pieces)}" for c in settings.contracts) or "(aucun : un fichier, un contrat)",
    }
    for key, value in values.items():
        source = settings.source("contracts" if key == "contrats" else key.replace("-", "_"))
        typer.echo(f"{key:<11} {str(value):<45} ← {source}")


@app.command(short_help="Le schéma JSON du rapport --format json.")
def schema() -> None:
    """Afficher le schéma JSON (draft 2020-12) du rapport « contratcheck audit --format json », pour le
    valider dans un autre outil. Son identifiant ($id) ne change pas tant que le format reste le même."""
    from importlib import resources

    text = resources.files("contratcheck").joinpath("data/report.schema.json").read_text(encoding="utf-8")
    typer.echo(text, nl=not text.endswith("\n"))


def _rules_of(settings):
    """The configured pack, checked as `audit` checks it (a misspelt rule or threshold is an
    error); a rules path that cannot be loaded is a warning here, and the default pack is shown."""
    from contratcheck import service
    from contratcheck.errors import UsageError
    from contratcheck.service.rules import configure

    try:
        return service.load_rules(settings, service.Choices())[0], None
    except UsageError as exc:
        pack = service.rule_pack([])[0]
        return configure(pack, settings.disable, settings.severity, settings.thresholds), exc.message


def _thresholds(rules, configured: dict[str, float]) -> str:
    """Every threshold a rule takes: the configured value, or the rule's own (défaut)."""
    defaults = {c.value.setting: c.value.label for r in rules for c in r.checks if c.value and c.value.setting}
    parts = [f"{name}={configured[name]:g}" if name in configured else f"{name}={label} (défaut)"
             for name, label in sorted(defaults.items())]
    return ", ".join(parts) or "(aucun)"


def _compare_settings(compare) -> str:
    """The [compare] values the project sets; the defaults are listed by `contratcheck compare --help`."""
    from contratcheck.service.config import COMPARE_NUMBERS

    numbers = {key: getattr(compare, attr) for key, attr in COMPARE_NUMBERS.items()}
    parts = [f"{k}={v:g}" for k, v in numbers.items() if v is not None]
    parts += [f"poids.{k}={v:g}" for k, v in compare.weights.items()]
    parts += [f"penalites.{k}={v:g}" for k, v in compare.penalties.items()]
    return ", ".join(parts) or "(valeurs par défaut)"
