"""Contracts made of several files (general and particular conditions, SLA annex; CCAP, CCTP, BPU):
which files a run reads as one contract.

Three ways to say it, which combine: a `[[contrats]]` table of the configuration names a contract
and the globs of its pieces; `--ensemble` makes every other file one contract; `--par-dossier` makes
each sub-folder of a folder given on the command line one contract. A group of one file stays a file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from contratcheck.service.globs import matches, names_from, places
from contratcheck.service.pipeline import Unit

ENSEMBLE = "ensemble"
BY_FOLDER = "par-dossier"


@dataclass(frozen=True, slots=True)
class Declared:
    """A `[[contrats]]` entry: the contract's name and the globs of its pieces."""

    name: str
    pieces: tuple[str, ...]


def group(files: list[tuple[Path, str]], arguments: list[Path], mode: str, declared: tuple[Declared, ...] = (),
          base: str | None = None) -> list[Unit]:
    """The units of a run, in the order their first file was found. `base`: the folder the
    declared globs are read from (the configuration's)."""
    if not declared and not mode:
        return list(files)
    ensemble = _ensemble_name(arguments) if mode == ENSEMBLE else None
    folders = [argument.as_posix().rstrip("/") + "/" for argument in arguments if argument.is_dir()]
    groups: dict[str, list[tuple[Path, str]]] = {}
    for path, display in files:
        name = _declared(display, declared, base) or ensemble or (_sub_folder(display, folders) if mode == BY_FOLDER else None)
        groups.setdefault(name or display, []).append((path, display))
    return [(pieces[0][0], pieces[0][1]) if len(pieces) == 1 and name == pieces[0][1] else (tuple(pieces), name)
            for name, pieces in groups.items()]


def _declared(display: str, declared: tuple[Declared, ...], base: str | None) -> str | None:
    """The `[[contrats]]` entry the file belongs to, by its path from the configuration's folder."""
    if not declared:
        return None
    names = names_from(base, display, places(display))
    return next((contract.name for contract in declared
                 if any(matches(name, glob) for name in names for glob in contract.pieces)), None)


def _ensemble_name(arguments: list[Path]) -> str:
    """The folder the arguments share (« offres/le-bourget »), else « ensemble »."""
    folders = [argument.as_posix() if argument.is_dir() else posixpath.dirname(argument.as_posix()) for argument in arguments]
    try:
        common = posixpath.commonpath(folders)
    except ValueError:  # absolute and relative paths mixed
        common = ""
    return common if common not in ("", ".", "/") else ENSEMBLE


def _sub_folder(display: str, folders: list[str]) -> str | None:
    """« offres/lot-1 » for « offres/lot-1/ccap.pdf » when « offres/ » was given; None for a file
    directly in a given folder, or given itself."""
    for prefix in folders:
        if display.startswith(prefix):
            inner = display[len(prefix):].split("/")
            return prefix + inner[0] if len(inner) > 1 else None
    return None
