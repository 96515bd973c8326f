"""Extraction stage: a file on disk to a Document with provenance, whatever its format."""

from __future__ import annotations

from pathlib import Path

from contratcheck.errors import ExtractionError
from contratcheck.extract.sniff import sniff
from contratcheck.model import Document, Extraction, Format
from contratcheck.text.assemble import build_document

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".markdown", ".text"}


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise ExtractionError("C'est un dossier, pas un fichier.", "unsupported") from None
    except FileNotFoundError:
        raise ExtractionError("Fichier introuvable.", "not-found") from None
    except PermissionError:
        raise ExtractionError("Lecture refusée : vérifiez les droits d'accès au fichier.", "permission") from None
    except OSError as exc:
        raise ExtractionError(f"Lecture impossible ({exc.strerror}).", "unreadable") from None


def read_extraction(path: Path, data: bytes | None = None) -> Extraction:
    """Raw blocks of `path`; readers are imported lazily so start-up stays fast."""
    if data is None:
        data = read_bytes(path)
    fmt = sniff(path, data[:2048])
    if fmt is Format.PDF:
        from contratcheck.extract.pdf import extract_pdf

        return extract_pdf(data)
    if fmt is Format.DOCX:
        from contratcheck.extract.docx import extract_docx

        return extract_docx(data)
    from contratcheck.extract.text import extract_text

    return extract_text(data, fmt)


def extract(path: Path, display: str | None = None) -> Document:
    """The Document of the file at `path`; `display` is the path shown to the user."""
    return build_document(display or str(path), read_extraction(path))
