"""Evidence a buyer can find in the contract: by page, article or heading, and line in a text file;
table rows under their column headers; no markup in excerpts; headings never glued to their text."""

from __future__ import annotations

from pathlib import Path

import pytest

from contratcheck.engine.run import audit_document
from contratcheck.engine.select import evidence_for
from contratcheck.extract import extract
from contratcheck.model import Document, Evidence
from contratcheck.report.common import where

FONTS = Path("/usr/share/fonts/truetype/dejavu")


def quote(document: Document, needle: str) -> Evidence:
    """The evidence a finding would give for the sentence holding `needle`."""
    for segment in document.segments["sentence"]:
        if segment.span.start < len(document.text) and needle in document.original(segment.span.start, segment.span.end):
            return evidence_for(document, segment)
    raise AssertionError(f"no sentence holds {needle!r}")


def row(document: Document, needle: str) -> Evidence:
    """The evidence quoting the table row holding `needle`."""
    for segment in document.segments["row"]:
        if needle in document.text[segment.span.start:segment.span.end]:
            return evidence_for(document, segment)
    raise AssertionError(f"no row holds {needle!r}")


def at_source(path: Path, item: Evidence) -> str:
    """The file's own text from the evidence's line and column on, as an editor shows it."""
    lines = path.read_bytes().decode("utf-8").replace("\r\n", "\n").split("\n")
    return lines[item.line - 1][item.column - 1:]


# ---------------------------------------------------------------- text and Markdown

MARKDOWN = """\
Préambule : le présent contrat lie les parties.

# Article 5 – Niveaux de service

Le Prestataire   **s'engage** à rétablir le service
dans un délai de quatre heures.  Le  Client signale les pannes
par le portail &amp; par téléphone.

- le support répond sous une heure ;
  - la supervision fonctionne en continu.

| Priorité | GTI | GTR |
|---|---|---|
| **P1** – bloquant | 4 h | 8 h |
| P2 | 1 jour | 2 jours<br>ouvrés |
"""


@pytest.fixture
def markdown(tmp_path) -> tuple[Path, Document]:
    path = tmp_path / "contrat.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return path, extract(path)


def test_text_evidence_gives_the_line_and_column_in_the_file(markdown):
    path, document = markdown
    first = quote(document, "rétablir le service")
    assert (first.line, first.column) == (5, 1)
    assert first.excerpt.startswith("Le Prestataire s'engage à rétablir")
    second = quote(document, "Client signale")  # after two spaces, on the second line of its paragraph
    assert second.line == 6 and at_source(path, second).startswith("Le  Client signale")
    item = quote(document, "supervision fonctionne")
    assert item.line == 10 and at_source(path, item).startswith("- la supervision")


def test_text_evidence_is_located_by_heading_and_line(markdown):
    _, document = markdown
    item = quote(document, "rétablir le service")
    assert item.section == "Article 5 – Niveaux de service"
    assert where(item) == "Article 5 – Niveaux de service, ligne 5"
    assert where(quote(document, "Préambule")) == "ligne 1"


def test_a_line_break_inside_a_line_does_not_shift_line_numbers(tmp_path):
    path = tmp_path / "contrat.txt"
    path.write_bytes("Article 1 – Objet\r\n\r\nLe Prestataire\x0cassure la maintenance.\r\n\r\n"
                     "Article 2 – Délais\r\n\r\nLe Prestataire intervient sous 4 heures.\r\n".encode())
    item = quote(extract(path), "intervient sous")
    assert (item.line, item.column) == (7, 1) and item.section == "Article 2 – Délais"


def test_table_rows_are_quoted_under_their_column_headers(markdown):
    path, document = markdown
    item = row(document, "4 h")
    assert item.excerpt == "Priorité : P1 – bloquant | GTI : 4 h | GTR : 8 h"
    assert item.line == 14 and at_source(path, item).startswith("P1** – bloquant")  # its first visible character
    assert document.text[item.start:item.end] == "P1 – bloquant | 4 h | 8 h"  # offsets still point at the row
    assert item.verbatim == "P1 – bloquant | 4 h | 8 h"  # what annotate looks for on the page


def test_markup_never_reaches_the_text(markdown):
    _, document = markdown
    for markup in ("**", "&amp;", "<br>"):
        assert markup not in document.text + document.tail
    assert "par le portail & par téléphone" in quote(document, "portail").excerpt
    assert "2 jours ouvrés" in row(document, "P2").excerpt


