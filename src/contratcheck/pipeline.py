"""One document from path to DocumentResult: every failure becomes a status, never an exception."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from contratcheck import cache
from contratcheck.engine.run import audit_document
from contratcheck.errors import ExtractionError, NoTextError
from contratcheck.extract import read_bytes, read_extraction
from contratcheck.model import DocumentResult, ErrorInfo, Extraction, Rule, Status
from contratcheck.text.assemble import build_document


def _extraction(path: Path, use_cache: bool) -> Extraction:
    data = read_bytes(path)
    if not use_cache:
        return read_extraction(path, data)
    key = cache.digest(data) + path.suffix.lower()  # the suffix tells TXT from MD
    cached = cache.load(key)
    if cached is None:
        cached = read_extraction(path, data)
        cache.store(key, cached)
    return cached


def audit_file(path: Path, display: str, rules: tuple[Rule, ...], *,
               thresholds: Mapping[str, float] | None = None, use_cache: bool = False) -> DocumentResult:
    try:
        document = build_document(display, _extraction(path, use_cache))
    except NoTextError as exc:
        return DocumentResult(display, None, Status.NO_TEXT, ErrorInfo(exc.code, exc.message), None)
    except ExtractionError as exc:
        return DocumentResult(display, None, Status.ERROR, ErrorInfo(exc.code, exc.message), None)
    except Exception as exc:  # noqa: BLE001 - a batch must survive any unexpected file
        message = f"Erreur inattendue pendant la lecture ({type(exc).__name__}) : merci de signaler ce fichier."
        return DocumentResult(display, None, Status.ERROR, ErrorInfo("internal", message), None)
    if not document.text.strip():
        info = ErrorInfo("no-text", "Le document ne contient aucun texte lisible.")
        return DocumentResult(display, document.format, Status.NO_TEXT, info, document.pages)
    findings = audit_document(document, rules, thresholds)
    return DocumentResult(display, document.format, Status.OK, None, document.pages, findings)
