"""Hostile pages: huge page boxes for OCR and annotation, OCR past the time limit, blank PDFs, and
DOCX files python-docx cannot annotate. Each case gets a bounded cost and a French message."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from conftest import SAMPLES
from contratcheck.annotate import AnnotationError, annotate
from contratcheck.engine.loader import load_rules
from contratcheck.model import Status
from contratcheck.service.options import AuditOptions
from contratcheck.service.pipeline import audit_file
from test_hostile import scanned_pdf

LINES = ["ARTICLE 5 - SECURITE", "Le Prestataire assure la maintenance du parc du Client.",
         "Le pare-feu n'est pas inclus dans la prestation.", "Le Prestataire intervient generalement sous 24 heures."]
MB = 1024  # ru_maxrss is in kilobytes


def resized(source: Path, target: Path, width: float, height: float) -> Path:
    """`source` with every page box set to `width` x `height` points, the content where it was."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        page.mediabox = RectangleObject([0, 0, width, height])
        writer.add_page(page)
    writer.write(target)
    return target


def peak(args: list[str], env: dict[str, str] | None = None) -> tuple[str, float]:
    """Standard output of a command and the peak memory (MB) of it or any of its descendants."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    output = process.stdout.read().decode("utf-8") if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped here, not by Popen
    return output, usage.ru_maxrss / MB


def contratcheck(*args: object) -> list[str]:
    return [sys.executable, "-m", "contratcheck", *map(str, args)]


# 1. OCR of a huge page

def test_ocr_of_a_scan_on_a_huge_page_reads_it_in_bounded_memory(tmp_path):
    scan = resized(scanned_pdf(tmp_path / "scan.pdf", LINES), tmp_path / "immense.pdf", 14400, 14400)
    started = time.monotonic()
    output, megabytes = peak(contratcheck("audit", scan, "--ocr", "--format", "json", "--no-cache", "--timeout", 40))
    document = json.loads(output)["documents"][0]
    assert document["status"] == "ok", document["error"]
    assert any(f["rule"] == "delai-non-engageant" for f in document["findings"])  # the scan was read at full size
    assert megabytes < 700 and time.monotonic() - started < 30


def test_render_never_exceeds_the_pixel_budget(tmp_path):
    from PIL import Image

    from contratcheck.extract.ocr import render

    path = tmp_path / "etire.pdf"  # a small scan stretched over a 14400 x 20365 pt page
    Image.new("L", (1654, 2339), 255).save(path, "PDF", resolution=1654 * 72 / 14400)
    page = pdfium.PdfDocument(path)[0]
    assert page.get_width() > 14000
    bitmap = render(page, 2)
    assert bitmap is not None and bitmap.width * bitmap.height <= 2_000_000 and bitmap.height > bitmap.width > 1000
    normal = pdfium.PdfDocument(scanned_pdf(tmp_path / "a4.pdf", LINES))[0]
    bitmap = render(normal, 40)
    assert bitmap is not None and (bitmap.width, bitmap.height) == normal.render(scale=300 / 72).to_pil().size


# 2. Annotation of a huge page

@pytest.fixture(scope="module")
def absurd_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("immense")
    return resized(SAMPLES / "contrat-risque.pdf", folder / "immense.pdf", 2e9, 2e9)


def test_the_audit_of_an_absurd_page_stays_cheap(absurd_pdf):
    _, usual = peak(contratcheck("audit", SAMPLES / "contrat-risque.pdf", "--format", "json", "--no-cache"))
    output, megabytes = peak(contratcheck("audit", absurd_pdf, "--format", "json", "--no-cache"))
    document = json.loads(output)["documents"][0]
    assert document["status"] == "ok" and document["findings"]
    assert megabytes < usual + 100  # PDFium's text reader took 500 MB more for each page


def test_annotation_refuses_an_absurd_page(absurd_pdf, tmp_path):
    result = audit_file(absurd_pdf, "immense.pdf", load_rules([], default=True), AuditOptions(use_cache=False))
    assert result.status is Status.OK
    with pytest.raises(AnnotationError) as caught:
        annotate(result, absurd_pdf, tmp_path / "annote.pdf")
    assert re.search(r"page 1 mesure .*km.* norme PDF", caught.value.message)
    assert not (tmp_path / "annote.pdf").exists()


def test_cli_annotation_of_an_absurd_page_exits_2(cli, absurd_pdf, tmp_path):
    done = cli("audit", absurd_pdf, "--annoter", tmp_path / "annote.pdf", "--format", "json", "--no-cache")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "pas de copie annotée" in done.stderr and not (tmp_path / "annote.pdf").exists()


# 3. OCR past the time limit

def _tesseracts(folder: Path) -> list[int]:
    """Live tesseract processes whose environment points into `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or (entry / "comm").read_text().strip() != "tesseract":
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z" and \
                    f"TMPDIR={folder}".encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:  # gone meanwhile
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_ocr_past_the_timeout_leaves_no_tesseract_and_no_text_behind(cli, tmp_path):
    lines = [f"{number}. Le Prestataire intervient generalement sous 24 heures ouvrees." for number in range(36)]
    scan = scanned_pdf(tmp_path / "scan.pdf", lines, pages=2)
    temp = tmp_path / "tmp"
    temp.mkdir()
    done = cli("audit", scan, "--ocr", "--timeout", "1", "--format", "json", "--no-cache", env={"TMPDIR": str(temp)})
    assert json.loads(done.stdout)["documents"][0]["error"]["code"] == "timeout"
    deadline = time.monotonic() + 0.3  # a killed process takes a moment to go
    while _tesseracts(temp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _tesseracts(temp) == []
    assert [p.name for p in temp.rglob("tess_*")] == []
    for left in temp.iterdir():  # at most the empty private folder of the killed worker
        assert left.is_dir() and not any(left.iterdir()) and left.stat().st_mode & 0o077 == 0


# 4. Blank PDF

def test_a_blank_pdf_is_not_called_a_scan(cli, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_page()
    pdf.output(str(tmp_path / "blanc.pdf"))
    scanned_pdf(tmp_path / "scan.pdf", LINES)
    documents = json.loads(cli("audit", tmp_path, "--format", "json", "--no-cache").stdout)["documents"]
    blank, scan = (next(d for d in documents if d["path"].endswith(name)) for name in ("blanc.pdf", "scan.pdf"))
    assert blank["status"] == "no-text" and blank["error"]["code"] == "no-text"
    assert "--ocr" not in blank["error"]["message"] and "numérisé" not in blank["error"]["message"]
    assert "ni texte ni image" in blank["error"]["message"]
    assert scan["status"] == "no-text" and "--ocr" in scan["error"]["message"]


# 5. DOCX python-docx cannot annotate

def _rewritten(target: Path, change) -> Path:
    with zipfile.ZipFile(SAMPLES / "contrat-risque.docx") as original, zipfile.ZipFile(target, "w") as out:
        for item in original.infolist():
            data = change(item.filename, original.read(item), original)
            if data is not None:
                out.writestr(item.filename, data)
    return target


def _header_only(name: str, data: bytes, original: zipfile.ZipFile) -> bytes:
    """The body's paragraphs moved into the header; the body keeps only its section properties."""
    if name == "word/document.xml":
        return re.sub(rb"(<w:body>).*?(<w:sectPr)", rb"\1\2", data, flags=re.S)
    if name == "word/header1.xml":
        body = re.search(rb"<w:body>(.*?)<w:sectPr", original.read("word/document.xml"), re.S)
        assert body
        return re.sub(rb"(<w:hdr[^>]*>).*(</w:hdr>)", lambda m: m.group(1) + body.group(1) + m.group(2), data, flags=re.S)
    return data


@pytest.mark.parametrize("change, says", [
    (lambda name, data, _: None if name == "[Content_Types].xml" else data, "[Content_Types].xml"),
    (_header_only, "en-tête"),
], ids=["sans-content-types", "texte-en-entete"])
def test_docx_python_docx_cannot_annotate_gets_a_french_refusal(cli, tmp_path, change, says):
    source = _rewritten(tmp_path / "contrat.docx", change)
    done = cli("audit", source, "--annoter", tmp_path / "annote.docx", "--format", "json", "--no-cache")
    assert json.loads(done.stdout)["documents"][0]["status"] == "ok"
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "pas de copie annotée" in done.stderr and says in done.stderr
    assert not (tmp_path / "annote.docx").exists()
