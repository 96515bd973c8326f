"""The annotated DOCX: a Word comment on each finding's evidence. The points the contract lacks, and
passages not found in the body (headers, footers, notes, text boxes), are comments on its first
paragraph, after an overview. The text is left as it was: runs are only cut where a comment starts
or ends."""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from contratcheck.annotate.notes import AUTHOR, Annotated, AnnotationError, counts, distinct, folded_key, note
from contratcheck.model import DocumentResult, Evidence, Finding
from contratcheck.report.common import DISCLAIMER

if TYPE_CHECKING:  # python-docx is imported only when a copy is asked for
    from docx.document import Document
    from docx.oxml.text.run import CT_R, CT_Text
    from docx.oxml.xmlchemy import BaseOxmlElement

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Deleted or moved-away text, and text boxes (Word anchors no comment inside one), are passed over.
_SKIPPED = {W + "del", W + "moveFrom", W + "txbxContent", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def write_docx(result: DocumentResult, source: Path, stream: BinaryIO) -> Annotated:
    """Write the commented copy of the DOCX `source` to `stream`."""
    try:
        return _write(result, source, stream)
    except AnnotationError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds of errors on unusual files
        raise AnnotationError(f"pas de copie annotée : ce DOCX n'a pas pu être recopié ({type(exc).__name__}) ; "
                              "le rapport, lui, est complet.") from None


def _open(source: Path) -> Document:
    import docx

    try:
        return docx.Document(str(source))
    except KeyError as exc:  # zipfile: "There is no item named '…' in the archive"
        part = str(exc.args[0]).split("'")[1] if "'" in str(exc.args[0]) else "?"
        raise AnnotationError(f"pas de copie annotée : ce DOCX n'a pas de partie {part}, obligatoire dans le format "
                              "(fichier incomplet, ou produit par un outil non conforme) ; réenregistrez-le avec Word ou "
                              "LibreOffice, puis relancez. Le rapport, lui, est complet.") from None


def _write(result: DocumentResult, source: Path, stream: BinaryIO) -> Annotated:
    document = _open(source)
    body = document.element.body
    if next(_texts(body), None) is None:
        raise AnnotationError("pas de copie annotée : le corps de ce DOCX ne contient aucun texte (il est tout entier dans "
                              "l'en-tête, le pied de page ou des zones de texte), or Word n'accroche ses commentaires qu'au "
                              "corps du document. Le rapport, lui, est complet.")
    absent = [_absent(f) for f in result.findings if not f.evidence]
    key, origin = folded_key("".join(t.text or "" for t in _texts(body)))  # cutting runs keeps this text
    unplaced, located = [], 0
    for finding in result.findings:
        for item in distinct(finding.evidence):
            span = _find(key, origin, item.verbatim or item.excerpt)
            if span:
                texts = list(_texts(body))
                _comment(document, *_cut(*_where(texts, span[0]), *_where(texts, span[1])), note(finding))
                located += 1
            else:
                unplaced.append(_unplaced(finding, item))
    first, last = _first_paragraph(body)
    overview = (f"contratcheck : {counts(result)}. Les commentaires sur ce premier paragraphe disent ce qui manque au "
                f"contrat ; les autres sont placés sur les clauses en cause. {DISCLAIMER}")
    for text in [overview, *absent, *unplaced]:
        _comment(document, first, last, text)
    document.save(stream)
    return Annotated(located, len(unplaced))


def _absent(finding: Finding) -> str:
    return f"ABSENT DU CONTRAT\n{note(finding)}"


def _unplaced(finding: Finding, item: Evidence) -> str:
    return (f"{note(finding)}\nPassage cité, non retrouvé dans le corps du document (en-tête, pied de page, note ou "
            f"zone de texte ?) : « {item.excerpt} »")


def _texts(element: BaseOxmlElement) -> Iterator[CT_Text]:
    """The w:t elements of the body in reading order, without deleted text or text boxes."""
    for child in element:
        if child.tag == W + "t":
            yield child
        elif child.tag not in _SKIPPED:
            yield from _texts(child)


def _find(key: str, origin: list[int], excerpt: str) -> tuple[int, int] | None:
    """Indexes in the body text of the excerpt's first and last characters, or None."""
    wanted = folded_key(excerpt.removesuffix("…"))[0]
    at = key.find(wanted) if wanted else -1
    return (origin[at], origin[at + len(wanted) - 1]) if at >= 0 else None


def _where(texts: list[CT_Text], index: int) -> tuple[CT_Text, int]:
    """The w:t holding character `index` of the body text, and the offset in it."""
    starts, position = [], 0
    for t in texts:
        starts.append(position)
        position += len(t.text or "")
    number = bisect_right(starts, index) - 1
    return texts[number], index - starts[number]


def _cut(first: CT_Text, start: int, last: CT_Text, end: int) -> tuple[CT_R, CT_R]:
    """Split runs so that one starts at `first`[start] and one ends at `last`[end]; those two runs."""
    head = _split(first, start)
    if last is first:
        last, end = head, end - start
    _split(last, end + 1)
    return head.getparent(), last.getparent()


def _split(t: CT_Text, offset: int) -> CT_Text:
    """Cut the run holding `t` before character `offset`; the w:t that now starts there."""
    run = t.getparent()
    children = list(run)
    position = children.index(t)
    text = t.text or ""
    before = [c for c in children[:position] if c.tag != W + "rPr"]
    after = children[position + 1:]
    if (offset == 0 and not before) or (offset >= len(text) and not after):
        return t
    tail = copy.deepcopy(run)
    tail_t = tail[position]
    for child in list(tail)[:position]:
        if child.tag != W + "rPr":
            tail.remove(child)
    for child in after:
        run.remove(child)
    t.text, tail_t.text = text[:offset], text[offset:]
    for element in (t, tail_t):
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(tail)
    return tail_t


def _first_paragraph(body: BaseOxmlElement) -> tuple[CT_R, CT_R]:
    """The first and last run of the first paragraph with text."""
    paragraph = next(_texts(body)).getparent()
    while paragraph.tag != W + "p":
        paragraph = paragraph.getparent()
    runs = [t.getparent() for t in _texts(paragraph)]
    return runs[0], runs[-1]


def _comment(document: Document, first: CT_R, last: CT_R, text: str) -> None:
    from docx.text.run import Run

    # The runs only mark where the comment starts and ends: their parent is never asked for a part.
    document.add_comment([Run(first, document), Run(last, document)], text=text, author=AUTHOR, initials="CC")
