"""Where reports may be written: never over a contract, never inside an audited folder, never twice."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from contratcheck.errors import UsageError


def check_outputs(outputs: Sequence[tuple[str, Path]], arguments: Sequence[Path], files: Sequence[Path]) -> None:
    """Refuse, before any work, an output that is one of the audited files, that lies inside an
    audited folder (the next run would audit the report), or that another output already takes.
    `outputs` pairs a label for messages (« json », « --annoter ») with its path."""
    inputs = {_identity(path) for path in files}
    folders = [_resolved(path) for path in arguments if path.is_dir()]
    taken: dict[tuple[int, int] | Path, str] = {}
    for label, output in outputs:
        if _special(output):
            continue  # /dev/null, /dev/stdout, a pipe: nothing is replaced there
        identity = _identity(output)
        if identity in inputs:
            raise UsageError(f"{label} : {output} est l'un des contrats audités ; il serait écrasé. "
                             "Choisissez un autre fichier.")
        folder = next((f for f in folders if _inside(output, f)), None)
        if folder is not None:
            raise UsageError(f"{label} : {output} se trouve dans le dossier audité {folder} ; le rapport y serait "
                             "audité au passage suivant. Écrivez-le ailleurs.")
        if identity in taken:
            raise UsageError(f"{taken[identity]} et {label} écriraient dans le même fichier {output} : "
                             "un fichier par rapport.")
        taken[identity] = label


def _identity(path: Path) -> tuple[int, int] | Path:
    """The file itself (device and inode) when it exists, however it is named; else its full path."""
    try:
        status = path.stat()
    except OSError:
        return _resolved(path)
    return status.st_dev, status.st_ino


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def _special(path: Path) -> bool:
    """An existing output that is not a regular file: written into directly, never replaced."""
    try:
        return path.exists() and not path.is_file()
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    resolved = _resolved(path)
    return resolved != folder and resolved.is_relative_to(folder)
