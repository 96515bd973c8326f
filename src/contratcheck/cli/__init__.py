"""Command line: `contratcheck audit | fiche | checklist | rules | extract`."""

from __future__ import annotations

import sys

from contratcheck.cli import french

french.install()

import typer  # noqa: E402 - after the French strings are installed

from contratcheck import __version__  # noqa: E402

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


from contratcheck.cli import audit, compare, extract, fiche, misc, rules  # noqa: E402,F401 - registers the commands


def _french_help(command) -> None:
    original = command.get_help_option

    def get_help_option(ctx, _original=original):
        option = _original(ctx)
        if option is not None:
            option.help = french.OPTION_HELP["help"]
        return option

    command.get_help_option = get_help_option
    for param in getattr(command, "params", []):
        if param.name in french.OPTION_HELP:
            param.help = french.OPTION_HELP[param.name]
    for sub in getattr(command, "commands", {}).values():
        _french_help(sub)


def main() -> None:
    command = typer.main.get_command(app)
    _french_help(command)
    try:
        code = command.main(prog_name="contratcheck", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Interrompu.", err=True)
        code = 130
    except typer.TyperException as exc:  # click's usage errors, raised as such outside standalone mode
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message(), err=True)
        else:
            message = french.usage_error(exc.format_message()).rstrip(".")
            typer.echo(f"Erreur : {message}. Lancez « contratcheck --help » pour l'aide.", err=True)
        code = getattr(exc, "exit_code", 2)
    sys.exit(code if isinstance(code, int) else 0)
