"""The SARIF 2.1.0 report for code-scanning tools: one run, one result per finding or suppressed finding."""

from __future__ import annotations

import os
from typing import TextIO
from urllib.parse import quote

from contratcheck.model import DocumentResult, Finding, Report, RuleInfo, Severity, Status, Suppressed
from contratcheck.report.common import PLAIN, View, where
from contratcheck.report.escape import clean_text
from contratcheck.report.json import write_streaming
from contratcheck.service.verdict import verdict

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.CRITIQUE: "error", Severity.MAJEUR: "error", Severity.MINEUR: "warning", Severity.INFO: "note"}


def _location(document: DocumentResult) -> dict[str, object]:
    """The document as a relative URI reference: the path as given, percent-encoded where a URI needs it."""
    return {"physicalLocation": {"artifactLocation": {"uri": quote(os.fsencode(document.path), safe="/")}}}


def _descriptor(rule: RuleInfo) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": clean_text(rule.title)},
        "fullDescription": {"text": clean_text(rule.condition)},
        "help": {"text": clean_text(f"{rule.why} À exiger : {rule.demand}")},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value},
    }


def _result(item: Finding | Suppressed, document: DocumentResult, index: dict[str, int], text: str,
            properties: dict[str, object]) -> dict[str, object]:
    result: dict[str, object] = {"ruleId": item.rule}
    if item.rule in index:
        result["ruleIndex"] = index[item.rule]
    return result | {"level": LEVELS[item.severity], "message": {"text": clean_text(text)},
                     "locations": [_location(document)], "properties": properties}


def _finding(finding: Finding, document: DocumentResult, index: dict[str, int]) -> dict[str, object]:
    text = finding.message
    if finding.evidence:
        text += f" — {where(finding.evidence[0])} : « {finding.evidence[0].excerpt} »"
    evidence = [{"page": e.page, "section": clean_text(e.section) if e.section else None,
                 "paragraph": e.paragraph, "excerpt": clean_text(e.excerpt)} for e in finding.evidence]
    return _result(finding, document, index, text,
                   {"severity": finding.severity.value, "title": clean_text(finding.title), "evidence": evidence})


def _suppressed(item: Suppressed, document: DocumentResult, index: dict[str, int]) -> dict[str, object]:
    result = _result(item, document, index, item.title, {"severity": item.severity.value, "title": clean_text(item.title)})
    return result | {"suppressions": [{"kind": "external", "justification": clean_text(item.reason)}]}


def _notification(document: DocumentResult) -> dict[str, object]:
    error = document.error
    return {
        "descriptor": {"id": error.code if error else document.status.value},
        "level": "error",
        "message": {"text": clean_text(error.message if error else verdict(document))},
        "locations": [_location(document)],
    }


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    index = {rule.id: position for position, rule in enumerate(report.rules)}
    notifications = [_notification(d) for d in report.documents if d.status is not Status.OK]
    payload = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "contratcheck", "version": report.tool_version,
                                "rules": [_descriptor(rule) for rule in report.rules]}},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "results": [],
        }],
    }
    write_streaming(payload, "results", _results(report, index), out, depth=3)


def _results(report: Report, index: dict[str, int]):
    for document in report.documents:
        yield from (_finding(f, document, index) for f in document.findings)
        yield from (_suppressed(s, document, index) for s in document.suppressed)
