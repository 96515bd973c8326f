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
from contratcheck.report.common import PLAIN, View, where
from contratcheck.report.escape import clean_text
from contratcheck.report.markdown import ABSENT
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


def _body(findings: list[Finding]) -> str:
    lines = []
    for finding in findings:
        lines.append(f"[{finding.severity.value}] {finding.title} : {finding.message}")
        lines += [f"  {where(e)} : « {e.excerpt} »" for e in finding.evidence] or [f"  {ABSENT}"]
        lines.append(f"  À exiger : {finding.demand}")
    return clean_text("\n".join(lines))


def _below(findings: list[Finding], fail_on: str) -> str:
    """What a failure would have said, for findings under the threshold: the case passes."""
    head = "Constats non bloquants" if len(findings) > 1 else "Constat non bloquant"
    return f"{head} (seuil --fail-on : {fail_on}) :\n{_body(findings)}"


def _of(document: DocumentResult, rule: str) -> tuple[list[Finding], list[Suppressed]]:
    return [f for f in document.findings if f.rule == rule], [s for s in document.suppressed if s.rule == rule]


def _kind(fired: list[Finding], suppressed: list[Suppressed], fail_on: str) -> Kind:
    if any(blocks(f.severity, fail_on) for f in fired):
        return "failures"
    return "skipped" if suppressed and not fired else None


def _case(classname: str, name: str, fired: list[Finding], suppressed: list[Suppressed], fail_on: str) -> ET.Element:
    """A rule's test case for one document: failing from --fail-on up, skipped if only suppressed."""
    case = ET.Element("testcase", classname=classname, name=name)
    failing = [f for f in fired if blocks(f.severity, fail_on)]
    passing = [f for f in fired if not blocks(f.severity, fail_on)]
    if failing:
        failure = ET.SubElement(case, "failure", message=clean_text(failing[0].message), type=failing[0].severity.value)
        failure.text = _body(failing)
    if passing:
        ET.SubElement(case, "system-out").text = _below(passing, fail_on)
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
    if document.status is not Status.OK:
        return ["errors"]
    return [_kind(*_of(document, rule), fail_on) for rule in _rule_ids(report, document)]


def _document_cases(report: Report, document: DocumentResult, fail_on: str) -> list[ET.Element]:
    classname = class_name(document.path)
    if document.status is not Status.OK:
        return [_error_case(classname, READING, document)]
    return [_case(classname, clean_text(rule), *_of(document, rule), fail_on) for rule in _rule_ids(report, document)]


def _counts(kinds: list[Kind], keys: tuple[str, ...] = COUNTS) -> dict[str, str]:
    return {key: str(len(kinds) if key == "tests" else kinds.count(key)) for key in keys}


def _open(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode").removesuffix(" />") + ">"


def _suite(out: TextIO, name: str, kinds: list[Kind], cases: Iterable[ET.Element]) -> None:
    """One test suite, its counts first, then its cases written one at a time as they come."""
    suite = ET.Element("testsuite", {"name": clean_text(name), **_counts(kinds)})
    if not kinds:
        out.write("  " + ET.tostring(suite, encoding="unicode") + "\n")
        return
    out.write("  " + _open(suite) + "\n")
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
    touched: dict[str, dict[int, Kind]] = field(default_factory=dict)  # rule -> {position: kind} where it fired or was ignored


def _index(report: Report, fail_on: str) -> _Index:
    index = _Index(touched={rule.id: {} for rule in report.rules})
    for position, document in enumerate(report.documents):
        index.paths.append(document.path)
        if document.status is not Status.OK:
            index.unread.append(position)
            continue
        for rule in dict.fromkeys([f.rule for f in document.findings] + [s.rule for s in document.suppressed]):
            index.touched.setdefault(rule, {})[position] = _kind(*_of(document, rule), fail_on)
    return index


def _rule_cases(report: Report, index: _Index, rule: str, audited: list[int], fail_on: str) -> Iterator[ET.Element]:
    touched = index.touched[rule]
    for position in audited:
        fired, suppressed = _of(report.documents[position], rule) if position in touched else ([], [])
        yield _case(class_name(rule), clean_text(index.paths[position]), fired, suppressed, fail_on)


def _by_rule(report: Report, out: TextIO, fail_on: str) -> None:
    """The suites per rule, then the documents not audited; a document is read again only for the
    rules that fired on it or were ignored in it."""
    index = _index(report, fail_on)
    unread = set(index.unread)
    audited = [p for p in range(len(index.paths)) if p not in unread]
    kinds = {rule: [touched.get(p) for p in audited] for rule, touched in index.touched.items()} if audited else {}
    errors: list[Kind] = ["errors"] * len(index.unread)
    _totals(out, [kind for rule_kinds in kinds.values() for kind in rule_kinds] + errors)
    for rule, rule_kinds in kinds.items():
        _suite(out, rule, rule_kinds, _rule_cases(report, index, rule, audited, fail_on))
    if errors:
        cases = (_error_case(class_name(NOT_AUDITED), clean_text(index.paths[p]), report.documents[p]) for p in index.unread)
        _suite(out, NOT_AUDITED, errors, cases)


def _by_document(report: Report, out: TextIO, fail_on: str) -> None:
    _totals(out, [kind for document in report.documents for kind in _document_kinds(report, document, fail_on)])
    for document in report.documents:
        _suite(out, document.path, _document_kinds(report, document, fail_on), _document_cases(report, document, fail_on))


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
