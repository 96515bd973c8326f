"""Command line: `contratcheck audit | fiche | checklist | rules | extract`."""

from __future__ import annotations

from contratcheck.cli import french

french.install()  # before Typer is imported, by this package or any of its modules

import signal  # noqa: E402
import sys  # noqa: E402

import typer  # noqa: E402

from contratcheck.cli import audit, common, compare, extract, fiche, misc, rules  # noqa: E402,F401 - registers the commands
from contratcheck.cli.app import app  # noqa: E402


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
    signal.signal(signal.SIGTERM, common.on_terminate)
    formatter = typer.main._click.formatting.HelpFormatter
    setattr(formatter, "write_usage", french.usage_line(formatter.write_usage))  # noqa: B010 - patched on purpose
    command = typer.main.get_command(app)
    _french_help(command)
    try:
        code = command.main(prog_name="contratcheck", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Interrompu.", err=True)
        code = common.interrupted_code()
    except typer.TyperException as exc:  # click's usage errors, raised as such outside standalone mode
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message(), err=True)
        else:
            message = french.usage_error(exc.format_message()).rstrip(".")
            end = "" if message.endswith("?") else "."
            typer.echo(f"Erreur : {message}{end} Lancez « contratcheck --help » pour l'aide.", err=True)
        code = getattr(exc, "exit_code", 2)
    sys.exit(code if isinstance(code, int) else 0)
