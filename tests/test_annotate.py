"""`audit --annoter`: the annotated copy of a PDF (highlights on the right words, summary in front)
and of a DOCX (comments anchored on the evidence), the original untouched, and the refusals."""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import replace

import pdfplumber
import pypdfium2 as pdfium
import pytest
from lxml import etree

from contratcheck.annotate import AnnotationError, annotate, refusal
from contratcheck.annotate.locate import PageText, line_rects, locate
from contratcheck.annotate.notes import folded_key
from contratcheck.annotate.summary import COLORS
from contratcheck.engine.loader import load_rules
from contratcheck.extract import extract
from contratcheck.model import DocumentResult, Evidence, Status
from contratcheck.service.options import AuditOptions
from contratcheck.service.pipeline import audit_file

RULES = load_rules([], default=True)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FILLER = ("Les parties se réunissent chaque trimestre pour examiner la qualité du service, les incidents survenus et "
          "les évolutions souhaitées par le Client, et consignent leurs conclusions dans un compte rendu. ")
CONTRACT = f"""# Article 1 – Objet
Le présent contrat confie au Prestataire la maintenance du parc informatique du Client.

# Article 2 – Délais
Le Prestataire intervient {{-toujours-}}{{+généralement+}} sous 24 heures, dans la mesure du possible et selon la charge du service.

# Article 3 – Suivi
{FILLER * 14}

# Article 4 – Durée
Le Client peut mettre fin au contrat en respectant un préavis de six (6) mois, notifié par lettre recommandée avec accusé de réception au Prestataire.
"""
SCALE = 2  # pixels per point when rendering


@pytest.fixture(scope="module")
def pdf_copy(tmp_path_factory):
    """The contract as a hyphenated PDF with ligatures and a footer, audited, then annotated."""
    import docgen

    folder = tmp_path_factory.mktemp("annoter")
    parsed = docgen.parse_source(CONTRACT)
    source = folder / "contrat.pdf"
    docgen.write_pdf(docgen.Source({**parsed.meta, "hyphenate": True, "ligatures": True, "footer": "Paraphes : ____"},
                                   parsed.blocks), source)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    result = audit_file(source, "contrat.pdf", RULES, AuditOptions(use_cache=False))
    message = annotate(result, source, folder / "annote.pdf")
    return source, folder / "annote.pdf", result, before, message


def _finding(result: DocumentResult, rule: str):
    return next(f for f in result.findings if f.rule == rule)


def test_pdf_copy_has_summary_pages_in_front_and_leaves_the_original_alone(pdf_copy):
    source, copy, result, before, message = pdf_copy
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert copy.read_bytes().startswith(source.read_bytes())  # an incremental update: the notes are appended
    with pdfplumber.open(source) as original, pdfplumber.open(copy) as annotated:
        summary = len(annotated.pages) - len(original.pages)
        assert summary >= 1 and f"{summary} page(s) de synthèse" in message
        for number, page in enumerate(original.pages):
            assert annotated.pages[summary + number].extract_text() == page.extract_text()
        text = " ".join(" ".join(p.extract_text() for p in annotated.pages[:summary]).split())
    assert f"la page 1 du contrat est la page {summary + 1} de ce fichier" in text
    absent = [f for f in result.findings if not f.evidence]
    assert any("é" in f.title for f in absent)  # accents must survive the summary's encoding
    for finding in absent:
        assert finding.title in text and f"À exiger : {finding.demand}" in text
    preavis = _finding(result, "preavis-long")
    page = preavis.evidence[0].page
    assert f"{preavis.title} Page {page + summary} de ce fichier (page {page} du contrat original)." in text


