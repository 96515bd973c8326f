"""`audit --annoter`: an annotated copy of the audited PDF or DOCX, the original left untouched.

This module checks the request, writes the notes' French text and the file; annotate_pdf and
annotate_docx place the notes, with their libraries imported only when a copy is asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from contratcheck.model import AuditOptions, DocumentResult, Evidence, Finding, Format, Severity, Status
from contratcheck.text.fold import fold_char
from contratcheck.text.normalize import prepare

AUTHOR = "contratcheck"
PLURALS = {Severity.CRITIQUE: "critiques", Severity.MAJEUR: "majeurs", Severity.MINEUR: "mineurs", Severity.INFO: "info"}


class AnnotationError(Exception):
    """The copy could not be made; `message` is a French sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a writer placed: notes on the passages themselves, and notes it could only set aside."""

    located: int
    unplaced: int
    summary_pages: int = 0
    unprotected: bool = False  # the original needed a password to open; the copy does not


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


def annotate(result: DocumentResult, source: Path, output: Path, options: AuditOptions) -> str:
    """Write the annotated copy of `source` to `output`; a French line saying what was done."""
    from contratcheck.service.pipeline import _password  # the same password the audit used

    if result.status is not Status.OK:
        raise AnnotationError(f"pas de copie annotée : {result.path} n'a pas pu être audité.")
    if result.format is Format.PDF:
        from contratcheck.annotate.pdf import write_pdf

        password = _password(result.path, options)
        outcome = _atomic(output, lambda stream: write_pdf(result, source, stream, password))
    else:
        from contratcheck.annotate.docx import write_docx

        outcome = _atomic(output, lambda stream: write_docx(result, source, stream))
    return f"Copie annotée écrite dans {output} : {_done(outcome, result.format)}"


def _done(outcome: Outcome, kind: Format) -> str:
    if kind is Format.DOCX:
        aside = f" et {outcome.unplaced} passage(s) non retrouvé(s)" if outcome.unplaced else ""
        return (f"{outcome.located} passage(s) commenté(s) ; les points absents du contrat{aside} sont commentés "
                "sur le premier paragraphe.")
    aside = f", {outcome.unplaced} note(s) en marge (passage non retrouvé sur la page)" if outcome.unplaced else ""
    warning = (" Attention : contrairement à l'original, cette copie n'est pas protégée par un mot de passe."
               if outcome.unprotected else "")
    return f"{outcome.summary_pages} page(s) de synthèse en tête, {outcome.located} passage(s) surligné(s){aside}.{warning}"


def _atomic(output: Path, write: Callable[[BinaryIO], Outcome]) -> Outcome:
    """Run `write` on a temporary file beside `output`, renamed over it only once complete."""
    directory = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    except OSError as exc:
        raise AnnotationError(f"impossible d'écrire {output} ({exc.strerror}).") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            outcome = write(stream)
        os.replace(temporary, output)
    except OSError as exc:
        raise AnnotationError(f"impossible d'écrire {output} ({exc.strerror}).") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return outcome


def note(finding: Finding) -> str:
    """The text a reader sees on a highlighted passage or in a comment."""
    return "\n".join((
        f"[{finding.severity.value.upper()}] {finding.title} ({finding.rule})",
        f"Constat : {finding.message}",
        f"Pourquoi : {finding.why}",
        f"À exiger : {finding.demand}",
        f"Question : {finding.question}",
    ))


def distinct(evidence: tuple[Evidence, ...]) -> list[Evidence]:
    """The evidence of a finding without repeats of one passage, which would get the same note twice."""
    return list({(item.page, item.excerpt): item for item in evidence}.values())


def counts(result: DocumentResult) -> str:
    """'2 critiques, 1 majeur, 0 mineur, 0 info'."""
    numbers = {s: sum(f.severity is s for f in result.findings) for s in Severity}
    return ", ".join(f"{n} {PLURALS[s] if n > 1 else s.value}" for s, n in numbers.items())


def folded_key(text: str) -> tuple[str, list[int]]:
    """The letters and digits of `text`, lower case and accent-free, with the index in `text` each
    comes from: extracted text and the file's own characters compare equal on this form whatever
    spaces, hyphenation, ligatures or punctuation separate them."""
    key, origin = [], []
    for index, char in enumerate(text):
        for part in prepare(char):  # a ligature gives several letters, all from one character
            folded = fold_char(part)
            if folded.isalnum():
                key.append(folded)
                origin.append(index)
    return "".join(key), origin
