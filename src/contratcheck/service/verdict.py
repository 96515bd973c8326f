"""The verdict policy: one French phrase per document, from its status and its worst finding."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contratcheck.model import DocumentResult, Severity, Status

VERDICTS = {
    Severity.CRITIQUE: "risques critiques : ne pas signer en l'état",
    Severity.MAJEUR: "points majeurs à négocier avant de signer",
    Severity.MINEUR: "correct, quelques points mineurs",
    Severity.INFO: "correct, points d'information",
    None: "aucun point relevé",
}


def not_french(document: DocumentResult) -> bool:
    """The document was not audited because it is not written in French."""
    return document.error is not None and document.error.code == "foreign-language"


def verdict(document: DocumentResult) -> str:
    if not_french(document):
        return "non audité : contrat non rédigé en français"
    if document.status is Status.ERROR:
        return "non audité : fichier illisible"
    if document.error is not None and document.error.code == "not-a-contract":
        return "non audité : ce n'est pas un contrat"
    if document.status is Status.NO_TEXT:
        return "non audité : pas de texte exploitable"
    return VERDICTS[document.worst]


def blocks(severity: Severity, fail_on: str) -> bool:
    """A finding of `severity` fails a run whose threshold is `fail_on` (« none » fails nothing)."""
    return fail_on != "none" and severity.rank >= Severity(fail_on).rank


@dataclass(frozen=True, slots=True)
class Ending:
    """How an audit ends: its exit code and the sentence that explains it."""

    code: int  # 0: nothing reaches --fail-on; 1: something does; 2: a document could not be audited
    reason: str


def unread_files(document: DocumentResult) -> int:
    """How many files of a result were not audited: a document not read; the pieces of a contract
    made of several files that were not read, or all of them when the contract was not audited."""
    if not document.pieces:
        return int(document.status is not Status.OK)
    if document.status is not Status.OK:
        return len(document.pieces)
    return sum(piece.status is not Status.OK for piece in document.pieces)


def ending(documents: Iterable[DocumentResult], fail_on: str) -> Ending:
    """A contract made of several files counts its findings once, and each of its files not read."""
    unread = blocking = 0
    for document in documents:  # one pass: documents may be read back from disk
        unread += unread_files(document)
        blocking += sum(blocks(f.severity, fail_on) for f in document.findings)
    if unread:
        return Ending(2, f"Code de sortie 2 : {_count(unread, 'document')} n'a pas pu être audité."
                      if unread == 1 else f"Code de sortie 2 : {_count(unread, 'document')} n'ont pas pu être audités.")
    if fail_on == "none":
        return Ending(0, "Code de sortie 0 : --fail-on none, aucun point ne fait échouer l'audit.")
    if blocking:
        return Ending(1, f"Code de sortie 1 : {_count(blocking, 'point')} de gravité « {fail_on} » ou plus "
                      "(seuil --fail-on).")
    return Ending(0, f"Code de sortie 0 : aucun point de gravité « {fail_on} » ou plus (seuil --fail-on).")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number > 1 else ''}"
