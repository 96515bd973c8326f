"""`contratcheck rules list | show | test`: browse and check rule packs."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import typer

from contratcheck.cli.app import app
from contratcheck.cli.common import ExitCode, fail, french_errors

rules_app = typer.Typer(help="Consulter et tester les règles.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class ListFormat(enum.StrEnum):
    table = "table"
    json = "json"


def _pack(paths: list[Path] | None, default: bool = True):
    from contratcheck.service import rule_pack

    with french_errors():
        return rule_pack(paths or [], default=default)


@rules_app.command("list")
def list_rules(
    output_format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table (lisible) ou json."),
    rules: list[Path] = typer.Option(None, "--rules", "-r", metavar="CHEMIN", help="Règles YAML supplémentaires (option répétable)."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="Ne pas charger le pack par défaut."),
) -> None:
    """Lister toutes les règles : identifiant, gravité, titre."""
    loaded = _pack(rules, default=not no_default_rules)[0]
    if output_format is ListFormat.json:
        payload = [{"id": r.id, "severity": r.severity.value, "title": r.title, "condition": r.condition,
                    "file": Path(r.file).name} for r in loaded]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    width = max(len(r.id) for r in loaded)
    typer.echo(f"{'Identifiant'.ljust(width)}  {'Gravité'.ljust(8)}  Titre")
    for rule in loaded:
        typer.echo(f"{rule.id.ljust(width)}  {rule.severity.value.ljust(8)}  {rule.title}")


@rules_app.command("show", short_help="Tout sur une règle : condition, enjeu, exigence, exemples.")
def show_rule(
    rule_id: str = typer.Argument(..., metavar="ID", help="Identifiant de la règle (voir « contratcheck rules list »).", show_default=False),
    rules: list[Path] = typer.Option(None, "--rules", "-r", metavar="CHEMIN", help="Règles YAML supplémentaires (option répétable)."),
) -> None:
    """Tout sur une règle : condition, enjeu, ce qu'il faut exiger, question à poser, exemples."""
    loaded = {r.id: r for r in _pack(rules)[0]}
    rule = loaded.get(rule_id)
    if rule is None:
        raise fail(f"règle inconnue « {rule_id} ». Voir « contratcheck rules list ».")
    lines = [f"{rule.id} — {rule.title}", f"Gravité : {rule.severity.value}", f"Fichier : {Path(rule.file).name}, ligne {rule.line}", "",
             f"Se déclenche quand : {rule.condition}", f"Pourquoi c'est important : {rule.why}",
             f"À exiger : {rule.demand}", f"Question à poser : {rule.question}"]
    if rule.alert:
        lines.append(f"Réponse qui doit alerter : {rule.alert}")
    lines += [_clauses_read(check) for check in rule.checks if check.clauses is not None]
    if rule.references:
        lines.append("Références : " + " ; ".join(rule.references))
    if rule.tags:
        lines.append("Étiquettes : " + ", ".join(rule.tags))
    for fires, label in ((True, "Exemples qui déclenchent la règle"), (False, "Exemples qui ne la déclenchent pas")):
        lines += ["", f"{label} :"] + [f"  - {e.text}" for e in rule.examples if e.fires is fires]
    typer.echo("\n".join(lines))


def _clauses_read(check) -> str:
    """"Lit (required) : clauses qui engagent prestataire, inconnu ; modes engagement" for `rules show`."""
    binds = ", ".join(sorted(party.value for party in check.clauses.binds))
    modes = ", ".join(sorted(mode.value for mode in check.clauses.modes))
    strict = " ; sujet exclu ailleurs : seuls les engagements nommés du prestataire comptent" if check.clauses.strict else ""
    return f"Clauses lues ({check.kind}) : qui engagent {binds} ; modes {modes}{strict}"


@rules_app.command("test", short_help="Vérifier les exemples d'un pack de règles.")
def test_rules(
    path: Path = typer.Argument(None, metavar="[CHEMIN]", help="Fichier ou dossier de règles à tester (défaut : le pack fourni).", show_default=False),
    timeout: float = typer.Option(None, "--timeout", metavar="SECONDES", min=1, show_default=False,
                                  help="Temps maximal par exemple (défaut : celui de l'audit, 120 s) ; au-delà, l'exemple échoue."),
) -> None:
    """Vérifier les exemples des règles (chaque « fires » doit déclencher sa règle, chaque « passes »
    non) et ceux des chiffres clés (la fiche doit afficher ce que dit « shows »)."""
    from contratcheck.engine.examples import check_all
    from contratcheck.service.config import check_timeout, load_settings

    with french_errors():
        limit = check_timeout(timeout) if timeout is not None else load_settings().limits.timeout
    loaded, figures = _pack([path] if path else [], default=path is None)
    failures, figure_failures = check_all(loaded, figures, limit)
    for failure in failures:
        kind = "fires" if failure.example.fires else "passes"
        where = _where(failure.rule.file, failure.example.line or failure.rule.line)
        typer.echo(f"{where} ÉCHEC {failure.rule.id} [{kind}] « {failure.example.text} » : {failure.reason}")
    for missed in figure_failures:
        where = _where(missed.figure.file, missed.example.line or missed.figure.line)
        typer.echo(f"{where} ÉCHEC fiche {missed.figure.id} « {missed.example.text} » : {missed.reason}")
    total = sum(len(r.examples) for r in loaded) + sum(len(f.examples) for f in figures)
    count = len(failures) + len(figure_failures)
    typer.echo(f"{len(loaded)} règles, {len(figures)} chiffres clés, {total} exemples, {count} échec(s).")
    raise typer.Exit(ExitCode.FINDINGS if count else ExitCode.OK)


def _where(file: str, line: int) -> str:
    """"regles/maison.yaml:42 :", the form editors and CI logs turn into a link."""
    return f"{file}:{line} :"
