"""The JUnit XML report for CI dashboards (Jenkins, GitLab…), valid against Jenkins' junit-10.xsd.

By default one test suite per document and one test case per rule; with --par-regle one suite per
rule and one case per document. A finding fails its case only from the --fail-on severity up, as it
fails the exit code; below, the case passes and tells the finding in its system-out. A document
that could not be audited is an error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from contratcheck.model import DocumentResult, Finding, Report, Status, Suppressed
from contratcheck.report.common import PLAIN, View, absent, unread_pieces, where
from contratcheck.report.escape import clean_text
from contratcheck.service.verdict import blocks, verdict

COUNTS = ("tests", "failures", "errors", "skipped")
TOTALS = ("tests", "failures", "errors")  # junit-10.xsd refuses a `skipped` count on testsuites
PACKAGE = "contratcheck"
READING = "lecture"  # the test case of a document not audited (one suite per document)
NOT_AUDITED = "documents non audités"  # the suite of those documents (one suite per rule)

Kind = str | None  # what a test case counts as besides a test: "failures", "errors", "skipped" or nothing


def class_name(text: str) -> str:
    """`contratcheck.<text>`, its dots turned into underscores: Jenkins reads the last dot of a
    classname as package.class and would show `contrat.pdf` as the class « pdf »."""
    return f"{PACKAGE}.{clean_text(text).replace('.', '_')}"


def _body(findings: list[Finding], document: DocumentResult) -> str:
    lines = []
    for finding in findings:
        lines.append(f"[{finding.severity.value}] {finding.title} : {finding.message}")
        lines += [f"  {where(e, document.path)} : « {e.excerpt} »" for e in finding.evidence] or [f"  {absent(document)}"]
        lines.append(f"  À exiger : {finding.demand}")
    return clean_text("\n".join(lines))


def _below(findings: list[Finding], document: DocumentResult, fail_on: str) -> str:
    """What a failure would have said, for findings under the threshold: the case passes."""
    head = "Constats non bloquants" if len(findings) > 1 else "Constat non bloquant"
    return f"{head} (seuil --fail-on : {fail_on}) :\n{_body(findings, document)}"


def _of(document: DocumentResult, rule: str) -> tuple[list[Finding], list[Suppressed]]:
    return [f for f in document.findings if f.rule == rule], [s for s in document.suppressed if s.rule == rule]


def _kind(fired: list[Finding], suppressed: list[Suppressed], fail_on: str) -> Kind:
    if any(blocks(f.severity, fail_on) for f in fired):
        return "failures"
    return "skipped" if suppressed and not fired else None


def _case(classname: str, name: str, document: DocumentResult, rule: str, fail_on: str) -> ET.Element:
    """A rule's test case for one document: failing from --fail-on up, skipped if only suppressed."""
    fired, suppressed = _of(document, rule)
    case = ET.Element("testcase", classname=classname, name=name)
    failing = [f for f in fired if blocks(f.severity, fail_on)]
    passing = [f for f in fired if not blocks(f.severity, fail_on)]
    if failing:
        failure = ET.SubElement(case, "failure", message=clean_text(failing[0].message), type=failing[0].severity.value)
        failure.text = _body(failing, document)
    if passing:
        ET.SubElement(case, "system-out").text = _below(passing, document, fail_on)
    if suppressed and not fired:
        ET.SubElement(case, "skipped", message=clean_text(f"ignoré : {suppressed[0].reason}"))
    return case


def _error_case(classname: str, name: str, document: DocumentResult) -> ET.Element:
    case = ET.Element("testcase", classname=classname, name=name)
    error = document.error
    ET.SubElement(case, "error", message=clean_text(error.message if error else verdict(document)),
                  type=clean_text(error.code if error else document.status.value))
    return case


def _rule_ids(report: Report, document: DocumentResult) -> list[str]:
    """Every rule that ran, then any rule that fired without being listed, so no finding is lost."""
    ids = [rule.id for rule in report.rules]
    for rule in [f.rule for f in document.findings] + [s.rule for s in document.suppressed]:
        if rule not in ids:
            ids.append(rule)
    return ids


def _document_kinds(report: Report, document: DocumentResult, fail_on: str) -> list[Kind]:
    unread: list[Kind] = ["errors"] * len(unread_pieces(document))
    if document.status is not Status.OK:
        return ["errors"] + unread
    return [_kind(*_of(document, rule), fail_on) for rule in _rule_ids(report, document)] + unread


def _document_cases(report: Report, document: DocumentResult, fail_on: str) -> list[ET.Element]:
    """The rules' cases, or the reading error; then an error for each piece of a contract not read."""
    classname = class_name(document.path)
    unread = [_error_case(classname, clean_text(f"{READING} : {piece.path}"), piece) for piece in unread_pieces(document)]
    if document.status is not Status.OK:
        return [_error_case(classname, READING, document)] + unread
    return [_case(classname, clean_text(rule), document, rule, fail_on) for rule in _rule_ids(report, document)] + unread


