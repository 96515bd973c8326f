"""The public machine report (contratcheck.report/1): fixed key order, byte-stable output."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from contratcheck.model import DocumentResult, Evidence, Finding, KeyFigure, Prevalence, Report
from contratcheck.report.common import PLAIN, View, files, rules_fired, summary
from contratcheck.report.escape import json_text
from contratcheck.service.verdict import verdict

SCHEMA_ID = "contratcheck.report/1"


def _evidence(item: Evidence, piece: bool = False) -> dict[str, object]:
    """An excerpt; `piece`: with the file that holds it (`path`), for a contract made of several."""
    found: dict[str, object] = {"path": item.path} if piece else {}
    return found | {"page": item.page, "section": item.section, "paragraph": item.paragraph,
                    "excerpt": item.excerpt, "start": item.start, "end": item.end, "ocr": item.ocr}


def _finding(finding: Finding, piece: bool = False) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "title": finding.title,
        "message": finding.message,
        "evidence": [_evidence(e, piece) for e in finding.evidence],
        "why": finding.why,
        "demand": finding.demand,
        "question": finding.question,
        "alert": finding.alert,
    }


def _figure(figure: KeyFigure, piece: bool = False) -> dict[str, object]:
    """A key figure; `piece`: of a contract made of several files, each value naming its piece and
    saying whether it prevails over the others' (`prevails`, `prevailing`)."""
    values = [{"text": v.text, "amount": v.amount, "level": v.level, "caveat": v.caveat, "rank": v.rank,
               "evidence": _evidence(v.evidence, piece)} | ({"prevails": v.prevails} if piece else {})
              for v in figure.values]
    found = {"id": figure.id, "label": figure.label, "unit": figure.unit, "values": values, "note": figure.note}
    return found | ({"prevailing": _prevalence(figure.prevailing)} if piece else {})


def _prevalence(prevalence: Prevalence | None) -> dict[str, object] | None:
    if prevalence is None:
        return None
    clause = _evidence(prevalence.clause, piece=True) if prevalence.clause else None
    return {"piece": prevalence.piece, "reason": prevalence.reason, "clause": clause}


def _error(document: DocumentResult) -> dict[str, str] | None:
    return {"code": document.error.code, "message": document.error.message} if document.error else None


def _suppressed(document: DocumentResult) -> list[dict[str, str]]:
    return [{"rule": x.rule, "severity": x.severity.value, "title": x.title, "reason": x.reason}
            for x in document.suppressed]


def _document(document: DocumentResult) -> dict[str, object]:
    return {
        "path": document.path,
        "format": document.format.value if document.format else None,
        "status": document.status.value,
        "error": _error(document),
        "pages": document.pages,
        "findings": [_finding(f) for f in document.findings],
        "key_figures": [_figure(k) for k in document.key_figures],
        "warnings": list(document.warnings),
        "suppressed": _suppressed(document),
    }


def _contract(document: DocumentResult) -> dict[str, object]:
    """A contract made of several files: its findings and figures, each excerpt naming its piece."""
    return {
        "name": document.path,
        "pieces": [piece.path for piece in document.pieces],
        "status": document.status.value,
        "error": _error(document),
        "verdict": verdict(document),
        "findings": [_finding(f, piece=True) for f in document.findings],
        "key_figures": [_figure(k, piece=True) for k in document.key_figures],
        "warnings": list(document.warnings),
        "suppressed": _suppressed(document),
    }


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    """Each file under `documents` (the pieces of a contract made of several with their reading
    status only), each such contract under `contracts`: the documents are read twice."""
    payload: dict[str, object] = {
        "schema": SCHEMA_ID,
        "tool": {"name": "contratcheck", "version": report.tool_version},
        "documents": [],
        "summary": summary(report),
        "notices": list(report.notices),
        "contracts": [],  # after the fields the first version published, in their order
    }
    if view.by_rule:  # only when asked: the default report keeps the published shape
        payload["by_rule"] = [{"rule": rule.id, "severity": rule.severity.value,
                               "documents": [path for _, path in documents]} for rule, documents in rules_fired(report)]
    documents = (_document(piece) for d in report.documents for piece in files(d))
    contracts = (_contract(d) for d in report.documents if d.pieces)
    write_streaming(payload, {"documents": documents, "contracts": contracts}, out, depth=1)


def write_streaming(payload: dict, arrays: dict[str, Iterable[object]], out: TextIO, depth: int) -> None:
    """Indented JSON of `payload`, whose empty arrays under the keys of `arrays` (standing `depth`
    levels deep, in the payload's order) are filled with their items one at a time: a
    1,000-contract report is never held whole in memory."""
    # Only a key can be this text: quotes inside JSON strings are escaped.
    rest = dumps(payload)
    for key, items in arrays.items():
        head, rest = rest.split(f'"{key}": []', 1)
        out.write(f'{head}"{key}": ')
        separator = "[\n" + "  " * (depth + 1)
        for item in items:
            out.write(separator + dumps(item, depth + 1))
            separator = ",\n" + "  " * (depth + 1)
        out.write("[]" if separator.startswith("[") else "\n" + "  " * depth + "]")
    out.write(rest + "\n")


def dumps(value: object, depth: int = 0) -> str:
    """Indented JSON for a value standing `depth` levels deep in an indented document."""
    text = json_text(json.dumps(value, ensure_ascii=False, indent=2))
    return text.replace("\n", "\n" + "  " * depth) if depth else text


def sheets(results) -> str:
    """Only the contract sheets (`contratcheck fiche --format json`)."""
    payload = [{"path": r.path, "status": r.status.value, "error": r.error.message if r.error else None,
                "key_figures": [_figure(k, piece=bool(r.pieces)) for k in r.key_figures]} for r in results]
    return dumps({"schema": "contratcheck.fiche/1", "documents": payload}) + "\n"
