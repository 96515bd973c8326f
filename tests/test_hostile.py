"""Every bad input a user's inbox holds: a stable code, a French message, and the batch goes on."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
import zipfile

import pytest
from PIL import Image, ImageDraw, ImageFont

from conftest import SAMPLES
from contratcheck.errors import ExtractionError
from contratcheck.extract import read_bytes

CONTRACT = (SAMPLES / "contrat-risque.txt").read_text("utf-8")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scanned_pdf(path, lines, pages=1):
    """An image-only PDF, as a scanner makes it."""
    font = ImageFont.truetype(FONT, 34)
    images = []
    for _ in range(pages):
        image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((120, 150 + number * 60), line, fill=0, font=font)
        images.append(image)
    images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return path


def encrypted_pdf(path, user="", owner="proprietaire"):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password=owner, user_password=user)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, CONTRACT.encode("latin-1", "replace").decode("latin-1")[:3000])
    pdf.output(str(path))
    return path


def docx_with(path, document_xml: bytes, extra_entries: int = 0):
    source = SAMPLES / "contrat-sain.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = document_xml if item.filename == "word/document.xml" and document_xml else original.read(item)
            out.writestr(item.filename, data)
        for number in range(extra_entries):
            out.writestr(f"word/media/vide{number}.bin", b"")
    return path


def garbled(text: str) -> str:
    return "".join(chr((ord(c) - 94) % 26 + 97) if c.isalpha() and c.isascii() else c for c in text)


@pytest.fixture
def inbox(tmp_path):
    """A folder holding every bad case next to good contracts."""
    box = tmp_path / "boite"
    box.mkdir()
    (box / "01-vide.pdf").write_bytes(b"")
    (box / "02-tronque.pdf").write_bytes((SAMPLES / "contrat-sain.pdf").read_bytes()[:3000])
    (box / "03-photo.pdf").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 200)
    (box / "04-texte.docx").write_text(CONTRACT, encoding="utf-8")
    (box / "05-page-web.pdf").write_text("<!DOCTYPE html><html><body>Erreur 404</body></html>", encoding="utf-8")
    (box / "06-ancien.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with zipfile.ZipFile(box / "07-libreoffice.odt", "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    (box / "08-texte.rtf").write_bytes(b"{\\rtf1\\ansi Contrat}")
    (box / "09-zip-casse.docx").write_bytes(b"PK\x03\x04" + b"\x01" * 100)
    encrypted_pdf(box / "10-protege.pdf", user="secret")
    encrypted_pdf(box / "11-restrictions.pdf", user="")
    scanned_pdf(box / "12-scan.pdf", ["Contrat de maintenance", "Le pare-feu n'est pas inclus."])
    (box / "13-illisible.txt").write_text(garbled(CONTRACT), encoding="utf-8")
    bomb = docx_with(box / "14-bombe.docx", b"", extra_entries=6000)
    assert bomb.exists()
    docx_with(box / "15-entites.docx", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>')
    (box / "16-script.txt").write_text(CONTRACT + "\n<script>alert('x')</script> =HYPERLINK(\"http://x\")\x07\n", encoding="utf-8")
    for name in ("contrat-sain.pdf", "contrat-risque.docx", "contrat-gtr-intervention.txt"):
        (box / f"20-{name}").write_bytes((SAMPLES / name).read_bytes())
    return box


EXPECTED = {
    "01-vide.pdf": ("error", "empty"), "02-tronque.pdf": ("error", "corrupt"), "03-photo.pdf": ("error", "unsupported"),
    "04-texte.docx": ("error", "wrong-format"), "05-page-web.pdf": ("error", "wrong-format"),
    "06-ancien.doc": ("error", "unsupported"), "07-libreoffice.odt": ("error", "unsupported"),
    "08-texte.rtf": ("error", "unsupported"), "09-zip-casse.docx": ("error", "corrupt"),
    "10-protege.pdf": ("error", "encrypted"), "11-restrictions.pdf": ("ok", None), "12-scan.pdf": ("no-text", "no-text"),
    "13-illisible.txt": ("no-text", "garbled"), "14-bombe.docx": ("error", "zip-bomb"),
    "15-entites.docx": ("error", "unsafe-xml"), "16-script.txt": ("ok", None),
}


def test_mixed_inbox_in_one_run(cli, inbox, tmp_path):
    before = sorted(p.name for p in inbox.iterdir())
    output = tmp_path / "rapport.json"
    html = tmp_path / "rapport.html"
    result = cli("audit", inbox, "ailleurs/inexistant", "--format", "json", "--output", output,
                 "--output", f"html={html}", "--jobs", "2")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    documents = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(output.read_text("utf-8"))["documents"]}
    for name, (status, code) in EXPECTED.items():
        document = documents[name]
        assert (document["status"], (document["error"] or {}).get("code")) == (status, code), name
        if document["error"]:
            assert document["error"]["message"].endswith((".", ")")) and document["findings"] == []
    for name in ("20-contrat-sain.pdf", "20-contrat-risque.docx", "20-contrat-gtr-intervention.txt"):
        assert documents[name]["status"] == "ok"
    assert documents["20-contrat-risque.docx"]["findings"]
    assert documents["inexistant"]["error"]["code"] == "not-found"
    assert "<script>" not in html.read_text("utf-8")
    assert sorted(p.name for p in inbox.iterdir()) == before  # nothing written next to the contracts
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["boite", "rapport.json", "rapport.html"])


def test_password_opens_an_encrypted_pdf(cli, tmp_path):
    path = encrypted_pdf(tmp_path / "protege.pdf", user="secret")
    wrong = json.loads(cli("audit", path, "--format", "json", "--password", "faux").stdout)["documents"][0]
    assert wrong["error"]["code"] == "encrypted" and "incorrect" in wrong["error"]["message"]
    right = json.loads(cli("audit", path, "--format", "json", "--password", "secret").stdout)["documents"][0]
    assert right["status"] == "ok" and right["findings"]


def test_password_from_config_by_glob(cli, tmp_path):
    (tmp_path / "banque").mkdir()
    encrypted_pdf(tmp_path / "banque" / "offre.pdf", user="s3cret")
    (tmp_path / "contratcheck.toml").write_text('[passwords]\n"banque/*.pdf" = "s3cret"\n', encoding="utf-8")
    (tmp_path / "ailleurs").mkdir()
    # The glob is read from the configuration's folder, whatever folder the audit runs in.
    for cwd, path in ((tmp_path, "banque"), (tmp_path / "ailleurs", "../banque/offre.pdf"),
                      (tmp_path / "ailleurs", str(tmp_path / "banque"))):
        document = json.loads(cli("audit", path, "--format", "json", cwd=cwd).stdout)["documents"][0]
        assert document["status"] == "ok", (cwd, path, document["error"])


def test_ocr_reads_a_scanned_contract(cli, tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", ["ARTICLE 5 - SECURITE", "Le pare-feu n'est pas inclus dans la prestation.",
                                               "Nous intervenons generalement sous 24 heures."])
    document = json.loads(cli("audit", path, "--format", "json", "--ocr").stdout)["documents"][0]
    assert document["status"] == "ok"
    finding = next(f for f in document["findings"] if f["rule"] == "delai-non-engageant")
    assert finding["evidence"][0]["ocr"] is True and finding["evidence"][0]["page"] == 1
    assert any("OCR" in w for w in document["warnings"])


def test_a_scanned_piece_of_a_set_keeps_its_ocr_marks(cli, tmp_path):
    folder = tmp_path / "marche"
    folder.mkdir()
    (folder / "ccap.txt").write_text("Article 1 - Objet\n\nLe Prestataire assure la maintenance du parc.\n", encoding="utf-8")
    scanned_pdf(folder / "annexe.pdf", ["ARTICLE 5 - DELAIS", "Nous intervenons generalement sous 24 heures."])
    report = json.loads(cli("audit", "marche", "--ensemble", "--format", "json", "--ocr", cwd=tmp_path).stdout)
    contract = report["contracts"][0]
    finding = next(f for f in contract["findings"] if f["rule"] == "delai-non-engageant")
    assert [(e["path"], e["page"], e["ocr"]) for e in finding["evidence"]] == [("marche/annexe.pdf", 1, True)]
    assert contract["warnings"] == ["marche/annexe.pdf, page 1 : lues par reconnaissance de caractères (OCR) ; "
                                    "vérifiez les extraits cités sur le document."]
    unread = json.loads(cli("audit", "marche", "--ensemble", "--format", "json", cwd=tmp_path).stdout)["contracts"][0]
    assert unread["warnings"] == ["Pièce(s) non lue(s), dont les clauses manquent à l'audit : marche/annexe.pdf."]
    (folder / "annexe.pdf").unlink()
    mixed_pdf(folder / "contrat.pdf", tmp_path)
    partly = json.loads(cli("audit", "marche", "--ensemble", "--format", "json", cwd=tmp_path).stdout)["contracts"][0]
    assert [w.split(" : ")[0] for w in partly["warnings"]] == ["marche/contrat.pdf, page 5"]


def mixed_pdf(path, scratch):
    """A text PDF (the sample contract, 4 pages) followed by one scanned page."""
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(str(SAMPLES / "contrat-sain.pdf"))
    scan = pdfium.PdfDocument(str(scanned_pdf(scratch / "scan.pdf", ["Annexe signée"])))
    text.import_pages(scan)
    text.save(str(path))
    return path


def test_partly_scanned_pdf_says_which_pages_were_not_read(cli, tmp_path):
    path = mixed_pdf(tmp_path / "mixte.pdf", tmp_path)
    document = json.loads(cli("audit", path, "--format", "json").stdout)["documents"][0]
    assert document["status"] == "ok"
    assert any(w.startswith(f"Page {document['pages']} : images sans texte") for w in document["warnings"])
    for form in ("rich", "markdown", "html"):  # the reports a person reads say it too
        assert f"Page {document['pages']} : images sans texte" in cli("audit", path, "--format", form).stdout, form


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "secret.pdf"
    path.write_bytes(b"%PDF-1.7")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    import contratcheck.extract as extraction

    monkeypatch.setattr(extraction.os, "open", refuse)  # root reads every file: refuse as a user would see it
    with pytest.raises(ExtractionError) as caught:
        read_bytes(path)
    assert caught.value.code == "permission"


def test_size_and_page_limits_from_config(cli, tmp_path):
    (tmp_path / "contratcheck.toml").write_text("[limits]\nmax-size-mb = 0.001\n", encoding="utf-8")
    (tmp_path / "gros.txt").write_text(CONTRACT, encoding="utf-8")
    document = json.loads(cli("audit", "gros.txt", "--format", "json", cwd=tmp_path).stdout)["documents"][0]
    assert document["error"]["code"] == "too-large"
    (tmp_path / "contratcheck.toml").write_text("[limits]\nmax-pages = 2\n", encoding="utf-8")
    (tmp_path / "long.pdf").write_bytes((SAMPLES / "contrat-sain.pdf").read_bytes())
    document = json.loads(cli("audit", "long.pdf", "--format", "json", cwd=tmp_path).stdout)["documents"][0]
    assert document["error"]["code"] == "too-many-pages"


SLOW_RULE = """rules:
  - id: motif-lent
    severity: info
    title: Motif lent
    condition: Un motif qui explose sur une suite de « a ».
    kind: forbidden
    match: {pattern: "(a|aa)+b"}
    message: Motif lent.
    why: Tester la limite de temps.
    demand: Rien.
    question: Rien ?
    examples:
      fires: [aab]
      passes: [rien]