def test_pdf_highlights_sit_on_the_evidence_words(pdf_copy):
    source, copy, result, _, _ = pdf_copy
    finding = _finding(result, "delai-non-engageant")
    number = finding.evidence[0].page
    with pdfplumber.open(source) as original:
        words = original.pages[number - 1].extract_words()
    evidence = [w for w in words if w["text"] in ("généralement", "possible", "charge")]
    elsewhere = [w for w in words if w["text"] in ("maintenance", "Objet", "trimestre")]
    assert len(evidence) == 3 and len(elsewhere) >= 3
    with pdfplumber.open(copy) as annotated:
        summary = len(annotated.pages) - len(pdfplumber.open(source).pages)
        annots = [a for a in annotated.pages[summary + number - 1].annots if a["contents"].startswith("[CRITIQUE] Délai")]
    assert [a["data"]["Subtype"].name for a in annots] == ["Highlight"]
    assert "Pourquoi :" in annots[0]["contents"] and f"À exiger : {finding.demand}" in annots[0]["contents"]
    assert all(_overlap(annots[0], w) for w in evidence) and not any(_overlap(annots[0], w) for w in elsewhere)
    pdf = pdfium.PdfDocument(str(copy))
    image = pdf[summary + number - 1].render(scale=SCALE).to_pil().convert("RGB")
    color = tuple(round(c * 255) for c in COLORS[finding.severity])
    assert all(_share(image, w, color) > 0.3 for w in evidence)
    assert all(_share(image, w, color) == 0 for w in elsewhere)


def _overlap(annot: dict, word: dict) -> bool:
    return annot["x0"] < word["x1"] and word["x0"] < annot["x1"] and annot["top"] < word["bottom"] and word["top"] < annot["bottom"]


def _share(image, word: dict, color: tuple[int, ...]) -> float:
    """Share of a word's box painted in the highlight colour (the glyphs themselves stay dark)."""
    box = image.crop(tuple(round(word[k] * SCALE) for k in ("x0", "top", "x1", "bottom")))
    data = box.tobytes()
    pixels = [data[i:i + 3] for i in range(0, len(data), 3)]
    return sum(all(abs(p - c) <= 12 for p, c in zip(pixel, color)) for pixel in pixels) / len(pixels)


def test_an_excerpt_missing_from_its_page_becomes_a_margin_note(pdf_copy, tmp_path):
    source, _, result, _, _ = pdf_copy
    finding = replace(_finding(result, "preavis-long"), evidence=(Evidence(1, None, 1, "Texte introuvable sur la page.", 0, 0),))
    message = annotate(replace(result, findings=(finding,)), source, tmp_path / "note.pdf")
    assert "0 passage(s) surligné(s), 1 note(s) en marge" in message
    with pdfplumber.open(tmp_path / "note.pdf") as annotated:
        notes = [a for p in annotated.pages for a in p.annots]
    assert [n["data"]["Subtype"].name for n in notes] == ["Text"]
    assert notes[0]["page_number"] == 2 and "« Texte introuvable sur la page. »" in notes[0]["contents"]


def test_locate_follows_an_excerpt_onto_the_next_page_past_a_footer():
    def page(number: int, text: str) -> PageText:
        key = folded_key(text)[0]
        return PageText(number, key, tuple((i, number * 100, i + 1, number * 100 + 10) for i in range(len(key))))

    first = page(1, "Début. Le préavis de résiliation est fixé à")
    second = page(2, "Paraphes : ____ trois mois à compter de la notification. Article 5")
    found = locate("Le préavis de résiliation est fixé à trois mois à compter de la notification.", first, second)
    assert len(found[1]) == len(folded_key("Le préavis de résiliation est fixé à")[0])
    assert len(found[2]) == len(folded_key("trois mois à compter de la notification")[0])
    assert locate("Une phrase qui ne figure nulle part ici.", first, second) == {}


def test_line_rects_make_one_rectangle_per_line():
    boxes = [(10, 700, 15, 710), (15, 700, 20, 712), (10, 680, 14, 690)]
    assert line_rects(boxes) == [(10, 700, 20, 712), (10, 680, 14, 690)]


