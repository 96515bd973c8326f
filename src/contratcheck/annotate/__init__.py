"""`audit --annoter`: an annotated copy of the audited PDF or DOCX, the original left untouched.

This module checks the request and writes the file; `pdf` and `docx` place the notes, with their
libraries imported only when a copy is asked for; `notes` says what the notes read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from contratcheck.annotate.notes import Annotated, AnnotationError
from contratcheck.files import atomic_write
from contratcheck.model import DocumentResult, Format, Status

__all__ = ["AnnotationError", "annotate", "refusal"]


def refusal(files: list[tuple[Path, str]], output: Path) -> str | None:
    """Why `--annoter output` cannot be honoured for these files (French), or None."""
    if len(files) != 1:
        return (f"--annoter produit la copie annotée d'un seul contrat, or {len(files)} documents sont à auditer : "
                "relancez avec un seul fichier.")
    source = files[0][0]
    if output.resolve() == source.resolve():
        return "--annoter doit nommer un nouveau fichier : le contrat original n'est jamais modifié."
    kind = _format(source)
    if kind in (Format.TXT, Format.MD):
        return ("--annoter ne s'applique qu'aux PDF et aux DOCX : un fichier texte n'a ni pages ni mise en forme "
                "où placer des notes. Utilisez le rapport (--format markdown ou html).")
    suffix = output.suffix.lower()
    if kind and suffix in (".pdf", ".docx") and suffix != f".{kind.value}":
        return f"la copie annotée de {source.name} sera un {kind.value.upper()} : nommez-la en .{kind.value}."
    return None


def _format(source: Path) -> Format | None:
    """The format the audit will find, or None if it cannot tell (the audit then reports why)."""
    from contratcheck.errors import ExtractionError
    from contratcheck.extract.sniff import sniff

    try:
        with source.open("rb") as stream:
            return sniff(source, stream.read(2048))
    except (OSError, ExtractionError):
        return None


def annotate(result: DocumentResult, source: Path, output: Path, password: str | None = None) -> str:
    """Write the annotated copy of `source` to `output` (`password`: the one the audit opened it
    with); a French line saying what was done."""
    if result.status is not Status.OK:
        raise AnnotationError(f"pas de copie annotée : {result.path} n'a pas pu être audité.")
    if result.format is Format.PDF:
        from contratcheck.annotate.pdf import write_pdf

        outcome = _atomic(output, lambda stream: write_pdf(result, source, stream, password))
    else:
        from contratcheck.annotate.docx import write_docx

        outcome = _atomic(output, lambda stream: write_docx(result, source, stream))
    return f"Copie annotée écrite dans {output} : {_done(outcome, result.format)}"


def _done(outcome: Annotated, kind: Format | None) -> str:
    if kind is Format.DOCX:
        aside = f" et {outcome.unplaced} passage(s) non retrouvé(s)" if outcome.unplaced else ""
        return (f"{outcome.located} passage(s) commenté(s) ; les points absents du contrat{aside} sont commentés "
                "sur le premier paragraphe.")
    aside = f", {outcome.unplaced} note(s) en marge (passage non retrouvé sur la page)" if outcome.unplaced else ""
    warning = (" Attention : contrairement à l'original, cette copie n'est pas protégée par un mot de passe."
               if outcome.unprotected else "")
    return f"{outcome.summary_pages} page(s) de synthèse en tête, {outcome.located} passage(s) surligné(s){aside}.{warning}"


def _atomic(output: Path, write: Callable[[BinaryIO], Annotated]) -> Annotated:
    """Run `write` on a temporary file renamed over `output` only once complete."""
    done: list[Annotated] = []
    try:
        atomic_write(output, lambda stream: done.append(write(stream)), binary=True)
    except OSError as exc:
        raise AnnotationError(f"impossible d'écrire {output} ({exc.strerror}).") from None
    return done[0]