"""


def test_time_limit_names_the_rule_and_the_batch_goes_on(cli, tmp_path):
    (tmp_path / "regle.yaml").write_text(SLOW_RULE, encoding="utf-8")
    (tmp_path / "piege.txt").write_text("Le Client : " + "a" * 60 + " c\n", encoding="utf-8")
    (tmp_path / "normal.txt").write_text("Contrat entre le Prestataire et le Client, sans rien de plus.\n", encoding="utf-8")
    started = time.monotonic()
    result = cli("audit", "piege.txt", "normal.txt", "--rules", "regle.yaml", "--timeout", "2", "--format", "json", "--jobs", "1",
                 cwd=tmp_path)
    assert time.monotonic() - started < 30
    documents = json.loads(result.stdout)["documents"]
    assert documents[0]["error"]["code"] == "timeout" and "motif-lent" in documents[0]["error"]["message"]
    assert documents[1]["status"] == "ok" and result.returncode == 2


def test_catastrophic_pattern_is_refused_at_load_time(cli, tmp_path):
    (tmp_path / "regle.yaml").write_text(SLOW_RULE.replace("(a|aa)+b", "(\\\\w+\\\\s?)+$"), encoding="utf-8")
    result = cli("rules", "test", "regle.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "à risque" in result.stderr and "motif-lent" in result.stderr


def test_ctrl_c_reports_what_was_done(tmp_path):
    from conftest import _entry_point

    (tmp_path / "regle.yaml").write_text(SLOW_RULE, encoding="utf-8")
    (tmp_path / "a-normal.txt").write_text("Contrat entre le Prestataire et le Client, sans rien de plus.\n", encoding="utf-8")
    for number in range(3):
        (tmp_path / f"b-piege{number}.txt").write_text("Le Client : " + "a" * 60 + " c\n", encoding="utf-8")
    cache = tmp_path / "cache"
    process = subprocess.Popen([_entry_point(), "audit", ".", "--rules", "regle.yaml", "--format", "json", "--jobs", "1"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1", "CONTRATCHECK_CACHE_DIR": str(cache)})
    # With one worker, a trap is read only once the normal contract's result is back: wait for the
    # trap's text to reach the extraction cache (an event, not a delay), then interrupt.
    trap = hashlib.sha256(("Le Client : " + "a" * 60 + " c\n").encode()).hexdigest()
    deadline = time.monotonic() + 60
    while not list(cache.rglob(f"{trap}*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in stderr
    payload = json.loads(stdout)
    assert [d["path"] for d in payload["documents"]] == ["a-normal.txt"]
    assert any("interrompu" in n for n in payload["notices"])


def test_path_given_twice_is_audited_once(cli):
    result = cli("audit", SAMPLES / "contrat-sain.txt", SAMPLES / "contrat-sain.txt", "--format", "json")
    payload = json.loads(result.stdout)
    assert len(payload["documents"]) == 1 and any("plusieurs fois" in n for n in payload["notices"])
