"""Helpers shared by the commands: rule loading with French errors, atomic output, exit codes."""

from __future__ import annotations

import enum
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

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


def write_output(content: str | Callable[[TextIO], None], output: Path | None) -> None:
    """Print, or write the file atomically so an interrupted run never leaves half a report.

    `content` is the text, or a function writing it piece by piece (a 1,000-contract report is
    then never held whole in memory).
    """
    write = content if callable(content) else (lambda stream: stream.write(content))
    if output is None:
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader stopped early (| head): nothing to tell
        except OSError as exc:
            raise fail(f"impossible d'écrire le rapport sur la sortie standard ({exc.strerror}).") from None
        return
    directory = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                write(stream)
            os.replace(temporary, output)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise fail(f"impossible d'écrire {output} ({exc.strerror}).") from None
