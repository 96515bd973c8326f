"""One document from path to DocumentResult: every failure becomes a status, never an exception."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from contratcheck.clauses.reader import names_a_party
from contratcheck.engine.context import Context
from contratcheck.engine.figures import key_figures
from contratcheck.engine.ir import Rule
from contratcheck.engine.run import audit_document
from contratcheck.errors import ExtractionError, NoTextError, page_limit
from contratcheck.extract import read_bytes, read_extraction
from contratcheck.model import Document, DocumentResult, ErrorInfo, Extraction, Finding, KeyFigure, PieceReading, Status
from contratcheck.service import cache
from contratcheck.service.options import AuditOptions
from contratcheck.text.assemble import build_document, combine
from contratcheck.text.quality import assess

Stage = Callable[[str], None]  # told "lecture", then each rule id: names what a time-out interrupted


def _extraction(path: Path, display: str, options: AuditOptions) -> Extraction:
    data = read_bytes(path, options.limits)
    password = options.password_for(display)
    if not options.use_cache or password:  # decrypted text never goes to the cache
        return read_extraction(path, data, password=password, ocr=options.ocr, limits=options.limits)
    key = cache.digest(data) + path.suffix.lower() + ("+ocr" if options.ocr else "")
    cached = cache.load(key)
    if cached is None:
        cached = read_extraction(path, data, password=password, ocr=options.ocr, limits=options.limits)
        cache.store(key, cached)
    elif cached.pages and cached.pages > options.limits.max_pages:  # limits apply to cached text too
        raise page_limit(cached.pages, options.limits.max_pages)
    return cached


def _unreachable(path: Path) -> ErrorInfo | None:
    """Why a folder's entry cannot even be opened (a sub-folder without read access, a broken link,
    a loop of links), so that it is named in the report instead of skipped."""
    if path.is_dir() and path.is_symlink():
        return ErrorInfo("unreadable-folder", "Lien vers un dossier, qui porte un nom de contrat : il n'est pas suivi, "
                                              "son contenu n'a pas été audité.")
    if path.is_dir():
        return ErrorInfo("unreadable-folder", "Dossier illisible (droits d'accès) : son contenu n'a pas été audité.")
    if path.exists() and not path.is_file():  # reading a pipe blocks, a device never ends
        return ErrorInfo("unsupported", "Ce n'est pas un fichier ordinaire (tube, périphérique…) : il n'a pas été lu.")
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except FileNotFoundError:
        return ErrorInfo("broken-link", "Lien symbolique cassé : le fichier qu'il désigne n'existe pas.")
    except OSError:
        return ErrorInfo("link-loop", "Boucle de liens symboliques : aucun fichier n'a pu être atteint.")
    return None


def read_document(path: Path, display: str, options: AuditOptions) -> Document:
    """The Document of one file, from the cache when allowed; ExtractionError or NoTextError if unreadable."""
    return build_document(display, _extraction(path, display, options))


def _pages(numbers: tuple[int, ...]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def _warnings(document: Document) -> tuple[str, ...]:
    """Pages left unread or read by OCR: the document's, or each piece's for a set."""
    readings = document.readings or (PieceReading("", document.unread_pages, document.ocr_pages),)
    warnings = []
    for reading in readings:
        if reading.unread_pages:
            warnings.append(f"{_where(reading.path, reading.unread_pages)} : images sans texte, non lues ; "
                            "relancez avec --ocr pour les lire.")
        if reading.ocr_pages:
            warnings.append(f"{_where(reading.path, reading.ocr_pages)} : lues par reconnaissance de caractères "
                            "(OCR) ; vérifiez les extraits cités sur le document.")
    return tuple(warnings)


def _where(piece: str, pages: tuple[int, ...]) -> str:
    """« Pages 3, 4 », or « cctp.pdf, pages 3, 4 » in a set."""
    return f"{piece}, {_pages(pages)}" if piece else _pages(pages).capitalize()


def _refusal(document: Document, rules: tuple[Rule, ...]) -> tuple[Status, ErrorInfo] | None:
    """Why a readable document is not audited: no text, garbled text, another language, or no
    contract at all (a README beside the offers would get a finding for every clause it lacks)."""
    if not document.text.strip():
        return Status.NO_TEXT, ErrorInfo("no-text", "Le document ne contient aucun texte lisible.")
    quality = assess(document.text)
    if quality == "garbled":
        info = ErrorInfo("garbled", "Le texte extrait est illisible (polices mal encodées dans le fichier) : il n'a pas "
                                    "été audité. Demandez une autre version du document, ou relancez avec --ocr.")
        return Status.NO_TEXT, info
    if quality == "foreign":
        info = ErrorInfo("foreign-language", "Ce document n'est pas rédigé en français : il n'a pas été audité. Les règles "
                                             "de contratcheck lisent des contrats français ; un contrat dans une autre "
                                             "langue y paraîtrait dépourvu de toutes ses clauses.")
        return Status.ERROR, info
    return None


_NOT_A_CONTRACT = ErrorInfo("not-a-contract", "Rien de contractuel dans ce document : aucune partie nommée "
                            "(prestataire, client, titulaire…), aucun chiffre clé, aucune clause relevée ; il n'a "
                            "pas été audité, pour ne pas lui reprocher toutes les clauses d'un contrat.")


def _contractual(document: Document, rules: tuple[Rule, ...], findings: tuple[Finding, ...],
                 figures: tuple[KeyFigure, ...]) -> bool:
    """A README beside the offers, or a one-byte file, would get a finding for every clause it
    lacks: what names no party, states no key figure and matches no clause is not a contract."""
    return (any(f.evidence for f in findings) or any(k.values for k in figures)
            or _names_parties(document, rules))


def _names_parties(document: Document, rules: tuple[Rule, ...]) -> bool:
    """Some party named, as the pack's clause cues name them (a pack without cues: assumed)."""
    cues = next((check.clauses.cues for rule in rules for check in rule.checks if check.clauses), None)
    return cues is None or not cues.names or names_a_party(document.match_text[:len(document.text)], cues)


