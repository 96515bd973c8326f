"""French for the few interface strings that typer and click write in English.

typer looks its fixed strings up through gettext at import time, so routing gettext to a small
French table before typer is imported translates them with no catalogue file; help texts of the
built-in options and click's usage errors are rewritten where the CLI builds and runs the command.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable

_TYPER_STRINGS = {
    "Commands": "Commandes",
    "Error": "Erreur",
    "Aborted.": "Interrompu.",
    "Aborted!": "Interrompu !",
    "[default: {}]": "[défaut : {}]",
    "default: {default}": "défaut : {default}",
    "[required]": "[obligatoire]",
    "required": "obligatoire",
    "[env var: {}]": "[variable d'environnement : {}]",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue {name!r}.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Essayez [blue]'{command_path} {help_option}'[/] pour l'aide.",
}
OPTION_HELP = {
    "help": "Afficher cette aide et quitter.",
    "install_completion": "Installer l'autocomplétion pour le shell courant.",
    "show_completion": "Afficher le script d'autocomplétion du shell courant, pour le copier ou l'adapter.",
}
_ERRORS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^No such option: (.*)"), r"Option inconnue : \1"),
    (re.compile(r"^Missing argument '(.*)'\.?"), r"Argument manquant : \1."),
    (re.compile(r"^Missing option '(.*)'\.?"), r"Option manquante : \1."),
    (re.compile(r"^Invalid value for (.*?): (.*)"), lambda m: f"Valeur invalide pour {m.group(1).replace(chr(39), '')} : {m.group(2)}"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)"), r"Argument(s) en trop : \1"),
    (re.compile(r"^Option '(.*)' requires an argument\.?"), r"L'option \1 attend une valeur."),
    (re.compile(r"^No such command '(.*)'\.?"), r"Commande inconnue : \1."),
    (re.compile(r"'(.*)' is not one of (.*)\."), r"« \1 » n'est pas l'une des valeurs \2."),
    (re.compile(r"^Path '(.*)' does not exist\.?"), r"Le chemin « \1 » n'existe pas."),
    (re.compile(r" \(Possible options?: (.*)\)"), r" (option proche : \1)"),
    (re.compile(r"\.? Did you mean (.*)\?"), r" ; vouliez-vous dire \1 ?"),
    (re.compile(r"(\S+) is not in the range x>=(\S+?)\.?$"), r"\1 est inférieur au minimum, \2"),
    (re.compile(r"(\S+) is not in the range x<=(\S+?)\.?$"), r"\1 dépasse le maximum, \2"),
    (re.compile(r"(\S+) is not in the range (\S+)<=x<=(\S+?)\.?$"), r"\1 n'est pas entre \2 et \3"),
    (re.compile(r"'(.*)' is not a valid (integer|int range)\.?$"), r"« \1 » n'est pas un nombre entier"),
    (re.compile(r"'(.*)' is not a valid (float|float range)\.?$"), r"« \1 » n'est pas un nombre"),
]
_original_gettext = gettext.gettext


def _gettext(message: str) -> str:
    return _TYPER_STRINGS.get(message) or _original_gettext(message)


def usage_line(write_usage):
    """Click's usage line in French: « Utilisation : », and « CHEMIN… » for a list of paths
    instead of Typer's « {CHEMIN} »."""

    def french(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = re.sub(r"\{([A-Z_]+)\}", r"\1…", args)
        write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)

    return french


def install() -> None:
    """Route gettext to the French table; call before typer is imported."""
    gettext.gettext = _gettext


def usage_error(message: str) -> str:
    for pattern, replacement in _ERRORS:
        message = pattern.sub(replacement, message)
    return message
