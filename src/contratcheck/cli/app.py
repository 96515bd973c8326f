"""The Typer application the commands register on (the package installs French strings first)."""

from __future__ import annotations

import typer

from contratcheck import __version__

app = typer.Typer(
    name="contratcheck",
    help="Audit des contrats d'infogérance et de maintenance informatique : clauses manquantes ou dangereuses, avant de signer.",
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"contratcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", help="Afficher la version et quitter.",
                                 callback=_version, is_eager=True),
) -> None:
    """Audit des contrats d'infogérance et de maintenance informatique : clauses manquantes ou dangereuses, avant de signer."""
