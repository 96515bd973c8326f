"""`contratcheck checklist`: the questions to ask a provider before signing."""

from __future__ import annotations

import typer

from contratcheck.cli import app


@app.command()
def checklist() -> None:
    """Afficher les cinq questions à poser au prestataire et les quatre réponses qui doivent alerter."""
    from contratcheck.checklist import load_checklist

    data = load_checklist()
    typer.echo("Cinq questions à poser au prestataire avant de signer\n")
    for number, item in enumerate(data.questions, start=1):
        typer.echo(f"{number}. {item.text}\n   Ce que la réponse révèle : {item.reveals}\n   Règles liées : {', '.join(item.rules)}\n")
    typer.echo("Quatre réponses qui doivent vous alerter\n")
    for item in data.alerts:
        typer.echo(f"- {item.text}\n   Ce qu'elle révèle : {item.reveals}\n   Règles liées : {', '.join(item.rules)}\n")
