"""What the commands share: the options that reach the service, French errors, output, exit codes."""

from __future__ import annotations

import enum
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from contratcheck.errors import ContratcheckError
from contratcheck.files import atomic_write

if TYPE_CHECKING:
    from contratcheck.service import Choices


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2


# Options every command that reads contracts offers, declared once so their wording never drifts.
RULES = typer.Option(None, "--rules", "-r", metavar="CHEMIN",
                     help="Fichier ou dossier de règles YAML à ajouter au pack par défaut (option répétable).")
NO_DEFAULT_RULES = typer.Option(False, "--no-default-rules", help="Ne pas charger le pack de règles par défaut.")
JOBS = typer.Option(None, "--jobs", "-j", min=1, show_default=False, metavar="ENTIER",
                    help="Nombre de documents traités en parallèle (défaut : un par processeur ; 1 : l'un après l'autre).")
NO_CACHE = typer.Option(False, "--no-cache", help="Ne rien reprendre des exécutions précédentes : relire chaque fichier (texte déjà extrait) et réanalyser les règles.")
PASSWORD = typer.Option(None, "--password", metavar="MOT_DE_PASSE", show_default=False,
                        help="Mot de passe des PDF protégés (ou [passwords] dans la configuration, par motif de chemin).")
OCR = typer.Option(False, "--ocr", help="Lire les pages numérisées (images) par reconnaissance de caractères (Tesseract, français).")
TIMEOUT = typer.Option(None, "--timeout", metavar="SECONDES", min=1, show_default=False,
                       help="Temps maximal par document (défaut : 120 s) ; au-delà, le document est signalé et l'audit continue.")


_received: list[int] = []  # the signals that interrupted this run


def on_terminate(signum: int, frame: object) -> None:
    """SIGTERM stops a run as Ctrl-C does: the documents done are reported, no half-written file."""
    _received.append(signum)
    raise KeyboardInterrupt


def interrupted_code() -> int:
    """The exit code of an interrupted run: 128 + the signal (130 for Ctrl-C, 143 for SIGTERM)."""
    return 128 + (_received[-1] if _received else signal.SIGINT)


class ColorChoice(enum.StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


COLOR = typer.Option(ColorChoice.auto, "--color", help="Couleurs du rapport à l'écran : auto (sur un terminal, sauf "
                     "NO_COLOR ou TERM=dumb ; FORCE_COLOR les impose), always ou never.")


def colored(choice: ColorChoice) -> bool:
    """Whether the terminal report gets colours (https://no-color.org, FORCE_COLOR, TERM=dumb)."""
    if choice is not ColorChoice.auto:
        return choice is ColorChoice.always
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and sys.stdout.isatty()


ENSEMBLE = typer.Option(False, "--ensemble", help="Lire tous les fichiers donnés comme un seul contrat en plusieurs pièces (CG, CP, annexes ; CCAP, CCTP…).")
BY_FOLDER = typer.Option(False, "--par-dossier", help="Dans chaque dossier donné, lire chaque sous-dossier comme un seul contrat en plusieurs pièces.")


def sets_mode(ensemble: bool, by_folder: bool) -> str:
    """The Choices.sets value of --ensemble / --par-dossier."""
    if ensemble and by_folder:
        raise fail("--ensemble et --par-dossier s'excluent : un seul contrat, ou un contrat par sous-dossier.")
    return "ensemble" if ensemble else "par-dossier" if by_folder else ""


def screen_width() -> int | None:
    """The terminal report's width: COLUMNS when set, else the terminal's, else 100 (a pipe, a file)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    return None if sys.stdout.isatty() else 100


def reading(rules: list[Path] | None, no_default_rules: bool, jobs: int | None, no_cache: bool,
            password: str | None, ocr: bool, timeout: float | None, **more: Any) -> Choices:
    """The service's Choices from the options every reading command shares (RULES … TIMEOUT),
    plus a command's own (`more`)."""
    from contratcheck.service import Choices

    return Choices(rules=tuple(rules or ()), default_rules=not no_default_rules, jobs=jobs, cache=not no_cache,
                   password=password, ocr=ocr, timeout=timeout, **more)


def fail(message: str) -> typer.Exit:
    """Print a French error on stderr; the caller raises the returned Exit (code 2)."""
    typer.echo(f"Erreur : {message}", err=True)
    return typer.Exit(ExitCode.ERROR)


@contextmanager
def french_errors() -> Iterator[None]:
    """A configuration, rule or usage error becomes its French message and exit code 2."""
    try:
        yield
    except ContratcheckError as exc:
        raise fail(exc.message) from None


def check_ocr(ocr: bool) -> None:
    from contratcheck.errors import ExtractionError
    from contratcheck.extract.ocr import check_available

    if ocr:
        try:
            check_available()
        except ExtractionError as exc:
            raise fail(exc.message) from None


STDIN = Path("-")
STDIN_NAME = "(entrée standard)"


@contextmanager
def stdin_read(paths: list[Path]) -> Iterator[tuple[list[Path], Callable[[list[tuple[Path, str]]], list[tuple[Path, str]]]]]:
    """`paths` with « - » replaced by a temporary copy of standard input, and the function that
    names that copy « (entrée standard) » in reports; the copy is deleted on leaving."""
    if STDIN not in paths:
        yield paths, lambda files: files
        return
    if sys.stdin is None or sys.stdin.isatty():
        raise fail("« - » lit le contrat sur l'entrée standard : redirigez-y un fichier "
                   "(contratcheck audit - < contrat.pdf).")
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="contratcheck-") as folder:
        copy = Path(folder) / "entree-standard"
        with open(copy, "wb") as stream:
            shutil.copyfileobj(sys.stdin.buffer, stream)
        named = copy.rename(copy.with_suffix(_suffix(copy)))
        yield ([named if path == STDIN else path for path in paths],
               lambda files: [(path, STDIN_NAME if path == named else display) for path, display in files])


def _suffix(copy: Path) -> str:
    """The extension of the format standard input holds: readers go by content, but a text file
    named .pdf would be refused as a renamed download."""
    from contratcheck.errors import ExtractionError
    from contratcheck.extract.sniff import sniff

    with open(copy, "rb") as stream:
        head = stream.read(2048)
    try:
        return f".{sniff(copy.with_suffix('.txt'), head).value}"
    except ExtractionError:
        return ".txt"  # the reader says what is wrong with it


def write_output(content: str | Callable[[TextIO], None], output: Path | None) -> None:
    """Print, or write the file atomically so an interrupted run never leaves half a report.

    `content` is the text, or a function writing it piece by piece (a 1,000-contract report is
    then never held whole in memory).
    """
    write: Callable[[TextIO], object] = content if callable(content) else (lambda stream: stream.write(content))
    if output is None:
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader stopped early (| head): nothing to tell
        except OSError as exc:
            raise fail(f"impossible d'écrire le rapport sur la sortie standard ({exc.strerror}).") from None
        return
    try:
        atomic_write(output, write)
    except OSError as exc:
        raise fail(f"impossible d'écrire {output} ({exc.strerror}).") from None