@pytest.mark.parametrize(("source", "clean"), [
    ("Délai de résolution&#xA; : 12h&#xA;&#xA;", "Délai de résolution : 12h"),
    (r"\*\*SLA 1 (\*) : IC-INFRA\_SNC-01\*\* -- Disponibilité", "SLA 1 (*) : IC-INFRA_SNC-01 -- Disponibilité"),
    ("__Réversibilité__ : *à définir* ultérieurement", "Réversibilité : à définir ultérieurement"),
    ("Prix (*) : 100 € (*) hors taxes, fichier nom_de_fichier.pdf", "Prix (*) : 100 € (*) hors taxes, fichier nom_de_fichier.pdf"),
    ("représentée par <Nom du client>", "représentée par <Nom du client>"),
])
def test_markdown_and_html_markup_is_removed_but_text_is_kept(tmp_path, source, clean):
    path = tmp_path / "contrat.txt"
    path.write_text(f"Article 1 – Objet\n\n{source}\n", encoding="utf-8")
    document = extract(path)
    assert document.text.split("\n")[-1] == clean
    assert quote(document, clean[:8]).excerpt == clean


def test_matching_reads_the_text_without_markup(findings_of):
    offsite = "Le Prestataire réalise une sauvegarde externalis&eacute;e chaque nuit dans son centre de donn&eacute;es distant.\n"
    assert "sauvegarde-externalisee-absente" not in findings_of(offsite)
    assert "sauvegarde-externalisee-absente" in findings_of("Le Prestataire nettoie les postes.\n")  # control


# ---------------------------------------------------------------- DOCX