def test_encrypted_pdf_gives_an_unprotected_copy(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="proprietaire", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Le Prestataire intervient generalement sous 24 heures, selon la charge du service.")
    pdf.output(str(tmp_path / "protege.pdf"))
    options = AuditOptions(use_cache=False, password="secret")
    result = audit_file(tmp_path / "protege.pdf", "protege.pdf", RULES, options)
    message = annotate(result, tmp_path / "protege.pdf", tmp_path / "copie.pdf", options.password_for("protege.pdf"))
    assert "1 passage(s) surligné(s)" in message and "pas protégée par un mot de passe" in message
    summary = int(re.search(r"(\d+) page\(s\) de synthèse", message).group(1))
    assert len(pdfium.PdfDocument(str(tmp_path / "copie.pdf"))) == summary + 1  # opens without the password


def test_unreadable_document_gets_no_copy(tmp_path):
    broken = DocumentResult("casse.pdf", None, Status.ERROR, None, None)
    with pytest.raises(AnnotationError, match="n'a pas pu être audité"):
        annotate(broken, tmp_path / "casse.pdf", tmp_path / "copie.pdf")
    assert not list(tmp_path.iterdir())


def test_docx_comments_anchor_on_the_evidence(make, tmp_path):
    source = make("contrat.docx", CONTRACT)
    result = audit_file(source, "contrat.docx", RULES, AuditOptions(use_cache=False))
    annotate(result, source, tmp_path / "annote.docx")
    assert extract(tmp_path / "annote.docx").text == extract(source).text  # the contract's text is untouched
    with zipfile.ZipFile(tmp_path / "annote.docx") as archive:
        anchors = _anchors(etree.fromstring(archive.read("word/document.xml")))
        comments = {c.get(W + "id"): "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))
                    for c in etree.fromstring(archive.read("word/comments.xml")).iter(W + "comment")}
    evidenced = [f for f in result.findings if f.evidence]
    assert len(evidenced) == 2
    for finding in evidenced:
        [anchor] = [anchors[i] for i, text in comments.items() if text.startswith(f"[{finding.severity.value.upper()}] {finding.title}")]
        assert folded_key(anchor)[0] == folded_key(finding.evidence[0].excerpt)[0]
    for finding in (f for f in result.findings if not f.evidence):
        [anchor] = [anchors[i] for i, text in comments.items() if f"] {finding.title} (" in text]
        assert anchor == "Article 1 – Objet"
    assert any(re.match(r"contratcheck : \d critiques", text) for text in comments.values())


def _anchors(root) -> dict[str, str]:
    """The text each comment range covers, by comment id."""
    covering, text = set(), {}
    for element in root.iter():
        name = element.get(W + "id")
        if element.tag == W + "commentRangeStart":
            covering.add(name)
            text[name] = ""
        elif element.tag == W + "commentRangeEnd":
            covering.discard(name)
        elif element.tag == W + "t" and not any(a.tag == W + "del" for a in element.iterancestors()):
            for open_name in covering:
                text[open_name] += element.text or ""
    return text


def test_cli_writes_the_copy(cli, pdf_copy, tmp_path):
    done = cli("audit", pdf_copy[0], "--annoter", tmp_path / "annote.pdf")
    assert done.returncode == 1 and "Copie annotée écrite" in done.stderr
    assert len(pdfium.PdfDocument(str(tmp_path / "annote.pdf"))) > 1


def test_cli_refuses_a_text_file_before_auditing(cli, make, tmp_path):
    refused = cli("audit", make("contrat.txt", CONTRACT), "--annoter", tmp_path / "annote.pdf")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "Erreur : --annoter ne s'applique qu'aux PDF et aux DOCX" in refused.stderr
    assert not (tmp_path / "annote.pdf").exists()


def test_refusals(make, tmp_path):
    pdf, text = make("contrat.pdf", "# Article 1\nTexte.\n"), make("contrat.txt", "Texte.\n")
    assert "n'est jamais modifié" in refusal([(pdf, "contrat.pdf")], tmp_path / "." / "contrat.pdf")
    assert "d'un seul contrat, or 2 documents" in refusal([(pdf, "contrat.pdf"), (text, "contrat.txt")], tmp_path / "x.pdf")
    assert "nommez-la en .pdf" in refusal([(pdf, "contrat.pdf")], tmp_path / "annote.docx")
    assert refusal([(pdf, "contrat.pdf")], tmp_path / "annote.pdf") is None
