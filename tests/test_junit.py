"""The JUnit report against Jenkins' junit-10.xsd: counts, --fail-on, class names, suites per rule, streaming."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import xmlschema

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
from contratcheck.service import Choices, execute, prepare

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = xmlschema.XMLSchema(str(ROOT / "tests" / "data" / "junit-10.xsd"))
THRESHOLDS = ("critique", "majeur", "mineur", "info", "none")
RANKS = {"critique": 3, "majeur": 2, "mineur": 1, "info": 0, "none": 4}  # written out, not taken from the code
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
HOSTILE_PATH = 'v1.2/<b>"offre"</b> ]]>\x1b[31m\u202efdp.pdf'
EXCERPT = "Délai « généralement » tenu\x07 ]]> <script>"


def rule(rule_id: str, severity: Severity) -> RuleInfo:
    return RuleInfo(rule_id, severity, f"Titre {rule_id}", f"Condition {rule_id}.", "Pourquoi.", "Exiger.")


RULES = (rule("gtr-absente", Severity.CRITIQUE), rule("delai-non-engageant", Severity.MAJEUR),
         rule("rpo-rto-absents", Severity.MINEUR), rule("frais-hors-forfait", Severity.INFO))


def finding(rule_id: str, severity: Severity, excerpt: str | None = None) -> Finding:
    evidence = (Evidence(2, "Article 3 – Délais", 14, excerpt, 120, 190),) if excerpt else ()
    return Finding(rule_id, severity, f"Titre {rule_id}", f"Message {rule_id}.", evidence, "Pourquoi.", "Exiger.", "Question ?")


def make_report() -> Report:
    """Every kind of test case: findings of each severity, one from a rule the pack does not list,
    a suppressed one, a hostile path, and two documents that could not be audited."""
    first = DocumentResult("contrats/offre.a.pdf", Format.PDF, Status.OK, None, 3, (
        finding("gtr-absente", Severity.CRITIQUE), finding("delai-non-engageant", Severity.MAJEUR, EXCERPT),
        finding("rpo-rto-absents", Severity.MINEUR), finding("maison-hors-pack", Severity.INFO)),
        (Suppressed("frais-hors-forfait", Severity.INFO, "Frais", "accepté | PV <b>"),))
    hostile = DocumentResult(HOSTILE_PATH, Format.PDF, Status.OK, None, 1, (
        finding("frais-hors-forfait", Severity.INFO, EXCERPT), finding("frais-hors-forfait", Severity.INFO)))
    broken = DocumentResult("contrats/cassé.v2.pdf", None, Status.ERROR, ErrorInfo("corrupt", "PDF <illisible>."), None)
    scanned = DocumentResult("contrats/scan.pdf", Format.PDF, Status.NO_TEXT, None, 2)
    return Report("1.0.0", (first, broken, hostile, scanned), RULES)


REPORT = make_report()


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n') and text.endswith("</testsuites>\n")
    return ET.fromstring(text.encode("utf-8"))


def assert_valid(text: str) -> ET.Element:
    """Valid against junit-10.xsd, and every count attribute says what the elements say."""
    assert [error.reason for error in SCHEMA.iter_errors(text)] == []
    root = parse(text)
    totals: Counter[str] = Counter()
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counts = {"tests": len(cases), **{key: sum(c.find(tag) is not None for c in cases)
                                          for key, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped"))}}
        assert {key: int(suite.get(key, "-1")) for key in counts} == counts, suite.get("name")
        totals.update(counts)
    assert {key: int(root.get(key, "-1")) for key in ("tests", "failures", "errors")} == {
        key: totals[key] for key in ("tests", "failures", "errors")}
    assert "skipped" not in root.attrib  # refused by junit-10.xsd
    return root


def blocking_pairs(report: Report, fail_on: str) -> int:
    """(document, rule) pairs with a finding at or above the threshold: the expected failures."""
    return sum(len({f.rule for f in d.findings if RANKS[f.severity.value] >= RANKS[fail_on]}) for d in report.documents)


def cases_of(root: ET.Element) -> list[ET.Element]:
    return root.findall("./testsuite/testcase")


@pytest.fixture(scope="module")
def samples() -> Report:
    """The samples audited as `contratcheck audit samples` does: results read back from disk."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return execute(prepare([Path("samples")], Choices())).report


@pytest.mark.parametrize("by_rule", [False, True])
@pytest.mark.parametrize("fail_on", THRESHOLDS)
def test_samples_validate_with_the_right_failures(samples, fail_on, by_rule):
    root = assert_valid(render("junit", samples, fail_on=fail_on, by_rule=by_rule))
    assert int(root.get("failures")) == blocking_pairs(samples, fail_on)
    assert int(root.get("tests")) == len(samples.documents) * len(samples.rules)


@pytest.mark.parametrize("by_rule", [False, True])
@pytest.mark.parametrize("fail_on", THRESHOLDS)
def test_hostile_report_validates(fail_on, by_rule):
    text = render("junit", REPORT, fail_on=fail_on, by_rule=by_rule)
    root = assert_valid(text)
    assert not CONTROL.search(text) and "<script>" not in text and "<b>" not in text
    assert int(root.get("failures")) == blocking_pairs(REPORT, fail_on) and root.get("errors") == "2"
    assert text == render("junit", make_report(), fail_on=fail_on, by_rule=by_rule)


