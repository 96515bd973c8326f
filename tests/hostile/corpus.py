"""One folder of hostile files beside good contracts, shared by the one-run test and bench/hostile.py.

`build(folder)` writes them and returns, for each file name, the code its report must carry (None:
a good contract, audited as usual).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
GOOD = ("contrat-sain.pdf", "contrat-risque.docx", "contrat-gtr-intervention.txt")


def build(folder: Path) -> dict[str, str | None]:
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}
    for name in GOOD:
        shutil.copy(SAMPLES / name, folder / name)
        expected[name] = None
    expected.update(_files(folder))
    expected.update(_links_and_pipes(folder))
    expected.update(_docx(folder))
    return expected


def _files(folder: Path) -> dict[str, str | None]:
    (folder / "vide.txt").write_bytes(b"")
    (folder / "tronque.pdf").write_bytes((SAMPLES / "contrat-sain.pdf").read_bytes()[:3000])
    (folder / "notes.md").write_text("# Offres\n\nLes offres reçues pour la consultation.\n", encoding="utf-8")
    line = "Le Prestataire assure la maintenance du parc et intervient sous quatre heures. " * 10 + "\n"
    (folder / "enorme.txt").write_text(line * 25000, encoding="utf-8")  # over memory-mb = 100
    hidden = (SAMPLES / "contrat-risque.txt").read_text("utf-8").replace("mois", "m\u200eo\u2063is")
    (folder / "invisible.txt").write_text(hidden, encoding="utf-8")
    name = os.path.join(os.fsencode(folder), b"nom\xff\x1b[31m\xe2\x80\xae [final].txt")
    with open(name, "wb") as stream:
        stream.write((SAMPLES / "contrat-sain.txt").read_bytes())
    return {"vide.txt": "empty", "tronque.pdf": "corrupt", "notes.md": "not-a-contract", "enorme.txt": "memory",
            "invisible.txt": None, os.fsdecode(os.path.basename(name)): None}


def _links_and_pipes(folder: Path) -> dict[str, str | None]:
    os.mkfifo(folder / "tube.pdf")
    (folder / "casse.pdf").symlink_to(folder / "absent.pdf")
    (folder / "boucle.pdf").symlink_to(folder / "boucle.pdf")
    (folder / "peripherique.pdf").symlink_to("/dev/zero")
    return {"tube.pdf": "unsupported", "casse.pdf": "broken-link", "boucle.pdf": "link-loop",
            "peripherique.pdf": "unsupported"}


def _docx(folder: Path) -> dict[str, str | None]:
    """A DOCX whose zip directory under-declares a part of zeros far over max-zip-mb."""
    path = folder / "bombe.docx"
    with zipfile.ZipFile(SAMPLES / "contrat-sain.docx") as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as stream:
            for _ in range(60):  # over max-zip-mb = 50
                stream.write(b"\0" * 1_000_000)
        out.getinfo("word/document.xml").file_size = 1000  # what the directory says
    return {"bombe.docx": "too-large"}
