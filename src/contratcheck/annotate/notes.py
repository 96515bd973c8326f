"""What the notes of an annotated copy say, and how a passage is found again in the file's own text."""

from __future__ import annotations

from dataclasses import dataclass

from contratcheck.model import DocumentResult, Evidence, Finding, Severity
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
class Annotated:
    """What a writer placed: notes on the passages themselves, and notes it could only set aside."""

    located: int
    unplaced: int
    summary_pages: int = 0
    unprotected: bool = False  # the original needed a password to open; the copy does not


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
