"""Hostile files at the reading stage: a zip that lies about its sizes, huge or deeply nested DOCX
XML, DTDs hidden by padding or an encoding, devices and pipes. Each is refused (or read) in bounded
time and memory, with a stable code and a French message."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import SAMPLES, _entry_point
from contratcheck.errors import ExtractionError
from contratcheck.extract import read_bytes, read_extraction
from contratcheck.model import Limits

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MB = 1_000_000
CAP = 3 << 30  # address space of a child process: a regression fails, it does not swallow the machine


def docx(path: Path, parts: dict[str, Iterable[bytes]], declared: dict[str, int] | None = None,
         method: int = zipfile.ZIP_DEFLATED) -> Path:
    """The sample contract with `parts` replaced, each written as a stream of chunks (never whole
    in memory); `declared` sizes go to the central directory instead of the true ones."""
    with zipfile.ZipFile(SAMPLES / "contrat-sain.docx") as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in parts:
                out.writestr(info.filename, source.read(info))
        for name, chunks in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with out.open(info, "w") as stream:
                for chunk in chunks:
                    stream.write(chunk)
            if declared and name in declared:
                out.getinfo(name).file_size = declared[name]  # what the directory will say
    return path


def zeros(size: int) -> Iterator[bytes]:
    for _ in range(size // MB):
        yield b"\0" * MB


def paragraphs(size: int, text: str = "Le prestataire assure la maintenance des serveurs.", root: str = "w:document",
               body: bool = True) -> Iterator[bytes]:
    """About `size` bytes of valid WordprocessingML, marked up the way Word does."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><{root} {W}>{"<w:body>" if body else ""}'.encode()
    paragraph = ('<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr><w:spacing w:after="120"/><w:jc w:val="both"/>'
                 '</w:pPr><w:r w:rsidRPr="00D4E5F6"><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/>'
                 f'<w:lang w:val="fr-FR"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>').encode()
    block = paragraph * max(1, 100_000 // len(paragraph))
    for _ in range(max(1, size // len(block))):
        yield block
    yield f'{"</w:body>" if body else ""}</{root}>'.encode()


def in_child(path: Path, **limits: float) -> dict:
    """read_extraction of `path` in a child process with bounded address space and time: its code
    (None if read) and texts, and its peak memory in MB ("peak")."""
    code = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from contratcheck.errors import ExtractionError\n"
        "from contratcheck.extract import read_extraction\n"
        "from contratcheck.model import Limits\n"
        "try:\n"
        f"    blocks = read_extraction(Path(sys.argv[1]), limits=Limits(**{limits!r})).blocks\n"
        "    out = {'code': None, 'texts': [b.text or ' | '.join(b.cells) for b in blocks]}\n"
        "except ExtractionError as exc:\n"
        "    out = {'code': exc.code, 'message': exc.message}\n"
        "except MemoryError:\n"
        "    out = {'code': 'MemoryError'}\n"
        "out['peak'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP)))
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def baseline() -> float:
    """Peak memory (MB) of the same child reading the sample contract: what any reading costs."""
    return in_child(SAMPLES / "contrat-sain.docx")["peak"]


# 1. A part whose central directory under-declares its size

def test_a_part_under_declaring_its_size_is_stopped_at_the_limit(tmp_path, baseline):
    path = docx(tmp_path / "menteur.docx", {"word/document.xml": zeros(40 * MB)}, {"word/document.xml": 4096})
    assert path.stat().st_size < MB
    result = in_child(path, max_zip_megabytes=10)
    assert result["code"] == "too-large"
    assert "10 Mo" in result["message"] and "max-zip-mb" in result["message"]
    assert result["peak"] < baseline + 15  # decompressed while counting, never held


def test_the_limit_holds_for_all_the_parts_read_together(tmp_path):
    parts = {"word/document.xml": paragraphs(6 * MB), "word/footnotes.xml": paragraphs(6 * MB, root="w:footnotes", body=False)}
    path = docx(tmp_path / "notes.docx", parts, {name: 1000 for name in parts})
    with pytest.raises(ExtractionError) as caught:
        read_extraction(path, limits=Limits(max_zip_megabytes=10))
    assert caught.value.code == "too-large"
    # Within the limit, sizes the directory states wrongly do not matter: the true content is read.
    assert read_extraction(path, limits=Limits(max_zip_megabytes=20)).blocks


# 2. A real huge document.xml

def test_a_part_just_over_the_limit_is_too_large(tmp_path):
    path = docx(tmp_path / "gros.docx", {"word/document.xml": paragraphs(int(1.2 * MB))})
    with pytest.raises(ExtractionError) as caught:
        read_extraction(path, limits=Limits(max_zip_megabytes=1))
    assert caught.value.code == "too-large" and "max-zip-mb" in caught.value.message
    assert read_extraction(path, limits=Limits(max_zip_megabytes=3)).blocks  # with the styles, pictures…


def test_a_huge_document_xml_is_read_as_a_stream(tmp_path, baseline):
    """20 MB of markup once made a tree of about 250 MB; the body is now read one paragraph at a time."""
    path = docx(tmp_path / "balisage.docx", {"word/document.xml": paragraphs(20 * MB, text=" ")})
    result = in_child(path)
    assert result["code"] is None
    assert result["peak"] < baseline + 40


# 3. Nested tables

def nested_tables(depth: int) -> list[bytes]:
    def paragraph(text: str) -> str:
        return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"

    opening = "".join(f"<w:tbl><w:tr><w:tc>{paragraph(f'niveau {n}')}" for n in range(depth))
    closing = "".join(f"</w:tc><w:tc>{paragraph(f'voisin {n}')}</w:tc></w:tr></w:tbl>" for n in reversed(range(depth)))
    return [f'<w:document {W}><w:body>{paragraph("Contrat")}{opening}{closing}</w:body></w:document>'.encode()]


def test_nested_tables_give_each_cell_once_as_tables_of_their_own(tmp_path):
    blocks = read_extraction(docx(tmp_path / "gigognes.docx", {"word/document.xml": nested_tables(3)})).blocks
    rows = [(b.cells, b.table) for b in blocks if b.kind == "row"]
    assert rows == [(("niveau 0", "voisin 0"), 1), (("niveau 1", "voisin 1"), 2), (("niveau 2", "voisin 2"), 3)]


def test_four_hundred_nested_tables_cost_linear_time_and_memory(tmp_path, baseline):
    path = docx(tmp_path / "gigognes.docx", {"word/document.xml": nested_tables(400)})
    assert path.stat().st_size < 60_000
    result = in_child(path)
    assert result["code"] is None
    text = "\n".join(result["texts"])
    assert all(text.count(f"niveau {n} |") == 1 for n in range(400))
    assert len(text) < 20_000 and result["peak"] < baseline + 15


def test_nesting_too_deep_to_read_is_a_coded_error(tmp_path):
    deep = f'<w:document {W}><w:body>' + "<w:sdt><w:sdtContent>" * 5000 + "<w:p><w:r><w:t>fond</w:t></w:r></w:p>"
    deep += "</w:sdtContent></w:sdt>" * 5000 + "</w:body></w:document>"
    with pytest.raises(ExtractionError) as caught:
        read_extraction(docx(tmp_path / "profond.docx", {"word/document.xml": [deep.encode()]}))
    assert caught.value.code == "corrupt" and "imbriqués" in caught.value.message


# 4. Devices, pipes, and files whose size says nothing

def audit_json(tmp_path: Path, target: str) -> tuple[int, dict]:
    (tmp_path / "contratcheck.toml").write_text("[limits]\nmax-size-mb = 1\n", encoding="utf-8")
    result = subprocess.run([_entry_point(), "audit", target, "--format", "json"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"},
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP)))
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)["documents"][0]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_character_device_is_refused_unread(tmp_path):
    returncode, document = audit_json(tmp_path, "/dev/zero")
    assert returncode == 2 and document["status"] == "error"
    assert document["error"]["code"] == "unsupported" and "fichier ordinaire" in document["error"]["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "tube.txt")
    returncode, document = audit_json(tmp_path, "tube.txt")
    assert returncode == 2 and document["error"]["code"] == "unsupported"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_reading_a_character_device_refuses_it_unread():
    """The reading stage itself refuses it, whoever calls it (not only the audit's pipeline)."""
    result = in_child(Path("/dev/zero"), max_megabytes=1)
    assert result["code"] == "unsupported" and "fichier ordinaire" in result["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_reading_a_named_pipe_refuses_it_at_once(tmp_path):
    pipe = tmp_path / "tube.docx"
    os.mkfifo(pipe)
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(read_bytes, pipe)
        try:
            error = reading.exception(timeout=10)
        except TimeoutError:
            with open(pipe, "wb"):  # let the blocked reader go
                pass
            pytest.fail("read_bytes waits for a writer")
    assert isinstance(error, ExtractionError) and error.code == "unsupported"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_reading_stops_at_the_limit_whatever_the_size_the_file_states():
    path = Path("/proc/self/status")  # a regular file of size 0 holding about a kilobyte
    assert path.stat().st_size == 0
    with pytest.raises(ExtractionError) as caught:
        read_bytes(path, Limits(max_megabytes=0.0001))
    assert caught.value.code == "too-large" and "max-size-mb" in caught.value.message
    assert b"Pid" in read_bytes(path)


def test_a_refused_read_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "secret.pdf"
    path.write_bytes(b"%PDF-1.7")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ExtractionError) as caught:
        read_bytes(path)
    assert caught.value.code == "permission"


# 5. DTDs and entities, whatever the encoding or the padding

SECRET = "TEXTE-DE-L-ENTITE"


def with_entity(encoding: str = "utf-8", padding: int = 0, root: str = "w:document") -> list[bytes]:
    body = "<w:body>{}</w:body>" if root == "w:document" else "{}"
    xml = (f'<?xml version="1.0" encoding="{encoding.upper()}"?><!--{" " * padding}-->'
           f'<!DOCTYPE {root} [<!ENTITY e "{SECRET}">]><{root} {W}>'
           + body.format("<w:p><w:r><w:t>Le prestataire &e; intervient.</w:t></w:r></w:p>") + f"</{root}>")
    return [xml.encode(encoding)]


@pytest.mark.parametrize(("name", "parts"), [
    ("rembourrage", {"word/document.xml": with_entity(padding=5000)}),
    ("utf16", {"word/document.xml": with_entity("utf-16")}),
    ("utf16-en-tete", {"word/header1.xml": with_entity("utf-16", root="w:hdr")}),
], ids=["padding", "utf-16", "header"])
def test_a_dtd_is_refused_whatever_the_encoding_or_padding(cli, tmp_path, name, parts):
    path = docx(tmp_path / f"{name}.docx", parts)
    with pytest.raises(ExtractionError) as caught:
        read_extraction(path)
    assert caught.value.code == "unsafe-xml" and "entités" in caught.value.message
    html = tmp_path / "rapport.html"
    result = cli("audit", path, "--format", "json", "--output", f"html={html}")
    document = json.loads(result.stdout)["documents"][0]
    assert result.returncode == 2 and document["error"]["code"] == "unsafe-xml"
    assert SECRET not in result.stdout + result.stderr + html.read_text("utf-8")


# The zip itself

def test_sniffing_reads_a_few_bytes_of_the_mimetype_whatever_its_size(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as stream:
            for chunk in zeros(50 * MB):
                stream.write(chunk)
        archive.getinfo("mimetype").file_size = 100_000
    tracemalloc.start()
    try:
        with pytest.raises(ExtractionError, match="pas un document Word"):
            read_extraction(path)
        assert tracemalloc.get_traced_memory()[1] < 5 * MB
    finally:
        tracemalloc.stop()


def test_a_part_compressed_as_word_never_does_is_refused(tmp_path):
    path = docx(tmp_path / "bzip2.docx", {"word/document.xml": paragraphs(1000)}, method=zipfile.ZIP_BZIP2)
    with pytest.raises(ExtractionError) as caught:
        read_extraction(path)
    assert caught.value.code == "corrupt" and "compressé" in caught.value.message
