"""What several renderers share: the disclaimer, where an excerpt stands, counts and the summary."""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass
from typing import TextIO, TypeVar

from contratcheck.model import DocumentResult, Evidence, Report, RuleInfo, Severity, Status
from contratcheck.report.escape import clean_text

T = TypeVar("T")

ABSENT = "absent : rien de tel dans le document"
ABSENT_FROM_SET = "absent : rien de tel dans les pièces lues du contrat"
DISCLAIMER = ("contratcheck signale des clauses à vérifier ; ce n'est pas un avis juridique. "
              "Faites relire le contrat par un professionnel du droit avant de signer.")


@dataclass(frozen=True, slots=True)
class View:
    """How a report is shown, as chosen on the command line: the findings are the same whatever it says."""

    color: bool = False  # only the terminal report has colours
    width: int | None = 100  # and a width (None: the terminal's)
    by_rule: bool = False  # add which documents each rule fired on (--par-regle)
    fail_on: str = "majeur"  # findings from this severity up fail the run ("none": none do)
    quiet: bool = False  # the terminal report: the summary and the exit reason only
    ending: str | None = None  # why the run exits with its code, for the terminal report
    root: str | None = None  # absolute folder that file URIs are relative to (SARIF: %SRCROOT%)


PLAIN = View()


def rules_fired(report: Report) -> list[tuple[RuleInfo, list[tuple[int, str]]]]:
    """Each rule that fired, in the pack's order, with the documents it fired on: their position
    in the report (from 1, for links) and their path."""
    found: dict[str, list[tuple[int, str]]] = {}
    for position, document in enumerate(report.documents, 1):  # read once: documents may wait on disk
        for rule_id in dict.fromkeys(f.rule for f in document.findings):
            found.setdefault(rule_id, []).append((position, document.path))
    return [(rule, found[rule.id]) for rule in report.rules if rule.id in found]


def where(item: Evidence, contract: str | None = None) -> str:
    """Where a reader finds the excerpt: its piece of a contract made of several files (named
    from the contract's folder, `contract`), its page, its article or heading, its line in a text
    file. Never the paragraph counter, which no reader can count up to; text before any title and
    any number is the start of the document."""
    parts = []
    if item.page is not None:
        parts.append(f"page {item.page}")
    if item.section:
        parts.append(item.section)
    if item.line is not None:
        parts.append(f"ligne {item.line}")
    piece = [piece_name(item.path, contract)] if item.path else []
    return ", ".join(piece + (parts or ["début du document"]))


def piece_name(path: str, contract: str | None = None) -> str:
    """A piece as a reader tells it from its contract's other pieces: its path from the contract's
    folder when it lies in it (« cctp.pdf » in « offres/lot-1 »), else its path as reported."""
    prefix = (contract or "").rstrip("/") + "/"
    return path[len(prefix):] if contract and path.startswith(prefix) and len(path) > len(prefix) else path


def absent(document: DocumentResult) -> str:
    """What stands for the excerpt of an absent clause."""
    return ABSENT_FROM_SET if document.pieces else ABSENT


def extent(document: DocumentResult) -> str:
    """'3 page(s)', else the format; for a contract made of several files, its number of pieces."""
    if document.pieces:
        pages = f", {document.pages} page(s)" if document.pages else ""
        return f"contrat en {len(document.pieces)} pièces{pages}"
    if document.pages:
        return f"{document.pages} page(s)"
    return document.format.value if document.format else "format inconnu"


def piece_problem(piece: DocumentResult) -> str | None:
    """Why a piece of a contract was not read (French), None when it was."""
    if piece.status is Status.OK:
        return None
    if piece.error is None:
        return f"non lue ({piece.status.value})"
    return f"non lue : {piece.error.message} (code : {piece.error.code})"


def unread_pieces(document: DocumentResult) -> list[DocumentResult]:
    return [piece for piece in document.pieces if piece.status is not Status.OK]


def files(document: DocumentResult) -> tuple[DocumentResult, ...]:
    """The files behind a result: its pieces for a contract made of several, else itself."""
    return document.pieces or (document,)


def severity_counts(documents) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for document in documents:
        for finding in document.findings:
            counts[finding.severity.value] += 1
    return counts


def summary(report: Report) -> dict[str, object]:
    """Files count as documents (each piece of a contract made of several is one, with its reading
    status); a contract made of several files also counts once under `contracts` (present only
    when there is one: a report without keeps the summary it always had), and its findings count once."""
    statuses: list[Status] = []
    contracts = 0
    for document in report.documents:  # one pass: documents may be read back from disk
        statuses += [piece.status for piece in files(document)]
        contracts += bool(document.pieces)
    return {
        "documents": len(statuses),
        "ok": statuses.count(Status.OK),
        "no_text": statuses.count(Status.NO_TEXT),
        "errors": statuses.count(Status.ERROR),
        "findings": severity_counts(report.documents),
        "suppressed": sum(len(d.suppressed) for d in report.documents),
        **({"contracts": contracts} if contracts else {}),
    }


def write_lines(out: TextIO, lines: list[str]) -> None:
    """Lines written a group at a time add up to the same text as all of them joined at once."""
    out.write("\n".join(lines) + "\n")


def neutralized(value: T) -> T:
    """`value` with every string in it passed through clean_text: for the terminal renderers,
    where a control character or a reordering mark would reach the screen as is."""
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return clean_text(value)  # type: ignore[return-value]  # a str is returned for a str
    if isinstance(value, tuple):
        return tuple(neutralized(item) for item in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [neutralized(item) for item in value]  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: neutralized(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


# Spaces that only pad a line to the width, possibly followed by colour codes that close it.
_PADDING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.M)


def unpadded(text: str) -> str:
    """Terminal text without the spaces tables pad each line with: they would end every line of a
    file or a pipe (and of diffs of saved reports)."""
    return _PADDING.sub(r"\1", text)
