"""Tell a file's format from its first bytes, never from its extension."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from contratcheck.errors import ExtractionError
from contratcheck.model import Format

_CONVERT = "Enregistrez-le au format DOCX ou PDF (Fichier > Enregistrer sous) puis relancez l'audit."


def sniff(path: Path, head: bytes, data: bytes | None = None) -> Format:
    """The format of `path` whose first bytes are `head`; raises ExtractionError if unsupported.
    A zip's directory is read from `data`, the whole file already read, when given, else from `path`."""
    if not head:
        raise ExtractionError("Le fichier est vide.", "empty")
    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path if data is None else io.BytesIO(data))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError(f"Document Word ancien format (.doc) non pris en charge. {_CONVERT}", "unsupported")
    if head.startswith(b"{\\rtf"):
        raise ExtractionError(f"Document RTF non pris en charge. {_CONVERT}", "unsupported")
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*")):
        raise ExtractionError("C'est une image (photo ou scan), pas un PDF ni un document texte : "
                              "enregistrez-la en PDF puis relancez avec --ocr.", "unsupported")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("Format de fichier non reconnu (ni PDF, ni DOCX, ni texte).", "unsupported")
    start = head.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise ExtractionError("C'est une page web (HTML), pas un contrat : le téléchargement a sans doute échoué. "
                              "Téléchargez de nouveau le document.", "wrong-format")
    if path.suffix.lower() in {".pdf", ".docx"}:
        raise ExtractionError(f"Le fichier porte l'extension {path.suffix} mais contient du texte brut : "
                              "téléchargement incomplet ou fichier renommé ? Téléchargez de nouveau le document.",
                              "wrong-format")
    return Format.MD if path.suffix.lower() in {".md", ".markdown"} else Format.TXT


def _sniff_zip(source: Path | io.BytesIO) -> Format:
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Format.DOCX
            mimetype = _mimetype(archive) if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, EOFError, zlib.error) as exc:
        raise ExtractionError(f"Archive ZIP illisible ou tronquée ({exc}).", "corrupt") from None
    if b"opendocument" in mimetype:
        raise ExtractionError(f"Document OpenDocument (.odt) non pris en charge. {_CONVERT}", "unsupported")
    raise ExtractionError("Archive ZIP qui n'est pas un document Word (DOCX).", "unsupported")


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """Its first 80 bytes only, stored or deflated: whatever size the entry truly inflates to."""
    info = archive.getinfo("mimetype")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return b""
    with archive.open(info) as stream:
        return stream.read(80)
