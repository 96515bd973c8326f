"""Helpers shared by the commands: rule loading with French errors, atomic output, exit codes."""

from __future__ import annotations

import enum
import os
import tempfile
from pathlib import Path

import typer

from contratcheck.errors import RuleFileError
from contratcheck.model import Figure, Rule


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2


def fail(message: str) -> typer.Exit:
    """Print a French error on stderr; the caller raises the returned Exit (code 2)."""
    typer.echo(f"Erreur : {message}", err=True)
    return typer.Exit(ExitCode.ERROR)


def load_all(paths: list[Path] | None, default: bool = True) -> tuple[tuple[Rule, ...], tuple[Figure, ...]]:
    """The rules and key figures to apply, or a French error (exit 2) naming the faulty file."""
    from contratcheck.engine.loader import load_pack

    try:
        rules, figures = load_pack(list(paths or []), default=default)
    except RuleFileError as exc:
        raise fail(f"fichier de règles invalide — {exc.message}") from None
    if not rules:
        raise fail("aucune règle à appliquer (--no-default-rules sans --rules).")
    return rules, figures


def load(paths: list[Path] | None, default: bool = True) -> tuple[Rule, ...]:
    return load_all(paths, default)[0]


def write_output(text: str, output: Path | None) -> None:
    """Print, or write the file atomically so an interrupted run never leaves half a report."""
    if output is None:
        typer.echo(text, nl=False)
        return
    directory = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, output)
    except OSError as exc:
        raise fail(f"impossible d'écrire {output} ({exc.strerror}).") from None
