"""Optional French OCR of image-only PDF pages: PDFium renders, Tesseract (`fra`) reads.

A page is rendered at 300 dpi, within a pixel budget (`max_render_megapixels`): a larger page is
rendered only where something is drawn, and scaled down if that is still too large, so that a
huge page box costs what its scan holds, not gigabytes. The image goes to Tesseract on its standard
input and the text comes back on its standard output: no file holds the contract's text. Tesseract
runs with a private, temporary TMPDIR, its memory bounded, and dies with the process that started
it (a worker killed past the time limit leaves no Tesseract running on).

Tesseract's default OpenMP threads fight over the cores of a small machine and read a page far more
slowly than one thread does, hence OMP_THREAD_LIMIT=1; batches get their parallelism from worker
processes.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from contratcheck.errors import ExtractionError
from contratcheck.model import Limits

INSTALL = ("Pour lire les PDF numérisés, installez Tesseract et sa langue française "
           "(Debian, Ubuntu : sudo apt-get install tesseract-ocr tesseract-ocr-fra ; macOS : brew install tesseract "
           "tesseract-lang) et le module Python pytesseract (pip install 'contratcheck[ocr]').")
DPI = 300
_MAX_DEVICE = 2**30  # PDFium takes the full page's size in pixels as a C int, even for a cropped render
_MARGIN = 2.0  # points kept around the drawn area, so that rounding never cuts a letter
_FOLDER = "contratcheck-ocr-"  # + the owning process id: a folder left by a killed worker is found again
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def read_page(page, limits: Limits | None = None) -> str:
    """The text of one pypdfium2 page, read from its image."""
    limits = limits or Limits()
    bitmap = render(page, limits.max_render_megapixels)
    if bitmap is None:  # nothing drawn on the page
        return ""
    image = io.BytesIO()
    bitmap.to_pil().save(image, "PPM")  # a grayscale PGM: no compression to wait for, Leptonica reads it
    del bitmap
    return _tesseract(image.getbuffer(), limits)


def render(page, megapixels: float):
    """The page in grayscale at 300 dpi (a PdfBitmap) or, past `megapixels` million pixels, its drawn
    area only, at the scale that fits; None when nothing is drawn within the page."""
    width, height = page.get_size()
    scale, budget = DPI / 72, megapixels * 1e6
    if math.ceil(width * scale) * math.ceil(height * scale) <= budget:
        return page.render(scale=scale, grayscale=True)  # every ordinary page, exactly as it always was
    crop = _margins(page, width, height)
    if crop is None:
        return None
    shown = (width - crop[0] - crop[2], height - crop[1] - crop[3])
    scale = min(scale, math.sqrt(budget / (shown[0] * shown[1])), _MAX_DEVICE / max(width, height))
    for _ in range(100):  # render() rounds each side up: leave it room
        if (math.ceil(shown[0] * scale) + 1) * (math.ceil(shown[1] * scale) + 1) <= budget:
            break
        scale *= 0.99
    if min(shown) * scale < 2:  # a budget too small to show anything
        return None
    return page.render(scale=scale, crop=crop, grayscale=True)


def _margins(page, width: float, height: float) -> tuple[float, float, float, float] | None:
    """What to cut from the left, bottom, right and top of the rendered page (in points) to keep
    only the area its objects cover; None if they cover nothing within the page."""
    import ctypes

    import pypdfium2.raw as raw

    drawn = _drawn(page)
    if drawn is None:
        return None
    factor = min(1.0, _MAX_DEVICE / max(width, height))
    size = (max(1, int(width * factor)), max(1, int(height * factor)))
    device = ctypes.c_int(), ctypes.c_int()
    xs, ys = [], []
    for x, y in ((drawn[0], drawn[1]), (drawn[2], drawn[3]), (drawn[0], drawn[3]), (drawn[2], drawn[1])):
        raw.FPDF_PageToDevice(page.raw, 0, 0, *size, 0, x, y, *map(ctypes.byref, device))  # the page's rotation applies
        xs.append(device[0].value)
        ys.append(device[1].value)
    margin = _MARGIN * factor
    left, right = max(0.0, min(xs) - margin), min(float(size[0]), max(xs) + margin)
    top, bottom = max(0.0, min(ys) - margin), min(float(size[1]), max(ys) + margin)
    if right - left < 1 or bottom - top < 1:
        return None
    return left / factor, (size[1] - bottom) / factor, (size[0] - right) / factor, top / factor


def _drawn(page) -> tuple[float, float, float, float] | None:
    """The rectangle (left, bottom, right, top, in PDF user space) that the page's objects cover."""
    import ctypes

    import pypdfium2.raw as raw

    box = [ctypes.c_float() for _ in range(4)]
    lefts: list[float] = []
    bottoms: list[float] = []
    rights: list[float] = []
    tops: list[float] = []
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        if raw.FPDFPageObj_GetBounds(raw.FPDFPage_GetObject(page.raw, index), *map(ctypes.byref, box)):
            for edges, value in zip((lefts, bottoms, rights, tops), box):
                edges.append(value.value)
    return (min(lefts), min(bottoms), max(rights), max(tops)) if lefts else None


