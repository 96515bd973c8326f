"""Renderers: JSON against the shipped schema and byte-stable; rich readable without colour."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema

from contratcheck.model import DocumentResult, ErrorInfo, Evidence, Finding, Format, Report, Severity, Status
from contratcheck.report import render

SCHEMA = json.loads(resources.files("contratcheck").joinpath("data/report.schema.json").read_text("utf-8"))

FINDING = Finding(
    "delai-non-engageant", Severity.CRITIQUE, "Délai non engageant", "Le délai est assorti d'une réserve.",
    (Evidence(2, "Article 3 – Délais", 14, "Nous intervenons généralement sous 24 heures.", 120, 166),),
    "Pourquoi.", "Exiger.", "Question ?", "« Généralement »",
)
ABSENT = Finding("gtr-absente", Severity.CRITIQUE, "Pas de GTR", "Aucune GTR.", (), "Pourquoi.", "Exiger.", "Question ?")
REPORT = Report("1.0.0", (
    DocumentResult("contrats/a.pdf", Format.PDF, Status.OK, None, 3, (FINDING, ABSENT)),
    DocumentResult("contrats/b.pdf", None, Status.ERROR, ErrorInfo("corrupt", "PDF illisible."), None),
    DocumentResult("contrats/c.pdf", Format.PDF, Status.NO_TEXT, ErrorInfo("no-text", "Numérisé."), 2),
))


def test_json_matches_schema_and_spec_fields():
    payload = json.loads(render("json", REPORT))
    jsonschema.validate(payload, SCHEMA)
    assert list(payload)[:4] == ["schema", "tool", "documents", "summary"]
    assert payload["summary"] == {"documents": 3, "ok": 1, "no_text": 1, "errors": 1,
                                  "findings": {"critique": 2, "majeur": 0, "mineur": 0, "info": 0}, "suppressed": 0}
    evidence = payload["documents"][0]["findings"][0]["evidence"][0]
    assert evidence["page"] == 2 and evidence["start"] == 120 and evidence["end"] == 166


def test_json_is_byte_stable():
    assert render("json", REPORT) == render("json", REPORT)


def test_schema_rejects_a_finding_on_an_unread_document():
    payload = json.loads(render("json", REPORT))
    payload["documents"][1]["findings"] = payload["documents"][0]["findings"]
    try:
        jsonschema.validate(payload, SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema accepted findings on a document that could not be read")


def test_rich_without_colour_is_plain_and_complete():
    text = render("rich", REPORT, color=False)
    assert "\x1b[" not in text
    for expected in ("contrats/a.pdf", "page 2, Article 3 – Délais", "Nous intervenons généralement sous 24 heures.",
                     "absent", "À demander", "PDF illisible.", "Synthèse", "pas un avis juridique"):
        assert expected in text
    assert "Questions à poser au prestataire" in text


def test_rich_with_colour_uses_ansi():
    assert "\x1b[" in render("rich", REPORT, color=True)
