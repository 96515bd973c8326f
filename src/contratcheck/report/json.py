"""The public machine report (contratcheck.report/1): fixed key order, byte-stable output."""

from __future__ import annotations

import json
from typing import TextIO

from contratcheck.model import DocumentResult, Evidence, Finding, KeyFigure, Report
from contratcheck.report.common import PLAIN, View, rules_fired, summary
from contratcheck.report.escape import json_text

SCHEMA_ID = "contratcheck.report/1"


def _evidence(item: Evidence) -> dict[str, object]:
    return {"page": item.page, "section": item.section, "paragraph": item.paragraph,
            "excerpt": item.excerpt, "start": item.start, "end": item.end, "ocr": item.ocr}


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "title": finding.title,
        "message": finding.message,
        "evidence": [_evidence(e) for e in finding.evidence],
        "why": finding.why,
        "demand": finding.demand,
        "question": finding.question,
        "alert": finding.alert,
    }


def _figure(figure: KeyFigure) -> dict[str, object]:
    values = [{"text": v.text, "amount": v.amount, "level": v.level, "caveat": v.caveat, "rank": v.rank,
               "evidence": _evidence(v.evidence)} for v in figure.values]
    return {"id": figure.id, "label": figure.label, "unit": figure.unit, "values": values, "note": figure.note}


def _document(document: DocumentResult) -> dict[str, object]:
    error = {"code": document.error.code, "message": document.error.message} if document.error else None
    return {
        "path": document.path,
        "format": document.format.value if document.format else None,
        "status": document.status.value,
        "error": error,
        "pages": document.pages,
        "findings": [_finding(f) for f in document.findings],
        "key_figures": [_figure(k) for k in document.key_figures],
        "warnings": list(document.warnings),
        "suppressed": [{"rule": x.rule, "severity": x.severity.value, "title": x.title, "reason": x.reason}
                       for x in document.suppressed],
    }


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    payload: dict[str, object] = {
        "schema": SCHEMA_ID,
        "tool": {"name": "contratcheck", "version": report.tool_version},
        "documents": [],
        "summary": summary(report),
        "notices": list(report.notices),
    }
    if view.by_rule:  # only when asked: the default report keeps the published shape
        payload["by_rule"] = [{"rule": rule.id, "severity": rule.severity.value,
                               "documents": [path for _, path in documents]} for rule, documents in rules_fired(report)]
    write_streaming(payload, "documents", (_document(d) for d in report.documents), out, depth=1)


def write_streaming(payload: dict, key: str, items, out: TextIO, depth: int) -> None:
    """Indented JSON of `payload`, whose empty array under `key` (standing `depth` levels deep) is
    filled with `items` one at a time: a 1,000-contract report is never held whole in memory."""
    # Only a key can be this text: quotes inside JSON strings are escaped.
    head, tail = dumps(payload).split(f'"{key}": []')
    out.write(f'{head}"{key}": ')
    separator = "[\n" + "  " * (depth + 1)
    for item in items:
        out.write(separator + dumps(item, depth + 1))
        separator = ",\n" + "  " * (depth + 1)
    out.write("[]" if separator.startswith("[") else "\n" + "  " * depth + "]")
    out.write(tail + "\n")


def dumps(value: object, depth: int = 0) -> str:
    """Indented JSON for a value standing `depth` levels deep in an indented document."""
    text = json_text(json.dumps(value, ensure_ascii=False, indent=2))
    return text.replace("\n", "\n" + "  " * depth) if depth else text


def sheets(results) -> str:
    """Only the contract sheets (`contratcheck fiche --format json`)."""
    payload = [{"path": r.path, "status": r.status.value, "error": r.error.message if r.error else None,
                "key_figures": [_figure(k) for k in r.key_figures]} for r in results]
    return dumps({"schema": "contratcheck.fiche/1", "documents": payload}) + "\n"
