"""`contratcheck extract`: the normalized text the rules read, with provenance markers."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from contratcheck.cli.app import app
from contratcheck.cli.common import NO_CACHE, OCR, PASSWORD, TIMEOUT, check_ocr, fail


@app.command(short_help="Afficher le texte normalisé que lisent les règles.")
def extract(
    path: Path = typer.Argument(..., metavar="FICHIER", help="Contrat dont afficher le texte normalisé.", show_default=False),
    password: str = PASSWORD,
    ocr: bool = OCR,
    no_cache: bool = NO_CACHE,
    timeout: float = TIMEOUT,
) -> None:
    """Afficher le texte normalisé d'un contrat, tel que les règles le lisent.

    Le texte va sur la sortie standard, identique caractère pour caractère à celui dont le rapport
    JSON cite les positions (start, end) ; les repères de page et de section vont sur la sortie
    d'erreur, entre les paragraphes, pour qu'ils n'en décalent pas les positions.
    """
    from contratcheck import service
    from contratcheck.errors import ConfigError, ContratcheckError

    check_ocr(ocr)
    try:
        document = service.document(path, service.Choices(password=password, ocr=ocr, cache=not no_cache, timeout=timeout))
    except ConfigError as exc:
        raise fail(exc.message) from None
    except ContratcheckError as exc:
        raise fail(f"{path} : {exc.message}") from None
    previous = None
    anchors = list(document.anchors)
    for index, anchor in enumerate(anchors):
        end = anchors[index + 1].start if index + 1 < len(anchors) else len(document.text)
        marker = _marker(anchor)
        if marker != previous:
            sys.stdout.flush()
            typer.echo(marker, err=True)
            sys.stderr.flush()
            previous = marker
        sys.stdout.write(document.text[anchor.start:end])
    sys.stdout.write("\n")


def _marker(anchor) -> str:
    """"[page 2 · Article 5 – …]" for a PDF; "[Article 5 – …]" elsewhere, a text file's line being
    given where its section starts (a marker per line would bury the text)."""
    where = [f"page {anchor.page}"] if anchor.page is not None else []
    place = anchor.section or anchor.label
    return f"[{' · '.join(where + [place] if place else where) or 'début du document'}]"
