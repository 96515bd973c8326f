"""The verdict policy: one French phrase per document, from its status and its worst finding."""

from __future__ import annotations

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