def test_below_the_threshold_is_told_not_failed():
    root = parse(render("junit", REPORT, fail_on="critique"))
    suite = root.find("testsuite[@name='contrats/offre.a.pdf']")
    assert suite.find("testcase[@name='gtr-absente']/failure").get("type") == "critique"
    majeur = suite.find("testcase[@name='delai-non-engageant']")
    assert majeur.find("failure") is None and majeur.find("skipped") is None
    told = majeur.find("system-out").text
    failed = parse(render("junit", REPORT, fail_on="majeur")).find(
        "testsuite[@name='contrats/offre.a.pdf']/testcase[@name='delai-non-engageant']/failure").text
    assert told == "Constat non bloquant (seuil --fail-on : critique) :\n" + failed  # the same words
    assert "généralement" in failed and "\\x07" in failed and "\x07" not in failed
    assert suite.find("testcase[@name='frais-hors-forfait']/skipped").get("message") == "ignoré : accepté | PV <b>"
    assert suite.find("testcase[@name='maison-hors-pack']/system-out") is not None  # unlisted rules are kept


def test_fail_on_none_fails_nothing_but_unread_documents():
    root = parse(render("junit", REPORT, fail_on="none"))
    assert root.findall(".//failure") == [] and len(root.findall(".//system-out")) == 5
    errors = root.findall(".//error")
    assert [(e.get("type"), e.get("message")) for e in errors] == [
        ("corrupt", "PDF <illisible>."), ("no-text", "non audité : pas de texte exploitable")]


def test_class_names_keep_jenkins_from_splitting_the_path():
    """Jenkins cuts a classname at its last dot into package and class: every case is in the
    package « contratcheck », its class the path with dots made underscores."""
    for by_rule in (False, True):
        cases = cases_of(parse(render("junit", REPORT, by_rule=by_rule, fail_on="info")))
        packages = {c.get("classname").rsplit(".", 1)[0] for c in cases}
        assert packages == {"contratcheck"}
        pairs = [(c.get("classname"), c.get("name")) for c in cases]
        assert len(pairs) == len(set(pairs))  # GitLab keeps only the first of two equal pairs
    classes = {c.get("classname") for c in cases_of(parse(render("junit", REPORT)))}
    assert {"contratcheck.contrats/offre_a_pdf", "contratcheck.contrats/cassé_v2_pdf"} <= classes
    assert "contratcheck.v1_2/<b>\"offre\"</b> ]]>\\x1b[31m\\u202efdp_pdf" in classes


def test_by_rule_has_a_suite_per_rule_and_a_case_per_document():
    root = parse(render("junit", REPORT, by_rule=True, fail_on="mineur"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.id for r in RULES] + ["maison-hors-pack", "documents non audités"]
    audited = ["contrats/offre.a.pdf", HOSTILE_PATH.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")]
    for suite in suites[:-1]:
        assert [c.get("name") for c in suite] == audited
        assert {c.get("classname") for c in suite} == {f"contratcheck.{suite.get('name')}"}
    failing = {(s.get("name"), c.get("name")) for s in suites for c in s if c.find("failure") is not None}
    assert failing == {("gtr-absente", audited[0]), ("delai-non-engageant", audited[0]), ("rpo-rto-absents", audited[0])}
    fees = suites[3]
    assert fees.find("testcase[1]/skipped") is not None
    assert fees.find("testcase[2]/system-out").text.startswith("Constats non bloquants (seuil --fail-on : mineur) :\n")
    unread = suites[-1]
    assert [c.get("name") for c in unread] == ["contrats/cassé.v2.pdf", "contrats/scan.pdf"]
    assert [c.find("error").get("type") for c in unread] == ["corrupt", "no-text"]


def test_empty_report_is_valid():
    for by_rule in (False, True):
        root = assert_valid(render("junit", Report("1.0.0", (), RULES), by_rule=by_rule))
        assert root.get("tests") == "0" and root.findall("testsuite") == []


class Counted(Sequence[DocumentResult]):
    """Documents as results.py gives them, counting each reading."""

    def __init__(self, documents: tuple[DocumentResult, ...]) -> None:
        self.documents, self.reads = documents, 0

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, position):
        self.reads += 1
        return self.documents[position]

    def __iter__(self) -> Iterator[DocumentResult]:
        for document in self.documents:
            self.reads += 1
            yield document


@pytest.mark.parametrize("by_rule", [False, True])
def test_documents_are_read_a_few_times_not_held(by_rule):
    """Two readings by default; per rule, one reading plus one per rule that fired or was ignored."""
    documents = Counted(REPORT.documents)
    text = render("junit", Report("1.0.0", documents, RULES), by_rule=by_rule)
    assert text == render("junit", REPORT, by_rule=by_rule)
    touched = sum(len({f.rule for f in d.findings} | {s.rule for s in d.suppressed}) for d in REPORT.documents)
    assert documents.reads == (len(REPORT.documents) + touched + 2 if by_rule else 2 * len(REPORT.documents))


def test_exit_code_and_dashboard_agree(cli, tmp_path):
    """`--fail-on none` exits 0 and the JUnit report shows no failure; `critique` fails both, once per
    (document, rule) with a critique finding in the JSON report of the same run."""
    for fail_on, code in (("none", 0), ("critique", 1)):
        report = tmp_path / f"{fail_on}.xml"
        result = cli("audit", ROOT / "samples", "--fail-on", fail_on, "-o", f"junit={report}", "-f", "json", cwd=tmp_path)
        assert result.returncode == code, result.stderr
        documents = json.loads(result.stdout)["documents"]
        expected = sum(len({f["rule"] for f in d["findings"] if RANKS[f["severity"]] >= RANKS[fail_on]}) for d in documents)
        assert int(assert_valid(report.read_text("utf-8")).get("failures")) == expected
        assert (expected > 0) == (code == 1)
