"""The SARIF 2.1.0 report for code-scanning tools: one run, one result per finding or suppressed finding.

GitHub code scanning refuses a result without a line, and tracks an alert from one run to the next
by its fingerprints: every result has a region (line 1 when the format has no lines) and a
fingerprint of its own, and file URIs are relative to the repository root (%SRCROOT%).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import TextIO
from urllib.parse import quote

from contratcheck.model import DocumentResult, Evidence, Finding, Report, RuleInfo, Severity, Status, Suppressed
from contratcheck.report.common import PLAIN, View, where
from contratcheck.report.escape import clean_text, markdown_text
from contratcheck.report.json import write_streaming
from contratcheck.service.verdict import verdict

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.CRITIQUE: "error", Severity.MAJEUR: "error", Severity.MINEUR: "warning", Severity.INFO: "note"}
# GitHub's scale for security alerts: 9.0 and up critical, 7.0 high, 4.0 medium, below that low.
SECURITY_SEVERITY = {Severity.CRITIQUE: "9.0", Severity.MAJEUR: "7.0", Severity.MINEUR: "4.0", Severity.INFO: "1.0"}
SECURITY_TAG = "security"  # GitHub's label for security rules; a pack puts it on a rule (`tags:`)
# Placeholder: the project has published no address yet (none in pyproject.toml or the README).
PROJECT_URL = "https://github.com/contratcheck/contratcheck"
CATALOGUE_URL = f"{PROJECT_URL}/blob/main/README.md#les-r%C3%A8gles"  # the README's « Les règles »
FINGERPRINT = "contratcheck/v1"  # a new version when what it hashes changes: old alerts then close
SRCROOT = "%SRCROOT%"


@dataclass(frozen=True, slots=True)
class _Run:
    index: dict[str, int]  # rule id -> position in tool.driver.rules
    root: str | None  # absolute folder that URIs are relative to; None: paths as given


def _uri_reference(path: str) -> str:
    """A relative URI reference: the POSIX path, percent-encoded where a URI needs it (any byte)."""
    return quote(os.fsencode(PurePath(path).as_posix()), safe="/")


def _inside(absolute: str, root: str) -> bool:
    try:
        return os.path.commonpath([absolute, root]) == os.path.normpath(root)
    except ValueError:  # another drive (Windows)
        return False


def _place(path: str, root: str | None) -> tuple[dict[str, str], str]:
    """The document's artifactLocation, and the name its fingerprint uses. A path as typed is read
    from the working directory: strings only, the file system is not consulted."""
    if root is None:
        return {"uri": _uri_reference(path)}, PurePath(path).as_posix()
    absolute = os.path.abspath(path)
    if _inside(absolute, root):
        relative = PurePath(os.path.relpath(absolute, root)).as_posix()
        return {"uri": _uri_reference(relative), "uriBaseId": SRCROOT}, relative
    return {"uri": PurePath(absolute).as_uri()}, PurePath(absolute).as_posix()


def _region(evidence: Evidence | None) -> dict[str, int]:
    """The excerpt's line and column in a text or Markdown file. PDF and DOCX have no lines, and an
    absent clause no excerpt: line 1, the page and section being in the message and properties."""
    if evidence is None or evidence.line is None:
        return {"startLine": 1}
    if evidence.column is None:
        return {"startLine": evidence.line}
    return {"startLine": evidence.line, "startColumn": evidence.column}


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _fingerprint(rule: str, name: str, excerpt: str) -> str:
    """The same alert from run to run: the rule, the file and the excerpt's words, folded. No page,
    line or offset, which all move when text is added above the excerpt."""
    key = "\x00".join((rule, name, _folded(excerpt)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _help(rule: RuleInfo) -> dict[str, str]:
    """What GitHub shows under an alert: why it matters, what to demand, what to ask."""
    parts = [("Pourquoi c'est important", rule.why), ("À exiger", rule.demand),
             ("Question à poser au prestataire", rule.question), ("Réponse qui doit alerter", rule.alert)]
    shown = [(label, text) for label, text in parts if text]
    markdown = [f"**{markdown_text(rule.title)}**", markdown_text(rule.condition),
                *(f"**{label}.** {markdown_text(text)}" for label, text in shown)]
    return {"text": clean_text(" ".join(f"{label} : {text}" for label, text in shown)), "markdown": "\n\n".join(markdown)}


def _name(rule_id: str) -> str:
    """SARIF's readable name of a rule, distinct from its id: « gtr-absente » is « GtrAbsente »."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id))