def _tesseract(image: memoryview, limits: Limits) -> str:
    """Tesseract's French reading of a PGM image, through pipes only."""
    import pytesseract

    command = [pytesseract.pytesseract.tesseract_cmd, "stdin", "stdout", "-l", "fra"]
    with _private_folder() as folder:
        environment = {**os.environ, "TMPDIR": folder}
        environment.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            done = subprocess.run(command, input=image, capture_output=True, cwd=folder, env=environment,
                                  preexec_fn=_bound(limits.memory_megabytes), timeout=limits.timeout or None)
        except OSError:
            raise ExtractionError(f"OCR impossible : le programme tesseract ne démarre pas. {INSTALL}", "ocr-unavailable") from None
        except subprocess.TimeoutExpired:  # only without worker processes: a worker is stopped from outside
            raise ExtractionError(f"OCR arrêtée au bout de {limits.timeout:g} s sur une page : document anormalement long "
                                  "(limite réglable : timeout dans la configuration, ou --timeout).", "timeout") from None
    if done.returncode:
        raise _failure(done.returncode, done.stderr.decode("utf-8", "replace"), limits.memory_megabytes)
    return done.stdout.decode("utf-8", "replace")


def _failure(code: int, errors: str, megabytes: float) -> ExtractionError:
    if "bad_alloc" in errors or code in (-signal.SIGABRT, 128 + signal.SIGABRT):
        return ExtractionError(f"OCR arrêtée : la lecture d'une page demande plus de {megabytes:g} Mo de mémoire "
                               "(limite réglable : memory-mb dans [limits]).", "memory")
    return ExtractionError("OCR impossible : Tesseract n'a pas pu lire l'image d'une page (code "
                           f"{code}). Demandez le document d'origine.", "ocr-failed")


@contextmanager
def _private_folder() -> Iterator[str]:
    """A temporary folder only this user can open (mkdtemp: 0700), removed afterwards. A worker
    killed meanwhile cannot remove its own: the next OCR removes the folders of dead processes."""
    _sweep()
    folder = tempfile.mkdtemp(prefix=f"{_FOLDER}{os.getpid()}-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sweep() -> None:
    if os.name != "posix":
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{_FOLDER}*"):
        owner = folder.name.removeprefix(_FOLDER).partition("-")[0]
        try:
            if owner.isdigit() and folder.lstat().st_uid == os.getuid():
                os.kill(int(owner), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive but not ours to signal, or gone meanwhile
            continue


def _bound(megabytes: float) -> Callable[[], None] | None:
    """What the Tesseract process does before it starts: die with this process (Linux), and hold
    no more than `megabytes` of data. Everything is prepared here: after fork, only calls."""
    if os.name != "posix":
        return None
    import resource

    parent = os.getpid()
    prctl = None
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = int(megabytes * 1024 * 1024)
    limit = min(limit, hard) if hard != resource.RLIM_INFINITY else limit
    limit = min(limit, soft) if soft != resource.RLIM_INFINITY else limit

    def setup() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # this process died before the request took effect
            os._exit(1)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))

    return setup
