"""Extraction stage: a file on disk to a Document with provenance, whatever its format."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from contratcheck.errors import ExtractionError
from contratcheck.extract.sniff import sniff
from contratcheck.model import Document, Extraction, Format, Limits
from contratcheck.text.assemble import build_document

# Folders also yield the formats we cannot read, so the report says how to convert them.
SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".markdown", ".text", ".doc", ".odt", ".rtf"}
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a pipe must not wait for a writer: it is refused
_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows must not translate line ends
_CHUNK = 1 << 20
_DIRECTORY = "C'est un dossier, pas un fichier."


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """The file's bytes, never more than max-size-mb of them whatever its size claims (/proc files
    say 0); a device, a pipe or a socket is refused without being read: it may never end."""
    limit = (limits or Limits()).max_megabytes
    try:
        _refuse_special(os.stat(path).st_mode)  # before opening: opening some devices acts on them
        with open(os.open(path, _FLAGS), "rb", buffering=0) as stream:
            status = os.fstat(stream.fileno())
            _refuse_special(status.st_mode)  # replaced since the first look
            if _NONBLOCK:
                os.set_blocking(stream.fileno(), True)
            return _read_at_most(stream, status.st_size, limit)
    except IsADirectoryError:
        raise ExtractionError(_DIRECTORY, "unsupported") from None
    except FileNotFoundError:
        raise ExtractionError("Fichier introuvable.", "not-found") from None
    except PermissionError:
        raise ExtractionError("Lecture refusée : vérifiez les droits d'accès au fichier.", "permission") from None
    except OSError as exc:
        raise ExtractionError(f"Lecture impossible ({exc.strerror}).", "unreadable") from None


def _refuse_special(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ExtractionError(_DIRECTORY, "unsupported")
    if not stat.S_ISREG(mode):
        raise ExtractionError("Ce n'est pas un fichier ordinaire (tube, périphérique…) : il n'a pas été lu.", "unsupported")


def _read_at_most(stream: BinaryIO, size: int, limit: float) -> bytes:
    """At most limit megabytes + 1 byte, in chunks: the first one the size the file states, so that
    an ordinary file comes in one piece, never copied."""
    most = int(limit * 1_000_000)
    if size > most:
        raise ExtractionError(f"Fichier de {size / 1e6:.0f} Mo, au-delà de la limite de {limit:g} Mo "
                              "(option de configuration max-size-mb).", "too-large")
    chunks: list[bytes] = []
    total, want = 0, size + 1
    while total <= most and (chunk := stream.read(min(want, most + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
        want = _CHUNK
    if total > most:
        raise ExtractionError(f"Fichier de plus de {limit:g} Mo, au-delà de la limite "
                              "(option de configuration max-size-mb).", "too-large")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_extraction(path: Path, data: bytes | None = None, *, password: str | None = None, ocr: bool = False,
                    limits: Limits | None = None) -> Extraction:
    """Raw blocks of `path`; readers are imported lazily so start-up stays fast."""
    limits = limits or Limits()
    if data is None:
        data = read_bytes(path, limits)
    fmt = sniff(path, data[:2048], data)
    if fmt is Format.PDF:
        from contratcheck.extract.pdf import extract_pdf

        return extract_pdf(data, password, ocr, limits=limits)
    if fmt is Format.DOCX:
        from contratcheck.extract.docx import extract_docx

        return extract_docx(data, limits)
    from contratcheck.extract.text import extract_text

    return extract_text(data, fmt)


def extract(path: Path, display: str | None = None) -> Document:
    """The Document of the file at `path`; `display` is the path shown to the user."""
    return build_document(display or str(path), read_extraction(path))
