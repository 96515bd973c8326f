"""The JUnit XML report for CI dashboards: one test suite per document, one test case per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from contratcheck.model import DocumentResult, Finding, Report, Status
from contratcheck.report.common import PLAIN, View, where
from contratcheck.report.escape import clean_text
from contratcheck.report.markdown import ABSENT
from contratcheck.service.verdict import verdict

COUNTS = ("tests", "failures", "errors", "skipped")


def _failure_body(findings: list[Finding]) -> str:
    lines = []
    for finding in findings:
        lines.append(f"[{finding.severity.value}] {finding.title} : {finding.message}")
        lines += [f"  {where(e)} : « {e.excerpt} »" for e in finding.evidence] or [f"  {ABSENT}"]
        lines.append(f"  À exiger : {finding.demand}")
    return clean_text("\n".join(lines))


def _rule_ids(report: Report, document: DocumentResult) -> list[str]:
    """Every rule that ran, then any rule that fired without being listed, so no finding is lost."""
    ids = [rule.id for rule in report.rules]
    for rule in [f.rule for f in document.findings] + [s.rule for s in document.suppressed]:
        if rule not in ids:
            ids.append(rule)
    return ids


def _cases(report: Report, document: DocumentResult, suite: ET.Element) -> dict[str, int]:
    path = clean_text(document.path)
    counts = dict.fromkeys(COUNTS, 0)
    if document.status is not Status.OK:
        case = ET.SubElement(suite, "testcase", classname=path, name="lecture")
        error = document.error
        ET.SubElement(case, "error", message=clean_text(error.message if error else verdict(document)),
                      type=clean_text(error.code if error else document.status.value))
        return counts | {"tests": 1, "errors": 1}
    for rule in _rule_ids(report, document):
        case = ET.SubElement(suite, "testcase", classname=path, name=clean_text(rule))
        counts["tests"] += 1
        fired = [f for f in document.findings if f.rule == rule]
        suppressed = [s for s in document.suppressed if s.rule == rule]
        if fired:
            failure = ET.SubElement(case, "failure", message=clean_text(fired[0].message), type=fired[0].severity.value)
            failure.text = _failure_body(fired)
            counts["failures"] += 1
        elif suppressed:
            ET.SubElement(case, "skipped", message=clean_text(f"ignoré : {suppressed[0].reason}"))
            counts["skipped"] += 1
    return counts


def write(report: Report, out: TextIO, view: View = PLAIN) -> None:
    """The totals open the file, so a first reading counts; the suites are then written one by one."""
    totals = dict.fromkeys(COUNTS, 0)
    for document in report.documents:
        for key, count in _cases(report, document, ET.Element("testsuite")).items():
            totals[key] += count
    root = ET.Element("testsuites", {"name": "contratcheck", **{key: str(totals[key]) for key in COUNTS}})
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    if not report.documents:
        out.write(ET.tostring(root, encoding="unicode") + "\n")
        return
    out.write(ET.tostring(root, encoding="unicode").removesuffix(" />") + ">\n")
    for document in report.documents:
        suite = ET.Element("testsuite", name=clean_text(document.path))
        counts = _cases(report, document, suite)
        for key in COUNTS:
            suite.set(key, str(counts[key]))
        ET.indent(suite, level=1)
        suite.tail = "\n"
        out.write("  " + ET.tostring(suite, encoding="unicode"))
    out.write("</testsuites>\n")
