"""Optional French OCR of image-only PDF pages: PDFium renders, Tesseract (`fra`) reads.

Tesseract's default OpenMP threads fight over the cores of a small machine and read a page far more
slowly than one thread does, hence OMP_THREAD_LIMIT=1; batches get their parallelism from worker
processes.
"""

from __future__ import annotations

import os

from contratcheck.errors import ExtractionError

INSTALL = ("Pour lire les PDF numérisés, installez Tesseract et sa langue française "
           "(Debian, Ubuntu : sudo apt-get install tesseract-ocr tesseract-ocr-fra ; macOS : brew install tesseract "
           "tesseract-lang) et le module Python pytesseract (pip install 'contratcheck[ocr]').")
DPI = 300


def check_available() -> None:
    """Raise a French ExtractionError naming what to install when OCR cannot run here."""
    try:
        import pytesseract
    except ImportError:
        raise ExtractionError(f"OCR indisponible : le module pytesseract manque. {INSTALL}", "ocr-unavailable") from None
    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError, RuntimeError):
        raise ExtractionError(f"OCR indisponible : le programme tesseract est introuvable. {INSTALL}", "ocr-unavailable") from None
    if "fra" not in languages:
        raise ExtractionError(f"OCR indisponible : la langue française de Tesseract (fra) manque. {INSTALL}", "ocr-unavailable")


def read_page(page) -> str:
    """The text of one pypdfium2 page, read from its image."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    image = page.render(scale=DPI / 72, grayscale=True).to_pil()
    return pytesseract.image_to_string(image, lang="fra")