Pieces = tuple[tuple[Path, str], ...]  # a contract's files (path, displayed path), read as one
Unit = tuple[Path | Pieces, str]  # what one worker audits: a file, or a contract's files, and its name


def paths_of(units: list[Unit]) -> list[Path]:
    """Every file the units read."""
    return [path for target, _ in units for path in ([p for p, _ in target] if isinstance(target, tuple) else [target])]


def audit_unit(target: Path | Pieces, display: str, rules: tuple[Rule, ...], options: AuditOptions | None = None,
               stage: Stage | None = None) -> DocumentResult:
    """A file, or a contract made of several files (`display` is then its name)."""
    if isinstance(target, tuple):
        return audit_set(target, display, rules, options, stage)
    return audit_file(target, display, rules, options, stage)


def audit_file(path: Path, display: str, rules: tuple[Rule, ...], options: AuditOptions | None = None,
               stage: Stage | None = None) -> DocumentResult:
    options = options or AuditOptions()
    extraction, failed = _read(path, display, options, stage)
    if failed is not None:
        return failed
    assert extraction is not None
    return _judged(build_document(display, extraction), rules, options, stage)


def audit_set(pieces: Pieces, name: str, rules: tuple[Rule, ...], options: AuditOptions | None = None,
              stage: Stage | None = None) -> DocumentResult:
    """The files of one contract read as one document: a clause is absent only when no file holds
    it, and every excerpt names its file. Each file's own reading status is kept in `pieces`."""
    options = options or AuditOptions()
    read: list[tuple[str, Extraction]] = []
    statuses: list[DocumentResult] = []
    for path, display in pieces:
        extraction, failed = _read(path, display, options, stage)
        if failed is not None:
            statuses.append(failed)
            continue
        assert extraction is not None
        read.append((display, extraction))
        statuses.append(DocumentResult(display, extraction.format, Status.OK, None, extraction.pages))
    if not read:
        info = ErrorInfo("unreadable-set", "Aucune pièce de ce contrat n'a pu être lue : il n'a pas été audité.")
        return DocumentResult(name, None, Status.ERROR, info, None, pieces=tuple(statuses))
    result = _judged(build_document(name, combine(read)), rules, options, stage)
    unread = [p.path for p in statuses if p.status is not Status.OK]
    warnings = (f"Pièce(s) non lue(s), dont les clauses manquent à l'audit : {', '.join(unread)}.",) if unread else ()
    return replace(result, format=None, warnings=result.warnings + warnings, pieces=tuple(statuses))


def _read(path: Path, display: str, options: AuditOptions, stage: Stage | None
          ) -> tuple[Extraction, None] | tuple[None, DocumentResult]:
    """The file's extraction, or the result that says why it could not be read."""
    unreachable = _unreachable(path)
    if unreachable is not None:
        return None, DocumentResult(display, None, Status.ERROR, unreachable, None)
    try:
        if stage:
            stage("lecture")
        return _extraction(path, display, options), None
    except NoTextError as exc:
        return None, DocumentResult(display, None, Status.NO_TEXT, ErrorInfo(exc.code, exc.message), None)
    except ExtractionError as exc:
        return None, DocumentResult(display, None, Status.ERROR, ErrorInfo(exc.code, exc.message), None)
    except MemoryError:
        raise  # the worker reports it as `memory`
    except Exception as exc:  # noqa: BLE001 - a batch must survive any unexpected file
        message = f"Erreur inattendue pendant la lecture ({type(exc).__name__}) : merci de signaler ce fichier."
        return None, DocumentResult(display, None, Status.ERROR, ErrorInfo("internal", message), None)


def _judged(document: Document, rules: tuple[Rule, ...], options: AuditOptions, stage: Stage | None) -> DocumentResult:
    """The findings and figures of a readable document, unless it is no contract to audit."""
    display = document.path
    refused = _refusal(document, rules)
    if refused is not None:
        status, info = refused
        return DocumentResult(display, document.format, status, info, document.pages)
    ctx = Context.of(document)  # one set of per-document caches for the rules and the figures
    findings = audit_document(document, rules, options.thresholds, on_rule=stage, ctx=ctx)
    figures = key_figures(document, options.figures, ctx) if options.figures else ()
    if not _contractual(document, rules, findings, figures):
        return DocumentResult(display, document.format, Status.NO_TEXT, _NOT_A_CONTRACT, document.pages)
    return DocumentResult(display, document.format, Status.OK, None, document.pages, findings,
                          warnings=_warnings(document), key_figures=figures)