def _properties(document: DocumentResult) -> ET.Element | None:
    """A contract made of several files lists them: « pièce » = each file, as reported."""
    if not document.pieces:
        return None
    properties = ET.Element("properties")
    for piece in document.pieces:
        ET.SubElement(properties, "property", name="pièce", value=clean_text(piece.path))
    return properties


def _counts(kinds: list[Kind], keys: tuple[str, ...] = COUNTS) -> dict[str, str]:
    return {key: str(len(kinds) if key == "tests" else kinds.count(key)) for key in keys}


def _open(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode").removesuffix(" />") + ">"


def _suite(out: TextIO, name: str, kinds: list[Kind], cases: Iterable[ET.Element],
           properties: ET.Element | None = None) -> None:
    """One test suite, its counts first, then its properties and its cases written one at a time as they come."""
    suite = ET.Element("testsuite", {"name": clean_text(name), **_counts(kinds)})
    if not kinds and properties is None:
        out.write("  " + ET.tostring(suite, encoding="unicode") + "\n")
        return
    out.write("  " + _open(suite) + "\n")
    for case in [properties] if properties is not None else []:
        ET.indent(case, level=2)
        out.write("    " + ET.tostring(case, encoding="unicode") + "\n")
    for case in cases:
        ET.indent(case, level=2)
        out.write("    " + ET.tostring(case, encoding="unicode") + "\n")
    out.write("  </testsuite>\n")


@dataclass
class _Index:
    """What one reading of the documents leaves for the suites per rule: paths and small counts,
    never a finding, so a thousand documents are not held in memory."""

    paths: list[str] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # positions of the documents not audited
    # What was not read, in the report's order: the positions of documents not audited (read again),
    # and the pieces of contracts made of several files that were not read (small: no findings).
    failed: list[int | DocumentResult] = field(default_factory=list)
    touched: dict[str, dict[int, Kind]] = field(default_factory=dict)  # rule -> {position: kind} where it fired or was ignored


def _index(report: Report, fail_on: str) -> _Index:
    index = _Index(touched={rule.id: {} for rule in report.rules})
    for position, document in enumerate(report.documents):
        index.paths.append(document.path)
        read = document.status is Status.OK
        index.failed += [*([] if read else [position]), *unread_pieces(document)]
        if not read:
            index.unread.append(position)
            continue
        for rule in dict.fromkeys([f.rule for f in document.findings] + [s.rule for s in document.suppressed]):
            index.touched.setdefault(rule, {})[position] = _kind(*_of(document, rule), fail_on)
    return index


def _rule_cases(report: Report, index: _Index, rule: str, audited: list[int], fail_on: str) -> Iterator[ET.Element]:
    touched = index.touched[rule]
    for position in audited:
        classname, name = class_name(rule), clean_text(index.paths[position])
        if position in touched:
            yield _case(classname, name, report.documents[position], rule, fail_on)
        else:
            yield ET.Element("testcase", classname=classname, name=name)


def _by_rule(report: Report, out: TextIO, fail_on: str) -> None:
    """The suites per rule, then the documents not audited; a document is read again only for the
    rules that fired on it or were ignored in it."""
    index = _index(report, fail_on)
    unread = set(index.unread)
    audited = [p for p in range(len(index.paths)) if p not in unread]
    kinds = {rule: [touched.get(p) for p in audited] for rule, touched in index.touched.items()} if audited else {}
    errors: list[Kind] = ["errors"] * len(index.failed)
    _totals(out, [kind for rule_kinds in kinds.values() for kind in rule_kinds] + errors)
    for rule, rule_kinds in kinds.items():
        _suite(out, rule, rule_kinds, _rule_cases(report, index, rule, audited, fail_on))
    if errors:
        failed = (report.documents[item] if isinstance(item, int) else item for item in index.failed)
        cases = (_error_case(class_name(NOT_AUDITED), clean_text(document.path), document) for document in failed)
        _suite(out, NOT_AUDITED, errors, cases)


def _by_document(report: Report, out: TextIO, fail_on: str) -> None:
    _totals(out, [kind for document in report.documents for kind in _document_kinds(report, document, fail_on)])
    for document in report.documents:
        _suite(out, document.path, _document_kinds(report, document, fail_on), _document_cases(report, document, fail_on),
               _properties(document))


def _totals(out: TextIO, kinds: list[Kind]) -> None:
    root = ET.Element("testsuites", {"name": PACKAGE, **_counts(kinds, TOTALS)})
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + _open(root) + "\n")


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    """The totals open the file, so a first reading of the documents counts; the suites follow."""
    if view.by_rule:
        _by_rule(report, out, view.fail_on)
    else:
        _by_document(report, out, view.fail_on)
    out.write("</testsuites>\n")
