"""Markdown and CSV reports: the same advice as the HTML report, --par-regle, and where an excerpt stands."""

from __future__ import annotations

import csv
import io
import re

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
from contratcheck.report.csv import HEADER

RULES = tuple(RuleInfo(rule_id, severity, f"Titre {rule_id}", "Condition.", "Pourquoi.", "Exiger.")
              for rule_id, severity in (("gtr-absente", Severity.CRITIQUE), ("delai-non-engageant", Severity.MAJEUR),
                                        ("preavis-long", Severity.MAJEUR), ("frais-hors-forfait", Severity.INFO)))
HOSTILE_PATH = "offres/<b>|**gras**|.docx"


def finding(rule_id: str, evidence: tuple[Evidence, ...] = (), alert: str | None = "« On fait au mieux »") -> Finding:
    severity = next((r.severity for r in RULES if r.id == rule_id), Severity.MINEUR)
    return Finding(rule_id, severity, f"Titre {rule_id}", "Constat.", evidence, "Pourquoi <b>ça</b> compte.",
                   "Un délai **ferme**.", "Quel délai ?", alert)


DOCX = Evidence(None, "Article 3 – Délais", 14, "Sous 24 heures.", 10, 25)
TEXT = Evidence(None, "Article 9 – Durée", 31, "Préavis de six mois.", 40, 60, line=52, column=7)
PDF = Evidence(2, "Article 3 – Délais", 14, "Sous 24 heures.", 10, 25)


def make_report() -> Report:
    return Report("1.0.0", (
        DocumentResult("offres/a.pdf", Format.PDF, Status.OK, None, 3,
                       (finding("delai-non-engageant", (PDF,)), finding("gtr-absente", alert=None))),
        DocumentResult("offres/b.txt", Format.TXT, Status.OK, None, None, (finding("preavis-long", (TEXT, DOCX)),),
                       (Suppressed("frais-hors-forfait", Severity.INFO, "Frais", "accepté"),)),
        DocumentResult("offres/cassé.pdf", None, Status.ERROR, ErrorInfo("corrupt", "PDF illisible."), None),
        DocumentResult(HOSTILE_PATH, Format.DOCX, Status.OK, None, None,
                       (finding("gtr-absente", (DOCX,)), finding("regle-maison"))),
    ), RULES)


# --- Markdown ----------------------------------------------------------------------------------

def _html_labels(text: str) -> list[list[str]]:
    return [re.findall(r"<dt>(.*?)</dt>", card) for card in text.split('<article class="finding')[1:]]


def _markdown_labels(text: str) -> list[list[str]]:
    return [re.findall(r"^- \*\*(.+?) :\*\*", card, re.M) for card in re.split(r"^\*\*Titre ", text, flags=re.M)[1:]]


def test_markdown_gives_each_finding_the_sections_the_html_gives():
    report = make_report()
    markdown = _markdown_labels(render("markdown", report))
    assert markdown == _html_labels(render("html", report))
    assert len(markdown) == 5
    assert markdown[0] == ["Enjeu", "À exiger", "Question à poser"]  # gtr-absente has no alert: no « Alerte si »
    assert markdown[1] == ["Enjeu", "À exiger", "Question à poser", "Alerte si"]


def test_markdown_sections_are_inert_text():
    rendered = MarkdownIt("commonmark", {"html": True}).render(render("markdown", make_report()))
    assert "<b>ça</b>" not in rendered and "&lt;b&gt;ça&lt;/b&gt; compte" in rendered
    assert "Un délai **ferme**." in rendered


def _by_rule_section(text: str) -> str:
    start = text.index("## Par règle")
    return text[start:text.index("\n## ", start + 1)]


def test_markdown_by_rule_lists_the_documents_of_each_rule_in_pack_order():
    text = render("markdown", make_report(), by_rule=True)
    assert text.index("| offres/a.pdf") < text.index("## Par règle") < text.index("## offres/a.pdf")
    section = _by_rule_section(text)
    rules = re.findall(r"^- \*\*Titre ([a-z-]+)\*\* \(`([a-z-]+)`, (\w+)\) : (\d+) document\(s\)$", section, re.M)
    assert rules == [("gtr-absente", "gtr-absente", "critique", "2"), ("delai-non-engageant", "delai-non-engageant", "majeur", "1"),
                     ("preavis-long", "preavis-long", "majeur", "1")]  # a suppressed rule has not fired
    items = MarkdownIt("commonmark").parse(section)
    nested = [token.content for token in items if token.type == "inline" and token.level == 5]
    assert nested == ["offres/a.pdf", r"offres/\<b\>\|\*\*gras\*\*\|.docx", "offres/a.pdf", "offres/b.txt"]
    assert "Par règle" not in render("markdown", make_report())


# --- CSV ---------------------------------------------------------------------------------------

def _rows(text: str) -> list[dict[str, str]]:
    header, *lines = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";")
    assert header == list(HEADER) and all(len(line) == len(header) for line in lines)
    return [dict(zip(header, line)) for line in lines]


def test_csv_adds_its_new_columns_at_the_end():
    assert HEADER[:10] == ("document", "statut", "règle", "gravité", "titre", "page", "section", "extrait", "message", "ignoré")
    assert HEADER[10:] == ("paragraphe", "ligne", "colonne", "pièce")


def test_csv_places_each_excerpt_by_page_else_by_paragraph_and_line():
    rows = {(row["document"], row["règle"]): row for row in _rows(render("csv", make_report()))}
    pdf = rows["offres/a.pdf", "delai-non-engageant"]
    assert (pdf["page"], pdf["paragraphe"], pdf["ligne"], pdf["colonne"]) == ("2", "", "", "")
    text = rows["offres/b.txt", "preavis-long"]  # two excerpts: one line each, in every column
    assert text["extrait"] == "Préavis de six mois.\nSous 24 heures."
    assert (text["page"], text["paragraphe"], text["ligne"], text["colonne"]) == ("\n", "31\n14", "52\n", "7\n")
    docx = rows[HOSTILE_PATH, "gtr-absente"]
    assert (docx["section"], docx["paragraphe"], docx["ligne"]) == ("Article 3 – Délais", "14", "")
    assert rows["offres/a.pdf", "gtr-absente"]["paragraphe"] == ""  # nothing quoted
    assert rows["offres/cassé.pdf", ""]["message"] == "PDF illisible."


def test_csv_by_rule_orders_rows_by_rule_in_pack_order_then_document():
    order = [(row["règle"], row["document"]) for row in _rows(render("csv", make_report(), by_rule=True))]
    assert order == [("gtr-absente", "offres/a.pdf"), ("gtr-absente", HOSTILE_PATH),
                     ("delai-non-engageant", "offres/a.pdf"), ("preavis-long", "offres/b.txt"),
                     ("frais-hors-forfait", "offres/b.txt"),  # ignored, still under its rule
                     ("regle-maison", HOSTILE_PATH),  # not in the pack: after the pack's rules
                     ("", "offres/cassé.pdf")]  # no rule: last
    plain = [(row["règle"], row["document"]) for row in _rows(render("csv", make_report()))]
    assert plain[:2] == [("delai-non-engageant", "offres/a.pdf"), ("gtr-absente", "offres/a.pdf")]
    assert sorted(plain) == sorted(order)