def _docx(path: Path, paragraphs, table=None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for number, line in enumerate(text.split("\n")):
            run = paragraph.add_run(line)
            if number < text.count("\n"):
                run.add_break()
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for cells, values in zip(grid.rows, table):
            for cell, value in zip(cells.cells, values):
                cell.text = value
    document.save(path)
    return path


def test_docx_evidence_is_located_by_heading_never_by_paragraph_number(tmp_path):
    path = _docx(tmp_path / "c.docx", [
        "Le présent contrat lie le Prestataire et le Client.",
        "Article 3 – Délais",
        "Le Prestataire intervient sous quatre heures.",
    ])
    document = extract(path)
    assert where(quote(document, "intervient sous")) == "Article 3 – Délais"
    assert where(quote(document, "lie le Prestataire")) == "début du document"
    assert all("§" not in where(quote(document, needle)) for needle in ("intervient", "lie le"))


def test_docx_text_under_no_heading_is_located_by_its_article_number(tmp_path):
    path = _docx(tmp_path / "c.docx", [
        "4.2. Garantie de rétablissement. Le Prestataire rétablit le service sous quatre heures.",
        "Les délais sont mesurés par l'outil de tickets.",
    ])
    document = extract(path)
    assert where(quote(document, "rétablit le service")) == "article 4.2"
    assert where(quote(document, "délais sont mesurés")) == "article 4.2"


def test_docx_title_on_the_first_line_of_a_paragraph_is_split_from_its_text(tmp_path):
    path = _docx(tmp_path / "c.docx", ["Article 5 – Niveaux de service\nLe Prestataire rétablit le service sous quatre heures."])
    item = quote(extract(path), "rétablit")
    assert item.section == "Article 5 – Niveaux de service"
    assert item.excerpt == "Le Prestataire rétablit le service sous quatre heures."


def test_docx_entities_and_table_headers(tmp_path):
    path = _docx(tmp_path / "c.docx", ["Article 1 – Objet", "Support &amp; maintenance&#xA;du parc."],
                 table=[("Priorité", "GTI", "GTR"), ("P1", "4 h", "8 h")])
    document = extract(path)
    assert "Support & maintenance du parc." in document.text and "&#xA;" not in document.text
    assert row(document, "8 h").excerpt == "Priorité : P1 | GTI : 4 h | GTR : 8 h"


# ---------------------------------------------------------------- PDF

def _pdf(path: Path, pages: list[list[tuple[str, str]]], width: float = 0) -> Path:
    """A PDF of `pages`, each a list of (style, text): "B" a bold 12-point title, "" 10-point text;
    `width` narrows the text column (in mm) so that titles wrap."""
    from fpdf import FPDF

    if not (FONTS / "DejaVuSerif-Bold.ttf").exists():
        pytest.skip("DejaVu fonts missing (apt-get install fonts-dejavu-core)")
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
    pdf.set_auto_page_break(False)
    for blocks in pages:
        pdf.add_page()
        for style, text in blocks:
            pdf.set_font("DejaVu", style, 12 if style else 10)
            pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


FILLER = "Le Prestataire tient à jour l'inventaire du parc et la documentation d'exploitation. "


def test_pdf_title_at_the_foot_of_a_page_heads_the_text_on_the_next(tmp_path):
    path = _pdf(tmp_path / "c.pdf", [
        [("B", "Article 4 – Engagements de service"), ("", FILLER * 3), ("B", "Article 5 – Pénalités")],
        [("", "Le Prestataire verse au Client une pénalité de 2 % par heure de retard. " + FILLER)],
    ])
    item = quote(extract(path), "pénalité de 2 %")
    assert where(item) == "page 2, Article 5 – Pénalités"
    assert item.excerpt.startswith("Le Prestataire verse")


def test_pdf_sentence_running_on_to_the_next_page_keeps_the_page_and_title_of_its_start(tmp_path):
    path = _pdf(tmp_path / "c.pdf", [
        [("B", "Article 4 – Engagements de service"), ("", FILLER * 2 + "Le Prestataire rétablit le service")],
        [("", "sous quatre heures ouvrées. " + FILLER), ("B", "Article 5 – Pénalités"), ("", FILLER)],
    ])
    item = quote(extract(path), "rétablit le service")
    assert where(item) == "page 1, Article 4 – Engagements de service"
    assert where(quote(extract(path), "inventaire du parc")) == "page 1, Article 4 – Engagements de service"


def test_pdf_title_wrapped_over_two_lines_is_not_glued_to_its_text(tmp_path):
    path = _pdf(tmp_path / "c.pdf", [[
        ("B", "Article 4 – Retards"), ("", "Les retards ne donnent lieu à aucune pénalité."),
        ("B", "Article 5 – Prestations non comprises dans le forfait"),
        ("", "Les prestations suivantes sont facturées au taux horaire de 85 € HT."),
    ]], width=70)
    document = extract(path)
    item = quote(document, "taux horaire")
    assert item.section == "Article 5 – Prestations non comprises dans le forfait"
    assert item.excerpt.startswith("Les prestations suivantes")


def test_pdf_title_set_apart_only_by_its_font_is_a_title(tmp_path):
    path = _pdf(tmp_path / "c.pdf", [[
        ("B", "Durée de l'engagement"), ("", "Le contrat est souscrit pour une durée ferme de trois ans."),
        ("B", "Réversibilité"), ("", "En fin de contrat, le Prestataire restitue au Client ses données."),
    ]])
    item = quote(extract(path), "restitue")
    assert where(item) == "page 1, Réversibilité" and item.excerpt.startswith("En fin de contrat")
    assert quote(extract(path), "durée ferme").excerpt.startswith("Le contrat est souscrit")


def test_pdf_text_in_the_same_font_as_its_neighbours_is_no_title(tmp_path):
    path = _pdf(tmp_path / "c.pdf", [[
        ("B", "Article 1 – Objet"), ("", "Prestations incluses"), ("", "Le Prestataire assure la maintenance du parc."),
    ]])
    assert quote(extract(path), "maintenance du parc").section == "Article 1 – Objet"


def test_readme_sample_quotes_article_5_from_its_text(cli):
    """README: contrat-risque.pdf quotes « Article 5 – Prestations non comprises » text under its own
    title, never glued to it, never under Article 4."""
    samples = Path(__file__).resolve().parents[1] / "samples"
    result = cli("audit", samples / "contrat-risque.pdf", "--format", "markdown", "--fail-on", "none")
    assert "Article 5 – Prestations non comprises : « Les prestations suivantes" in result.stdout
    assert "« Article 5" not in result.stdout


# ---------------------------------------------------------------- what reports say

def test_where_never_shows_a_paragraph_counter():
    assert where(Evidence(None, None, 17, "x", 0, 1)) == "début du document"
    assert where(Evidence(None, "Article 5 – Niveaux de service", 17, "x", 0, 1, line=42, column=3)) == \
        "Article 5 – Niveaux de service, ligne 42"
    assert where(Evidence(3, "Article 5", 17, "x", 0, 1)) == "page 3, Article 5"
    assert where(Evidence(None, None, 17, "x", 0, 1, line=9, column=1)) == "ligne 9"


def test_a_vague_clause_is_quoted_never_reported_absent(rules, tmp_path):
    """reversibilite-vague fires when the reversibility clause names no documentation: it quotes that
    clause (the finding says it exists), where the report would otherwise say « absent »."""
    path = tmp_path / "c.txt"
    path.write_text("Article 11 – Réversibilité\n\nÀ la fin du contrat, le Prestataire restitue au Client ses données.\n",
                    encoding="utf-8")
    findings = {f.rule: f for f in audit_document(extract(path), rules)}
    vague = findings["reversibilite-vague"]
    assert [e.excerpt for e in vague.evidence] == ["À la fin du contrat, le Prestataire restitue au Client ses données."]
    assert where(vague.evidence[0]) == "Article 11 – Réversibilité, ligne 3"
    assert not findings["gtr-absente"].evidence  # a missing topic still has nothing to quote
