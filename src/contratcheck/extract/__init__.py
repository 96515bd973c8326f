"""Extraction stage: a file on disk to a Document with provenance, whatever its format."""

from __future__ import annotations

from pathlib import Path

from contratcheck.errors import ExtractionError
from contratcheck.extract.sniff import sniff
from contratcheck.model import Document, Extraction, Format, Limits
from contratcheck.text.assemble import build_document

# Folders also yield the formats we cannot read, so the report says how to convert them.
SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".markdown", ".text", ".doc", ".odt", ".rtf"}


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    limit = (limits or Limits()).max_megabytes
    try:
        size = path.stat().st_size
        if size > limit * 1_000_000:
            raise ExtractionError(f"Fichier de {size / 1e6:.0f} Mo, au-delà de la limite de {limit:g} Mo "
                                  "(option de configuration max-size-mb).", "too-large")
        return path.read_bytes()
    except IsADirectoryError:
        raise ExtractionError("C'est un dossier, pas un fichier.", "unsupported") from None
    except FileNotFoundError:
        raise ExtractionError("Fichier introuvable.", "not-found") from None
    except PermissionError:
        raise ExtractionError("Lecture refusée : vérifiez les droits d'accès au fichier.", "permission") from None
    except OSError as exc:
        raise ExtractionError(f"Lecture impossible ({exc.strerror}).", "unreadable") from None


def read_extraction(path: Path, data: bytes | None = None, *, password: str | None = None, ocr: bool = False,
                    limits: Limits | None = None) -> Extraction:
    """Raw blocks of `path`; readers are imported lazily so start-up stays fast."""
    limits = limits or Limits()
    if data is None:
        data = read_bytes(path, limits)
    fmt = sniff(path, data[:2048])
    if fmt is Format.PDF:
        from contratcheck.extract.pdf import extract_pdf

        return extract_pdf(data, password, ocr, limits.max_pages)
    if fmt is Format.DOCX:
        from contratcheck.extract.docx import extract_docx

        return extract_docx(data, limits)
    from contratcheck.extract.text import extract_text

    return extract_text(data, fmt)


def extract(path: Path, display: str | None = None) -> Document:
    """The Document of the file at `path`; `display` is the path shown to the user."""
    return build_document(display or str(path), read_extraction(path))