def _descriptor(rule: RuleInfo) -> dict[str, object]:
    properties: dict[str, object] = {"severity": rule.severity.value}
    if rule.tags:
        properties["tags"] = [clean_text(tag) for tag in rule.tags]
    if SECURITY_TAG in rule.tags:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    descriptor: dict[str, object] = {"id": rule.id}
    if _name(rule.id) != rule.id:  # SARIF wants no name at all rather than a copy of the id
        descriptor["name"] = _name(rule.id)
    return descriptor | {
        "shortDescription": {"text": clean_text(rule.title)},
        "fullDescription": {"text": clean_text(rule.condition)},
        "helpUri": CATALOGUE_URL,
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _file(document: DocumentResult, evidence: Evidence | None) -> str:
    """The file a result points at: the document; for a contract made of several files, the piece
    that holds the excerpt, the first piece when there is none (an absent clause)."""
    if not document.pieces:
        return document.path
    return evidence.path if evidence is not None and evidence.path else document.pieces[0].path


def _result(item: Finding | Suppressed, document: DocumentResult, run: _Run, text: str,
            evidence: Evidence | None, properties: dict[str, object]) -> dict[str, object]:
    artifact, name = _place(_file(document, evidence), run.root)
    result: dict[str, object] = {"ruleId": item.rule}
    if item.rule in run.index:
        result["ruleIndex"] = run.index[item.rule]
    location = {"physicalLocation": {"artifactLocation": artifact, "region": _region(evidence)}}
    fingerprint = _fingerprint(item.rule, name, evidence.excerpt if evidence else "")
    return result | {"level": LEVELS[item.severity], "message": {"text": clean_text(text)}, "locations": [location],
                     "partialFingerprints": {FINGERPRINT: fingerprint}, "properties": properties}


def _where(evidence: Evidence | None) -> dict[str, object]:
    """The page and section of the first excerpt, for formats whose region is only line 1."""
    found: dict[str, object] = {}
    if evidence is not None and evidence.page is not None:
        found["page"] = evidence.page
    if evidence is not None and evidence.section:
        found["section"] = clean_text(evidence.section)
    return found


def _excerpt(evidence: Evidence) -> dict[str, object]:
    return {"page": evidence.page, "section": clean_text(evidence.section) if evidence.section else None,
            "paragraph": evidence.paragraph, "excerpt": clean_text(evidence.excerpt)}


def _finding(finding: Finding, document: DocumentResult, run: _Run) -> dict[str, object]:
    first = finding.evidence[0] if finding.evidence else None
    text = finding.message
    if first:
        text += f" — {where(first, document.path)} : « {first.excerpt} »"
    evidence = [({"piece": clean_text(e.path)} if e.path else {}) | _excerpt(e) for e in finding.evidence]
    properties = {"severity": finding.severity.value, "title": clean_text(finding.title), **_contract(first, document),
                  **_where(first), "evidence": evidence}
    return _result(finding, document, run, text, first, properties)


def _contract(evidence: Evidence | None, document: DocumentResult) -> dict[str, object]:
    """For a contract made of several files: its name and the piece the result points at."""
    if not document.pieces:
        return {}
    return {"contract": clean_text(document.path), "piece": clean_text(_file(document, evidence))}


def _suppressed(item: Suppressed, document: DocumentResult, run: _Run) -> dict[str, object]:
    properties: dict[str, object] = {"severity": item.severity.value, "title": clean_text(item.title),
                                     **_contract(None, document)}
    result = _result(item, document, run, item.title, None, properties)
    return result | {"suppressions": [{"kind": "external", "justification": clean_text(item.reason)}]}


def _notification(document: DocumentResult, root: str | None, file: str | None = None) -> dict[str, object]:
    """A document, or a piece of a contract (`file`: the contract's first piece when it is the
    contract that was not audited), that could not be audited."""
    error = document.error
    return {
        "descriptor": {"id": error.code if error else document.status.value},
        "level": "error",
        "message": {"text": clean_text(error.message if error else verdict(document))},
        "locations": [{"physicalLocation": {"artifactLocation": _place(file or document.path, root)[0]}}],
    }


def _notifications(document: DocumentResult, root: str | None) -> list[dict[str, object]]:
    """What a document, or a contract made of several files and each of its pieces, says it could not audit."""
    found = [_notification(document, root, _file(document, None))] if document.status is not Status.OK else []
    return found + [_notification(piece, root) for piece in document.pieces if piece.status is not Status.OK]


def _tool_run(report: Report, view: View, notifications: list[dict[str, object]]) -> dict[str, object]:
    run: dict[str, object] = {
        "tool": {"driver": {"name": "contratcheck", "version": report.tool_version,
                            "rules": [_descriptor(rule) for rule in report.rules]}},
        # A document that could not be read is an audit that did not run: the tool failed on it.
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",  # Evidence.column counts characters; SARIF's default is UTF-16 units
    }
    if view.root is not None:
        root_uri = PurePath(view.root).as_uri()
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}}
    return run | {"results": []}


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    run = _Run({rule.id: position for position, rule in enumerate(report.rules)}, view.root)
    notifications = [item for document in report.documents for item in _notifications(document, view.root)]
    payload = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [_tool_run(report, view, notifications)]}
    results = _by_rule(report, run) if view.by_rule else _in_order(report, run)
    write_streaming(payload, {"results": results}, out, depth=3)


def _of_document(document: DocumentResult, run: _Run, rule: str | None = None) -> Iterator[dict[str, object]]:
    """The document's results (only those of `rule` when given): findings, then suppressed ones."""
    yield from (_finding(f, document, run) for f in document.findings if rule in (None, f.rule))
    yield from (_suppressed(s, document, run) for s in document.suppressed if rule in (None, s.rule))


def _in_order(report: Report, run: _Run) -> Iterator[dict[str, object]]:
    for document in report.documents:
        yield from _of_document(document, run)


def _by_rule(report: Report, run: _Run) -> Iterator[dict[str, object]]:
    """--par-regle: rule by rule in the pack's order (rules it lacks last, as met), each rule's
    documents in the report's order. Documents are read again for each rule they hold, rather
    than all held in memory at once (they may wait on disk, service/results.py)."""
    holders: dict[str, list[int]] = {}
    for position, document in enumerate(report.documents):
        for rule in dict.fromkeys([f.rule for f in document.findings] + [s.rule for s in document.suppressed]):
            holders.setdefault(rule, []).append(position)
    for rule in sorted(holders, key=lambda rule: run.index.get(rule, len(run.index))):  # stable sort
        for position in holders[rule]:
            yield from _of_document(report.documents[position], run, rule)
